/**
 * The part of the state graph the liveness check needs, recorded by the safety pass as it
 * expands states (so that `eventually` properties need no second exploration): for every state
 * in which some `eventually` property does not hold, its successors' store indices in action
 * order with each action's thread; for every state, which `eventually` properties hold. States
 * in which all of them hold are never entered by a lasso, so their edges are not kept.
 *
 * Typed arrays in chunks (reserved in the run's memory budget first): per state 4 bytes (first
 * edge) + 2 (degree) + 1 (property bits, up to 8 properties; 4 beyond), per recorded edge 5
 * (target, thread).
 */
import { MemoryBudget } from './memory';

/** Degree of a state whose edges were not recorded (every `eventually` property holds in it,
 *  or it was never expanded). */
export const NOT_RECORDED = 0xffff;
/** Most actions of a state the graph can record. */
export const MAX_DEGREE = 0xfffe;

/** What the liveness check reads of a recorded graph (state-graph.ts `StateGraph` in one
 *  thread; the shared arrays of a parallel check). */
export interface LivenessGraph {
  /** States seen (indices 0 .. states - 1). */
  readonly states: number;
  /** Bits of the properties that hold in every state. */
  readonly allHold: number;
  readonly initial: ReadonlyArray<{ readonly index: number; readonly init: number }>;
  holdsIn(index: number): number;
  /** NOT_RECORDED, or the number of recorded successors (0: an end state). */
  degree(index: number): number;
  firstEdge(index: number): number;
  target(edge: number): number;
  thread(edge: number): number;
}

const SHIFT = 18;
const CHUNK = 1 << SHIFT;
const LOW = CHUNK - 1;

/**
 * Chunks of 2^18 entries (no copy when the graph grows: growing by copying cost an eighth of a
 * 5M-state check); the first chunk starts small and is replaced by a full one when it fills.
 */
class Chunks<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array> {
  c: T[] = [];
  private cap = 0;
  constructor(
    private readonly make: (n: number) => T,
    private readonly bytesEach: number,
    private readonly what: string,
    private readonly budget: MemoryBudget,
  ) {
    this.grow(1 << 12);
  }
  /** Room for index `n - 1`. */
  grow(n: number): void {
    while (this.cap < n) {
      if (this.cap < CHUNK) {
        // the first chunk: doubled up to a full one (small runs stay small)
        const cap = Math.min(CHUNK, Math.max(2 * this.cap, n, 1 << 12));
        const a = this.budget.allocate(cap * this.bytesEach, this.what, () => this.make(cap));
        if (this.c.length) a.set(this.c[0] as never);
        this.budget.release(this.cap * this.bytesEach);
        this.c[0] = a;
        this.cap = cap;
      } else {
        this.c.push(this.budget.allocate(CHUNK * this.bytesEach, this.what, () => this.make(CHUNK)));
        this.cap += CHUNK;
      }
    }
  }
  get capacity(): number {
    return this.cap;
  }
  bytes(): number {
    return this.cap * this.bytesEach;
  }
  close(): void {
    this.budget.release(this.bytes());
    this.c = [];
    this.cap = 0;
  }
}

export class StateGraph implements LivenessGraph {
  private readonly first: Chunks<Uint32Array>;
  private readonly degrees: Chunks<Uint16Array>;
  private readonly bits: Chunks<Uint8Array | Uint32Array>;
  private readonly targets: Chunks<Int32Array>;
  private readonly threads: Chunks<Uint8Array>;
  /** Edges recorded. */
  edges = 0;
  /** States seen (the highest index + 1). */
  states = 0;
  /** Store index of each initial state, by initial-state number. */
  readonly initial: Array<{ index: number; init: number }> = [];
  readonly allHold: number;

  constructor(
    /** Number of `eventually` properties (bit i: property i holds). */
    readonly properties: number,
    budget: MemoryBudget,
  ) {
    const wide = properties > 8;
    this.allHold = properties >= 32 ? -1 : (1 << properties) - 1;
    const states = 'the liveness graph (states)';
    this.first = new Chunks((n) => new Uint32Array(n), 4, states, budget);
    this.degrees = new Chunks((n) => new Uint16Array(n).fill(NOT_RECORDED), 2, states, budget);
    this.bits = new Chunks((n) => (wide ? new Uint32Array(n) : new Uint8Array(n)), wide ? 4 : 1, states, budget);
    this.targets = new Chunks((n) => new Int32Array(n), 4, 'the liveness graph (edges)', budget);
    this.threads = new Chunks((n) => new Uint8Array(n), 1, 'the liveness graph (edges)', budget);
  }

  /** A new state `index`: which properties hold in it. */
  addState(index: number, holds: number): void {
    if (index >= this.bits.capacity) {
      this.first.grow(index + 1);
      this.degrees.grow(index + 1);
      this.bits.grow(index + 1);
    }
    this.bits.c[index >>> SHIFT][index & LOW] = holds;
    if (index >= this.states) this.states = index + 1;
  }

  holdsIn(index: number): number {
    return this.bits.c[index >>> SHIFT][index & LOW];
  }

  /** Whether the edges of `index` are worth recording (some property does not hold in it). */
  wants(index: number): boolean {
    return (this.holdsIn(index) | 0) !== (this.allHold | 0);
  }

  /** `index` is an end state (expanded, no successor). */
  endState(index: number): void {
    this.degrees.c[index >>> SHIFT][index & LOW] = 0;
  }

  /** The edges of `index` (expanded now): `n` successors, their store indices and threads at
   *  `targets[0..n-1]` and `threads[0..n-1]`. */
  record(index: number, targets: Int32Array, threads: Int32Array, n: number): void {
    if (n > MAX_DEGREE) throw new RangeError(`a state has more than ${MAX_DEGREE} actions: the liveness graph cannot record it`);
    const e = this.edges;
    if (e + n > this.targets.capacity) {
      this.targets.grow(e + n);
      this.threads.grow(e + n);
    }
    const t = this.targets.c;
    const h = this.threads.c;
    for (let i = 0; i < n; i++) {
      const x = e + i;
      t[x >>> SHIFT][x & LOW] = targets[i];
      h[x >>> SHIFT][x & LOW] = threads[i];
    }
    this.first.c[index >>> SHIFT][index & LOW] = e;
    this.degrees.c[index >>> SHIFT][index & LOW] = n;
    this.edges = e + n;
  }

  /** NOT_RECORDED, or the number of recorded successors (0: an end state). */
  degree(index: number): number {
    return this.degrees.c[index >>> SHIFT][index & LOW];
  }
  firstEdge(index: number): number {
    return this.first.c[index >>> SHIFT][index & LOW];
  }
  target(edge: number): number {
    return this.targets.c[edge >>> SHIFT][edge & LOW];
  }
  thread(edge: number): number {
    return this.threads.c[edge >>> SHIFT][edge & LOW];
  }

  bytes(): number {
    return this.first.bytes() + this.degrees.bytes() + this.bits.bytes() + this.targets.bytes() + this.threads.bytes();
  }

  close(): void {
    this.first.close();
    this.degrees.close();
    this.bits.close();
    this.targets.close();
    this.threads.close();
  }
}
