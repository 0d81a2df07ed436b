/**
 * `check --workers N`: the breadth-first traversal on N worker threads (check-worker.ts) over one
 * shared store (shared-store.ts: a fingerprint table with compare-and-swap inserts, the links and
 * the liveness graph in SharedArrayBuffers). Levels are level-synchronous: the workers share out
 * the rows of one depth through an atomic cursor, each keeps its new states as rows of the next
 * depth; between levels the main thread grows the shared arrays (no worker runs then).
 *
 * The same states, transitions, depths and verdicts as one worker: every level is explored
 * whole, so a counterexample is still a shortest one (the first level with a violation; among
 * its violations the deadlock, else the first property in the model's order, then the lowest
 * fingerprint: the same choice whatever the thread timing). The path to it is a shortest path,
 * though not always the one the one-thread search reports (which parent stored a state first
 * depends on the timing). A run cut by `maxStates` stops inside a level.
 */
import { Worker } from 'worker_threads';
import { join } from 'path';
import type { AnyModel } from '../model/core';
import { UsageError } from '../model/errors';
import type { Engine } from '../engine/core';
import { MemoryBudget } from './memory';
import { NOT_RECORDED } from './state-graph';
import type { LivenessGraph } from './liveness';
import { CTL, SharedStore, grownCopy, rehash, slotsFor, type SharedBuffers } from './shared-store';
import { DEADLOCK, type Search } from './traversal';

export interface CheckWorkerSetup {
  readonly modelName: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly engine: string;
  readonly reduced: boolean;
  readonly graph: boolean;
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly buffers: SharedBuffers;
}
export interface LevelRows {
  readonly buf: SharedArrayBuffer;
  readonly count: number;
}
export type ToCheckWorker = { type: 'buffers'; buffers: SharedBuffers } | { type: 'level'; rows: LevelRows[]; total: number; depth: number };
export interface LevelDone {
  readonly type: 'level-done';
  readonly out: LevelRows[];
  /** property: index into the engine's `always`, or -1 for a deadlock. */
  readonly violations: Array<{ property: number; index: number; lo: number; hi: number }>;
  readonly reached: string[];
  readonly transitions: number;
  readonly orbitSum: number;
  readonly depthCut: boolean;
}
type FromCheckWorker = { type: 'ready' } | LevelDone | { type: 'error'; message: string };

/** Why `engine` cannot run on workers, or null. */
export function parallelObstacle(engine: Engine, model: AnyModel, store: string): string | null {
  if (engine.maxActions === Infinity) return `the ${model.name} model runs on the generic engine, which runs in one thread`;
  if (store === 'full') return '--store full keeps its keys in one thread';
  return null;
}

export class ParallelTraversal implements Search {
  states = 0;
  transitions = 0;
  maxDepth = 0;
  done = false;
  property: string | null = null;
  violationIndex = -1;
  incompleteReason: string | null = null;
  orbitSum = 0;
  readonly reached = new Set<string>();
  graph: SharedGraph | null = null;
  private readonly workers: Worker[] = [];
  private buffers: SharedBuffers;
  private shared: SharedStore;
  private ready = 0;
  private frontier: LevelRows[] = [];
  private frontierCount = 0;
  private depth = 0;
  private running = false;
  private results: LevelDone[] = [];
  private failure: string | null = null;
  private wake: (() => void) | null = null;
  private depthBoundHit = false;
  private readonly rowWords: number;
  private capacity = { states: 0, edges: 0, slots: 0 };
  private reservedBytes = 0;

  constructor(
    readonly engine: Engine,
    private readonly options: { reduced: boolean; maxStates: number; maxDepth: number; graph: boolean; expectedStates?: number; signal?: { readonly aborted: boolean } },
    private readonly budget: MemoryBudget,
    workers: number,
  ) {
    this.rowWords = engine.words + 1;
    const graph = options.graph && engine.eventually.length > 0;
    // sized for --expect-states up front: no rehash (the workers wait for one) up to there
    const expected = Math.max(1 << 14, options.expectedStates ?? 0);
    this.buffers = this.allocate(expected, 4 * expected, slotsFor(expected), null, graph);
    this.shared = new SharedStore(this.buffers);
    if (graph) this.graph = new SharedGraph(this);
    // the initial states, here (no worker runs yet)
    const row = new Int32Array(engine.words);
    const fp = new Uint32Array(2);
    const first = new Int32Array(new SharedArrayBuffer(4 * this.rowWords * Math.max(1, engine.initialCount)));
    let count = 0;
    for (let i = 0; i < engine.initialCount && !this.done; i++) {
      engine.initial(i, row, 0);
      engine.fingerprint(row, 0, options.reduced, fp);
      const at = this.shared.insert(fp[0], fp[1]);
      const index = at >= 0 ? at : ~at;
      this.graph?.initial.push({ index, init: i });
      if (at < 0) continue;
      this.shared.parent[at] = -1;
      this.shared.action[at] = i;
      if (options.reduced) this.orbitSum += engine.orbitSize(row, 0);
      const bad = engine.violated(row, 0);
      if (bad >= 0) {
        this.fail(engine.always[bad].name, at);
        break;
      }
      for (const p of engine.sometimes) if (engine.holds(p, row, 0)) this.reached.add(p.name);
      if (this.shared.holds) {
        let h = 0;
        engine.eventually.forEach((p, b) => (h |= engine.holds(p, row, 0) ? 1 << b : 0));
        this.shared.holds[at] = h;
      }
      first.set(row, count * this.rowWords);
      first[count * this.rowWords + engine.words] = at;
      count++;
    }
    this.states = Atomics.load(this.shared.ctl, CTL.states);
    this.frontier = [{ buf: first.buffer as SharedArrayBuffer, count }];
    this.frontierCount = count;
    const setup: CheckWorkerSetup = {
      modelName: engine.model.name,
      params: { ...engine.model.params },
      engine: engine.kind,
      reduced: options.reduced,
      graph,
      maxDepth: options.maxDepth,
      maxStates: options.maxStates,
      buffers: this.buffers,
    };
    const ts = __filename.endsWith('.ts');
    for (let i = 0; i < workers; i++) {
      const w = new Worker(join(__dirname, ts ? 'check-worker.ts' : 'check-worker.js'), {
        workerData: setup,
        execArgv: ts ? ['-r', require.resolve('ts-node/register/transpile-only')] : [],
      });
      w.on('message', (m: FromCheckWorker) => this.onMessage(m));
      w.on('error', (e) => this.onMessage({ type: 'error', message: e.message }));
      this.workers.push(w);
    }
  }

  /** The shared arrays for `states` states, `edges` edges and `slots` table slots, copying
   *  `from` (the table rehashed). */
  private allocate(states: number, edges: number, slots: number, from: SharedBuffers | null, graph: boolean): SharedBuffers {
    const bytes = 12 * slots + 6 * states + (graph ? 7 * states + 5 * edges : 0);
    this.budget.reserve(bytes, 'the shared store of the parallel check');
    this.budget.release(this.reservedBytes);
    this.reservedBytes = bytes;
    const grow = (old: SharedArrayBuffer | null | undefined, n: number, fill = 0): SharedArrayBuffer => {
      if (!old) {
        const b = new SharedArrayBuffer(n);
        if (fill) new Uint8Array(b).fill(fill);
        return b;
      }
      return old.byteLength >= n ? old : grownCopy(old, n, fill);
    };
    const table = from === null ? new SharedArrayBuffer(12 * slots) : slots * 12 > from.table.byteLength ? rehash(new Int32Array(from.table), slots) : from.table;
    this.capacity = { states, edges, slots };
    return {
      ctl: from?.ctl ?? new SharedArrayBuffer(4 * CTL.size),
      table,
      parent: grow(from?.parent, 4 * states),
      action: grow(from?.action, 2 * states),
      holds: graph ? grow(from?.holds, states) : null,
      first: graph ? grow(from?.first, 4 * states) : null,
      degree: graph ? grow(from?.degree, 2 * states, 0xff) : null,
      target: graph ? grow(from?.target, 4 * edges) : null,
      thread: graph ? grow(from?.thread, edges) : null,
    };
  }

  private onMessage(m: FromCheckWorker): void {
    if (m.type === 'ready') this.ready++;
    else if (m.type === 'error') this.failure ??= m.message;
    else this.results.push(m);
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  get frontierSize(): number {
    return this.frontierCount;
  }

  get store(): { exact: boolean; bytes(): number; bytesPerStoredState(): number } {
    return {
      exact: false,
      // the table (load at most 1/2) and the links, as allocated
      bytes: () => 12 * this.capacity.slots + 6 * this.capacity.states,
      // a 12-byte slot (fingerprint and index) and 6 bytes of links; the free slots are fixed cost
      bytesPerStoredState: () => 18,
    };
  }

  waiting(): Promise<void> | null {
    if (this.done) return null;
    return new Promise((r) => (this.wake = r));
  }

  private fail(property: string, index: number): void {
    this.property = property;
    this.violationIndex = index;
    this.done = true;
  }

  stop(reason: string): void {
    this.incompleteReason ??= reason;
    Atomics.store(this.shared.ctl, CTL.stop, 1);
    if (!this.running) this.done = true;
  }

  run(): boolean {
    if (this.failure !== null) throw new Error(`[internal bug] a check worker failed: ${this.failure}`);
    if (this.done) return true;
    if (this.options.signal?.aborted) this.stop('aborted');
    if (this.ready < this.workers.length) return false;
    if (this.running) {
      if (this.results.length < this.workers.length) return false;
      this.endLevel();
      if (this.done) return true;
    }
    if (this.incompleteReason !== null) {
      this.done = true;
      return true;
    }
    if (this.frontierCount === 0) {
      if (this.depthBoundHit) this.incompleteReason = `the bound maxDepth=${this.options.maxDepth} was reached`;
      this.done = true;
      return true;
    }
    this.startLevel();
    return false;
  }

  private startLevel(): void {
    // room for every successor of this level (no growth while the workers run)
    const n = this.frontierCount * this.engine.maxActions;
    const c = this.capacity;
    const states = this.states + n;
    const edges = Atomics.load(this.shared.ctl, CTL.edges) + n;
    if (states > c.states || edges > c.edges || slotsFor(states) > c.slots) {
      // (a rehash runs while every worker waits: the main thread's one job)
      const more = (have: number, need: number) => (need <= have ? have : Math.max(need, 2 * have));
      const slots = Math.max(c.slots, slotsFor(states));
      this.buffers = this.allocate(more(c.states, states), this.graph ? more(c.edges, edges) : c.edges, slots, this.buffers, this.graph !== null);
      this.shared = new SharedStore(this.buffers);
      for (const w of this.workers) w.postMessage({ type: 'buffers', buffers: this.buffers } satisfies ToCheckWorker);
    }
    Atomics.store(this.shared.ctl, CTL.cursor, 0);
    this.results = [];
    this.running = true;
    for (const w of this.workers) w.postMessage({ type: 'level', rows: this.frontier, total: this.frontierCount, depth: this.depth } satisfies ToCheckWorker);
  }

  private endLevel(): void {
    this.running = false;
    const rs = this.results;
    this.results = [];
    this.frontier = rs.flatMap((r) => r.out);
    this.frontierCount = this.frontier.reduce((a, r) => a + r.count, 0);
    for (const r of rs) {
      this.transitions += r.transitions;
      this.orbitSum += r.orbitSum;
      for (const x of r.reached) this.reached.add(x);
      if (r.depthCut) this.depthBoundHit = true;
    }
    this.states = Math.min(Atomics.load(this.shared.ctl, CTL.states), this.options.maxStates);
    if (this.frontierCount > 0) this.maxDepth = this.depth + 1;
    this.depth++;
    const violations = rs.flatMap((r) => r.violations);
    if (violations.length > 0) {
      // deadlocks (found at this level's depth) before property violations (one deeper); then
      // the model's property order; then the fingerprint: a choice independent of the timing
      const key = (v: (typeof violations)[number]) => [v.property < 0 ? -1 : v.property, v.hi, v.lo] as const;
      violations.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      });
      const v = violations[0];
      if (v.property < 0) {
        // the deadlock's own depth is the level's
        this.maxDepth = this.depth - 1;
        this.fail(DEADLOCK, v.index);
      } else this.fail(this.engine.always[v.property].name, v.index);
      return;
    }
    const stop = Atomics.load(this.shared.ctl, CTL.stop);
    if (stop === 2) this.stop(`the bound maxStates=${this.options.maxStates} was reached`);
    if (stop !== 0) this.done = true;
  }

  pathTo(index: number): number[] {
    const rev: number[] = [];
    for (let i = index; i >= 0; i = this.shared.parent[i]) rev.push(this.shared.action[i]);
    return rev.reverse();
  }

  /** The shared store, as the liveness graph reads it. */
  get sharedStore(): SharedStore {
    return this.shared;
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    // the liveness graph lives in the shared arrays: they go back to the budget with it
    if (this.graph === null) this.releaseAll();
  }

  /** The shared arrays' reservation (released when the graph is closed). */
  releaseAll(): void {
    this.budget.release(this.reservedBytes);
    this.reservedBytes = 0;
  }
}

/** The liveness graph in the shared arrays. */
class SharedGraph implements LivenessGraph {
  readonly initial: Array<{ index: number; init: number }> = [];
  constructor(private readonly t: ParallelTraversal) {}
  private get s(): SharedStore {
    return this.t.sharedStore;
  }
  get states(): number {
    return this.t.states;
  }
  get edges(): number {
    return Atomics.load(this.s.ctl, CTL.edges);
  }
  get allHold(): number {
    return (1 << this.t.engine.eventually.length) - 1;
  }
  holdsIn(i: number): number {
    return this.s.holds![i];
  }
  degree(i: number): number {
    return this.s.degree![i] ?? NOT_RECORDED;
  }
  firstEdge(i: number): number {
    return this.s.first![i];
  }
  target(e: number): number {
    return this.s.target![e];
  }
  thread(e: number): number {
    return this.s.thread![e];
  }
  bytes(): number {
    const s = this.s;
    return s.holds!.byteLength + s.first!.byteLength + s.degree!.byteLength + s.target!.byteLength + s.thread!.byteLength;
  }
  close(): void {
    this.t.releaseAll();
  }
}

/** `--workers` given to a synchronous check. */
export function workersNeedAsync(): never {
  throw new UsageError('a check on worker threads runs with checkAsync (the event loop delivers the workers\' results)');
}
