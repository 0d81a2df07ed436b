/**
 * Counterexample links (parent index, action index) of a run too large to keep them in memory,
 * kept as TLC keeps its trace file: appended to an unlinked temporary file one chunk at a time and read
 * back (one small read per step of a counterexample) only to rebuild a path. Memory: one chunk.
 *
 * File layout: chunk c (states c*chunk .. c*chunk+chunk-1) is `chunk` int32 parents then `chunk`
 * uint16 actions (host byte order: the file never leaves the run), at byte offset c*chunk*6.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBudget } from './memory';

export class SpilledLinks {
  private readonly fd: number;
  private readonly parents: Int32Array;
  private readonly actions: Uint16Array;
  /** The chunk held in memory; every earlier one is in the file. */
  private chunkIndex = 0;
  private readonly one = new Int32Array(1);
  private closed = false;

  constructor(
    private readonly chunk = 1 << 16,
    private readonly budget: MemoryBudget = new MemoryBudget(),
  ) {
    budget.reserve(chunk * 6, 'the counterexample links (one chunk in memory)');
    // the file is removed at once and lives on through its descriptor: nothing is left behind,
    // whatever ends the run (an exception, a kill)
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-links-'));
    try {
      this.fd = openSync(join(dir, 'links.bin'), 'w+');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    this.parents = new Int32Array(chunk);
    this.actions = new Uint16Array(chunk);
  }

  /** Indices arrive in order 0, 1, 2, ... */
  set(index: number, parent: number, action: number): void {
    if (action > 0xffff) throw new Error(`[internal bug] action index ${action} exceeds the 16-bit link field`);
    const c = Math.floor(index / this.chunk);
    if (c !== this.chunkIndex) {
      if (c !== this.chunkIndex + 1) throw new Error(`[internal bug] spilled links: state ${index} out of order`);
      this.flush();
      this.chunkIndex = c;
    }
    const i = index - c * this.chunk;
    this.parents[i] = parent;
    this.actions[i] = action;
  }

  private flush(): void {
    const at = this.chunkIndex * this.chunk * 6;
    writeSync(this.fd, new Uint8Array(this.parents.buffer), 0, this.chunk * 4, at);
    writeSync(this.fd, new Uint8Array(this.actions.buffer), 0, this.chunk * 2, at + this.chunk * 4);
  }

  private read(index: number, parent: boolean): number {
    const c = Math.floor(index / this.chunk);
    const i = index - c * this.chunk;
    if (c === this.chunkIndex) return parent ? this.parents[i] : this.actions[i];
    const bytes = parent ? 4 : 2;
    const at = c * this.chunk * 6 + (parent ? i * 4 : this.chunk * 4 + i * 2);
    this.one[0] = 0;
    if (readSync(this.fd, new Uint8Array(this.one.buffer), 0, bytes, at) !== bytes)
      throw new Error(`[internal bug] spilled links: short read at state ${index}`);
    return parent ? this.one[0] : new Uint16Array(this.one.buffer)[0];
  }
  parentOf(index: number): number {
    return this.read(index, true);
  }
  actionOf(index: number): number {
    return this.read(index, false);
  }
  /** Bytes held in memory (the file is on disk). */
  bytes(): number {
    return this.chunk * 6;
  }
  /** Bytes a state takes in memory: none (its links go to the file). */
  bytesPerState(): number {
    return 0;
  }
  /** Releases the file's space; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.budget.release(this.chunk * 6);
    closeSync(this.fd);
  }
}
