/**
 * `check`: exhaustive exploration of a model configuration, and `models`: what can be checked.
 * A SIGINT stops the run: the figures so far are printed with verdict `incomplete`.
 */
import { MODELS, buildModel, BuildRequest } from '../model/registry';
import { checkAsync, CheckResult, Strategy } from '../checker/explore';
import { buildModelTrace } from '../checker/model-trace';
import { fingerprint } from '../checker/visited';
import { UsageError } from '../model/errors';
import { fileName, writeTrace } from './files';
import type { AnyModel } from '../model/core';
import { renderModelTrace, formatParams, variantOf } from './steps';
import { renderTable } from './table';
import { ProgressLine } from './progress';

export function runModels() {
  const json = MODELS.map((m) => ({ name: m.name, description: m.description, params: m.params, variants: m.variants, bugs: m.bugs }));
  const text = MODELS.map((m) =>
    [
      `${m.name}: ${m.description}`,
      `variants: ${m.variants.join(', ')}`,
      renderTable(
        ['parameter', 'default', 'range', 'description'],
        m.params.map((p) => [p.name, String(p.default), p.min !== undefined ? `${p.min}..${p.max}` : '', p.description]),
      ),
      renderTable(['bug', 'expected', 'description'], m.bugs.map((b) => [b.name, b.expected, b.description])),
    ].join('\n'),
  ).join('\n\n');
  return { json, text, exitCode: 0 };
}

export interface CheckCliOptions extends BuildRequest {
  model: string;
  strategy?: string;
  maxStates?: number;
  maxDepth?: number;
  reduction: boolean;
  store?: string;
  expectedStates?: number;
  linksOnDisk?: boolean;
  out: string;
  force: boolean;
  /** Show a progress line (a TTY, not --json). */
  progress: boolean;
  signal?: { aborted: boolean };
}

/**
 * The verdict a person gets: a `sometimes` property never reached is a failure too (the check
 * would be vacuous for it), reported as a violation of that property.
 */
export function verdictOf(r: CheckResult): { verdict: 'ok' | 'violation' | 'incomplete'; property: string | null } {
  if (r.verdict === 'ok' && r.unreached.length > 0) return { verdict: 'violation', property: r.unreached[0] };
  return { verdict: r.verdict, property: r.property };
}

/** File name of a model counterexample: model, variant, bug (when there is one), property, and a
 *  short hash of all the parameters, so that two configurations never claim one file (which
 *  would stop the second run: a trace file is not overwritten without --force). */
export function modelTraceName(model: AnyModel, property: string, prefix: string[] = [], suffix: string[] = []): string {
  const bug = String(model.params.bug ?? 'none');
  const fp = new Uint32Array(2);
  fingerprint(JSON.stringify(model.params), fp);
  const params = fp[0].toString(16).padStart(8, '0').slice(0, 6);
  return fileName([...prefix, model.name, variantOf(model.params), ...(bug === 'none' ? [] : [bug]), property, params, ...suffix]);
}


/** The documented JSON shape of `check --json`. */
function checkJson(model: ReturnType<typeof buildModel>, r: CheckResult, trace: string | null, traceLength: number | null, verdict: string, property: string | null) {
  return {
    model: model.name,
    params: model.params,
    verdict,
    property,
    states: r.states,
    transitions: r.transitions,
    maxDepth: r.maxDepth,
    seconds: r.seconds,
    statesPerSecond: Math.round(r.statesPerSecond),
    bytesPerState: Math.round(r.bytesPerState * 100) / 100,
    reduction: r.reduction,
    trace,
    traceLength,
    unreached: r.unreached,
    // after the documented fields: extras a script may use
    incompleteReason: r.incompleteReason,
    loopStart: r.loopStart,
    store: r.store,
    strategy: r.strategy,
    missedStateProbability: r.missedStateProbability,
  };
}

export async function runCheck(o: CheckCliOptions) {
  if (o.strategy !== undefined && o.strategy !== 'bfs' && o.strategy !== 'dfs') throw new UsageError(`--strategy ${o.strategy}: expected bfs or dfs`);
  if (o.store !== undefined && o.store !== 'fingerprint' && o.store !== 'full') throw new UsageError(`--store ${o.store}: expected fingerprint or full`);
  if (o.store === 'full' && (o.expectedStates !== undefined || o.linksOnDisk))
    throw new UsageError(`--${o.linksOnDisk ? 'links-on-disk' : 'expect-states'} applies to the fingerprint store, not --store full`);
  const model = buildModel(o.model, o);
  const progress = o.progress ? new ProgressLine() : null;
  const r = await checkAsync(model, {
    strategy: (o.strategy ?? 'bfs') as Strategy,
    maxStates: o.maxStates,
    maxDepth: o.maxDepth,
    reduction: o.reduction,
    store: (o.store ?? 'fingerprint') as 'fingerprint' | 'full',
    expectedStates: o.expectedStates,
    linksOnDisk: o.linksOnDisk,
    signal: o.signal,
    onProgress: progress ? (p) => progress.update(`${p.phase}: ${p.states.toLocaleString('en-US')} states, ${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, depth ${p.maxDepth}, frontier ${p.frontier.toLocaleString('en-US')}`) : undefined,
  });
  progress?.done();

  const { verdict, property } = verdictOf(r);
  let tracePath: string | null = null;
  let traceText = '';
  if (r.path && r.property) {
    const trace = buildModelTrace(model, r.path, r.property, { loopStart: r.loopStart });
    tracePath = writeTrace(o.out, modelTraceName(model, r.property), trace, o.force);
    traceText = renderModelTrace(trace);
  }
  const json = checkJson(model, r, tracePath, r.path ? r.path.length - 1 : null, verdict, property);
  const lines = [
    `check ${model.name} ${formatParams(model.params)}`,
    '',
    renderTable(
      ['verdict', 'states', 'transitions', 'max depth', 'seconds', 'states/s', 'bytes/state', 'reduction'],
      [[
        verdict + (r.incompleteReason ? ` (${r.incompleteReason})` : ''),
        r.states.toLocaleString('en-US'),
        r.transitions.toLocaleString('en-US'),
        String(r.maxDepth),
        r.seconds.toFixed(3),
        Math.round(r.statesPerSecond).toLocaleString('en-US'),
        r.bytesPerState.toFixed(1),
        r.reduction.kind === 'none' ? 'off' : `${r.reduction.kind} x${r.reduction.factor?.toFixed(2) ?? '?'}`,
      ]],
    ),
  ];
  if (r.store === 'fingerprint') lines.push(`probability that a fingerprint collision hid a state: ${r.missedStateProbability.toExponential(2)}`);
  if (r.unreached.length) lines.push(`sometimes-properties never reached (the check is vacuous for them): ${r.unreached.join(', ')}`);
  if (traceText) lines.push('', `counterexample (${r.path!.length - 1} steps):`, traceText, '', `replay: npx rmapcheck replay ${tracePath}`);
  if (verdict === 'incomplete') lines.push('', 'incomplete: the run stopped before exploring every state; no violation found so far.');
  return { json, text: lines.join('\n'), exitCode: verdict === 'violation' ? 1 : 0 };
}
