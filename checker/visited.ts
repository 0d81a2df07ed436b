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

/** Append-only per-state links in fixed-size chunks (no doubling slack, no copying). */
class Links {
  private parents: Int32Array[] = [];
  private actions: Uint16Array[] = [];
  constructor(private readonly enabled: boolean) {}
  set(index: number, parent: number, action: number): void {
    if (!this.enabled) return;
    const c = index >>> CHUNK_BITS;
    if (c === this.parents.length) {
      this.parents.push(new Int32Array(CHUNK));
      this.actions.push(new Uint16Array(CHUNK));
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
    return this.parents.length * CHUNK * 6;
  }
}

export interface StoreOptions {
  /** Keep parent/action links for counterexample paths (default true). */
  links?: boolean;
  /** Return `~index` for keys already present (costs 4 bytes per slot in fingerprint mode). */
  trackIndex?: boolean;
}

export class FingerprintSet implements VisitedSet {
  readonly exact = false;
  size = 0;
  /** invariant: slot i holds fingerprint (table[2i], table[2i+1]); (0, 0) marks an empty slot. */
  private table: Uint32Array;
  private index: Int32Array | null;
  private mask: number;
  private readonly links: Links;
  private readonly fp = new Uint32Array(2);

  constructor(options: StoreOptions = {}, initialSlots = 1 << 16) {
    let cap = 1;
    while (cap < initialSlots) cap *= 2;
    this.table = new Uint32Array(2 * cap);
    this.index = options.trackIndex ? new Int32Array(cap) : null;
    this.mask = cap - 1;
    this.links = new Links(options.links ?? true);
  }

  insert(key: string, parent: number, action: number): number {
    fingerprint(key, this.fp);
    let lo = this.fp[0];
    const hi = this.fp[1];
    if (lo === 0 && hi === 0) lo = 1;
    const t = this.table;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const a = t[2 * i];
      const b = t[2 * i + 1];
      if (a === 0 && b === 0) break;
      if (a === lo && b === hi) return this.index ? ~this.index[i] : SEEN;
      i = (i + 1) & this.mask;
    }
    t[2 * i] = lo;
    t[2 * i + 1] = hi;
    const n = this.size++;
    if (this.index) this.index[i] = n;
    this.links.set(n, parent, action);
    if (this.size > (this.mask + 1) * 0.85) this.grow();
    return n;
  }

  private grow(): void {
    const old = this.table;
    const oldIndex = this.index;
    const cap = (this.mask + 1) * 2;
    this.table = new Uint32Array(2 * cap);
    this.index = oldIndex ? new Int32Array(cap) : null;
    this.mask = cap - 1;
    for (let j = 0; j < old.length / 2; j++) {
      const lo = old[2 * j];
      const hi = old[2 * j + 1];
      if (lo === 0 && hi === 0) continue;
      let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
      while (this.table[2 * i] !== 0 || this.table[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.table[2 * i] = lo;
      this.table[2 * i + 1] = hi;
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
