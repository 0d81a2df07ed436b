/**
 * Exhaustive exploration of a `Model`: ONE traversal core (`Explorer`) whose frontier is a queue
 * (`bfs`, shortest counterexamples) or a stack (`dfs`), checking `always` and `sometimes`
 * properties and deadlocks on every reachable state; then, for `eventually` properties, the
 * lasso search of `liveness.ts`. `replayPath` is the replay strategy: it follows a recorded path
 * of action indices.
 *
 * Paths: `path[0]` is the index of the initial state in `initStates()`, `path[i]` (i >= 1) the
 * index in `actions(s_{i-1})` of the action taken; `replayPath(model, path)` gives s_0 .. s_n.
 */
import type { AnyModel, FlatStates, Model, Property } from '../model/core';
import { FingerprintSet, TableFullError, makeVisitedSet, pathTo, type VisitedSet } from './visited';
import { lassoSearch, type LassoProgress, type LassoResult } from './liveness';
import { FlatFrontier } from './flat-frontier';
import { firstViolatedOf } from './fast';
import { MemoryBudget, MemoryExhaustedError, defaultMaxMemory } from './memory';

export type Strategy = 'bfs' | 'dfs';
export type Verdict = 'ok' | 'violation' | 'incomplete';

/** Name of the violation reported for a state without enabled actions that is not finished. */
export const DEADLOCK = 'deadlock';

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
  readonly strategy?: Strategy;
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
  /** Use the model's declared reduction (`Model.symmetry`) in the safety pass (default true). */
  readonly reduction?: boolean;
  /** Search `eventually` properties (default true). */
  readonly liveness?: boolean;
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
  readonly verdict: Verdict;
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
  /** Bytes each stored state occupies in memory (its table slot and links; the full store: its
   *  key and Map entry, estimated). The store's fixed cost is apart: `fixedBytes`. */
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
  /** The liveness pass, when it ran (the safety pass completed and `eventually` properties
   *  exist), else null. */
  readonly liveness: LivenessReport | null;
  readonly reduction: ReductionReport;
  /** `sometimes` properties never reached (a failure: the check was vacuous for them). */
  readonly unreached: string[];
  /** TLC-style estimate of the chance that a fingerprint collision hid a state:
   *  1 - e^-(states * transitions / 2^64) (0 in full-state mode). */
  readonly missedStateProbability: number;
  readonly store: 'fingerprint' | 'full';
  readonly strategy: Strategy;
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
  /** States and transitions of the lasso searches, summed (without the reduction). */
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
}

interface Entry {
  readonly state: unknown;
  readonly index: number;
  readonly depth: number;
}

/**
 * The traversal core: a resumable exploration of the safety properties. `run(deadline)` works
 * until done or until `performance.now() >= deadline`, so `check` and `checkAsync` share it.
 */
export class Explorer {
  readonly store: VisitedSet;
  states = 0;
  transitions = 0;
  maxDepth = 0;
  done = false;
  property: string | null = null;
  violationIndex = -1;
  incompleteReason: string | null = null;
  orbitSum = 0;
  private depthBoundHit = false;
  /** The model hashes its own states (`Model.fingerprint`): no key string in the hot loop. */
  private readonly fastFingerprint: boolean;
  private readonly fingerprintOf: (state: unknown, out: Uint32Array) => void;
  private readonly fp = new Uint32Array(2);
  private readonly frontier: Entry[] = [];
  private head = 0;
  /** With `Model.flat` (and the model's fingerprint): the flat frontier, and the two reused
   *  states (the one being expanded, and its successor). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly flat: FlatStates<any, any> | null;
  private readonly flatFrontier: FlatFrontier | null;
  private readonly current: unknown;
  private readonly successor: unknown;
  /** A copy of the row of the state being expanded in place (for `encodeStepped`). */
  private readonly parentRow: Int32Array | null;
  private readonly always: Property<unknown>[];
  readonly reached = new Set<string>();
  private readonly pendingSometimes: Property<unknown>[];
  /** The first violated `always` property (fast.ts: one call when the model offers it). */
  private readonly firstViolated: (state: unknown) => string | null;
  private readonly useSymmetry: boolean;
  private readonly maxStates: number;
  private readonly maxDepthBound: number;

  constructor(
    readonly model: AnyModel,
    readonly options: CheckOptions,
    readonly budget: MemoryBudget = new MemoryBudget(options.maxMemory ?? Infinity),
  ) {
    this.store = makeVisitedSet(options.store ?? 'fingerprint', { expectedStates: options.expectedStates, linksOnDisk: options.linksOnDisk, budget });
    this.always = model.properties.filter((p) => p.expectation === 'always');
    this.pendingSometimes = model.properties.filter((p) => p.expectation === 'sometimes');
    this.firstViolated = firstViolatedOf(model, this.always);
    this.useSymmetry = (options.reduction ?? true) && model.symmetry !== undefined;
    this.maxStates = options.maxStates ?? Infinity;
    this.maxDepthBound = options.maxDepth ?? Infinity;
    // the model's own fingerprint (of the key, or with the reduction of the canonical key)
    const own = this.useSymmetry ? model.symmetry!.fingerprint : model.fingerprint;
    this.fastFingerprint = this.store instanceof FingerprintSet && own !== undefined;
    this.fingerprintOf = own ? own.bind(this.useSymmetry ? model.symmetry : model) : () => undefined;
    const flat = model.flat;
    this.flat = this.fastFingerprint && flat && (!this.useSymmetry || (flat.stepInPlaceSymmetric && flat.undo)) ? flat : null;
    this.flatFrontier = this.flat ? new FlatFrontier(this.flat.words, budget) : null;
    this.current = this.flat ? this.flat.scratch() : null;
    this.successor = this.flat ? this.flat.scratch() : null;
    this.parentRow = this.flat ? new Int32Array(this.flat.words) : null;
    const inits = model.initStates();
    for (let i = 0; i < inits.length && !this.done; i++) this.visit(inits[i], -1, i, 0);
  }

  get frontierSize(): number {
    return this.flatFrontier ? this.flatFrontier.size : this.frontier.length - this.head;
  }

  /** The store's memory when it was released (`release`), else null. */
  private held: { bytes: number; perState: number } | null = null;

  /** Frees the store and the frontier once the safety pass has ended without a violation: the
   *  lasso searches that follow need neither (they keep their own store), and a big run would
   *  otherwise hold both. The figures stay. */
  release(): void {
    if (this.held !== null) return;
    this.held = this.memory();
    this.store.close?.();
    this.flatFrontier?.release();
    this.frontier.length = 0;
    this.head = 0;
  }

  /** Bytes held for the states, and each state's share (at release time, once released). */
  memory(): { bytes: number; perState: number } {
    return this.held ?? { bytes: this.store.bytes(), perState: this.store.bytesPerStoredState() };
  }

  /** Loop iterations over all `run` calls (the periodic checks count them across slices). */
  private tick = 0;

  /** The JS heap, every 4096 states: the next growth of the store (the full store's Map) and
   *  of an object frontier (an array grows by half its length) must still fit. */
  private checkHeap(): void {
    const frontierGrowth = this.flatFrontier ? 0 : 12 * this.frontier.length;
    this.budget.checkHeap('the JS heap (store and frontier)', (this.store.heapGrowth?.() ?? 0) + frontierGrowth);
  }

  get symmetryUsed(): boolean {
    return this.useSymmetry;
  }

  /** Stores `state` if new and checks the state properties on it. */
  private visit(state: unknown, parent: number, action: number, depth: number): void {
    const m = this.model;
    let index: number;
    if (this.fastFingerprint) {
      this.fingerprintOf(state, this.fp);
      index = (this.store as FingerprintSet).insertFingerprint(this.fp[0], this.fp[1], parent, action);
    } else index = this.store.insert(this.useSymmetry ? m.symmetry!.canonicalKey(state) : m.key(state), parent, action);
    if (index >= 0) this.visitNew(state, index, depth);
  }

  /** A state just stored under `index`: count it, check the state properties, queue it.
   *  `parentRow`: the row of the state `state` was stepped in place from (`encodeStepped`). */
  private visitNew(state: unknown, index: number, depth: number, parentRow: Int32Array | null = null): void {
    const m = this.model;
    if (this.states >= this.maxStates) {
      // one state more than the bound exists: stop without it (a space of exactly maxStates
      // states completes), the same rule as the lasso search's
      this.stop(`the bound maxStates=${this.maxStates} was reached`);
      return;
    }
    this.states++;
    if (this.useSymmetry) this.orbitSum += m.symmetry!.orbitSize(state);
    if (depth > this.maxDepth) this.maxDepth = depth;
    const bad = this.firstViolated(state);
    if (bad !== null) {
      this.fail(bad, index);
      return;
    }
    // only the `sometimes` properties not reached yet (often some never are, e.g. a wrap
    // with an unbounded sequence): no name lookups per state
    const pending = this.pendingSometimes;
    for (let i = pending.length - 1; i >= 0; i--)
      if (pending[i].holds(state)) {
        this.reached.add(pending[i].name);
        pending.splice(i, 1);
      }
    const ff = this.flatFrontier;
    if (ff) {
      // copied into the row: `state` may be the reused successor; `this.fp` is its fingerprint
      // (kept so that `stepInPlace` can update it)
      const o = ff.push();
      const buf = ff.buf;
      const w = ff.words;
      if (parentRow) this.flat!.encodeStepped!(state, parentRow, buf, o);
      else this.flat!.encode(state, buf, o);
      buf[o + w] = this.fp[0];
      buf[o + w + 1] = this.fp[1];
      buf[o + w + 2] = index;
      buf[o + w + 3] = depth;
    } else this.frontier.push({ state, index, depth });
  }

  private fail(property: string, index: number): void {
    this.property = property;
    this.violationIndex = index;
    this.done = true;
  }

  stop(reason: string): void {
    if (this.incompleteReason === null) this.incompleteReason = reason;
    this.done = true;
  }

  /** Works until done or the deadline (ms, `performance.now()` clock). Returns `done`. */
  run(deadline: number = Infinity): boolean {
    const m = this.model;
    const bfs = (this.options.strategy ?? 'bfs') === 'bfs';
    if (this.options.signal?.aborted && !this.done) this.stop('aborted');
    if (this.flatFrontier) return this.runFlat(deadline, bfs);
    while (!this.done) {
      const pause = this.pause(this.head === this.frontier.length, ++this.tick, deadline);
      if (pause === 'stop') break;
      if (pause === 'deadline') return false;
      let entry: Entry;
      if (bfs) {
        entry = this.frontier[this.head++];
        if (this.head > 65536 && this.head * 2 > this.frontier.length) {
          this.frontier.splice(0, this.head);
          this.head = 0;
        }
      } else {
        entry = this.frontier.pop()!;
      }
      const acts = m.actions(entry.state);
      if (acts.length === 0) {
        if (isDeadlock(m, entry.state, 0)) this.fail(DEADLOCK, entry.index);
        continue;
      }
      if (entry.depth >= this.maxDepthBound) {
        // Not expanded; the rest of the frontier still is. With BFS that is every state up to
        // the bound; with DFS a state first met deeper than its shortest path is cut too, so a
        // depth-bounded DFS covers less (the verdict is `incomplete` either way).
        this.depthBoundHit = true;
        continue;
      }
      for (let a = 0; a < acts.length && !this.done; a++) {
        this.transitions++;
        this.visit(m.next(entry.state, acts[a]), entry.index, a, entry.depth + 1);
      }
    }
    return true;
  }

  /**
   * The checks at the top of both loops: an empty frontier ends the run (`incomplete` if the
   * depth bound cut it); every 1024 states, an abort ends it and the deadline pauses it.
   */
  private pause(frontierEmpty: boolean, tick: number, deadline: number): 'stop' | 'deadline' | null {
    if (frontierEmpty) {
      if (this.depthBoundHit) this.stop(`the bound maxDepth=${this.maxDepthBound} was reached`);
      this.done = true;
      return 'stop';
    }
    if ((tick & 1023) === 0) {
      if (this.options.signal?.aborted) {
        this.stop('aborted');
        return 'stop';
      }
      if ((tick & 4095) === 0) this.checkHeap();
      if (performance.now() >= deadline) return 'deadline';
    }
    return null;
  }

  /** `run` over the flat frontier: the same order, counts and checks, without per-state objects. */
  private runFlat(deadline: number, bfs: boolean): boolean {
    const m = this.model;
    const flat = this.flat!;
    const ff = this.flatFrontier!;
    const store = this.store as FingerprintSet;
    const words = ff.words;
    const succ = this.successor;
    const fp = this.fp;
    const symmetric = this.useSymmetry;
    const inPlace = (symmetric ? flat.stepInPlaceSymmetric !== undefined : flat.stepInPlace !== undefined) && flat.undo !== undefined;
    const acts: unknown[] = [];
    while (!this.done) {
      const pause = this.pause(ff.size === 0, ++this.tick, deadline);
      if (pause === 'stop') break;
      if (pause === 'deadline') return false;
      // read the row before any push can move it
      const o = bfs ? ff.shift() : ff.pop();
      const state = flat.decode(ff.buf, o, this.current);
      const lo = ff.buf[o + words];
      const hi = ff.buf[o + words + 1];
      const index = ff.buf[o + words + 2];
      const depth = ff.buf[o + words + 3];
      let count: number;
      if (flat.actionsInto) count = flat.actionsInto(state, acts);
      else {
        const all = m.actions(state);
        for (let a = 0; a < all.length; a++) acts[a] = all[a];
        count = all.length;
      }
      if (count === 0) {
        if (isDeadlock(m, state, 0)) this.fail(DEADLOCK, index);
        continue;
      }
      if (depth >= this.maxDepthBound) {
        this.depthBoundHit = true;
        continue;
      }
      if (inPlace) {
        // the successor is `state` itself, stepped and then undone: no copy, no rehash; a new
        // one is encoded from the row read above plus the fields the step wrote
        const prow = flat.encodeStepped ? this.parentRow! : null;
        if (prow) for (let i = 0; i < words; i++) prow[i] = ff.buf[o + i];
        for (let a = 0; a < count && !this.done; a++) {
          this.transitions++;
          if (symmetric) flat.stepInPlaceSymmetric!(state, acts[a], lo, hi, fp);
          else flat.stepInPlace!(state, acts[a], lo, hi, fp);
          const n = store.insertFingerprint(fp[0], fp[1], index, a);
          if (n >= 0) this.visitNew(state, n, depth + 1, prow);
          flat.undo!(state);
        }
        continue;
      }
      for (let a = 0; a < count && !this.done; a++) {
        this.transitions++;
        flat.nextInto(state, acts[a], succ);
        this.fingerprintOf(succ, fp);
        const n = store.insertFingerprint(fp[0], fp[1], index, a);
        if (n >= 0) this.visitNew(succ, n, depth + 1);
      }
    }
    return true;
  }

  /** The path (initial-state index, then action indices) to the stored state `index`. */
  pathTo(index: number): number[] {
    return pathTo(this.store, index);
  }
}

/** TLC's estimate: each of the `transitions` lookups could meet one of `states` fingerprints by
 *  chance, 2^-64 each; with x = states * transitions / 2^64 expected such meetings, the chance
 *  of at least one is 1 - e^-x (~x while small, never above 1). */
export function missedStateProbability(states: number, transitions: number): number {
  return -Math.expm1(-(states * transitions) / 2 ** 64);
}

/** Runs the whole check synchronously. */
export function check(model: AnyModel, options: CheckOptions = {}): CheckResult {
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
    while (!run.step(performance.now() + 50)) await new Promise<void>((r) => setImmediate(r));
    return run.result();
  } finally {
    run?.close();
  }
}

/** Drives the safety pass, then the liveness passes, with progress reports. */
class CheckRun {
  private readonly t0 = performance.now();
  private nextProgress: number;
  private readonly budget: MemoryBudget;
  private readonly explorer: Explorer;
  /** When the safety pass ended (performance.now()), once it has. */
  private safetyEnd: number | null = null;
  private liveness: { property: string; path: number[]; loopStart: number | null } | null = null;
  private livenessIncomplete: string | null = null;
  private memoryExhausted = false;
  /** The `eventually` properties still to search (null: not decided yet), and the search in
   *  progress. */
  private lassoQueue: Property<unknown>[] | null = null;
  private lasso: Generator<LassoProgress, LassoResult> | null = null;
  /** The liveness pass's account: the properties, those that hold, the one it stopped in, the
   *  figures of the finished searches and of the one in progress, and when the search began. */
  private livenessProperties: string[] = [];
  private readonly holds: string[] = [];
  private stoppedIn: string | null = null;
  private lassoStates = 0;
  private lassoTransitions = 0;
  private current: LassoProgress | null = null;
  private lassoStart = 0;

  constructor(
    private readonly model: AnyModel,
    private readonly options: CheckOptions,
  ) {
    this.nextProgress = this.t0 + (options.progressIntervalMs ?? 2000);
    this.budget = new MemoryBudget(options.maxMemory ?? defaultMaxMemory().bytes);
    this.explorer = new Explorer(model, options, this.budget);
  }

  /** Returns true when finished. */
  step(deadline: number): boolean {
    const e = this.explorer;
    if (!e.done) {
      const onProgress = this.options.onProgress;
      const until = onProgress ? Math.min(deadline, this.nextProgress) : deadline;
      try {
        e.run(until);
      } catch (err) {
        // the fingerprint table cannot grow further, or memory ran out: keep what was found,
        // say why
        if (err instanceof MemoryExhaustedError) {
          this.memoryExhausted = true;
          e.stop(`memory: ${err.message}`);
        } else if (err instanceof TableFullError) e.stop(err.message);
        else throw err;
      }
      this.reportProgress('safety', e.states, e.transitions, e.maxDepth, e.frontierSize, null, this.t0);
      if (!e.done) return false;
    }
    this.safetyEnd ??= performance.now();
    if (this.lassoQueue === null) {
      this.lassoQueue =
        e.property === null && e.incompleteReason === null && (this.options.liveness ?? true)
          ? this.model.properties.filter((p) => p.expectation === 'eventually')
          : [];
      this.livenessProperties = this.lassoQueue.map((p) => p.name);
    }
    if (this.lassoQueue.length > 0) e.release();
    // the lasso searches store at most the states of the space without the reduction
    const bound = e.symmetryUsed ? e.orbitSum : e.states;
    // the lasso searches, one property after the other, each paused at the deadline
    while (this.lassoQueue.length > 0) {
      const p = this.lassoQueue[0];
      const phase = `liveness: ${p.name}`;
      let r: IteratorResult<LassoProgress, LassoResult>;
      try {
        if (this.lasso === null) {
          this.lasso = lassoSearch(this.model, p, this.options, this.budget);
          this.lassoStart = performance.now();
          this.current = null;
        }
        r = this.lasso.next();
        while (!r.done && performance.now() < deadline) {
          this.current = r.value;
          this.reportProgress(phase, r.value.states, r.value.transitions, r.value.maxDepth, r.value.depth, bound, this.lassoStart);
          r = this.lasso.next();
        }
      } catch (err) {
        if (!(err instanceof MemoryExhaustedError)) throw err;
        this.memoryExhausted = true;
        const where = err.message.includes('lasso search') ? '' : ` (lasso search for ${p.name})`;
        r = { done: true, value: { kind: 'incomplete', reason: `memory: ${err.message}${where}` } };
      }
      if (!r.done) {
        this.current = r.value;
        this.reportProgress(phase, r.value.states, r.value.transitions, r.value.maxDepth, r.value.depth, bound, this.lassoStart);
        return false;
      }
      this.lasso = null;
      this.lassoQueue.shift();
      const done = r.value;
      this.lassoStates += done.kind === 'ok' ? done.states : (this.current?.states ?? 0);
      this.lassoTransitions += done.kind === 'ok' ? done.transitions : (this.current?.transitions ?? 0);
      this.current = null;
      if (done.kind === 'ok') this.holds.push(p.name);
      else if (done.kind === 'violation') {
        this.liveness = { property: p.name, path: done.path, loopStart: done.loopStart };
        this.lassoQueue = [];
      } else {
        this.livenessIncomplete = done.reason;
        this.stoppedIn = p.name;
        this.lassoQueue = [];
      }
    }
    return true;
  }

  /** `onProgress`, at most every `progressIntervalMs`; the rate is over the pass (`since`). */
  private reportProgress(phase: string, states: number, transitions: number, maxDepth: number, frontier: number, bound: number | null, since: number): void {
    const onProgress = this.options.onProgress;
    if (!onProgress || performance.now() < this.nextProgress) return;
    this.nextProgress = performance.now() + (this.options.progressIntervalMs ?? 2000);
    const seconds = (performance.now() - this.t0) / 1000;
    const passSeconds = (performance.now() - since) / 1000;
    onProgress({ states, transitions, maxDepth, frontier, seconds, statesPerSecond: states / Math.max(passSeconds, 1e-9), phase, bound, memoryBytes: this.budget.inUse() });
  }

  close(): void {
    // a search left unfinished (an exception) releases its store
    this.lasso?.return({ kind: 'incomplete', reason: 'closed' });
    this.explorer.store.close?.();
  }

  result(): CheckResult {
    const e = this.explorer;
    const now = performance.now();
    const seconds = (now - this.t0) / 1000;
    let verdict: Verdict = 'ok';
    let property: string | null = null;
    let path: number[] | null = null;
    let loopStart: number | null = null;
    if (e.property !== null) {
      verdict = 'violation';
      property = e.property;
      path = e.pathTo(e.violationIndex);
    } else if (this.liveness) {
      verdict = 'violation';
      ({ property, path, loopStart } = this.liveness);
    } else if (e.incompleteReason !== null || this.livenessIncomplete !== null) {
      verdict = 'incomplete';
    }
    const reduction: ReductionReport = e.symmetryUsed
      ? {
          kind: 'symmetry',
          statesWithout: e.orbitSum,
          factor: e.orbitSum / Math.max(e.states, 1),
          how: 'symmetry over interchangeable threads; states without = sum of orbit sizes of the stored representatives',
        }
      : { kind: 'none', statesWithout: e.states, factor: 1, how: 'no reduction' };
    const memory = e.memory();
    const props = this.livenessProperties;
    const liveness: LivenessReport | null =
      props.length === 0
        ? null
        : {
            properties: props,
            holds: [...this.holds],
            undecided: props.filter((n) => !this.holds.includes(n) && n !== this.liveness?.property),
            stoppedIn: this.stoppedIn,
            states: this.lassoStates + (this.current?.states ?? 0),
            transitions: this.lassoTransitions + (this.current?.transitions ?? 0),
            seconds: this.safetyEnd === null ? 0 : (now - this.safetyEnd) / 1000,
          };
    return {
      verdict,
      property,
      path,
      loopStart,
      incompleteReason: e.incompleteReason ?? this.livenessIncomplete,
      states: e.states,
      transitions: e.transitions,
      maxDepth: e.maxDepth,
      seconds,
      statesPerSecond: e.states / Math.max(seconds, 1e-9),
      bytesPerState: memory.perState,
      memoryBytes: memory.bytes,
      fixedBytes: Math.max(0, memory.bytes - memory.perState * e.states),
      maxMemory: this.budget.limit,
      // (the full store's keys are measured as heap growth only every 4096 states)
      peakMemoryBytes: Math.max(this.budget.peak, memory.bytes),
      memoryExhausted: this.memoryExhausted,
      safetyComplete: e.property === null && e.incompleteReason === null,
      incompletePhase: verdict !== 'incomplete' ? null : e.incompleteReason !== null ? 'safety' : 'liveness',
      liveness,
      reduction,
      unreached: e.model.properties
        .filter((p) => p.expectation === 'sometimes' && !e.reached.has(p.name))
        .map((p) => p.name),
      missedStateProbability: e.store.exact ? 0 : missedStateProbability(e.states, e.transitions),
      store: this.options.store ?? 'fingerprint',
      strategy: this.options.strategy ?? 'bfs',
    };
  }
}

/**
 * The replay strategy: follows `path` (see the file comment) and returns the states s_0 .. s_n.
 * Throws an `Error` naming the step when an index is out of range (the model changed, or its
 * `actions` order is not deterministic, e.g. it iterates a Map or Set built in varying order).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function replayPath<S>(model: Model<S, any>, path: readonly number[]): S[] {
  if (path.length === 0) throw new Error('replay: empty path (it must start with the initial-state index)');
  const inits = model.initStates();
  if (!(path[0] >= 0 && path[0] < inits.length))
    throw new Error(`replay: initial-state index ${path[0]} out of range 0..${inits.length - 1}`);
  const states: S[] = [inits[path[0]]];
  for (let i = 1; i < path.length; i++) {
    const s = states[i - 1];
    const acts = model.actions(s);
    if (!(path[i] >= 0 && path[i] < acts.length))
      throw new Error(
        `replay: step ${i} chooses action ${path[i]} but only ${acts.length} are enabled ` +
          `(the model changed, or its action order is not deterministic)`,
      );
    states.push(model.next(s, acts[path[i]]));
  }
  return states;
}
