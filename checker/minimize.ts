/**
 * Counterexample minimization: from a path that violates a safety property (an `always` property
 * or `deadlock`) to a locally minimal one that violates the SAME property (first, as the checkers
 * report it) and replays.
 *
 * Stages, each keeping the property:
 * 1. delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 *    TSE 2002) over the steps, on the schedule as a sequence of threads (replay.ts `ThreadReplay`:
 *    a removed step shifts the others, a thread with nothing enabled is skipped), to 1-minimality:
 *    removing any single step loses the violation;
 * 2. fewer context switches: adjacent steps of different threads are swapped when that joins two
 *    runs of one thread (then stage 1 again);
 * 3. a bounded breadth-first search (default 100,000 states) for a shorter path to the same
 *    violation: when the state space fits the budget, the result is a shortest counterexample;
 * 4. for rmap traces whose params hold a scenario: greedy reduction of the scenario — one thread,
 *    one operation, one initial mapping or one unused MM at a time — where a smaller scenario is
 *    kept if the schedule (mapped by thread name) or a short deterministic search still violates
 *    the property on it AND its minimized counterexample (stages 1-2) is not longer; then stage 3
 *    on the final scenario. So the result is never longer than the shortest path of the given
 *    model, and a smaller scenario wins at equal length.
 *
 * A liveness counterexample (a lasso of an `eventually` property: `minimizeLasso`) is shortened
 * by search rather than by deleting steps (a deleted step rarely keeps the loop closed): a
 * shortest stem to a state of the given loop and a shortest loop there (lasso-shorten.ts); the
 * lasso search over the whole space within the budget (a shortest stem to any qualifying loop);
 * and, for rmap, the same greedy scenario reduction, a smaller scenario kept if its lasso search
 * finds a lasso of the property that is not longer.
 */
import type { AnyModel } from '../model/core';
import { UsageError } from '../model/errors';
import { findModel } from '../model/registry';
import { DEADLOCK, check, isDeadlock } from './check';
import { firstViolatedOf } from './model-queries';
import { ExecutionLoop, executionSeed } from './random/scheduler';
import { ThreadReplay, threadsOfPath } from './random/replay';
import { RandomWalk } from './random/random-walk';
import { SCENARIOS_BY_NAME } from '../model/rmap/presets';
import { existsSync, readFileSync } from 'fs';
import type { Property } from '../model/core';
import { replayPath } from './check';
import { findLasso } from './check';
import { isLassoViolation, runToEnd, shortestLasso, type Lasso } from './lasso-shorten';

export interface MinimizeOptions {
  /** Try smaller scenarios (rmap only; default true). */
  readonly scenario?: boolean;
  /** States a breadth-first search may store (default 100,000; 0 disables it). */
  readonly bfsBudget?: number;
  /** Random executions tried on a smaller scenario when the schedule no longer applies (default 200). */
  readonly searchRuns?: number;
}

export interface Minimized {
  /** The model of the minimized path (a smaller scenario's, or the given one). */
  readonly model: AnyModel;
  readonly path: number[];
  /** A lasso's loop start (`minimizeLasso`); absent for a safety counterexample. */
  readonly loopStart?: number;
  /** What each stage did, for a person. */
  readonly log: string[];
}

/** One candidate test: replay `threads` from `initial`, report the executed path if it violates `property`. */
class Tester {
  private readonly loop: ExecutionLoop;
  constructor(
    readonly model: AnyModel,
    readonly property: string,
  ) {
    this.loop = new ExecutionLoop(model);
  }
  /** The executed path if the schedule violates the property, else null. */
  test(initial: number, threads: readonly number[]): number[] | null {
    const ex = this.loop.run(new ThreadReplay(this.model, initial, threads).scheduler(), threads.length);
    return ex.violation === this.property ? ex.path : null;
  }
}

/** Stage 1: ddmin over the steps. Returns the executed path of the smallest schedule found. */
function ddminSteps(t: Tester, path: number[]): number[] {
  const initial = path[0];
  let best = path;
  let seq = threadsOfPath(t.model, path);
  let n = 2;
  while (seq.length >= 2) {
    const size = Math.ceil(seq.length / n);
    let reduced = false;
    for (let start = 0; start < seq.length; start += size) {
      const cand = [...seq.slice(0, start), ...seq.slice(start + size)];
      const p = t.test(initial, cand);
      if (p) {
        best = p;
        seq = threadsOfPath(t.model, p);
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= seq.length) break;
      n = Math.min(2 * n, seq.length);
    }
  }
  return best;
}

function switches(seq: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < seq.length; i++) if (seq[i] !== seq[i - 1]) s++;
  return s;
}

/** Stage 2: swaps of adjacent steps that join runs of one thread, while the violation stays. */
function fewerSwitches(t: Tester, path: number[]): number[] {
  let best = path;
  let seq = threadsOfPath(t.model, path);
  for (let round = 0; round < 64; round++) {
    let improved = false;
    for (let i = 0; i + 1 < seq.length && !improved; i++) {
      if (seq[i] === seq[i + 1]) continue;
      const cand = [...seq];
      [cand[i], cand[i + 1]] = [cand[i + 1], cand[i]];
      if (switches(cand) >= switches(seq)) continue;
      const p = t.test(path[0], cand);
      if (p && p.length <= best.length) {
        best = p;
        seq = threadsOfPath(t.model, p);
        improved = true;
      }
    }
    if (!improved) break;
  }
  return best;
}

/** The first property a state violates as the checkers report it (`always` in order, then deadlock). */
function firstViolationOf(model: AnyModel): (state: unknown) => string | null {
  const always = firstViolatedOf(model, model.properties.filter((p) => p.expectation === 'always'));
  return (state) => always(state) ?? (isDeadlock(model, state, model.actions(state).length) ? DEADLOCK : null);
}

/** Stage 3: the shortest path to a state whose first violation is `property`, if shorter than
 *  `bound` steps and found within `budget` stored states; else null. The exhaustive traversal,
 *  breadth-first, on the model seen so: its one `always` property is "the first violation is not
 *  `property`", and a state with another first violation is an end (not expanded, not a deadlock). */
export function shortestViolation(model: AnyModel, property: string, bound: number, budget: number): number[] | null {
  const firstViolation = firstViolationOf(model);
  const target: Property<unknown> = { name: property, expectation: 'always', description: '', holds: (s) => firstViolation(s) !== property };
  const other = (s: unknown): boolean => {
    const v = firstViolation(s);
    return v !== null && v !== property;
  };
  const seen: AnyModel = Object.create(model, {
    properties: { value: [target] },
    actions: { value: (s: unknown) => (other(s) ? [] : model.actions(s)) },
    finished: { value: (s: unknown) => other(s) || (model.finished?.(s) ?? false) },
  });
  const r = check(seen, { strategy: 'bfs', store: 'full', reduction: false, liveness: false, maxDepth: Math.max(0, bound - 1), maxStates: budget, engine: 'generic' });
  return r.verdict === 'violation' && r.property === property ? r.path : null;
}

/** Stages 1 and 2, repeated while they shorten the path. */
function minimizeSchedule(t: Tester, path: number[]): number[] {
  const sw = (p: number[]) => switches(threadsOfPath(t.model, p));
  let best = path;
  for (;;) {
    const a = fewerSwitches(t, ddminSteps(t, best));
    if (a.length < best.length || (a.length === best.length && sw(a) < sw(best))) best = a;
    else return best;
  }
}

// ---------------------------------------------------------------- scenarios (rmap)

type Json = Record<string, unknown>;

/** The scenario JSON of an rmap model's params, or null. */
function scenarioOf(model: AnyModel): Json | null {
  if (model.name !== 'rmap') return null;
  const arg = model.params.scenario;
  if (typeof arg !== 'string') return null;
  if (arg in SCENARIOS_BY_NAME) return structuredClone(SCENARIOS_BY_NAME[arg]) as Json;
  if (arg.trimStart().startsWith('{')) return JSON.parse(arg) as Json;
  if (existsSync(arg)) return JSON.parse(readFileSync(arg, 'utf8')) as Json;
  return null;
}

/** Smaller scenarios, biggest cuts first: one thread, one op, one initial mapping, one unused MM. */
function* smallerScenarios(sc: Json): Generator<{ what: string; sc: Json }> {
  const threads = (sc.threads as Json[]) ?? [];
  for (let i = 0; i < threads.length; i++)
    if (threads.length > 1) yield { what: `thread ${String(threads[i].name)}`, sc: { ...sc, threads: threads.filter((_, j) => j !== i) } };
  for (let i = 0; i < threads.length; i++) {
    const ops = threads[i].ops as Json[];
    if (ops.length < 2) continue;
    for (let k = 0; k < ops.length; k++)
      yield {
        what: `op ${k} (${String(ops[k].op)}) of thread ${String(threads[i].name)}`,
        sc: { ...sc, threads: threads.map((t, j) => (j === i ? { ...t, ops: ops.filter((_, l) => l !== k) } : t)) },
      };
  }
  const initial = (sc.initial as Json[] | undefined) ?? [];
  for (let i = 0; i < initial.length; i++) yield { what: `initial mapping ${i}`, sc: { ...sc, initial: initial.filter((_, j) => j !== i) } };
  const text = JSON.stringify({ initial: sc.initial, threads: sc.threads });
  const mms = (sc.mms as Json[]) ?? [];
  for (let i = 0; i < mms.length; i++)
    if (mms.length > 1 && !text.includes(JSON.stringify(mms[i].name)))
      yield { what: `MM ${String(mms[i].name)}`, sc: { ...sc, mms: mms.filter((_, j) => j !== i) } };
}

/** Builds the rmap model of a candidate scenario, or null if it is not valid. */
function buildWith(model: AnyModel, sc: Json): AnyModel | null {
  try {
    return findModel(model.name).build({ ...model.params, scenario: JSON.stringify(sc) });
  } catch (e) {
    if (e instanceof UsageError) return null;
    throw e;
  }
}

/** A path violating `property` on `model`: the old schedule mapped by thread name, else a search. */
function refind(model: AnyModel, property: string, names: readonly string[], seq: readonly number[], runs: number, depth: number): number[] | null {
  const t = new Tester(model, property);
  const mapped = seq.map((i) => model.threads.indexOf(names[i])).filter((i) => i >= 0);
  const p = t.test(0, mapped);
  if (p) return p;
  const loop = new ExecutionLoop(model);
  const walk = new RandomWalk();
  for (let i = 0; i < runs; i++) {
    const ex = loop.run(walk.scheduler(i, executionSeed(0x6d696e696d697a65n, i)), depth);
    if (ex.violation === property) return ex.path;
  }
  return null;
}

/**
 * Minimizes a safety counterexample (see the file comment). Throws a UsageError when `path` does
 * not violate `property` (as the first violation) on `model`.
 */
export function minimizeCounterexample(model: AnyModel, path: readonly number[], property: string, options: MinimizeOptions = {}): Minimized {
  const log: string[] = [];
  const p0 = model.properties.find((p) => p.name === property);
  if (property !== DEADLOCK && p0?.expectation !== 'always')
    throw new UsageError(`minimize handles safety counterexamples (an always property or deadlock), not '${property}'${p0 ? ` (${p0.expectation})` : ''}`);
  let t = new Tester(model, property);
  const start = t.test(path[0], threadsOfPath(model, path));
  if (!start) throw new UsageError(`minimize: the path does not violate ${property} (first) on model ${model.name}`);
  let best = minimizeSchedule(t, start);
  log.push(`schedule: ${path.length - 1} -> ${best.length - 1} steps`);
  const budget = options.bfsBudget ?? 100_000;
  const bfs = (mm: AnyModel): void => {
    if (budget <= 0) return;
    const shorter = shortestViolation(mm, property, best.length - 1, budget);
    if (shorter) {
      log.push(`breadth-first search: ${best.length - 1} -> ${shorter.length - 1} steps (shortest)`);
      best = shorter;
    }
  };
  bfs(model);

  let sc = options.scenario ?? true ? scenarioOf(model) : null;
  let m = model;
  if (sc) {
    const runs = options.searchRuns ?? 200;
    let changed = true;
    while (changed) {
      changed = false;
      for (const cand of smallerScenarios(sc)) {
        const cm = buildWith(m, cand.sc);
        if (!cm) continue;
        const found = refind(cm, property, m.threads, threadsOfPath(m, best), runs, 4 * best.length + 50);
        if (!found) continue;
        const ct = new Tester(cm, property);
        const p = minimizeSchedule(ct, found);
        // a smaller scenario is kept only if its counterexample is not longer
        if (p.length > best.length) continue;
        m = cm;
        sc = cand.sc;
        best = p;
        log.push(`scenario: without ${cand.what} (${best.length - 1} steps)`);
        changed = true;
        break;
      }
    }
    if (m !== model) bfs(m);
  }
  return { model: m, path: best, log };
}

// ---------------------------------------------------------------- lassos (eventually properties)

export interface MinimizedLasso extends Minimized {
  /** The state the loop returns to (an index of the path's states). */
  readonly loopStart: number;
}

/** The model's eventually property `name`, or a UsageError. */
function eventuallyProperty(model: AnyModel, name: string): Property<unknown> {
  const p = model.properties.find((q) => q.name === name);
  if (p?.expectation !== 'eventually')
    throw new UsageError(`minimize: model ${model.name} has no eventually property '${name}'${p ? ` (it is "${p.expectation}")` : ''}: a lasso is a counterexample of one`);
  return p as Property<unknown>;
}

/** A shortest stem to one of the loop's states (each lies on a loop in which the property's
 *  thread steps) and a shortest loop there, within `budget` states; null beyond the budget. */
function viaLoopStates(model: AnyModel, prop: Property<unknown>, lasso: Lasso, budget: number): Lasso | null {
  const states = replayPath(model, lasso.path);
  const onLoop = new Set(states.slice(lasso.loopStart!).map((s) => model.key(s)));
  const ids = new Map<string, number>();
  const indexOf = (s: unknown): number => {
    const k = model.key(s);
    let i = ids.get(k);
    if (i === undefined) ids.set(k, (i = ids.size));
    return i;
  };
  return runToEnd(shortestLasso(model, prop, indexOf, (_i, s) => onLoop.has(model.key(s)), () => () => true, { maxStates: budget }));
}

/** A lasso (not a path to an end state) of `prop` found by the lasso search within the budget. */
function searchedLasso(model: AnyModel, prop: Property<unknown>, budget: number): Lasso | null {
  const r = findLasso(model, prop, { maxStates: budget });
  return r.kind === 'violation' && r.loopStart !== null ? { path: r.path, loopStart: r.loopStart } : null;
}

/**
 * Shortens a lasso of the eventually property `property` (see the file comment). Throws a
 * UsageError when the path is not a lasso violation of it on `model` (P holds at no state, the
 * last state is the state at `loopStart`, and the property's thread steps in the loop).
 */
export function minimizeLasso(model: AnyModel, path: readonly number[], loopStart: number, property: string, options: MinimizeOptions = {}): MinimizedLasso {
  const prop = eventuallyProperty(model, property);
  let states: unknown[];
  try {
    states = replayPath(model, path);
  } catch (e) {
    throw new UsageError(`minimize: ${(e as Error).message}`);
  }
  if (!isLassoViolation(model, prop, states, path, loopStart))
    throw new UsageError(`minimize: the path is not a lasso violation of ${property} on model ${model.name} (the property holds on it, the loop does not return to step ${loopStart}, or thread ${prop.thread === undefined ? '?' : model.threads[prop.thread]} does not step in the loop)`);
  const budget = options.bfsBudget ?? 100_000;
  const steps = (l: Lasso) => l.path.length - 1;
  const stem = (l: Lasso) => l.loopStart!;
  const text = (l: Lasso) => `${steps(l)} steps (stem ${stem(l)}, loop ${steps(l) - stem(l)})`;
  const log: string[] = [];
  let best: Lasso = { path: [...path], loopStart };
  let m = model;
  let p = prop;
  const shorter = (l: Lasso | null, what: string, orEqual = false): boolean => {
    if (l === null || l.loopStart === null || !(steps(l) < steps(best) || (orEqual && steps(l) === steps(best)))) return false;
    log.push(`${what}: ${text(best)} -> ${text(l)}`);
    best = l;
    return true;
  };
  if (budget > 0) {
    shorter(viaLoopStates(m, p, best, budget), 'shortest stem to the loop');
    shorter(searchedLasso(m, p, budget), 'lasso search (shortest stem to any loop)');
  }
  let sc = options.scenario ?? true ? scenarioOf(model) : null;
  if (sc && budget > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const cand of smallerScenarios(sc)) {
        const cm = buildWith(m, cand.sc);
        const cp = cm?.properties.find((q) => q.name === property && q.expectation === 'eventually');
        if (!cm || !cp) continue;
        const before = best;
        // a smaller scenario is kept if its lasso is not longer
        if (!shorter(searchedLasso(cm, cp as Property<unknown>, budget), `scenario without ${cand.what}`, true)) continue;
        if (steps(best) === steps(before)) log[log.length - 1] = `scenario without ${cand.what}: ${text(best)}`;
        m = cm;
        p = cp as Property<unknown>;
        sc = cand.sc;
        changed = true;
        break;
      }
    }
  }
  if (log.length === 0) log.push(`lasso: ${text(best)}, no shorter one found`);
  log.unshift(`lasso: ${steps({ path: [...path], loopStart })} -> ${steps(best)} steps`);
  return { model: m, path: best.path, loopStart: best.loopStart!, log };
}
