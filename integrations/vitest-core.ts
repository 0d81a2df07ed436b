/**
 * The test-runner-independent half of `rmapcheck/vitest`: check a model or replay traces and
 * throw an Error whose message a person can act on (property, numbered steps per thread, the
 * final state, a paste-back replay line when a trace was written). `integrations/vitest.ts`
 * (and its ESM twin `vitest.mjs` in the package) binds `replayTraceFolder` to vitest's `describe`
 * and `it`; this file imports nothing from vitest, so it also loads under plain `require`.
 */
import { readdirSync, statSync } from 'fs';
import { join, basename } from 'path';
import { AnyModel } from '../model/core';
import { buildModel, BuildRequest } from '../model/registry';
import { checkAsync, CheckOptions, CheckResult } from '../checker/check';
import { buildModelTrace } from '../checker/model-trace';
import { replayModelTrace } from '../checker/model-trace';
import { replaySubIdTrace } from '../checker/subid-trace';
import { ModelTrace, parseTrace } from '../checker/trace';
import { modelTraceName } from '../checker/trace-name';
import { readUserFile, saveTrace } from '../checker/files';
import { renderModelTrace } from '../text/steps';

/** A model: built already, or a registry name with CLI-style build options. */
export type ModelSpec = AnyModel | string | ({ model: string } & BuildRequest);

export interface ExpectOptions extends BuildRequest, Omit<CheckOptions, 'onProgress' | 'signal'> {
  /** Write a counterexample's trace into this directory (and name it in the error message). */
  out?: string;
}

function resolveModel(spec: ModelSpec, opts: BuildRequest): AnyModel {
  if (typeof spec === 'string') return buildModel(spec, opts);
  if ('model' in spec && typeof (spec as { model: unknown }).model === 'string' && !('initStates' in spec)) {
    const { model, ...req } = spec as { model: string } & BuildRequest;
    return buildModel(model, { ...req, ...opts });
  }
  return spec as AnyModel;
}

function describeModel(m: AnyModel): string {
  return `${m.name} ${Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

function checkOptions(o: ExpectOptions): CheckOptions {
  return { strategy: o.strategy, maxStates: o.maxStates, maxDepth: o.maxDepth, store: o.store, reduction: o.reduction, liveness: o.liveness, progressIntervalMs: o.progressIntervalMs };
}

/** The verdict of `check`, with unreached `sometimes` properties counted as violations (as the CLI does). */
function effective(r: CheckResult): { verdict: string; property: string | null } {
  if (r.verdict === 'ok' && r.unreached.length > 0) return { verdict: 'violation', property: r.unreached[0] };
  return { verdict: r.verdict, property: r.property };
}

/**
 * The counterexample shown step by step; with `out`, also written there under the CLI's name for
 * it (checker/trace-name.ts: two configurations never share a file) and never over a file with
 * other content: the failure then says so instead of giving a replay line.
 */
function traceText(model: AnyModel, r: CheckResult, o: ExpectOptions): { trace: ModelTrace; text: string } {
  const trace = buildModelTrace(model, r.path!, r.property!, { loopStart: r.loopStart });
  let text = renderModelTrace(trace);
  if (o.out) {
    const name = modelTraceName(model, r.property!, { kind: 'check', strategy: o.strategy, reduction: o.reduction, maxDepth: o.maxDepth });
    const errors: string[] = [];
    const file = saveTrace(o.out, name, trace, false, errors);
    text += file ? `\n\nreplay: npx rmapcheck replay ${file}` : `\n\ntrace not written: ${errors[0]}`;
  }
  return { trace, text };
}

/**
 * Explores every reachable state of the model (BFS) and throws unless the verdict is `ok`: a
 * counterexample (shown step by step), an unreached `sometimes` property (a vacuous check) or a
 * bound that cut the search (`incomplete`) all fail.
 */
export async function expectNoCounterexample(spec: ModelSpec, options: ExpectOptions = {}): Promise<CheckResult> {
  const model = resolveModel(spec, options);
  const r = await checkAsync(model, checkOptions(options));
  const { verdict, property } = effective(r);
  if (verdict === 'ok') return r;
  if (verdict === 'incomplete') throw new Error(`expected no counterexample in ${describeModel(model)}, but the check is incomplete (${r.incompleteReason}) after ${r.states} states; raise maxStates/maxDepth`);
  if (!r.path) throw new Error(`expected no counterexample in ${describeModel(model)}, but the sometimes-property ${property} is never reached: the check is vacuous for it`);
  const { text } = traceText(model, r, options);
  throw new Error(`expected no counterexample in ${describeModel(model)}, but ${property} is violated in ${r.path.length - 1} steps:\n\n${text}`);
}

/**
 * Explores the model and throws unless a counterexample is found (of `property`, when given).
 * Resolves to the counterexample's trace (format v2), e.g. to assert its length or write it.
 */
export async function expectCounterexample(spec: ModelSpec, options: ExpectOptions & { property?: string } = {}): Promise<ModelTrace> {
  const model = resolveModel(spec, options);
  const r = await checkAsync(model, checkOptions(options));
  if (!r.path || !r.property) {
    const why = r.verdict === 'incomplete' ? `the check is incomplete (${r.incompleteReason}) after ${r.states} states` : `every one of ${r.states} reachable states satisfies every property`;
    throw new Error(`expected a counterexample${options.property ? ` to ${options.property}` : ''} in ${describeModel(model)}, but ${why}`);
  }
  const { trace, text } = traceText(model, r, options);
  if (options.property && r.property !== options.property)
    throw new Error(`expected a counterexample to ${options.property} in ${describeModel(model)}, but the first one found violates ${r.property}:\n\n${text}`);
  return trace;
}

/** What replaying one trace file showed. */
export interface TraceFileReplay {
  file: string;
  kind: 'subid' | 'model';
  property: string;
  mismatches: string[];
  reproduced: boolean;
}

/** Replays one trace file (either kind) on the reference model. */
export function replayTraceFile(file: string): TraceFileReplay {
  const trace = parseTrace(readUserFile(file), file);
  if (trace.kind === 'model') {
    const r = replayModelTrace(trace, file);
    return { file, kind: 'model', property: trace.property.name, mismatches: r.mismatches, reproduced: r.reproduced };
  }
  const r = replaySubIdTrace(trace, file);
  return { file, kind: 'subid', property: trace.property.name, mismatches: r.mismatches, reproduced: r.reproduced };
}

/** Throws unless the trace replays with every recorded state matching and its violation reproduces. */
export function expectTraceReplays(file: string): TraceFileReplay {
  const r = replayTraceFile(file);
  if (r.mismatches.length > 0)
    throw new Error(`${file}: the model no longer does what the trace recorded: ${r.mismatches.slice(0, 5).join('; ')}${r.mismatches.length > 5 ? ` (+${r.mismatches.length - 5} more)` : ''}\nreplay: npx rmapcheck replay ${file}`);
  if (!r.reproduced) throw new Error(`${file}: every state matches but ${r.property} is no longer violated at the end\nreplay: npx rmapcheck replay ${file}`);
  return r;
}

/** The trace files (`*.json`) of a folder, sorted; throws when there are none (a vacuous corpus). */
export function traceFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new Error(`replayTraceFolder: cannot read ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const files = names.filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n)).filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new Error(`replayTraceFolder: no trace files (*.json) in ${dir}`);
  return files;
}

/** The test-registration functions `replayTraceFolder` needs (vitest's `describe` and `it` fit). */
export interface TestApi {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => unknown): unknown;
}

/** Registers one test per trace file of `dir` that asserts it still replays with its recorded verdict. */
export function registerTraceFolder(dir: string, api: TestApi): void {
  const files = traceFiles(dir);
  api.describe(`traces in ${dir}`, () => {
    for (const f of files) api.it(`${basename(f)} replays and reproduces its violation`, () => void expectTraceReplays(f));
  });
}
