/**
 * The frontier of the exhaustive traversal: rows [the engine's row words..., store index, depth]
 * in one growable Int32Array (BFS takes rows at the head, DFS at the tail). Millions of queued states
 * stay out of the JS heap, so the GC neither scans nor promotes them. A row's offset is valid
 * only until the next `push` (which may move the rows). Growth is reserved in the run's
 * `MemoryBudget` first (the old and the new buffer exist at once).
 */
import { MemoryBudget, MemoryExhaustedError } from './memory';

export class FlatFrontier {
  buf: Int32Array;
  private head = 0;
  private tail = 0;
  readonly row: number;
  /** Drops the rows (the frontier is not used afterwards). */
  release(): void {
    this.budget.release(this.buf.byteLength);
    this.buf = new Int32Array(0);
    this.head = this.tail = 0;
  }
  constructor(
    readonly words: number,
    private readonly budget: MemoryBudget = new MemoryBudget(),
  ) {
    this.row = words + 2;
    this.buf = budget.allocate(this.row * 4096 * 4, 'the frontier', () => new Int32Array(this.row * 4096));
  }
  get size(): number {
    return this.tail - this.head;
  }
  /** Offset of a new row at the tail. */
  push(): number {
    const row = this.row;
    if ((this.tail + 1) * row > this.buf.length) {
      if (this.head * 2 >= this.buf.length / row) {
        // BFS: the consumed half is reused rather than grown into
        this.buf.copyWithin(0, this.head * row, this.tail * row);
      } else {
        const b = this.grown();
        b.set(this.buf.subarray(this.head * row, this.tail * row));
        this.budget.release(this.buf.byteLength);
        this.buf = b;
      }
      this.tail -= this.head;
      this.head = 0;
    }
    return this.tail++ * row;
  }
  /** A buffer twice as long, or near the bound a quarter longer (reserved in the budget). */
  private grown(): Int32Array {
    const what = `the frontier (${this.size.toLocaleString('en-US')} states queued)`;
    const old = this.buf.length;
    try {
      return this.budget.allocate(old * 8, what, () => new Int32Array(old * 2));
    } catch (e) {
      if (!(e instanceof MemoryExhaustedError)) throw e;
      const length = Math.ceil((old * 1.25) / this.row) * this.row;
      return this.budget.allocate(length * 4, what, () => new Int32Array(length));
    }
  }
  /** Offset of the head row, removed (BFS). */
  shift(): number {
    return this.head++ * this.row;
  }
  /** Offset of the tail row, removed (DFS). */
  pop(): number {
    return --this.tail * this.row;
  }
}
