/**
 * `audit`: the full default verification, run by `npm start`: prove every order of wip-v1,
 * check the series' numeric claims, then every variant and every broken variant of both
 * concurrent models at their default bounds (a broken variant is expected to fail). Traces of
 * every refutation and counterexample go to the output directory.
 */
import { join } from 'path';
import { WIP_V1 } from '../model/scheme';
import { MODELS, ModelEntry } from '../model/registry';
import { AnyModel } from '../model/core';
import { checkAsync, CheckResult } from '../checker/explore';
import { buildModelTrace } from '../checker/model-trace';
import { serializeTrace } from '../checker/trace';
import { runProve, renderProve, proveExitCode } from './report-prove';
import { ensureOutDir, writeFileAtomic } from './files';
import { renderTable } from './table';
import { RMAP_DESCRIPTOR, PRESET_NAMES, PRESET_SCENARIOS } from '../model/rmap';

/** States one audit configuration may store before it is reported `incomplete`. */
export const AUDIT_MAX_STATES = 2_000_000;

export interface AuditConfig {
  model: string;
  variant: string | null;
  bug: string | null;
  scenario: string | null;
  expected: 'ok' | 'counterexample';
  /** For an expected counterexample: the properties it may violate (empty: any). */
  expectedProperties: string[];
}

/**
 * Every variant of each model (default parameters), every broken variant with its defaults, and
 * every other rmap preset scenario with the verdict the scenario file records (`expect`).
 */
export function auditConfigurations(models: readonly ModelEntry[] = MODELS): AuditConfig[] {
  const out: AuditConfig[] = [];
  for (const m of models) {
    for (const v of m.variants) out.push({ model: m.name, variant: v, bug: null, scenario: null, expected: 'ok', expectedProperties: [] });
    for (const b of m.bugs) {
      const scenario = (b as { scenario?: string }).scenario ?? null;
      const property = (b as { property?: string }).property;
      out.push({ model: m.name, variant: null, bug: b.name, scenario, expected: 'counterexample', expectedProperties: property ? [property] : [] });
    }
  }
  const defaultScenario = String(RMAP_DESCRIPTOR.params.find((p) => p.name === 'scenario')!.default);
  if (models.some((m) => m.name === 'rmap'))
    for (const name of PRESET_NAMES.filter((n) => n !== defaultScenario)) {
      const expect = Object.keys((PRESET_SCENARIOS[name] as { expect?: Record<string, string> }).expect ?? {});
      out.push({ model: 'rmap', variant: null, bug: null, scenario: name, expected: expect.length ? 'counterexample' : 'ok', expectedProperties: expect });
    }
  return out;
}

export interface AuditRow {
  config: AuditConfig;
  params: Record<string, unknown>;
  verdict: string;
  property: string | null;
  asExpected: boolean;
  states: number;
  maxDepth: number;
  seconds: number;
  traceLength: number | null;
  trace: string | null;
  unreached: string[];
}

function buildFor(c: AuditConfig): AnyModel {
  const entry = MODELS.find((m) => m.name === c.model)!;
  const raw: Record<string, unknown> = {};
  if (c.variant) raw.variant = c.variant;
  if (c.bug) raw.bug = c.bug;
  if (c.scenario) raw.scenario = c.scenario;
  return entry.build(raw);
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function auditOne(c: AuditConfig, outDir: string, force: boolean, signal: { aborted: boolean }): Promise<AuditRow> {
  const model = buildFor(c);
  const r: CheckResult = await checkAsync(model, { strategy: 'bfs', maxStates: AUDIT_MAX_STATES, signal });
  let verdict: string = r.verdict;
  let property = r.property;
  if (verdict === 'ok' && r.unreached.length > 0) [verdict, property] = ['violation', r.unreached[0]];
  let trace: string | null = null;
  if (r.path && r.property) {
    ensureOutDir(outDir);
    trace = join(outDir, `${safe(c.model)}-${safe(c.variant ?? String(model.params.variant ?? model.params.seqcount))}-${safe(c.bug ?? 'none')}-${safe(r.property)}.json`);
    writeFileAtomic(trace, serializeTrace(buildModelTrace(model, r.path, r.property, { loopStart: r.loopStart })), force);
  }
  const asExpected =
    c.expected === 'ok'
      ? verdict === 'ok'
      : verdict === 'violation' && r.path !== null && (c.expectedProperties.length === 0 || c.expectedProperties.includes(r.property!));
  return {
    config: c,
    params: { ...model.params },
    verdict,
    property,
    asExpected,
    states: r.states,
    maxDepth: r.maxDepth,
    seconds: r.seconds,
    traceLength: r.path ? r.path.length - 1 : null,
    trace,
    unreached: r.unreached,
  };
}

export async function runAudit(outDir: string, force: boolean, signal: { aborted: boolean } = { aborted: false }, onConfig?: (i: number, n: number, c: AuditConfig) => void) {
  const started = process.hrtime.bigint();
  const prove = runProve(WIP_V1, undefined, outDir, force);
  const configs = auditConfigurations();
  const models: AuditRow[] = [];
  for (let i = 0; i < configs.length && !signal.aborted; i++) {
    onConfig?.(i, configs.length, configs[i]);
    models.push(await auditOne(configs[i], outDir, force, signal));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failedClaims = prove.claims.filter((c) => !c.holds).length;
  const refuted = prove.orders.filter((o) => o.verdict === 'refuted').map((o) => o.order);
  const unexpected = models.filter((m) => !m.asExpected);
  const interrupted = signal.aborted;
  const exitCode = Math.max(proveExitCode(prove), failedClaims > 0 || unexpected.length > 0 ? 1 : 0);
  const modelTable = renderTable(
    ['model', 'variant', 'bug', 'scenario', 'expected', 'verdict', 'property', 'as expected', 'states', 'depth', 'steps', 'seconds'],
    models.map((m) => [
      m.config.model,
      String(m.params.variant ?? m.params.seqcount ?? ''),
      m.config.bug ?? '-',
      m.config.scenario ?? (m.config.model === 'rmap' ? String(m.params.scenario) : '-'),
      m.config.expected,
      m.verdict,
      m.property ?? '-',
      m.asExpected ? 'yes' : 'NO',
      m.states.toLocaleString('en-US'),
      String(m.maxDepth),
      m.traceLength === null ? '-' : String(m.traceLength),
      m.seconds.toFixed(2),
    ]),
  );
  const summary = [
    '',
    `Summary: ${prove.orders.length} orders decided (${refuted.length} refuted${refuted.length ? ': ' + refuted.join(', ') : ''}); ` +
      `${prove.claims.length - failedClaims} of ${prove.claims.length} claims hold; ` +
      `${models.length} model configurations checked, ${unexpected.length} not as expected; ${seconds.toFixed(1)} s.`,
    interrupted ? `Interrupted: ${configs.length - models.length} model configurations not checked.` : '',
    exitCode === 0 ? 'Nothing wrong found.' : 'Findings above (exit code 1): each refutation and counterexample has a trace to replay.',
  ].filter((l) => l !== '');
  return {
    json: { prove, models, seconds, interrupted },
    text: [
      'rmapcheck audit',
      '===============',
      '',
      renderProve(prove),
      '',
      `Concurrent models at their default bounds (broken variants are expected to fail; traces in ${outDir}/)`,
      modelTable,
      ...summary,
    ].join('\n'),
    exitCode,
  };
}
