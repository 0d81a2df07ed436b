/**
 * The randomized explorer's core: ONE scheduler interface and ONE execution loop that runs any
 * `Model` (model/core.ts). Every strategy — uniform random walk (random-walk.ts), PCT (pct.ts),
 * race insertion (race.ts) and replay of a recorded path (replay.ts) — only decides which enabled
 * action runs next; traversal, property checks, deadlock detection and path recording exist once,
 * here (as in shuttle, where replay is one more scheduler).
 *
 * An execution starts in an initial state and, at each step, asks its scheduler to pick one of
 * the enabled actions. Every state (the initial one included) is checked against the model's
 * `always` properties, in the model's order; a state without enabled actions that is not
 * `finished` is a `deadlock`. The execution ends at the first violation, when no action is
 * enabled, at the depth bound, or when the scheduler returns -1. `eventually` properties are not
 * judged here: a random execution cut at a depth bound proves nothing about them by itself;
 * livelock.ts looks for a lasso in such an execution afterwards (run.ts `ChunkRunner`).
 *
 * Paths use the exhaustive checker's convention (checker/explore.ts): `path[0]` is the index of
 * the initial state, `path[i]` the index of the action taken in `actions(s_{i-1})`, so
 * `replayPath`, `buildModelTrace` and `replayModelTrace` accept them as they are.
 */
import type { PctBound } from './pct-bound';
import type { ActionTag, AnyModel, Property } from '../../model/core';
import { internalAssert } from '../../model/errors';
import { Prng } from '../../model/prng';
import { DEADLOCK } from '../traversal';
import { firstViolatedOf, threadFn } from '../model-queries';

export type StrategyName = 'random' | 'pct' | 'race' | 'replay';
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'pct', 'race', 'replay'];

/** The decisions of one execution. A strategy makes a fresh one per execution index. */
export interface Scheduler {
  /** Index of the initial state to start from, given how many there are (>= 1). */
  initial(count: number): number;
  /**
   * Index into `actions` (never empty) of the action to take as step `step` (0-based), or -1 to
   * end the execution here (replay: the recorded path is exhausted).
   */
  choose(state: unknown, actions: readonly unknown[], step: number): number;
  /** Race insertion: the race window this execution aimed at, and whether it realized it
   *  (every phase of the window happened). */
  race?(): { readonly window: number; readonly hit: boolean };
}

/**
 * A way to explore: a deterministic map from (execution index, execution seed) to a scheduler.
 * contract: `scheduler(i, s)` depends on nothing else (no state carried between executions), so
 * that executions can be split over workers and shards and give the same results.
 */
export interface Strategy {
  readonly name: StrategyName;
  scheduler(index: number, seed: bigint): Scheduler;
  /** Race insertion: the names of the race windows (indices as in `Scheduler.race`). */
  readonly windows?: readonly string[];
  /** PCT: the paper's probability bound for this run, reported with it. */
  readonly pctBound?: PctBound;
}

export type ExecutionEnd = 'violation' | 'finished' | 'depth' | 'stopped';

export interface Execution {
  /** Initial-state index, then action indices (the checker's path convention). */
  readonly path: number[];
  /** The violated `always` property or `deadlock`, or null. */
  readonly violation: string | null;
  readonly end: ExecutionEnd;
  /** Actions taken (path.length - 1). */
  readonly steps: number;
}

const M64 = (1n << 64n) - 1n;

/** splitmix64's finalizer: a bijection on 64-bit values that spreads every input bit. */
export function mix64(x: bigint): bigint {
  let z = x & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/**
 * The seed of execution `index` of a run with seed `runSeed`: a function of the two alone, so
 * that any execution of any run is reproducible from the run's seed (splitmix64 stream: the
 * index-th output after the run seed).
 */
export function executionSeed(runSeed: bigint, index: number): bigint {
  return mix64(runSeed + BigInt(index + 1) * 0x9e3779b97f4a7c15n);
}


/**
 * Runs executions of one model: the single execution loop every strategy shares. Reached
 * `sometimes` properties accumulate in `reached` across executions.
 */
export class ExecutionLoop {
  private readonly always: Property<unknown>[];
  readonly sometimes: Property<unknown>[];
  /** reached[i]: sometimes[i] held in some state of some execution so far. */
  readonly reached: boolean[];
  private unreached: number;
  private readonly inits: readonly unknown[];
  /** The first `always` property a state violates, or null (fast.ts: one call when the
   *  model offers it). */
  private readonly violated: (state: unknown) => string | null;

  constructor(readonly model: AnyModel) {
    this.always = model.properties.filter((p) => p.expectation === 'always');
    this.violated = firstViolatedOf(model, this.always);
    this.sometimes = model.properties.filter((p) => p.expectation === 'sometimes');
    this.reached = this.sometimes.map(() => false);
    this.unreached = this.sometimes.length;
    this.inits = model.initStates();
    internalAssert(this.inits.length > 0, `model ${model.name} has no initial state`);
  }

  private record(state: unknown): void {
    if (this.unreached === 0) return;
    const s = this.sometimes;
    for (let i = 0; i < s.length; i++)
      if (!this.reached[i] && s[i].holds(state)) {
        this.reached[i] = true;
        this.unreached--;
      }
  }

  /**
   * One execution under `sched`, at most `depth` actions. `onState` sees every state, the
   * initial one included (coverage). `judge` false: no property is judged and the execution
   * runs on past a violating state (replay of a recorded path, which ends where it ends).
   */
  run(sched: Scheduler, depth: number, onState?: (state: unknown) => void, judge = true): Execution {
    const m = this.model;
    const init = sched.initial(this.inits.length);
    internalAssert(init >= 0 && init < this.inits.length, `scheduler chose initial state ${init} of ${this.inits.length}`);
    const path = [init];
    let state = this.inits[init];
    for (let step = 0; ; step++) {
      if (onState) onState(state);
      if (judge) {
        const bad = this.violated(state);
        if (bad !== null) return { path, violation: bad, end: 'violation', steps: step };
        this.record(state);
      }
      const acts = m.actions(state);
      if (acts.length === 0) {
        if (!judge || (m.finished?.(state) ?? false)) return { path, violation: null, end: 'finished', steps: step };
        return { path, violation: DEADLOCK, end: 'violation', steps: step };
      }
      if (step >= depth) return { path, violation: null, end: 'depth', steps: step };
      const c = sched.choose(state, acts, step);
      if (c < 0) return { path, violation: null, end: 'stopped', steps: step };
      if (c >= acts.length) internalAssert(false, `scheduler chose action ${c} of ${acts.length}`); // message built only on failure
      path.push(c);
      state = m.next(state, acts[c]);
    }
  }

  /** Forgets the reached `sometimes` properties (a new chunk of executions). */
  resetReached(): void {
    this.reached.fill(false);
    this.unreached = this.sometimes.length;
  }
}

/** What a short deterministic probe of a model shows: per thread, the most occurrences of each
 *  action tag in one execution, and the longest execution. Strategies size themselves from it
 *  (PCT's k, race insertion's windows) without depending on the run's seed. */
export interface ModelProfile {
  readonly threads: number;
  /** tags[t][tag]: most times thread t executed an action with that tag in one probe execution. */
  readonly tags: readonly Readonly<Partial<Record<ActionTag, number>>>[];
  /** steps[t]: most steps thread t took in one probe execution. */
  readonly steps: readonly number[];
  /** Longest probe execution, in steps (>= 1). */
  readonly maxSteps: number;
}

/** Fixed seed of the probe, so that the profile is a function of the model (and depth) only. */
const PROBE_SEED = 0x70726f6265n;

/**
 * Profiles a model with a few executions: each thread first (lowest enabled thread, then the
 * highest), then 32 uniform random walks from a fixed seed.
 */
export function profileModel(model: AnyModel, depth: number): ModelProfile {
  const n = model.threads.length;
  const tags: Partial<Record<ActionTag, number>>[] = Array.from({ length: n }, () => ({}));
  let maxSteps = 1;
  const steps = new Array<number>(n).fill(0);
  const loop = new ExecutionLoop(model);
  const rng = new Prng(PROBE_SEED);
  const threadOf = threadFn(model);
  const byThread = (pick: (threads: number[]) => number): Scheduler => ({
    initial: () => 0,
    choose: (_s, acts) => {
      const ts = acts.map(threadOf);
      return ts.indexOf(pick(ts));
    },
  });
  const schedulers: Scheduler[] = [byThread((ts) => Math.min(...ts)), byThread((ts) => Math.max(...ts))];
  for (let i = 0; i < 32; i++) schedulers.push({ initial: (c) => rng.below(c), choose: (_s, acts) => rng.below(acts.length) });
  for (const sched of schedulers) {
    const states: unknown[] = [];
    const ex = loop.run(sched, depth, (s) => states.push(s));
    maxSteps = Math.max(maxSteps, ex.steps);
    // count tags along the path
    const counts: Partial<Record<ActionTag, number>>[] = Array.from({ length: n }, () => ({}));
    const perThread = new Array<number>(n).fill(0);
    for (let i = 1; i < ex.path.length; i++) {
      const info = model.describe(model.actions(states[i - 1])[ex.path[i]]);
      perThread[info.thread]++;
      for (const tag of info.tags) counts[info.thread][tag] = (counts[info.thread][tag] ?? 0) + 1;
    }
    perThread.forEach((k, t) => (steps[t] = Math.max(steps[t], k)));
    counts.forEach((c, t) => {
      for (const [tag, k] of Object.entries(c) as [ActionTag, number][]) tags[t][tag] = Math.max(tags[t][tag] ?? 0, k);
    });
  }
  return { threads: n, tags, steps, maxSteps };
}
