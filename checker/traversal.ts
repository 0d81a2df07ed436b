/**
 * The one exhaustive traversal: breadth-first (a queue: shortest counterexamples) or depth-first
 * (a stack) over an `Engine` (engine/core.ts), one loop body for every model. It stores each
 * state's fingerprint (or its key, `full`) with its counterexample link, judges the `always`
 * properties and deadlock on every stored state, notes the `sometimes` properties reached, and,
 * when asked (`graph`), records for the liveness check the edges it expands (state-graph.ts).
 *
 * `run(deadline)` works until done or until `performance.now() >= deadline`, so that a
 * synchronous and an asynchronous driver (check.ts) share it.
 */
import type { Property } from '../model/core';
import { Successors, SUCCESSOR_HEADER, type Engine } from '../engine/core';
import { FingerprintSet, FullStateSet, makeVisitedSet, pathTo, type VisitedSet } from './visited';
import { FlatFrontier } from './flat-frontier';
import { MemoryBudget } from './memory';
import { StateGraph } from './state-graph';
import type { LivenessGraph } from './liveness';

export type SearchOrder = 'bfs' | 'dfs';

/** Name of the violation reported for a state without enabled actions that is not finished. */
export const DEADLOCK = 'deadlock';

export interface TraversalOptions {
  readonly order: SearchOrder;
  /** Fingerprints of the symmetry reduction's canonical form (the engine must be `symmetric`). */
  readonly reduced: boolean;
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly store: 'fingerprint' | 'full';
  readonly expectedStates?: number;
  readonly linksOnDisk?: boolean;
  /** Record the liveness graph of the engine's `eventually` properties. */
  readonly graph: boolean;
  readonly signal?: { readonly aborted: boolean };
}

/** What the check driver (check.ts) reads of an exhaustive search: this traversal in one
 *  thread, or the parallel one (parallel-check.ts). */
export interface Search {
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly done: boolean;
  readonly property: string | null;
  readonly violationIndex: number;
  readonly incompleteReason: string | null;
  readonly orbitSum: number;
  readonly reached: ReadonlySet<string>;
  readonly frontierSize: number;
  /** The recorded liveness graph, or null. */
  readonly graph: (LivenessGraph & { bytes(): number; close(): void; readonly edges: number }) | null;
  /** The store's memory and whether it is exact (full keys). */
  readonly store: { readonly exact: boolean; bytes(): number; bytesPerStoredState(): number };
  /** Works until done or the deadline; false: not done yet. */
  run(deadline?: number): boolean;
  /** When not done and waiting for other threads: settles when there is work again. */
  waiting?(): Promise<void> | null;
  stop(reason: string): void;
  pathTo(index: number): number[];
  close(): void;
}

export class Traversal implements Search {
  readonly store: VisitedSet;
  readonly graph: StateGraph | null;
  states = 0;
  transitions = 0;
  maxDepth = 0;
  done = false;
  /** The violated property (`deadlock` included) and the store index of the violating state. */
  property: string | null = null;
  violationIndex = -1;
  incompleteReason: string | null = null;
  /** With `reduced`: the sum of the stored representatives' orbit sizes. */
  orbitSum = 0;
  /** `sometimes` properties reached, by name. */
  readonly reached = new Set<string>();
  private readonly pending: Property<unknown>[];
  private depthBoundHit = false;
  private readonly frontier: FlatFrontier;
  private readonly successors: Successors;
  private readonly fp = new Uint32Array(2);
  private readonly keyed: FullStateSet | null;
  private tick = 0;
  /** The successors' store indices and threads of the state being expanded (for the graph). */
  private edgeTargets = new Int32Array(16);
  private edgeThreads = new Int32Array(16);

  constructor(
    readonly engine: Engine,
    readonly options: TraversalOptions,
    readonly budget: MemoryBudget,
  ) {
    const recordGraph = options.graph && engine.eventually.length > 0;
    this.store = makeVisitedSet(options.store, {
      expectedStates: options.expectedStates,
      linksOnDisk: options.linksOnDisk,
      budget,
      // the graph's edges name their targets by store index, also for states seen before
      trackIndex: recordGraph,
    });
    this.keyed = this.store instanceof FullStateSet ? this.store : null;
    this.graph = recordGraph ? new StateGraph(engine.eventually.length, budget) : null;
    this.pending = [...engine.sometimes];
    this.frontier = new FlatFrontier(engine.words, budget);
    this.successors = new Successors(engine.words);
    const row = new Int32Array(engine.words);
    for (let i = 0; i < engine.initialCount && !this.done; i++) {
      engine.initial(i, row, 0);
      const index = this.insert(row, 0, -1, i);
      if (index >= 0) {
        this.graph?.initial.push({ index, init: i });
        this.stored(row, 0, index, 0);
      } else if (this.graph) this.graph.initial.push({ index: ~index, init: i });
    }
  }

  get frontierSize(): number {
    return this.frontier.size;
  }

  /** Inserts the row's state: its new index (>= 0), or ~index (or -1) when it was stored before. */
  private insert(src: Int32Array, off: number, parent: number, action: number): number {
    if (this.keyed !== null) {
      const m = this.engine.model;
      const s = this.engine.decode(src, off);
      return this.keyed.insert(this.options.reduced ? m.symmetry!.canonicalKey(s) : m.key(s), parent, action);
    }
    this.engine.fingerprint(src, off, this.options.reduced, this.fp);
    return (this.store as FingerprintSet).insertFingerprint(this.fp[0], this.fp[1], parent, action);
  }

  /** A state just stored under `index`: count it, judge it, queue it. */
  private stored(src: Int32Array, off: number, index: number, depth: number): void {
    const e = this.engine;
    if (this.states >= this.options.maxStates) {
      // one state more than the bound exists: stop without it (a space of exactly maxStates
      // states completes)
      this.stop(`the bound maxStates=${this.options.maxStates} was reached`);
      return;
    }
    this.states++;
    if (this.options.reduced) this.orbitSum += e.orbitSize(src, off);
    if (depth > this.maxDepth) this.maxDepth = depth;
    const bad = e.violated(src, off);
    if (bad >= 0) {
      this.fail(e.always[bad].name, index);
      return;
    }
    // only the `sometimes` properties not reached yet
    const pending = this.pending;
    for (let i = pending.length - 1; i >= 0; i--)
      if (e.holds(pending[i], src, off)) {
        this.reached.add(pending[i].name);
        pending.splice(i, 1);
      }
    const g = this.graph;
    if (g !== null) {
      let holds = 0;
      const ev = e.eventually;
      for (let i = 0; i < ev.length; i++) if (e.holds(ev[i], src, off)) holds |= 1 << i;
      g.addState(index, holds);
    }
    const ff = this.frontier;
    const o = ff.push();
    const buf = ff.buf;
    const w = ff.words;
    for (let i = 0; i < w; i++) buf[o + i] = src[off + i];
    buf[o + w] = index;
    buf[o + w + 1] = depth;
    e.retain(src, off);
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
    const e = this.engine;
    const ff = this.frontier;
    const w = ff.words;
    const succ = this.successors;
    const bfs = this.options.order === 'bfs';
    const reduced = this.options.reduced;
    const maxDepth = this.options.maxDepth;
    const g = this.graph;
    const keyed = this.keyed !== null;
    const store = this.store as FingerprintSet;
    if (this.options.signal?.aborted && !this.done) this.stop('aborted');
    while (!this.done) {
      if (ff.size === 0) {
        if (this.depthBoundHit) this.stop(`the bound maxDepth=${maxDepth} was reached`);
        this.done = true;
        break;
      }
      if ((++this.tick & 1023) === 0) {
        if (this.options.signal?.aborted) {
          this.stop('aborted');
          break;
        }
        if ((this.tick & 4095) === 0) this.budget.checkHeap('the JS heap (store and engine)', this.store.heapGrowth?.() ?? 0);
        if (performance.now() >= deadline) return false;
      }
      // the row is read before any push can move it
      const o = bfs ? ff.shift() : ff.pop();
      const buf = ff.buf;
      const index = buf[o + w];
      const depth = buf[o + w + 1];
      if (depth >= maxDepth) {
        // Not expanded; the rest of the frontier still is. With BFS that is every state up to
        // the bound; with DFS a state first met deeper than its shortest path is cut too.
        if (e.expand(buf, o, succ, reduced) > 0) this.depthBoundHit = true;
        else if (!e.finished(buf, o)) this.fail(DEADLOCK, index);
        else g?.endState(index); // an end state: the liveness check needs to know it
        e.release(buf, o);
        continue;
      }
      const n = e.expand(buf, o, succ, reduced);
      if (n === 0) {
        if (!e.finished(buf, o)) this.fail(DEADLOCK, index);
        else g?.endState(index);
        e.release(buf, o);
        continue;
      }
      e.release(buf, o);
      const record = g !== null && g.wants(index);
      const targets = this.edgeTargets.length >= n ? this.edgeTargets : (this.edgeTargets = new Int32Array(2 * n));
      const threads = this.edgeThreads.length >= n ? this.edgeThreads : (this.edgeThreads = new Int32Array(2 * n));
      const sb = succ.buf;
      const stride = succ.stride;
      for (let a = 0; a < n; a++) {
        this.transitions++;
        const so = a * stride;
        let at: number;
        if (keyed) at = this.insert(sb, so + SUCCESSOR_HEADER, index, a);
        else at = store.insertFingerprint(sb[so], sb[so + 1], index, a);
        if (at >= 0) {
          this.stored(sb, so + SUCCESSOR_HEADER, at, depth + 1);
          if (this.done) break;
        }
        if (record) {
          targets[a] = at >= 0 ? at : ~at;
          threads[a] = sb[so + 2];
        }
      }
      if (record && !this.done) g.record(index, targets, threads, n);
    }
    return true;
  }

  /** The path (initial-state number, then action indices) to the stored state `index`. */
  pathTo(index: number): number[] {
    return pathTo(this.store, index);
  }

  /** Frees the store and the frontier (the figures stay); the graph stays for the liveness check. */
  close(): void {
    this.store.close?.();
    this.frontier.release();
  }
}
