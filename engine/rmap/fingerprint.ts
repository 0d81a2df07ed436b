/**
 * A fast 64-bit fingerprint of rmap states (model/rmap) for the generic engine: it mixes the
 * fields `key` prints as 32-bit words instead of building the key string, so it is a function of
 * the key (test/engine/rmap-fingerprint.test.ts checks it, and that the reachable states of
 * several scenarios have no collision). The words and their order are those of the model's own
 * fingerprint before the engine layer, so coverage counts (HyperLogLog estimates) are unchanged.
 *
 * Layout of the mixed words: the folio's fields (BigInts as exact 32-bit words; each array as a
 * sub-hash of its own), the thread count, then per thread a sub-hash of its record. An array of
 * 48 or more entries (an order-6+ folio's page counts) has as sub-hash a lane-wise sum over its
 * non-zero entries of a mixed (index, value). Sub-hashes are kept by object identity: states are
 * immutable and `next` shares unchanged arrays and thread records between states, so a step
 * rehashes only what it changed (an order-9 folio's 512 page counts once per copy; a reader's
 * step only its own record).
 */
import type { AnyModel } from '../../model/core';
import { RmapModel, type RmapState, type ThreadState } from '../../model/rmap/model';
import { fingerprintFinish } from '../hash';
import type { StateFingerprint } from '../generic';

const BIG_ARRAY = 48;
const TWO53 = 1n << 53n;
const TWO64 = 1n << 64n;

/** The rmap model's state fingerprint, or null when `model` is not an rmap model. */
export function rmapFingerprint(model: AnyModel): StateFingerprint | null {
  if (!(model instanceof RmapModel)) return null;
  const h = new Mixer(model.sc.mms.length, model.sc.pages, model.threads.length);
  return (state, out) => h.fingerprint(state as RmapState, out);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Adds entry (i, v) to a large array's sub-hash `h` (two 32-bit lanes). */
function addEntry(h: Uint32Array, i: number, v: number): void {
  const x = (i << 16) ^ v;
  h[0] += fmix32(x ^ 0x3c6ef372);
  h[1] += fmix32(Math.imul(x, 0x2545f491) ^ 0x6a09e667);
}

/** The two accumulators of one fingerprint (cyrb53's mixing, as engine/hash.ts). */
class Mixer {
  private h1 = 0;
  private h2 = 0;
  /** Little-endian halves of a BigInt below 2^64 without BigInt shifts (which allocate). */
  private readonly big = new BigUint64Array(1);
  private readonly halves = new Uint32Array(this.big.buffer);
  /** Sub-hashes of large arrays (page counts, PTE rows) by identity. */
  private readonly large = new WeakMap<readonly number[], Uint32Array>();
  /** The last state whose folio fields were mixed, and the accumulators after them. */
  private folio: RmapState | null = null;
  private folioH1 = 0;
  private folioH2 = 0;
  /** Per thread slot: the last record hashed and its sub-hash. */
  private readonly threads: (ThreadState | null)[] = [];
  private readonly threadHash: Int32Array;

  constructor(
    private readonly mms: number,
    private readonly pages: number,
    threads: number,
  ) {
    this.threadHash = new Int32Array(2 * threads);
    this.big[0] = 1n;
    if (this.halves[0] !== 1) throw new Error('[internal bug] rmap fingerprint: big-endian host');
  }

  fingerprint(s: RmapState, out: Uint32Array): void {
    if (!this.sameFolio(s)) {
      this.h1 = 0xdeadbeef;
      this.h2 = 0x41c6ce57;
      this.mixBig(s.seq);
      this.mixBig(s.mapcount);
      this.mixBigs(s.vals);
      this.mix(s.refcount);
      this.mix(s.entire);
      this.mixArray(s.pageMap);
      this.mixArray(s.tracked);
      this.mixPtes(s.ptes);
      this.mixArray(s.pmds);
      this.mixBig(s.ends);
      this.mix(s.published ? 1 : 0);
      this.folio = s;
      this.folioH1 = this.h1;
      this.folioH2 = this.h2;
    }
    this.h1 = this.folioH1;
    this.h2 = this.folioH2;
    const th = s.th;
    this.mix(th.length);
    for (let k = 0; k < th.length; k++) {
      const x = th[k];
      // a step changes one thread's record: the others' sub-hashes are those of the last state
      if (this.threads[k] !== x) {
        const o1 = this.h1;
        const o2 = this.h2;
        this.h1 = 0x2545f491;
        this.h2 = 0x4f6cdd1d;
        this.mix(x.pc);
        this.mixBig(x.s);
        this.mixBig(x.t);
        this.mixBig(x.rm);
        this.mix(x.eq);
        this.mix(x.rv.length);
        for (let j = 0; j < x.rv.length; j++) this.mixBig(x.rv[j]);
        this.mix(x.g);
        this.mix(x.ans);
        this.threads[k] = x;
        this.threadHash[2 * k] = this.h1;
        this.threadHash[2 * k + 1] = this.h2;
        this.h1 = o1;
        this.h2 = o2;
      }
      this.mix(this.threadHash[2 * k]);
      this.mix(this.threadHash[2 * k + 1]);
    }
    fingerprintFinish(this.h1, this.h2, out);
  }

  /** `s` has the folio fields of the last state hashed (a reader's step changes none of them):
   *  the same objects (states are immutable and share unchanged arrays) or equal words. */
  private sameFolio(s: RmapState): boolean {
    const f = this.folio;
    return (
      f !== null &&
      f.seq === s.seq &&
      f.mapcount === s.mapcount &&
      f.vals === s.vals &&
      f.refcount === s.refcount &&
      f.entire === s.entire &&
      f.pageMap === s.pageMap &&
      f.tracked === s.tracked &&
      f.ptes === s.ptes &&
      f.pmds === s.pmds &&
      f.ends === s.ends &&
      f.published === s.published
    );
  }

  private mix(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
  }

  /** Ends a sub-hash begun after saving the accumulators as (o1, o2): mixes it into them. */
  private sub(o1: number, o2: number): void {
    const s1 = this.h1;
    const s2 = this.h2;
    this.h1 = o1;
    this.h2 = o2;
    this.mix(s1);
    this.mix(s2);
  }

  /** A BigInt as 32-bit words, exactly. */
  private mixBig(x: bigint): void {
    if (x === 0n) {
      this.mix(0);
      this.mix(0);
    } else if (x > 0n && x < TWO53) {
      const n = Number(x);
      this.mix(n >>> 0);
      this.mix((n / 4294967296) >>> 0);
    } else if (x > 0n && x < TWO64) {
      // the general loop's words for 2^53 <= x < 2^64: low, high, end mark
      this.big[0] = x;
      this.mix(this.halves[0]);
      this.mix(this.halves[1]);
      this.mix(0x40000000);
    } else {
      let y = x;
      while (y !== 0n && y !== -1n) {
        this.mix(Number(BigInt.asUintN(32, y)));
        y >>= 32n;
      }
      this.mix(y === -1n ? 0x80000000 : 0x40000000);
    }
  }

  private mixBigs(a: readonly bigint[]): void {
    const o1 = this.h1;
    const o2 = this.h2;
    this.h1 = 0x6a09e667;
    this.h2 = 0x3c6ef372;
    this.mix(a.length);
    for (let i = 0; i < a.length; i++) this.mixBig(a[i]);
    this.sub(o1, o2);
  }

  private mixArray(a: readonly number[]): void {
    const o1 = this.h1;
    const o2 = this.h2;
    this.h1 = 0x510e527f;
    this.h2 = 0x1f83d9ab;
    this.mix(a.length);
    if (a.length < BIG_ARRAY) for (let i = 0; i < a.length; i++) this.mix(a[i]);
    else {
      const h = this.largeHash(a, 0);
      this.mix(h[0]);
      this.mix(h[1]);
    }
    this.sub(o1, o2);
  }

  /** The PTE table as the one flat array of its M*P counts (`mixArray`'s words), a large one's
   *  sub-hash summed from its rows' (each row's entries at their flat indices). */
  private mixPtes(rows: readonly (readonly number[])[]): void {
    const o1 = this.h1;
    const o2 = this.h2;
    this.h1 = 0x510e527f;
    this.h2 = 0x1f83d9ab;
    const n = this.mms * this.pages;
    this.mix(n);
    if (n < BIG_ARRAY) {
      for (let m = 0; m < rows.length; m++) for (let p = 0; p < rows[m].length; p++) this.mix(rows[m][p]);
    } else {
      let a = 0;
      let b = 0;
      for (let m = 0; m < rows.length; m++) {
        const r = this.largeHash(rows[m], m * this.pages);
        a = (a + r[0]) >>> 0;
        b = (b + r[1]) >>> 0;
      }
      this.mix(a);
      this.mix(b);
    }
    this.sub(o1, o2);
  }

  /** The sub-hash of `a`'s entries at flat indices from `from`, kept by identity with `from`
   *  (in h[2]): states are immutable, and a PTE row stays at its MM. */
  private largeHash(a: readonly number[], from: number): Uint32Array {
    let h = this.large.get(a);
    if (h === undefined || h[2] !== from) {
      h = Uint32Array.of(0, 0, from);
      for (let i = 0; i < a.length; i++) if (a[i] !== 0) addEntry(h, from + i, a[i]);
      this.large.set(a, h);
    }
    return h;
  }
}
