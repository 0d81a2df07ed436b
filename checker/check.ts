/**
 * `check`: the exhaustive check of a model, on its engine (engine/registry.ts). One pass of the
 * traversal (traversal.ts) judges the `always` and `sometimes` properties and deadlock on every
 * reachable state and, when the model has `eventually` properties, records the part of the state
 * graph their check needs; the liveness check (liveness.ts) then runs on that graph, with no
 * second exploration.
 *
 * Paths: `path[0]` is the index of the initial state in `initStates()`, `path[i]` (i >= 1) the
 * index in `actions(s_{i-1})` of the action taken; `replayPath(model, path)` gives s_0 .. s_n.
 */
import type { AnyModel, Model, Property } from '../model/core';
import { engineFor, type EngineChoice } from '../engine/registry';
import type { Engine } from '../engine/core';
import { TableFullError } from './visited';
import { candidates, lassoOf, type Lasso } from './liveness';
import { MemoryBudget, MemoryExhaustedError, defaultMaxMemory } from './memory';
import { DEADLOCK, Traversal, type Search, type SearchOrder } from './traversal';
import { ParallelTraversal, parallelObstacle, workersNeedAsync } from './parallel-check';

export { DEADLOCK, type SearchOrder };
export type CheckVerdict = 'ok' | 'violation' | 'incomplete';

/** A state with `enabled` actions is a deadlock: none enabled and not `finished` (a model
 *  without `finished` counts every end state as a deadlock, TLC's default). */
export function isDeadlock(model: AnyModel, state: unknown, enabled: number): boolean {
  return enabled === 0 && !(model.finished?.(state) ?? false);
}

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly frontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** Which pass is running: the safety pass, or the lasso search of one `eventually` property. */
  readonly phase: string;
  /** The most states this pass can store, when known: in the liveness pass, the space without
   *  the reduction (that pass does not use it), i.e. the safety pass's `statesWithout`. */
  readonly bound: number | null;
  /** Bytes the run holds now, as the memory bound counts them (`maxMemory`). */
  readonly memoryBytes: number;
}

export interface CheckOptions {
  /** `bfs` (default): the first counterexample found is a shortest one. */
  readonly strategy?: SearchOrder;
  /** Stop with verdict `incomplete` when a state beyond this many distinct states is found (a
   *  space of exactly this many completes). */
  readonly maxStates?: number;
  /** States at this depth are not expanded; if one has a successor the verdict is `incomplete`.
   *  (BFS: every state within the bound is checked; DFS measures depth along its own path, so it
   *  may leave states within the bound unchecked.) */
  readonly maxDepth?: number;
  /** `fingerprint` (default, 64-bit, compact) or `full` (exact keys; small runs). */
  readonly store?: 'fingerprint' | 'full';
  /** Fingerprint mode: size the table for this many states up front (no growth to there). */
  readonly expectedStates?: number;
  /** Fingerprint mode: keep the counterexample links in a temporary file (big runs). */
  readonly linksOnDisk?: boolean;
  /** The memory bound in bytes (memory.ts; default `defaultMaxMemory()`, a safe fraction of
   *  what this process can get): the table, links and frontier reserve their bytes before they
   *  grow, the JS heap is measured; a run that would pass the bound (or V8's heap limit) stops
   *  with verdict `incomplete`, `memoryExhausted`. */
  readonly maxMemory?: number;
  /** Use the model's declared reduction (`Model.symmetry`) (default true). The liveness check
   *  needs the unreduced graph (symmetry would permute the property's thread), so the reduction
   *  applies only when no `eventually` property is checked (`liveness: false`, or none exist). */
  readonly reduction?: boolean;
  /** Check `eventually` properties (default true): the pass records the graph they need. */
  readonly liveness?: boolean;
  /** `generic`: run on the generic engine even when the protocol has a fast one (cross-checks). */
  readonly engine?: EngineChoice;
  /** Worker threads of the traversal (default 1; more only with `checkAsync`, a dense engine,
   *  BFS, the fingerprint store and links in memory: else one thread, and `workersNote` says
   *  why). `expectedStates` sizes their shared arrays up front. */
  readonly workers?: number;
  /** Checked in the loop: once `aborted`, the check ends with verdict `incomplete`. An
   *  `AbortSignal` fits; note that a synchronous `check` only sees a flag set from inside the
   *  loop (e.g. by `onProgress`) — use `checkAsync` to let a SIGINT handler run. */
  readonly signal?: { readonly aborted: boolean };
  /** Called about every `progressIntervalMs` (default 2000) with the current figures. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
}

export interface ReductionReport {
  readonly kind: 'none' | 'symmetry';
  /** Distinct states without the reduction, when known (`symmetry`: the sum of the orbit sizes
   *  of the stored representatives, exact when the declared symmetry is valid). */
  readonly statesWithout: number | null;
  /** statesWithout / states, when known. */
  readonly factor: number | null;
  readonly how: string;
}

export interface CheckResult {
  readonly verdict: CheckVerdict;
  /** The violated property (`deadlock` included), or null. */
  readonly property: string | null;
  /** Counterexample: initial-state index, then action indices (see the file comment). */
  readonly path: number[] | null;
  /** For a lasso: the index i of the state s_i where the loop starts (s_n equals s_i). */
  readonly loopStart: number | null;
  /** Why the verdict is `incomplete` (bound, abort), or null. */
  readonly incompleteReason: string | null;
  /** Distinct states stored in the safety pass (after reduction). */
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** Bytes each stored state occupies in memory (its table slot — with its index when the
   *  liveness graph is recorded — and links; the full store: its key and Map entry, estimated).
   *  The store's fixed cost is apart: `fixedBytes`; the liveness graph's: `liveness.bytes`. */
  readonly bytesPerState: number;
  /** Bytes the safety pass's store held: `fixedBytes` + `states` x `bytesPerState`. */
  readonly memoryBytes: number;
  /** The part of `memoryBytes` that is not per state: the table's free slots (its initial size,
   *  its headroom, a table sized by `expectedStates`), the recent-fingerprint cache, the
   *  unfilled part of the last links chunk. */
  readonly fixedBytes: number;
  /** The memory bound of the run, bytes (`CheckOptions.maxMemory`). */
  readonly maxMemory: number;
  /** The most bytes the run's structures held at once, as the bound counts them. */
  readonly peakMemoryBytes: number;
  /** The run stopped because memory ran out (`incompleteReason` starts with "memory:"). */
  readonly memoryExhausted: boolean;
  /** The safety pass explored every reachable state (no bound, abort or memory stopped it, and
   *  it found no violation). */
  readonly safetyComplete: boolean;
  /** The pass an `incomplete` run stopped in, else null. */
  readonly incompletePhase: 'safety' | 'liveness' | null;
  /** The liveness check, when it ran (the safety pass completed and `eventually` properties
   *  are checked), else null. */
  readonly liveness: LivenessReport | null;
  readonly reduction: ReductionReport;
  /** `sometimes` properties never reached (a failure: the check was vacuous for them). */
  readonly unreached: string[];
  /** TLC-style estimate of the chance that a fingerprint collision hid a state:
   *  1 - e^-(states * transitions / 2^64) (0 in full-state mode). */
  readonly missedStateProbability: number;
  readonly store: 'fingerprint' | 'full';
  readonly strategy: SearchOrder;
  /** The engine the check ran on: `generic`, or the protocol's (e.g. `seqcount`). */
  readonly engine: string;
  /** Threads the traversal ran on, and why fewer than asked for (null if not). */
  readonly workers: number;
  readonly workersNote: string | null;
}

export interface LivenessReport {
  /** The `eventually` properties, in the order searched. */
  readonly properties: string[];
  /** Those whose search ended without a lasso (they hold). */
  readonly holds: string[];
  /** Those not decided: a search stopped (abort, bound, memory) or not started. */
  readonly undecided: string[];
  /** The property whose search stopped the pass (incomplete), or null. */
  readonly stoppedIn: string | null;
  /** States and edges of the recorded graph the check ran on (without the reduction). */
  readonly states: number;
  readonly transitions: number;
  /** Bytes the recorded graph held (apart from the store's `memoryBytes`). */
  readonly bytes: number;
  readonly seconds: number;
}


/** TLC's estimate: each of the `transitions` lookups could meet one of `states` fingerprints by
 *  chance, 2^-64 each; with x = states * transitions / 2^64 expected such meetings, the chance
 *  of at least one is 1 - e^-x (~x while small, never above 1). */
export function missedStateProbability(states: number, transitions: number): number {
  return -Math.expm1(-(states * transitions) / 2 ** 64);
}

/** Runs the whole check synchronously. */
export function check(model: AnyModel, options: CheckOptions = {}): CheckResult {
  if ((options.workers ?? 1) > 1) workersNeedAsync();
  let run: CheckRun | undefined;
  try {
    run = new CheckRun(model, options);
    while (!run.step(Infinity));
    return run.result();
  } finally {
    run?.close();
  }
}

/** As `check`, but yields to the event loop about every 50 ms, so that a SIGINT handler that
 *  sets `options.signal` can stop it (verdict `incomplete`, with the figures so far). */
export async function checkAsync(model: AnyModel, options: CheckOptions = {}): Promise<CheckResult> {
  let run: CheckRun | undefined;
  try {
    run = new CheckRun(model, options);
    while (!run.step(performance.now() + 50)) await (run.waiting() ?? new Promise<void>((r) => setImmediate(r)));
    return run.result();
  } finally {
    run?.close();
  }
}

/**
 * The lasso of one `eventually` property of `model` (a shortest stem, then a shortest loop), or
 * null when it holds; `incomplete` when a bound or the memory stopped the exploration.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findLasso<S>(typedModel: Model<S, any>, typedProp: Property<S>, options: CheckOptions = {}): { kind: 'ok' } | { kind: 'violation'; path: number[]; loopStart: number | null } | { kind: 'incomplete'; reason: string } {
  const model = typedModel as AnyModel;
  const prop = typedProp as Property<unknown>;
  // the model with only this property (its methods kept: a model may be a class instance)
  const only: AnyModel = Object.create(model, { properties: { value: [prop] } });
  const r = check(only, { ...options, liveness: true });
  if (r.verdict === 'violation' && r.property === prop.name) return { kind: 'violation', path: r.path!, loopStart: r.loopStart };
  if (r.verdict === 'incomplete') return { kind: 'incomplete', reason: r.incompleteReason ?? 'incomplete' };
  return { kind: 'ok' };
}

/** Drives the traversal, then the liveness check on its graph, with progress reports. */
class CheckRun {
  private readonly t0 = performance.now();
  private nextProgress: number;
  private readonly budget: MemoryBudget;
  private readonly engine: Engine;
  private readonly traversal: Search;
  private readonly reduced: boolean;
  /** When the safety pass ended (performance.now()), once it has. */
  private safetyEnd: number | null = null;
  private memoryExhausted = false;
  private liveness: { property: string; path: number[]; loopStart: number | null } | null = null;
  private livenessIncomplete: string | null = null;
  private readonly livenessProperties: string[];
  private readonly holds: string[] = [];
  private stoppedIn: string | null = null;
  /** The liveness check in progress: first the candidates, then one lasso search at a time. */
  private phase: 'safety' | 'candidates' | 'lassos' | 'done' = 'safety';
  private candidateSearch: Generator<void, Set<number>> | null = null;
  private maybe: Set<number> | null = null;
  private queue: number[] = [];
  private lasso: Generator<void, Lasso | null> | null = null;
  private heldBytes: { bytes: number; perState: number } | null = null;
  private livenessStarted = false;
  private readonly workers: number;
  private readonly workersNote: string | null;

  constructor(
    private readonly model: AnyModel,
    private readonly options: CheckOptions,
  ) {
    this.nextProgress = this.t0 + (options.progressIntervalMs ?? 2000);
    this.budget = new MemoryBudget(options.maxMemory ?? defaultMaxMemory().bytes);
    this.engine = engineFor(model, options.engine ?? 'auto');
    const live = (options.liveness ?? true) && this.engine.eventually.length > 0;
    this.livenessProperties = live ? this.engine.eventually.map((p) => p.name) : [];
    this.reduced = (options.reduction ?? true) && this.engine.symmetric && !live;
    const workers = options.workers ?? 1;
    this.workersNote = workers > 1 ? parallelObstacle(this.engine, model, options.store ?? 'fingerprint') : null;
    if ((options.strategy ?? 'bfs') === 'dfs' && workers > 1) this.workersNote ??= 'the parallel check is breadth-first; --strategy dfs runs in one thread';
    if (workers > 1 && options.linksOnDisk) this.workersNote ??= '--links-on-disk keeps its file in one thread';
    this.workers = workers > 1 && this.workersNote === null ? workers : 1;
    this.traversal =
      this.workers > 1
        ? new ParallelTraversal(
            this.engine,
            { reduced: this.reduced, maxStates: options.maxStates ?? Infinity, maxDepth: options.maxDepth ?? Infinity, graph: live, expectedStates: options.expectedStates, signal: options.signal },
            this.budget,
            this.workers,
          )
        : new Traversal(
            this.engine,
            {
              order: options.strategy ?? 'bfs',
              reduced: this.reduced,
              maxStates: options.maxStates ?? Infinity,
              maxDepth: options.maxDepth ?? Infinity,
              store: options.store ?? 'fingerprint',
              expectedStates: options.expectedStates,
              linksOnDisk: options.linksOnDisk,
              graph: live,
              signal: options.signal,
            },
            this.budget,
          );
  }

  /** While the traversal waits for its worker threads: settles when they report. */
  waiting(): Promise<void> | null {
    return this.phase === 'safety' ? (this.traversal.waiting?.() ?? null) : null;
  }

  /** Runs `f`; memory running out or a full table ends the pass `incomplete` with `why`. */
  private guarded<T>(f: () => T, stop: (reason: string) => void): T | null {
    try {
      return f();
    } catch (err) {
      if (err instanceof MemoryExhaustedError) {
        this.memoryExhausted = true;
        stop(`memory: ${err.message}`);
      } else if (err instanceof TableFullError) stop(err.message);
      else throw err;
      return null;
    }
  }

  /** Returns true when finished. */
  step(deadline: number): boolean {
    const t = this.traversal;
    const onProgress = this.options.onProgress;
    const until = onProgress ? Math.min(deadline, this.nextProgress) : deadline;
    if (this.phase === 'safety') {
      this.guarded(() => t.run(until), (r) => t.stop(r));
      this.reportProgress('safety', t.states, t.transitions, t.maxDepth, t.frontierSize);
      if (!t.done) return false;
      this.safetyEnd = performance.now();
      this.phase = t.property === null && t.incompleteReason === null && t.graph !== null ? 'candidates' : 'done';
      this.livenessStarted = this.phase === 'candidates';
      if (this.phase === 'candidates') this.release();
    }
    const g = t.graph;
    const props = this.engine.eventually;
    const bits = props.map((p, bit) => ({ bit, thread: p.thread ?? -1 }));
    const stopLiveness = (reason: string): void => {
      this.livenessIncomplete = reason;
      this.phase = 'done';
    };
    /** The first property not decided yet (what an interrupted liveness check stopped in). */
    const undecided = (): string => props.find((p) => !this.holds.includes(p.name))?.name ?? props[0].name;
    while (this.phase === 'candidates' || this.phase === 'lassos') {
      if (this.phase === 'lassos' && this.queue.length === 0) {
        this.phase = 'done';
        break;
      }
      if (this.options.signal?.aborted) {
        this.stoppedIn = undecided();
        stopLiveness('aborted');
        break;
      }
      const r = this.guarded(() => {
        if (this.phase === 'candidates') {
          this.candidateSearch ??= candidates(g!, bits, this.budget);
          for (;;) {
            const x = this.candidateSearch.next();
            if (x.done) {
              this.maybe = x.value;
              this.queue = bits.filter((b) => this.maybe!.has(b.bit)).map((b) => b.bit);
              for (const b of bits) if (!this.maybe.has(b.bit)) this.holds.push(props[b.bit].name);
              this.phase = 'lassos';
              return true;
            }
            if (performance.now() >= until) return false;
          }
        }
        if (this.queue.length === 0) {
          this.phase = 'done';
          return true;
        }
        const bit = this.queue[0];
        this.lasso ??= lassoOf(g!, bits[bit], this.budget);
        for (;;) {
          const x = this.lasso.next();
          if (x.done) {
            this.lasso = null;
            this.queue.shift();
            if (x.value === null) this.holds.push(props[bit].name);
            else {
              this.liveness = { property: props[bit].name, path: x.value.path, loopStart: x.value.loopStart };
              this.queue = [];
              this.phase = 'done';
            }
            return true;
          }
          if (performance.now() >= until) return false;
        }
      }, (reason) => {
        this.stoppedIn = undecided();
        stopLiveness(reason);
      });
      this.reportProgress(`liveness`, g!.states, g!.edges, t.maxDepth, 0);
      if (r === false) return false;
    }
    return true;
  }

  /** Frees the store and the frontier once the safety pass has ended without a violation (the
   *  liveness check needs only the graph); the figures stay. */
  private release(): void {
    if (this.heldBytes !== null) return;
    this.heldBytes = this.storeMemory();
    this.traversal.close();
  }

  private storeMemory(): { bytes: number; perState: number } {
    if (this.heldBytes !== null) return this.heldBytes;
    const s = this.traversal.store;
    return { bytes: s.bytes(), perState: s.bytesPerStoredState() };
  }

  /** `onProgress`, at most every `progressIntervalMs`. */
  private reportProgress(phase: string, states: number, transitions: number, maxDepth: number, frontier: number): void {
    const onProgress = this.options.onProgress;
    if (!onProgress || performance.now() < this.nextProgress) return;
    this.nextProgress = performance.now() + (this.options.progressIntervalMs ?? 2000);
    const seconds = (performance.now() - this.t0) / 1000;
    const since = phase === 'safety' || this.safetyEnd === null ? this.t0 : this.safetyEnd;
    const passSeconds = (performance.now() - since) / 1000;
    onProgress({ states, transitions, maxDepth, frontier, seconds, statesPerSecond: states / Math.max(passSeconds, 1e-9), phase, bound: null, memoryBytes: this.budget.inUse() });
  }

  close(): void {
    this.lasso?.return(null);
    this.candidateSearch?.return(new Set());
    this.traversal.close();
    this.traversal.graph?.close();
  }

  result(): CheckResult {
    const t = this.traversal;
    const now = performance.now();
    const seconds = (now - this.t0) / 1000;
    let verdict: CheckVerdict = 'ok';
    let property: string | null = null;
    let path: number[] | null = null;
    let loopStart: number | null = null;
    if (t.property !== null) {
      verdict = 'violation';
      property = t.property;
      path = t.pathTo(t.violationIndex);
    } else if (this.liveness) {
      verdict = 'violation';
      ({ property, path, loopStart } = this.liveness);
    } else if (t.incompleteReason !== null || this.livenessIncomplete !== null) {
      verdict = 'incomplete';
    }
    const live = this.livenessProperties.length > 0;
    const reduction: ReductionReport = this.reduced
      ? {
          kind: 'symmetry',
          statesWithout: t.orbitSum,
          factor: t.orbitSum / Math.max(t.states, 1),
          how: 'symmetry over interchangeable threads; states without = sum of orbit sizes of the stored representatives',
        }
      : {
          kind: 'none',
          statesWithout: t.states,
          factor: 1,
          how:
            live && this.engine.symmetric && (this.options.reduction ?? true)
              ? 'no reduction: the liveness check needs the unreduced graph (--no-liveness uses the symmetry reduction)'
              : 'no reduction',
        };
    const memory = this.storeMemory();
    const props = this.livenessProperties;
    const liveness: LivenessReport | null =
      !this.livenessStarted
        ? null
        : {
            properties: props,
            holds: [...this.holds],
            undecided: props.filter((n) => !this.holds.includes(n) && n !== this.liveness?.property),
            stoppedIn: this.stoppedIn,
            states: t.graph?.states ?? 0,
            transitions: t.graph?.edges ?? 0,
            bytes: t.graph?.bytes() ?? 0,
            seconds: this.safetyEnd === null ? 0 : (now - this.safetyEnd) / 1000,
          };
    return {
      verdict,
      property,
      path,
      loopStart,
      incompleteReason: t.incompleteReason ?? this.livenessIncomplete,
      states: t.states,
      transitions: t.transitions,
      maxDepth: t.maxDepth,
      seconds,
      statesPerSecond: t.states / Math.max(seconds, 1e-9),
      bytesPerState: memory.perState,
      memoryBytes: memory.bytes,
      fixedBytes: Math.max(0, memory.bytes - memory.perState * t.states),
      maxMemory: this.budget.limit,
      peakMemoryBytes: Math.max(this.budget.peak, memory.bytes),
      memoryExhausted: this.memoryExhausted,
      safetyComplete: t.property === null && t.incompleteReason === null,
      incompletePhase: verdict !== 'incomplete' ? null : t.incompleteReason !== null ? 'safety' : 'liveness',
      liveness,
      reduction,
      unreached: this.engine.sometimes.filter((p) => !t.reached.has(p.name)).map((p) => p.name),
      missedStateProbability: t.store.exact ? 0 : missedStateProbability(t.states, t.transitions),
      store: this.options.store ?? 'fingerprint',
      strategy: this.options.strategy ?? 'bfs',
      engine: this.engine.kind,
      workers: this.workers,
      workersNote: this.workersNote,
    };
  }
}
export { replayPath } from './random/replay';
