/**
 * `audit`: the full default verification, run by `npm start`: prove every order of wip-v1,
 * check the series' numeric claims, then every variant and every broken variant of both
 * concurrent models at their default bounds (a broken variant is expected to fail), and the
 * conformance of C code (`conform` at its default budget: the user's `--impl`, or rmapcheck's own
 * implementation, which is skipped with the reason when it cannot be built here, e.g. without
 * gcc). Traces of every refutation, counterexample and divergence go to the output directory.
 */
import { variantOf } from '../checker/trace-name';
import { repeatLine } from './explore';
import { join } from 'path';
import { WIP_V1 } from '../model/scheme';
import { MODELS, ModelEntry, buildModel } from '../model/registry';
import { AnyModel } from '../model/core';
import { checkAsync, CheckResult } from '../checker/check';
import { explore } from '../checker/random/explore';
import { buildModelTrace } from '../checker/model-trace';
import { runProve, renderProve, proveExitCode } from './report-prove';
import { exitCodeWith } from './files';
import { saveTrace } from '../checker/files';
import { UsageError } from '../model/errors';
import { renderTable } from '../text/table';
import { RMAP_DESCRIPTOR, PRESET_NAMES, PRESET_SCENARIOS } from '../model/rmap';
import { MMID_DEFAULT_SCENARIO, MMID_SCENARIOS, MMID_SCENARIO_NAMES, MMID_VARIANTS, expectedFindings, parseMmidScenario } from '../model/mmid';
import { verdictOf, modelTraceName } from './check';
import { buildConformBinary } from '../checker/conform/build';
import { DEFAULT_CONFORM_RUNS, resolveConformBuild, runConform } from './conform';
import type { ConformCliOptions } from './conform-options';
import { runAuditLkmm } from './audit-lkmm';

/** States one audit configuration may store before it is reported `incomplete`. */
export const AUDIT_MAX_STATES = 2_000_000;

/** One model configuration the audit runs, exhaustively or at random, with its expected verdict. */
export interface AuditConfig {
  model: string;
  variant: string | null;
  bug: string | null;
  /** The rmap scenario (preset name or file), or null for the model's default. */
  scenario: string | null;
  /** Further model parameters (`--set`), e.g. the real size of the explore pass. */
  set: Record<string, number>;
  expected: 'ok' | 'counterexample';
  /** For an expected counterexample: the properties it may violate (empty: any). */
  expectedProperties: string[];
}

function buildConfig(c: AuditConfig): AnyModel {
  return buildModel(c.model, {
    variant: c.variant ?? undefined,
    bug: c.bug ?? undefined,
    scenario: c.scenario ?? undefined,
    set: Object.fromEntries(Object.entries(c.set).map(([k, v]) => [k, String(v)])),
  });
}

function asExpected(c: AuditConfig, verdict: string, property: string | null, found: boolean): boolean {
  if (c.expected === 'ok') return verdict === 'ok';
  return verdict === 'violation' && found && (c.expectedProperties.length === 0 || c.expectedProperties.includes(property!));
}

/** The property a broken variant is known to violate first (rmap bugs declare it). */
function bugProperties(b: { name: string }): string[] {
  const property = (b as { property?: string }).property;
  return property ? [property] : [];
}

/**
 * Every variant of each model (default parameters), every broken variant on every variant it
 * applies to with its defaults there (the model fills them in: a configuration names only the
 * variant and the bug), and every other rmap preset scenario with the verdict the scenario file
 * records (`expect`).
 */
export function auditConfigurations(models: readonly ModelEntry[] = MODELS): AuditConfig[] {
  const out: AuditConfig[] = [];
  for (const m of models) {
    for (const v of m.variants) out.push({ model: m.name, variant: v, bug: null, scenario: null, set: {}, expected: 'ok', expectedProperties: [] });
    for (const b of m.bugs)
      for (const v of b.variants)
        out.push({ model: m.name, variant: v, bug: b.name, scenario: null, set: {}, expected: 'counterexample', expectedProperties: bugProperties(b) });
  }
  const defaultScenario = String(RMAP_DESCRIPTOR.params.find((p) => p.name === 'scenario')!.default);
  if (models.some((m) => m.name === 'rmap'))
    for (const name of PRESET_NAMES.filter((n) => n !== defaultScenario)) {
      const expect = Object.keys((PRESET_SCENARIOS[name] as { expect?: Record<string, string> }).expect ?? {});
      out.push({ model: 'rmap', variant: null, bug: null, scenario: name, set: {}, expected: expect.length ? 'counterexample' : 'ok', expectedProperties: expect });
    }
  // every other mmid preset on every variant, with the findings its file records (`expect`)
  if (models.some((m) => m.name === 'mmid'))
    for (const name of MMID_SCENARIO_NAMES.filter((n) => n !== MMID_DEFAULT_SCENARIO))
      for (const variant of MMID_VARIANTS) {
        const expect = expectedFindings(parseMmidScenario(MMID_SCENARIOS[name], name), variant);
        out.push({ model: 'mmid', variant, bug: null, scenario: name, set: {}, expected: expect.length ? 'counterexample' : 'ok', expectedProperties: expect });
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


async function auditOne(c: AuditConfig, outDir: string, force: boolean, signal: { aborted: boolean }, writeErrors: string[]): Promise<AuditRow> {
  const model = buildConfig(c);
  const r: CheckResult = await checkAsync(model, { strategy: 'bfs', maxStates: AUDIT_MAX_STATES, signal });
  const { verdict, property } = verdictOf(r);
  const trace =
    r.path && r.property
      ? saveTrace(outDir, modelTraceName(model, r.property, { kind: 'check', strategy: 'bfs' }), buildModelTrace(model, r.path, r.property, { loopStart: r.loopStart }), force, writeErrors)
      : null;
  return {
    config: c,
    params: { ...model.params },
    verdict,
    property,
    asExpected: asExpected(c, verdict, property, r.path !== null),
    states: r.states,
    maxDepth: r.maxDepth,
    seconds: r.seconds,
    traceLength: r.path ? r.path.length - 1 : null,
    trace,
    unreached: r.unreached,
  };
}

/** The scenario the explore pass uses for the rmap model at real size (order 9, 64-bit wip-v1). */
export const LARGE_RMAP_SCENARIO = join(__dirname, '..', 'scenarios', 'large-order9.json');
/** Real size for the seqcount model in the explore pass (beyond exhaustive reach). */
export const LARGE_SEQCOUNT: Readonly<Record<string, number>> = { writers: 4, readers: 2, counters: 3, ops: 2 };
/** Seed of the audit's explore pass: every row replays with `explore --seed 1 --runs <executions>`. */
export const AUDIT_SEED = 1n;
/** Strategies of the explore pass, in order, each with a share of the time budget. */
export const AUDIT_STRATEGIES = ['race', 'pct', 'random'] as const;
/** Executions per strategy for a broken variant in the explore pass (it stops at a violation). */
export const AUDIT_BUG_RUNS = 3000;


/** Every correct variant of both models at real size, and every broken variant at its defaults. */
export function exploreConfigurations(models: readonly ModelEntry[] = MODELS): AuditConfig[] {
  const out: AuditConfig[] = [];
  for (const m of models) {
    // real size where the model has one (a model without is explored at its defaults)
    const scenario = m.name === 'rmap' ? LARGE_RMAP_SCENARIO : null;
    const set = m.name === 'seqcount' ? { ...LARGE_SEQCOUNT } : {};
    for (const v of m.variants) out.push({ model: m.name, variant: v, bug: null, scenario, set, expected: 'ok', expectedProperties: [] });
    for (const b of m.bugs)
      out.push({ model: m.name, variant: null, bug: b.name, scenario: null, set: {}, expected: 'counterexample', expectedProperties: bugProperties(b) });
  }
  return out;
}

export interface ExploreRow {
  config: AuditConfig;
  params: Record<string, unknown>;
  /** The strategy of the last exploration (the one that found the violation, if any). */
  strategy: string;
  verdict: string;
  property: string | null;
  asExpected: boolean;
  executions: number;
  steps: number;
  stepsPerSecond: number;
  distinctStates: number | null;
  timeToFirstViolation: number | null;
  minimizedTraceLength: number | null;
  trace: string | null;
  /** The command that repeats this row exactly. */
  repeat: string;
}

async function exploreOne(c: AuditConfig, seconds: number, outDir: string, force: boolean, signal: { aborted: boolean }, writeErrors: string[]): Promise<ExploreRow> {
  const model = buildConfig(c);
  // Each strategy in turn; the first that finds a violation ends the row. A correct variant gets
  // a share of the time budget; a broken one a fixed number of executions, so that whether it
  // is found does not depend on the machine's load.
  const budget = c.expected === 'ok' ? { timeSeconds: seconds / AUDIT_STRATEGIES.length } : { runs: AUDIT_BUG_RUNS };
  let r = await explore(model, { strategy: AUDIT_STRATEGIES[0], seed: AUDIT_SEED, ...budget, signal });
  for (const strategy of AUDIT_STRATEGIES.slice(1))
    if (r.verdict === 'ok' && !signal.aborted) r = await explore(model, { strategy, seed: AUDIT_SEED, ...budget, signal });
  // the name `explore --strategy S --seed 1` gives the same trace: the row's repeat line rewrites it unchanged
  const trace = r.trace && r.property ? saveTrace(outDir, modelTraceName(model, r.property, { kind: 'explore', strategy: r.strategy, seed: AUDIT_SEED }), r.trace, force, writeErrors) : null;
  return {
    config: c,
    params: { ...model.params },
    strategy: r.strategy,
    verdict: r.verdict,
    property: r.property,
    asExpected: asExpected(c, r.verdict, r.property, r.trace !== null),
    executions: r.executions,
    steps: r.steps,
    stepsPerSecond: r.stepsPerSecond,
    distinctStates: r.distinctStates,
    timeToFirstViolation: r.timeToFirstViolation,
    minimizedTraceLength: r.minimizedTraceLength,
    trace,
    repeat:
      'npx ' +
      repeatLine(
        {
          model: c.model,
          variant: c.variant ?? undefined,
          bug: c.bug ?? undefined,
          scenario: c.scenario ?? undefined,
          set: Object.entries(c.set).map(([k, v]) => `${k}=${v}`),
          runs: r.verdict === 'violation' && r.violationExecution !== null ? r.violationExecution + 1 : r.executions,
        },
        AUDIT_SEED,
        r.strategy,
      ),
  };
}

/** The C code the audit's conformance section checks: `--impl` etc. (none: rmapcheck's own). */
export type AuditConformOptions = Pick<ConformCliOptions, 'impl' | 'include' | 'define' | 'cc'>;

/** One conformance run of the audit (mode sequential or concurrent), from `conform --json`. */
export interface ConformRow {
  mode: string;
  impl: string[];
  adapter: string | null;
  /** ok, violation, incomplete; `skipped` when the own implementation cannot be built here. */
  verdict: string;
  property: string | null;
  /** null for a skipped row. */
  asExpected: boolean | null;
  runs: number;
  ops: number;
  firstDivergence: { op: number; field: string; expected: string; actual: string } | null;
  traceLength: number | null;
  trace: string | null;
  /** The command that repeats this row exactly (null when skipped). */
  repeat: string | null;
  /** Why the row was not run. */
  skipped: string | null;
}

/** The conformance modes the audit runs, each at its default budget (sequential: 200 sequences;
 *  concurrent: its default programs and schedules, random strategy; a second or two each). */
export const AUDIT_CONFORM_MODES: readonly ('sequential' | 'concurrent')[] = ['sequential', 'concurrent'];

/**
 * Builds the audit's C code before the long work, so that a compile error of the user's code
 * stops the audit at once (exit 2). Returns why the own implementation cannot be checked here
 * (no compiler, ...), or null.
 */
function prepareConform(c: AuditConformOptions): { modes: string[]; skipped: string | null } {
  const user = (c.impl ?? []).length > 0;
  const modes = [...AUDIT_CONFORM_MODES];
  try {
    for (const mode of modes) buildConformBinary(resolveConformBuild(c, mode));
    return { modes, skipped: null };
  } catch (e) {
    if (user || !(e instanceof UsageError)) throw e;
    return { modes, skipped: e.message };
  }
}

async function conformOne(c: AuditConformOptions, mode: string, outDir: string, force: boolean, signal: { aborted: boolean }, writeErrors: string[]): Promise<ConformRow> {
  const r = await runConform({ ...c, mode, seed: AUDIT_SEED, runs: mode === 'sequential' ? DEFAULT_CONFORM_RUNS : undefined, out: outDir, force }, { signal });
  const j = r.json as { impl: string[]; adapter: string; verdict: string; property: string | null; runs: number; ops: number; firstDivergence: ConformRow['firstDivergence']; trace: string | null; traceLength: number | null; repeat: string };
  writeErrors.push(...(r.writeErrors ?? []));
  return { mode, impl: j.impl, adapter: j.adapter, verdict: j.verdict, property: j.property, asExpected: j.verdict === 'ok', runs: j.runs, ops: j.ops, firstDivergence: j.firstDivergence, traceLength: j.traceLength, trace: j.trace, repeat: j.repeat, skipped: null };
}

export async function runAudit(
  outDir: string,
  force: boolean,
  signal: { aborted: boolean } = { aborted: false },
  onConfig?: (i: number, n: number, c: AuditConfig) => void,
  exploreSeconds = 1,
  conform: AuditConformOptions = {},
) {
  const started = process.hrtime.bigint();
  const conformPlan = prepareConform(conform);
  const prove = runProve(WIP_V1, undefined, outDir, force);
  // prove's traces are known within seconds: a conflict there stops the audit before its long part
  if (prove.writeErrors)
    throw new UsageError(`${prove.writeErrors[0]}${prove.writeErrors.length > 1 ? ` (and ${prove.writeErrors.length - 1} more)` : ''}; the audit stopped before its model checks`);
  const writeErrors: string[] = [];
  // the C code's conformance first: a second or so, and what a user who gave --impl came for
  const conformRows: ConformRow[] = [];
  for (const mode of conformPlan.modes) {
    if (signal.aborted) break;
    if (conformPlan.skipped !== null) {
      conformRows.push({ mode, impl: resolveConformBuild(conform).impl.map(String), adapter: null, verdict: 'skipped', property: null, asExpected: null, runs: 0, ops: 0, firstDivergence: null, traceLength: null, trace: null, repeat: null, skipped: conformPlan.skipped });
      continue;
    }
    conformRows.push(await conformOne(conform, mode, outDir, force, signal, writeErrors));
  }
  const configs = auditConfigurations();
  const models: AuditRow[] = [];
  for (let i = 0; i < configs.length && !signal.aborted; i++) {
    onConfig?.(i, configs.length, configs[i]);
    models.push(await auditOne(configs[i], outDir, force, signal, writeErrors));
  }
  const exploreConfigs = exploreSeconds > 0 ? exploreConfigurations() : [];
  const explored: ExploreRow[] = [];
  for (let i = 0; i < exploreConfigs.length && !signal.aborted; i++) {
    onConfig?.(configs.length + i, configs.length + exploreConfigs.length, exploreConfigs[i]);
    explored.push(await exploreOne(exploreConfigs[i], exploreSeconds, outDir, force, signal, writeErrors));
  }
  // the LKMM section: a few seconds, judged by rmapcheck's own LKMM checker (lkmm/)
  const lkmm = signal.aborted ? null : runAuditLkmm();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failedClaims = prove.claims.filter((c) => !c.holds).length;
  const refuted = prove.orders.filter((o) => o.verdict === 'refuted').map((o) => o.order);
  const unexpected = [...models, ...explored, ...conformRows].filter((m) => m.asExpected === false);
  const interrupted = signal.aborted;
  const exitCode = exitCodeWith(Math.max(proveExitCode(prove), failedClaims > 0 || unexpected.length > 0 || (lkmm !== null && !lkmm.ok) ? 1 : 0), writeErrors);
  const modelTable = renderTable(
    ['model', 'variant', 'bug', 'scenario', 'expected', 'verdict', 'property', 'as expected', 'states', 'depth', 'steps', 'seconds'],
    models.map((m) => [
      m.config.model,
      variantOf(m.params),
      m.config.bug ?? '-',
      m.config.scenario ?? (m.config.model !== 'seqcount' ? String(m.params.scenario) : '-'),
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
      `${models.length} model configurations checked exhaustively and ${explored.length} explored at random, ${conformRows.filter((c) => c.skipped === null).length} conformance run(s) of C code; ${unexpected.length} not as expected; ` +
      (lkmm ? `${lkmm.json.programs.length} litmus programs judged under LKMM, ${lkmm.json.programs.filter((p) => !p.asExpected).length} of them findings; ` : '') +
      `${seconds.toFixed(1)} s.`,
    interrupted ? `Interrupted: ${configs.length - models.length + exploreConfigs.length - explored.length} model configurations not run.` : '',
    writeErrors.length ? `Traces not written (exit code 2; the verdicts above stand):\n${writeErrors.map((e) => `  ${e}`).join('\n')}` : '',
    exitCode === 0 ? 'Nothing wrong found.' : exitCode === 1 ? 'Findings above (exit code 1): each refutation and counterexample has a trace to replay.' : '',
  ].filter((l) => l !== '');
  return {
    json: { prove, models, explore: explored, exploreSeconds, conform: conformRows, lkmm: lkmm?.json ?? null, seconds, interrupted, ...(writeErrors.length ? { writeErrors } : {}) },
    text: [
      'rmapcheck audit',
      '===============',
      '',
      renderProve(prove),
      '',
      `Concurrent models at their default bounds (broken variants are expected to fail; traces in ${outDir}/)`,
      modelTable,
      '',
      `Randomized exploration at real size (${AUDIT_STRATEGIES.join(', then ')} until a violation, seed ${AUDIT_SEED}; correct variants ${exploreSeconds} s each, broken ones up to ${AUDIT_BUG_RUNS} executions per strategy; seqcount ${Object.entries(LARGE_SEQCOUNT).map(([k, v]) => `${k}=${v}`).join(' ')}; rmap ${LARGE_RMAP_SCENARIO.split(/[\\/]/).pop()}; bugs at their defaults)`,
      renderTable(
        ['model', 'variant', 'bug', 'strategy', 'expected', 'verdict', 'property', 'as expected', 'executions', 'steps/s', 'states seen', 'first violation s', 'steps'],
        explored.map((e) => [
          e.config.model,
          variantOf(e.params),
          e.config.bug ?? '-',
          e.strategy,
          e.config.expected,
          e.verdict,
          e.property ?? '-',
          e.asExpected ? 'yes' : 'NO',
          e.executions.toLocaleString('en-US'),
          Math.round(e.stepsPerSecond).toLocaleString('en-US'),
          e.distinctStates === null ? '-' : Math.round(e.distinctStates).toLocaleString('en-US'),
          e.timeToFirstViolation === null ? '-' : e.timeToFirstViolation.toFixed(3),
          e.minimizedTraceLength === null ? '-' : String(e.minimizedTraceLength),
        ]),
      ),
      '',
      `Conformance of C code against the reference (conform at its default budgets: sequential ${DEFAULT_CONFORM_RUNS} sequences, concurrent ${AUDIT_CONFORM_MODES.includes('concurrent') ? 'its default programs' : 'not run'}; seed ${AUDIT_SEED}${(conform.impl ?? []).length ? '' : "; rmapcheck's own implementation, conform/kernel/ (--impl FILE.c checks yours)"})`,
      renderTable(
        ['adapter', 'mode', 'verdict', 'property', 'as expected', 'runs', 'operations', 'first divergence', 'steps'],
        conformRows.map((c) => [
          c.adapter ?? c.impl.map((f) => f.split(/[\\/]/).pop()).join(', '),
          c.mode,
          c.verdict,
          c.property ?? '-',
          c.asExpected === null ? '-' : c.asExpected ? 'yes' : 'NO',
          c.runs.toLocaleString('en-US'),
          c.ops.toLocaleString('en-US'),
          c.firstDivergence ? `${c.firstDivergence.field}: expected ${c.firstDivergence.expected}, C has ${c.firstDivergence.actual}` : '-',
          c.traceLength === null ? '-' : String(c.traceLength),
        ]),
      ),
      ...conformRows.filter((c) => c.skipped !== null).map((c) => `skipped (${c.mode}): ${c.skipped}`),
      ...conformRows.filter((c) => c.trace !== null).map((c) => `trace: ${c.trace}\nrepeat: ${c.repeat}`),
      ...(lkmm ? ['', lkmm.text] : []),
      ...summary,
    ].join('\n'),
    exitCode,
    writeErrors,
  };
}
