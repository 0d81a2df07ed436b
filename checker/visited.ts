/**
 * Visited-state stores for the exhaustive checker: one job, "have we seen this key, and what is
 * its index". Two implementations behind one interface:
 *
 * - `FingerprintSet`: TLC's approach. A state is remembered by a 64-bit fingerprint of its key in
 *   an open-addressing table on one `Uint32Array` (8 bytes per slot, ordered linear probing, load
 *   factor kept <= 0.9), plus the counterexample links (parent index, action index: 5 bytes per state)
 *   in chunked typed arrays. Two distinct states with equal fingerprints make the checker miss
 *   one of them: the probability is reported (`missedStateProbability`).
 * - `FullStateSet`: exact, a `Map` from the whole key to the index, for small runs and for
 *   cross-checking the fingerprint mode.
 *
 * Indices are assigned 0, 1, 2, ... in insertion order, so a caller may keep per-state data in
 * arrays indexed by them.
 */

import { SpilledLinks } from './spilled-links';
import { MemoryBudget, MemoryExhaustedError } from './memory';

/** Result of `insert` for a key that was already present and whose index is not tracked. */
export const SEEN = -1;

export interface VisitedSet {
  /** True when no two distinct keys can be confused (full-state mode). */
  readonly exact: boolean;
  /** Number of distinct keys inserted. */
  readonly size: number;
  /**
   * Adds `key` unless present. Returns the new state's index (`>= 0`) when it was absent; when
   * present returns `~index` if the set tracks indices (`trackIndex`), else `SEEN` (-1).
   * `parent`/`action` are the counterexample link (parent index or -1 for an initial state, and
   * the index of the action, or of the initial state, that produced it).
   */
  insert(key: string, parent: number, action: number): number;
  parentOf(index: number): number;
  actionOf(index: number): number;
  /** Releases what the store holds (its table, the spilled links' file); optional. The store is
   *  not used afterwards. */
  close?(): void;
  /** Bytes held for the states (table, links, caches; the full store: an estimate). */
  bytes(): number;
  /** Bytes each stored state occupies (its slot and its links in memory): `bytes()` less
   *  `size` times this is the fixed cost (free slots, caches, an unfilled links chunk). */
  bytesPerStoredState(): number;
  /** JS-heap bytes the store may soon allocate at once (a Map doubling), for the heap check. */
  heapGrowth?(): number;
}

/** The path (initial-state index, then action indices) to the stored state `index`, from the
 *  store's links. */
export function pathTo(store: VisitedSet, index: number): number[] {
  const rev: number[] = [];
  for (let i = index; i >= 0; i = store.parentOf(i)) rev.push(store.actionOf(i));
  return rev.reverse();
}

// the fingerprints live in engine/hash.ts (rows and keys hash alike); re-exported for the stores' callers
export { fingerprint, fingerprintFinish } from '../engine/hash';
import { fingerprint } from '../engine/hash';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/** Append-only per-state links in fixed-size chunks (no doubling slack, no copying): a 4-byte
 *  parent index and a 1-byte action index (widened to 2 bytes once some action index exceeds 255). */
class Links {
  private parents: Int32Array[] = [];
  private actions: Array<Uint8Array | Uint16Array> = [];
  private wide = false;
  constructor(
    private readonly enabled: boolean,
    private readonly budget: MemoryBudget,
  ) {}
  set(index: number, parent: number, action: number): void {
    if (!this.enabled) return;
    const c = index >>> CHUNK_BITS;
    if (c === this.parents.length) {
      const wide = this.wide;
      this.budget.allocate(CHUNK * (wide ? 6 : 5), 'the counterexample links', () => {
        this.parents.push(new Int32Array(CHUNK));
        this.actions.push(wide ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK));
      });
    }
    if (action > 0xff && !this.wide) {
      // the wide copies exist next to the narrow ones until the swap
      const n = this.actions.length * CHUNK;
      this.actions = this.budget.allocate(2 * n, 'the counterexample links (2-byte actions)', () => this.actions.map((a) => Uint16Array.from(a)));
      this.budget.release(n);
      this.wide = true;
    }
    if (action > 0xffff) throw new Error(`[internal bug] action index ${action} exceeds the 16-bit link field`);
    this.parents[c][index & (CHUNK - 1)] = parent;
    this.actions[c][index & (CHUNK - 1)] = action;
  }
  parentOf(index: number): number {
    return this.parents[index >>> CHUNK_BITS][index & (CHUNK - 1)];
  }
  actionOf(index: number): number {
    return this.actions[index >>> CHUNK_BITS][index & (CHUNK - 1)];
  }
  bytes(): number {
    return this.parents.length * CHUNK * (this.wide ? 6 : 5);
  }
  bytesPerState(): number {
    return this.enabled ? (this.wide ? 6 : 5) : 0;
  }
  /** Drops the chunks and their reservation. */
  close(): void {
    this.budget.release(this.bytes());
    this.parents = [];
    this.actions = [];
  }
}

export interface StoreOptions {
  /** Keep parent/action links for counterexample paths (default true). */
  links?: boolean;
  /** Return `~index` for keys already present (costs 4 bytes per slot in fingerprint mode). */
  trackIndex?: boolean;
  /** Fingerprint mode: size the table for this many states at once (TLC's `-fpmem`): no
   *  growth up to there, which a run near the machine's memory needs (a growth holds the old
   *  and the new table). At most 0.9 * 2^31 (one typed array). */
  expectedStates?: number;
  /** Fingerprint mode: keep the links in a temporary file (`SpilledLinks`), not in memory. */
  linksOnDisk?: boolean;
  /** The run's memory account: the table and links reserve their bytes in it before they
   *  allocate (default: unbounded, allocation failures still end as `MemoryExhaustedError`). */
  budget?: MemoryBudget;
}

/** The fingerprint table reached its largest size (the checker stops, verdict `incomplete`). */
export class TableFullError extends Error {}

/** The largest table: 2^31 slots (one Uint32Array of 2^32 elements, Node's limit). */
const MAX_SLOTS = 2 ** 31;
/** Most states `expectedStates` may ask for. */
export const MAX_EXPECTED_STATES = Math.floor((MAX_SLOTS - 1024 - 1) * 0.9);

/** Bytes of the fingerprint table sized for `expectedStates` (8 a slot; with `trackIndex` 12). */
export function fingerprintTableBytes(expectedStates: number, trackIndex = false): number {
  return (Math.ceil(expectedStates / MAX_LOAD) + 1 + OVERFLOW) * (trackIndex ? 12 : 8);
}

/** Largest load factor before the table grows, and the growth factor. At most 0.75 keeps the
 *  clusters short, so that an insertion shifts few slots; doubling means few rehashes (the
 *  profile of the 5.2M-state seqcount check had 45% of its time in the table at 0.9 and x1.25).
 *  A table sized up front (`expectedStates`) never grows. Per stored state: an 8-byte slot and
 *  5 bytes of links; the free slots (up to half the table after a doubling) are fixed cost. */
const MAX_LOAD = 0.75;
const GROWTH = 2;
/** Below this many slots (2 MiB of table) the table doubles: fewer rehashes of small tables,
 *  at most 2 MiB of slack. */
const FAST_GROWTH_BELOW = 1 << 18;
/** Slots past the last home slot, where the last clusters run on instead of wrapping around. */
const OVERFLOW = 1024;
/** A fingerprint's halves are stored complemented (~hi, ~lo), so that the empty slot is 0: a
 *  new table is all empty as allocated (zero pages the OS maps only when a slot is written, so a
 *  table sized up front costs no time and no memory until it fills), and it compares below every
 *  stored fingerprint (a high half of 0xffffffff is stored as for 0xfffffffe). */
const EMPTY = 0;
/** The recent cache stores fingerprints as they are; its empty entry has a high half of
 *  0xffffffff, which no normalized fingerprint has. */
const RECENT_EMPTY = 0xffffffff;
/** Slots of the recent-fingerprint cache (2^15 x 8 bytes = 256 KiB: well inside the 2 MiB L2 of this
 *  machine's cores). */
const RECENT_BITS = 15;

/**
 * Ordered linear probing (Amble and Knuth): the slots hold the fingerprints in increasing
 * (high, low) order (decreasing as stored, complemented), each at or after its home slot with
 * no empty slot in between, and the home slot is monotonic in the high half. A search stops at
 * the first fingerprint not below its own, so a miss costs as little as a hit (plain linear
 * probing scans a miss to the end of its cluster: ~50 slots at load 0.9); an insertion shifts
 * the rest of the cluster by one slot. Growing is one merge-like pass (the old order is the new
 * one). Every allocation is reserved in the run's `MemoryBudget` first.
 */
export class FingerprintSet implements VisitedSet {
  readonly exact = false;
  size = 0;
  /** invariant: slot i holds fingerprint (high, low) = (~table[2i], ~table[2i+1]), or EMPTY in
   *  table[2i]; the slots are in increasing fingerprint order, the last one always empty (the
   *  scans' sentinel). */
  private table: Uint32Array;
  private index: Int32Array | null;
  private cap: number;
  private limit: number;
  private scale = 0;
  private readonly links: Links | SpilledLinks;
  private readonly fp = new Uint32Array(2);
  /**
   * A direct-mapped cache (slot = low bits of the low half) of fingerprints inserted or found
   * recently: every entry is also in the table, so a hit is a sure "seen" without touching the
   * table. Most duplicates are recent (two interleavings of independent steps meet a few
   * states later), so this turns most of the table's cache misses into L2 hits: with the seqcount
   * bench it answers ~97% of the repeated fingerprints. With `trackIndex` it keeps the indices
   * too (`recentIndex`).
   */
  private readonly recent: Uint32Array;
  private readonly recentIndex: Int32Array | null;
  private readonly budget: MemoryBudget;

  constructor(options: StoreOptions = {}, initialSlots = 1 << 16) {
    if (options.expectedStates !== undefined) {
      if (!(options.expectedStates >= 1 && options.expectedStates <= MAX_EXPECTED_STATES))
        throw new RangeError(`expected states ${options.expectedStates} out of range 1..${MAX_EXPECTED_STATES}`);
      initialSlots = Math.max(initialSlots, Math.ceil(options.expectedStates / MAX_LOAD) + 1);
    }
    const budget = (this.budget = options.budget ?? new MemoryBudget());
    this.cap = initialSlots;
    this.scale = this.cap / 4294967296;
    this.limit = Math.floor(this.cap * MAX_LOAD);
    const slots = this.cap + OVERFLOW;
    // all EMPTY (0) as allocated: nothing is written here, so the pages stay unmapped until used
    this.table = budget.allocate(8 * slots, 'the fingerprint table', () => new Uint32Array(2 * slots));
    this.index = options.trackIndex ? budget.allocate(4 * slots, "the fingerprint table's indices", () => new Int32Array(slots)) : null;
    this.links = options.linksOnDisk && (options.links ?? true) ? new SpilledLinks(undefined, budget) : new Links(options.links ?? true, budget);
    this.recent = budget.allocate(8 << RECENT_BITS, 'the recent-fingerprint cache', () => new Uint32Array(2 << RECENT_BITS).fill(RECENT_EMPTY));
    this.recentIndex = options.trackIndex ? budget.allocate(4 << RECENT_BITS, 'the recent-fingerprint cache', () => new Int32Array(1 << RECENT_BITS)) : null;
  }

  insert(key: string, parent: number, action: number): number {
    fingerprint(key, this.fp);
    return this.insertFingerprint(this.fp[0], this.fp[1], parent, action);
  }

  /** As `insert`, for a fingerprint the model computed (`Model.fingerprint`). */
  insertFingerprint(lo: number, hi: number, parent: number, action: number): number {
    lo >>>= 0;
    hi >>>= 0;
    if (hi === RECENT_EMPTY) hi = RECENT_EMPTY - 1;
    const recent = this.recent;
    const r = 2 * (lo & ((1 << RECENT_BITS) - 1));
    const ri = this.recentIndex;
    if (recent[r] === hi && recent[r + 1] === lo) return ri ? ~ri[r >> 1] : SEEN;
    const n = this.insertInTable(lo, hi, parent, action);
    recent[r] = hi;
    recent[r + 1] = lo;
    if (ri) ri[r >> 1] = n >= 0 ? n : ~n;
    return n;
  }

  /** `insertFingerprint` past the recent cache (`lo`, `hi` normalized). */
  private insertInTable(lo: number, hi: number, parent: number, action: number): number {
    const t = this.table;
    // as stored: complemented, so "below ours" reads "above ours" and EMPTY (0) ends every scan
    const h = ~hi >>> 0;
    const l = ~lo >>> 0;
    // home slot: hi * cap < 2^53 and scale = cap / 2^32 exactly, so this is floor(hi * cap / 2^32)
    let i = 2 * Math.floor(hi * this.scale);
    let b = t[i];
    while (b > h) b = t[(i += 2)];
    if (b === h) {
      let a = t[i + 1];
      while (a > l && b === h) {
        i += 2;
        b = t[i];
        a = t[i + 1];
      }
      if (a === l && b === h) return this.index ? ~this.index[i >> 1] : SEEN;
    }
    // insert at slot i/2: shift the slots up to the next empty one
    let j = i;
    while (t[j] !== EMPTY) j += 2;
    if (j + 2 === t.length) {
      // it would fill the sentinel: grow, then insert into the new table
      this.grow();
      return this.insertInTable(lo, hi, parent, action);
    }
    // (a loop: the runs are short, and copyWithin costs more per call than it saves)
    for (let k = j; k > i; k -= 2) {
      t[k] = t[k - 2];
      t[k + 1] = t[k - 1];
    }
    if (this.index) for (let k = j >> 1; k > i >> 1; k--) this.index[k] = this.index[k - 1];
    t[i] = h;
    t[i + 1] = l;
    const n = this.size++;
    if (this.index) this.index[i >> 1] = n;
    this.links.set(n, parent, action);
    if (this.size > this.limit) this.grow();
    return n;
  }

  /** Bytes of the table (and indices) at `slots` slots. */
  private tableBytes(slots: number): number {
    return slots * (this.index ? 12 : 8);
  }

  /** Rehashes into a larger table: the fingerprints in order, each at max(home, previous + 1).
   *  The old and the new table exist at once: the new one is reserved in the budget first. */
  private grow(): void {
    const old = this.table;
    const oldIndex = this.index;
    let cap = this.cap;
    for (;;) {
      if (cap >= MAX_SLOTS - OVERFLOW) throw new TableFullError(`the fingerprint table is full (${this.size} states; at most ${MAX_EXPECTED_STATES})`);
      cap = Math.min(Math.ceil(cap * (cap < FAST_GROWTH_BELOW ? 2 : GROWTH)), MAX_SLOTS - OVERFLOW);
      const scale = cap / 4294967296;
      const slots = cap + OVERFLOW;
      const bytes = this.tableBytes(slots);
      // allocated all EMPTY (0): only the occupied slots are written
      const [t, index] = this.budget.allocate(bytes, `the fingerprint table (growing to ${cap.toLocaleString('en-US')} slots, next to the old one)`, () => [
        new Uint32Array(2 * slots),
        oldIndex ? new Int32Array(slots) : null,
      ] as const);
      let next = 0;
      for (let j = 0; j < old.length && next < slots; j += 2) {
        const c = old[j];
        if (c === EMPTY) continue;
        const h = Math.floor((~c >>> 0) * scale);
        const i = h > next ? h : next;
        if (i >= slots) {
          next = slots;
          break;
        }
        t[2 * i] = c;
        t[2 * i + 1] = old[j + 1];
        if (index && oldIndex) index[i] = oldIndex[j >> 1];
        next = i + 1;
      }
      // the last slot stays empty (the sentinel); else grow more (not seen at these loads)
      if (next < slots) {
        this.budget.release(this.tableBytes(this.cap + OVERFLOW));
        this.cap = cap;
        this.scale = scale;
        this.limit = Math.floor(cap * MAX_LOAD);
        this.table = t;
        this.index = index;
        return;
      }
      this.budget.release(bytes);
    }
  }

  parentOf(index: number): number {
    return this.links.parentOf(index);
  }
  actionOf(index: number): number {
    return this.links.actionOf(index);
  }
  /** Releases the table and the links (memory and file): the set answers nothing afterwards. */
  close(): void {
    if (this.closed) return;
    this.budget.release(this.tableBytes(this.cap + OVERFLOW) + this.recent.byteLength + (this.recentIndex ? this.recentIndex.byteLength : 0));
    this.links.close();
    this.table = new Uint32Array(0);
    this.index = null;
    this.closed = true;
  }
  private closed = false;
  bytes(): number {
    if (this.closed) return 0;
    return this.table.byteLength + (this.index ? this.index.byteLength : 0) + this.recent.byteLength + (this.recentIndex ? this.recentIndex.byteLength : 0) + this.links.bytes();
  }
  bytesPerStoredState(): number {
    return (this.index ? 12 : 8) + this.links.bytesPerState();
  }
  /** Slots of the table now (its capacity). */
  get capacity(): number {
    return this.cap;
  }
}

export class FullStateSet implements VisitedSet {
  readonly exact = true;
  private readonly map = new Map<string, number>();
  private keyChars = 0;
  private readonly links: Links;
  private readonly trackIndex: boolean;

  constructor(options: StoreOptions = {}) {
    this.links = new Links(options.links ?? true, options.budget ?? new MemoryBudget());
    this.trackIndex = options.trackIndex ?? false;
  }
  get size(): number {
    return this.map.size;
  }
  insert(key: string, parent: number, action: number): number {
    const old = this.map.get(key);
    if (old !== undefined) return this.trackIndex ? ~old : SEEN;
    const n = this.map.size;
    try {
      this.map.set(key, n);
    } catch (e) {
      // V8's Map holds at most 2^24 entries ("Map maximum size exceeded")
      if (e instanceof RangeError) throw new MemoryExhaustedError(`the full store holds at most ${n.toLocaleString('en-US')} states (${e.message}); --store fingerprint has no such limit`);
      throw e;
    }
    this.keyChars += key.length;
    this.links.set(n, parent, action);
    return n;
  }
  parentOf(index: number): number {
    return this.links.parentOf(index);
  }
  actionOf(index: number): number {
    return this.links.actionOf(index);
  }
  /** Releases the keys: the set answers nothing afterwards. */
  close(): void {
    this.map.clear();
    this.links.close();
  }
  /** An estimate: the key strings (1 byte per char, V8's one-byte strings) plus ~40 bytes of
   *  Map entry and string header per state, plus the links. */
  bytes(): number {
    return this.keyChars + 40 * this.map.size + this.links.bytes();
  }
  bytesPerStoredState(): number {
    return (this.keyChars + 40 * this.map.size) / Math.max(this.map.size, 1) + this.links.bytesPerState();
  }
  /** The Map's next rehash: V8 doubles its table (capacity c, a power of two: c/2 buckets and
   *  3 words an entry) into one of 2c, 56c bytes, while the old one still exists. */
  heapGrowth(): number {
    let c = 4;
    while (c < this.map.size) c *= 2;
    return 56 * c;
  }
}

export function makeVisitedSet(mode: 'fingerprint' | 'full', options: StoreOptions = {}): VisitedSet {
  return mode === 'full' ? new FullStateSet(options) : new FingerprintSet(options);
}
