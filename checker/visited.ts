/**
 * Visited-state stores for the exhaustive checker: one job, "have we seen this key, and what is
 * its index". Two implementations behind one interface:
 *
 * - `FingerprintSet`: TLC's approach. A state is remembered by a 64-bit fingerprint of its key in
 *   an open-addressing table on one `Uint32Array` (8 bytes per slot, linear probing, load factor
 *   kept <= 0.85), plus the counterexample links (parent index, action index: 5 bytes per state)
 *   in chunked typed arrays. Two distinct states with equal fingerprints make the checker miss
 *   one of them: the probability is reported (`missedStateProbability`).
 * - `FullStateSet`: exact, a `Map` from the whole key to the index, for small runs and for
 *   cross-checking the fingerprint mode.
 *
 * Indices are assigned 0, 1, 2, ... in insertion order, so a caller may keep per-state data in
 * arrays indexed by them.
 */

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
  /** Bytes held for the states (table plus links), for `bytesPerState`. */
  bytes(): number;
}

/** 64-bit fingerprint of a string as two 32-bit halves (a cyrb53-style double multiply-xor
 *  hash widened to 64 bits), written to `out[0]` (low) and `out[1]` (high). */
export function fingerprint(key: string, out: Uint32Array): void {
  let h1 = 0xdeadbeef ^ key.length;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  fingerprintFinish(h1, h2, out);
}

/** The final avalanche of `fingerprint`, shared with models that hash their own packed fields
 *  (start from h1 = 0xdeadbeef ^ length-or-0, h2 = 0x41c6ce57 and mix each input word c as
 *  `h1 = imul(h1 ^ c, 2654435761); h2 = imul(h2 ^ c, 1597334677)`). */
export function fingerprintFinish(h1: number, h2: number, out: Uint32Array): void {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 = Math.imul(h1 ^ (h1 >>> 15), 0x2c1b3c6d);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/** Append-only per-state links in fixed-size chunks (no doubling slack, no copying): a 4-byte
 *  parent index and a 1-byte action index (widened to 2 bytes once some action index exceeds 255). */
class Links {
  private parents: Int32Array[] = [];
  private actions: Array<Uint8Array | Uint16Array> = [];
  private wide = false;
  constructor(private readonly enabled: boolean) {}
  set(index: number, parent: number, action: number): void {
    if (!this.enabled) return;
    const c = index >>> CHUNK_BITS;
    if (c === this.parents.length) {
      this.parents.push(new Int32Array(CHUNK));
      this.actions.push(this.wide ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK));
    }
    if (action > 0xff && !this.wide) {
      this.wide = true;
      this.actions = this.actions.map((a) => Uint16Array.from(a));
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
}

export interface StoreOptions {
  /** Keep parent/action links for counterexample paths (default true). */
  links?: boolean;
  /** Return `~index` for keys already present (costs 4 bytes per slot in fingerprint mode). */
  trackIndex?: boolean;
}

/** Largest load factor before the table grows (linear probing stays short on random
 *  fingerprints at this load), and the growth factor. Growing by 1.25 rather than 2 keeps the
 *  load in 0.72..0.9, i.e. 8.9..11.1 table bytes per state, so that table plus links stay near
 *  16 bytes per state. */
const MAX_LOAD = 0.9;
const GROWTH = 1.25;
/** Below this many slots (2 MiB of table) the table doubles: fewer rehashes of small tables,
 *  at most 2 MiB of slack. */
const FAST_GROWTH_BELOW = 1 << 18;

export class FingerprintSet implements VisitedSet {
  readonly exact = false;
  size = 0;
  /** invariant: slot i holds fingerprint (table[2i], table[2i+1]); (0, 0) marks an empty slot. */
  private table: Uint32Array;
  private index: Int32Array | null;
  private cap: number;
  private limit: number;
  private readonly links: Links;
  private readonly fp = new Uint32Array(2);

  constructor(options: StoreOptions = {}, initialSlots = 1 << 16) {
    this.cap = initialSlots;
    this.scale = this.cap / 4294967296;
    this.limit = Math.floor(this.cap * MAX_LOAD);
    this.table = new Uint32Array(2 * this.cap);
    this.index = options.trackIndex ? new Int32Array(this.cap) : null;
    this.links = new Links(options.links ?? true);
  }

  /** Home slot: the high fingerprint half scaled to 0..cap-1 (any capacity, no modulo). */
  private home(hi: number): number {
    // hi * cap < 2^53 and the scale is cap / 2^32 exactly (a power-of-two divisor): exact, and
    // one multiplication instead of a division per probe
    const i = Math.floor(hi * this.scale);
    return i < this.cap ? i : this.cap - 1;
  }
  private scale = 0;

  insert(key: string, parent: number, action: number): number {
    fingerprint(key, this.fp);
    return this.insertFingerprint(this.fp[0], this.fp[1], parent, action);
  }

  /** As `insert`, for a fingerprint the model computed (`Model.fingerprint`). */
  insertFingerprint(lo: number, hi: number, parent: number, action: number): number {
    if (lo === 0 && hi === 0) lo = 1;
    const t = this.table;
    const cap = this.cap;
    let i = this.home(hi);
    for (;;) {
      const a = t[2 * i];
      const b = t[2 * i + 1];
      if (a === 0 && b === 0) break;
      if (a === lo && b === hi) return this.index ? ~this.index[i] : SEEN;
      if (++i === cap) i = 0;
    }
    t[2 * i] = lo;
    t[2 * i + 1] = hi;
    const n = this.size++;
    if (this.index) this.index[i] = n;
    this.links.set(n, parent, action);
    if (this.size > this.limit) this.grow();
    return n;
  }

  private grow(): void {
    const old = this.table;
    const oldIndex = this.index;
    const oldCap = this.cap;
    this.cap = Math.ceil(oldCap * (oldCap < FAST_GROWTH_BELOW ? 2 : GROWTH));
    this.scale = this.cap / 4294967296;
    this.limit = Math.floor(this.cap * MAX_LOAD);
    this.table = new Uint32Array(2 * this.cap);
    this.index = oldIndex ? new Int32Array(this.cap) : null;
    const t = this.table;
    for (let j = 0; j < oldCap; j++) {
      const lo = old[2 * j];
      const hi = old[2 * j + 1];
      if (lo === 0 && hi === 0) continue;
      let i = this.home(hi);
      while (t[2 * i] !== 0 || t[2 * i + 1] !== 0) if (++i === this.cap) i = 0;
      t[2 * i] = lo;
      t[2 * i + 1] = hi;
      if (this.index && oldIndex) this.index[i] = oldIndex[j];
    }
  }

  parentOf(index: number): number {
    return this.links.parentOf(index);
  }
  actionOf(index: number): number {
    return this.links.actionOf(index);
  }
  bytes(): number {
    return this.table.byteLength + (this.index ? this.index.byteLength : 0) + this.links.bytes();
  }
}

export class FullStateSet implements VisitedSet {
  readonly exact = true;
  private readonly map = new Map<string, number>();
  private keyChars = 0;
  private readonly links: Links;
  private readonly trackIndex: boolean;

  constructor(options: StoreOptions = {}) {
    this.links = new Links(options.links ?? true);
    this.trackIndex = options.trackIndex ?? false;
  }
  get size(): number {
    return this.map.size;
  }
  insert(key: string, parent: number, action: number): number {
    const old = this.map.get(key);
    if (old !== undefined) return this.trackIndex ? ~old : SEEN;
    const n = this.map.size;
    this.map.set(key, n);
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
  /** An estimate: the key strings (1 byte per char, V8's one-byte strings) plus ~40 bytes of
   *  Map entry and string header per state, plus the links. */
  bytes(): number {
    return this.keyChars + 40 * this.map.size + this.links.bytes();
  }
}

export function makeVisitedSet(mode: 'fingerprint' | 'full', options: StoreOptions = {}): VisitedSet {
  return mode === 'full' ? new FullStateSet(options) : new FingerprintSet(options);
}
