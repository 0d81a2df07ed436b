/**
 * Counterexamples of the concurrent models as traces (format v2): the schedule (one enabled-action
 * index per step) plus, for a person and for replay's checks, the thread, the action and the
 * state after each step. Replay is the replay strategy (`replayPath`) plus these comparisons.
 */
import { AnyModel, Property } from '../model/core';
import { UsageError } from '../model/errors';
import { findModel } from '../model/registry';
import { DEADLOCK, isDeadlock, replayPath } from './check';
import { ModelTrace, TraceProperty, traceHeader } from './trace';
import { groundTruthOf } from './ground-truth';
import { isLassoViolation } from './lasso-shorten';

/** The trace's property record for a violated property name (`deadlock` included). */
export function tracePropertyOf(model: AnyModel, name: string): TraceProperty {
  if (name === DEADLOCK)
    return { name, expectation: 'always', description: 'some thread is unfinished and no action is enabled' };
  const p = model.properties.find((q: Property<unknown>) => q.name === name);
  if (!p) throw new Error(`[internal bug] property ${name} is not a property of model ${model.name}`);
  return { name: p.name, expectation: p.expectation, description: p.description };
}

/** What a state that violates `property` shows: `holds` is false there (for `eventually`: along the whole path);
 *  for a reader's answer, the ground truth over its read window and the answer (ground-truth.ts). */
function outcome(model: AnyModel, property: string, loopStart: number | null, states: readonly unknown[], path: readonly number[]): { expected: string; observed: string } {
  const truth = groundTruthOf(model, states, path, property);
  if (truth) return { expected: truth.expected, observed: truth.observed };
  const p = model.properties.find((q: Property<unknown>) => q.name === property);
  if (property === DEADLOCK) return { expected: 'every thread finishes or an action is enabled', observed: 'deadlock' };
  if (p?.expectation === 'eventually')
    return { expected: `${property} eventually holds`, observed: loopStart === null ? 'never holds (path ends)' : 'never holds (loops forever)' };
  return { expected: `${property} holds`, observed: `${property} violated` };
}

/** Builds the v2 trace of a counterexample path (initial-state index, then action indices). */
export function buildModelTrace(
  model: AnyModel,
  path: readonly number[],
  property: string,
  opts: { seed?: bigint | null; loopStart?: number | null } = {},
): ModelTrace {
  const states = replayPath(model, path);
  const steps = path.slice(1).map((choice, i) => {
    const action = model.actions(states[i])[choice];
    const info = model.describe(action);
    return { step: i + 1, thread: model.threads[info.thread], choice, action: info.label, state: { ...model.view(states[i + 1]) } };
  });
  const loopStart = opts.loopStart ?? null;
  return {
    ...traceHeader(2),
    kind: 'model',
    model: model.name,
    params: { ...model.params },
    seed: opts.seed === undefined || opts.seed === null ? null : opts.seed.toString(),
    property: tracePropertyOf(model, property),
    threads: [...model.threads],
    initial: { choice: path[0], state: { ...model.view(states[0]) } },
    steps,
    loopStart,
    ...outcome(model, property, loopStart, states, path),
  };
}

/** The schedule of a v2 trace, as a path for `replayPath`. */
export function pathOfTrace(trace: ModelTrace): number[] {
  return [trace.initial.choice, ...trace.steps.map((s) => s.choice)];
}

/** Rebuilds the model a v2 trace was recorded on (UsageError when the params are not valid here). */
export function modelOfTrace(trace: ModelTrace, source: string): AnyModel {
  try {
    return findModel(trace.model).build(trace.params);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${source}: ${e.message}`);
    throw e;
  }
}

export interface ModelReplay {
  /** Re-executed trace (same schedule, states as the model produces them now). */
  replayed: ModelTrace;
  /** Differences with the recorded trace: first differing fields per step. */
  mismatches: string[];
  /** Every recorded state matched and the final state violates the property again. */
  reproduced: boolean;
}

/**
 * The header fields that the schedule does not re-derive, checked against the model rebuilt from
 * `params`: a wrong one would make replay judge another property, or label columns wrongly.
 */
function checkHeader(trace: ModelTrace, model: AnyModel, source: string): void {
  if (trace.threads.length !== model.threads.length || trace.threads.some((t, i) => t !== model.threads[i]))
    throw new UsageError(`${source}: threads ${JSON.stringify(trace.threads)} are not the model's threads ${JSON.stringify(model.threads)}`);
  const name = trace.property.name;
  const expectation = name === DEADLOCK ? 'always' : model.properties.find((p: Property<unknown>) => p.name === name)?.expectation;
  if (expectation === undefined) throw new UsageError(`${source}: the model has no property '${name}'`);
  if (trace.property.expectation !== expectation)
    throw new UsageError(`${source}: property ${name} is an "${expectation}" property of model ${model.name}, recorded as "${trace.property.expectation}"`);
  if (trace.loopStart !== null && expectation !== 'eventually')
    throw new UsageError(`${source}: loopStart ${trace.loopStart}: only a counterexample of an eventually property is a loop (${name} is "${expectation}")`);
}

/** Re-executes a v2 trace: same schedule, every recorded thread, action and state compared. */
export function replayModelTrace(trace: ModelTrace, source = 'trace'): ModelReplay {
  const model = modelOfTrace(trace, source);
  checkHeader(trace, model, source);
  const path = pathOfTrace(trace);
  if (trace.loopStart !== null && !(Number.isInteger(trace.loopStart) && trace.loopStart >= 0 && trace.loopStart < path.length))
    throw new UsageError(`${source}: loopStart ${trace.loopStart} is not a step of the trace (0..${path.length - 1})`);
  let replayed: ModelTrace;
  try {
    replayed = buildModelTrace(model, path, trace.property.name, { seed: trace.seed === null ? null : BigInt(trace.seed), loopStart: trace.loopStart });
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith('replay:')) throw new UsageError(`${source}: ${msg}`);
    throw e;
  }
  const mismatches: string[] = [];
  const compare = (where: string, rec: Record<string, string>, now: Record<string, string>) => {
    for (const k of new Set([...Object.keys(rec), ...Object.keys(now)]))
      if (rec[k] !== now[k]) mismatches.push(`${where}: ${k} = ${now[k] ?? '(absent)'} (recorded ${rec[k] ?? '(absent)'})`);
  };
  compare('initial state', trace.initial.state, replayed.initial.state);
  trace.steps.forEach((s, i) => {
    const r = replayed.steps[i];
    if (s.thread !== r.thread) mismatches.push(`step ${s.step}: thread ${r.thread} (recorded ${s.thread})`);
    if (s.action !== r.action) mismatches.push(`step ${s.step}: action "${r.action}" (recorded "${s.action}")`);
    compare(`step ${s.step}`, s.state, r.state);
  });
  const states = replayPath(model, path);
  const last = states[states.length - 1];
  const prop = model.properties.find((p: Property<unknown>) => p.name === trace.property.name);
  let violated: boolean;
  if (trace.property.name === DEADLOCK) violated = isDeadlock(model, last, model.actions(last).length);
  else if (!prop) violated = false;
  else if (prop.expectation === 'always') violated = !prop.holds(last);
  // a loop counts only if the property's thread steps in it (the reader keeps being scheduled)
  else if (prop.expectation === 'eventually') violated = isLassoViolation(model, prop, states, path, trace.loopStart);
  else violated = false; // a `sometimes` property is not violated by a path
  return { replayed, mismatches, reproduced: mismatches.length === 0 && violated };
}
