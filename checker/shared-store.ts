/**
 * The state store of a parallel check (`check --workers N`), in SharedArrayBuffers that every
 * worker thread sees: an open-addressing fingerprint table whose slots [high, low, index] are
 * claimed by compare-and-swap, and per-state arrays indexed by store index (counterexample links,
 * the liveness graph). The main thread grows them between breadth-first levels, when no worker
 * runs; a worker only inserts, into room reserved for the level.
 */

/** Control words (Int32Array over one SharedArrayBuffer). */
export const CTL = {
  /** Non-zero: stop at once (abort, bound, violation elsewhere does not stop a level). */
  stop: 0,
  /** Stored states (the next store index). */
  states: 1,
  /** Recorded liveness edges (the next edge index). */
  edges: 2,
  /** The next row of the current level to hand out. */
  cursor: 3,
  size: 8,
} as const;

/** A slot's high word while its claimer writes the rest. */
const BUSY = -1;

export interface SharedBuffers {
  readonly ctl: SharedArrayBuffer;
  /** 3 Int32 per slot: high (0 empty, BUSY while written), low, index. */
  readonly table: SharedArrayBuffer;
  /** Per state: parent index (Int32) and action (Uint16). */
  readonly parent: SharedArrayBuffer;
  readonly action: SharedArrayBuffer;
  /** With the liveness graph: per state the `eventually` bits (Uint8), first edge (Uint32),
   *  degree (Uint16, 0xffff not recorded); per edge its target (Int32) and thread (Uint8). */
  readonly holds: SharedArrayBuffer | null;
  readonly first: SharedArrayBuffer | null;
  readonly degree: SharedArrayBuffer | null;
  readonly target: SharedArrayBuffer | null;
  readonly thread: SharedArrayBuffer | null;
}

/** Typed views of `SharedBuffers`, and the insertion. */
export class SharedStore {
  readonly ctl: Int32Array;
  readonly table: Int32Array;
  readonly mask: number;
  readonly parent: Int32Array;
  readonly action: Uint16Array;
  readonly holds: Uint8Array | null;
  readonly first: Uint32Array | null;
  readonly degree: Uint16Array | null;
  readonly target: Int32Array | null;
  readonly thread: Uint8Array | null;

  constructor(readonly buffers: SharedBuffers) {
    this.ctl = new Int32Array(buffers.ctl);
    this.table = new Int32Array(buffers.table);
    this.mask = this.table.length / 3 - 1;
    this.parent = new Int32Array(buffers.parent);
    this.action = new Uint16Array(buffers.action);
    this.holds = buffers.holds && new Uint8Array(buffers.holds);
    this.first = buffers.first && new Uint32Array(buffers.first);
    this.degree = buffers.degree && new Uint16Array(buffers.degree);
    this.target = buffers.target && new Int32Array(buffers.target);
    this.thread = buffers.thread && new Uint8Array(buffers.thread);
  }

  /** Inserts the fingerprint: its new index (>= 0), or ~index of the state stored before. */
  insert(lo: number, hi: number): number {
    const t = this.table;
    const mask = this.mask;
    lo |= 0;
    hi |= 0;
    if (hi === 0 || hi === BUSY) hi = 1; // the two reserved high words (one bit of 64 lost for them)
    let slot = (lo ^ (lo >>> 16) ^ hi) & mask;
    for (;;) {
      const o = 3 * slot;
      const h = Atomics.load(t, o);
      if (h === 0) {
        if (Atomics.compareExchange(t, o, 0, BUSY) !== 0) continue; // lost the race: look again
        t[o + 1] = lo;
        const index = Atomics.add(this.ctl, CTL.states, 1);
        t[o + 2] = index;
        Atomics.store(t, o, hi); // publishes low and index
        return index;
      }
      if (h === BUSY) continue; // being written: its key is not known yet
      if (h === hi && t[o + 1] === lo) return ~t[o + 2];
      slot = (slot + 1) & mask;
    }
  }
}

/** Slots for `states` at a load of at most 1/2 (a power of two). */
export function slotsFor(states: number): number {
  let n = 1 << 16;
  while (n < 2 * states) n *= 2;
  return n;
}

/** A new table of `slots` slots with every entry of `old` reinserted (main thread, no worker
 *  running). */
export function rehash(old: Int32Array, slots: number): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(12 * slots);
  const t = new Int32Array(buf);
  const mask = slots - 1;
  for (let o = 0; o < old.length; o += 3) {
    const hi = old[o];
    if (hi === 0) continue;
    const lo = old[o + 1];
    let slot = (lo ^ (lo >>> 16) ^ hi) & mask;
    while (t[3 * slot] !== 0) slot = (slot + 1) & mask;
    t[3 * slot] = hi;
    t[3 * slot + 1] = lo;
    t[3 * slot + 2] = old[o + 2];
  }
  return buf;
}

/** A copy of `old` in a SharedArrayBuffer of `bytes` (the rest `fill`ed). */
export function grownCopy(old: SharedArrayBuffer, bytes: number, fill = 0): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(bytes);
  new Uint8Array(buf).fill(fill, old.byteLength);
  new Uint8Array(buf).set(new Uint8Array(old));
  return buf;
}
