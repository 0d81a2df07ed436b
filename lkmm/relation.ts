/**
 * Binary relations over the events of one candidate execution, as bit matrices (a row of 32-bit
 * words per event): the cat language's operators (`|`, `&`, `\`, `;`, `^-1`, `+`, `*`, `?`,
 * `[S]`) and its checks (acyclic, empty), fast enough to judge thousands of candidates a second.
 */

/** A set of events: one bit per event id. */
export type EventSet = Uint32Array;

export class Rel {
  readonly w: number;
  readonly bits: Uint32Array;
  constructor(readonly n: number, bits?: Uint32Array) {
    this.w = (n + 31) >>> 5;
    this.bits = bits ?? new Uint32Array(n * this.w);
  }

  static set(n: number, members: Iterable<number>): EventSet {
    const s = new Uint32Array((n + 31) >>> 5);
    for (const i of members) s[i >>> 5] |= 1 << (i & 31);
    return s;
  }

  static id(n: number, only?: EventSet): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) if (!only || only[i >>> 5] & (1 << (i & 31))) r.add(i, i);
    return r;
  }

  /** `A * B`: every pair of a member of a and a member of b. */
  static cross(n: number, a: EventSet, b: EventSet): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) if (a[i >>> 5] & (1 << (i & 31))) r.bits.set(b, i * r.w);
    return r;
  }

  add(a: number, b: number): void {
    this.bits[a * this.w + (b >>> 5)] |= 1 << (b & 31);
  }
  has(a: number, b: number): boolean {
    return (this.bits[a * this.w + (b >>> 5)] & (1 << (b & 31))) !== 0;
  }

  union(o: Rel): Rel {
    const r = new Rel(this.n, this.bits.slice());
    for (let i = 0; i < r.bits.length; i++) r.bits[i] |= o.bits[i];
    return r;
  }
  inter(o: Rel): Rel {
    const r = new Rel(this.n, this.bits.slice());
    for (let i = 0; i < r.bits.length; i++) r.bits[i] &= o.bits[i];
    return r;
  }
  minus(o: Rel): Rel {
    const r = new Rel(this.n, this.bits.slice());
    for (let i = 0; i < r.bits.length; i++) r.bits[i] &= ~o.bits[i];
    return r;
  }

  /** `this ; o`. */
  seq(o: Rel): Rel {
    const { n, w } = this;
    const r = new Rel(n);
    for (let a = 0; a < n; a++) {
      const base = a * w;
      for (let k = 0; k < w; k++) {
        let word = this.bits[base + k];
        while (word) {
          const bit = word & -word;
          const b = (k << 5) + (31 - Math.clz32(bit));
          word ^= bit;
          const ob = b * w;
          for (let j = 0; j < w; j++) r.bits[base + j] |= o.bits[ob + j];
        }
      }
    }
    return r;
  }

  inverse(): Rel {
    const r = new Rel(this.n);
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) r.add(b, a);
    return r;
  }

  /** `[S] ; this ; [T]` (either side optional). */
  restrict(dom: EventSet | null, ran: EventSet | null): Rel {
    const r = new Rel(this.n, this.bits.slice());
    for (let a = 0; a < this.n; a++) {
      const base = a * this.w;
      if (dom && !(dom[a >>> 5] & (1 << (a & 31)))) r.bits.fill(0, base, base + this.w);
      else if (ran) for (let j = 0; j < this.w; j++) r.bits[base + j] &= ran[j];
    }
    return r;
  }

  /** `this+` (Warshall, on rows). */
  plus(): Rel {
    const { n, w } = this;
    const r = new Rel(n, this.bits.slice());
    for (let k = 0; k < n; k++) {
      const kw = k >>> 5;
      const kb = 1 << (k & 31);
      const kbase = k * w;
      for (let a = 0; a < n; a++) {
        if (r.bits[a * w + kw] & kb) for (let j = 0; j < w; j++) r.bits[a * w + j] |= r.bits[kbase + j];
      }
    }
    return r;
  }
  /** `this*`. */
  star(): Rel {
    return this.plus().union(Rel.id(this.n));
  }
  /** `this?`. */
  opt(): Rel {
    return this.union(Rel.id(this.n));
  }

  isEmpty(): boolean {
    for (let i = 0; i < this.bits.length; i++) if (this.bits[i]) return false;
    return true;
  }
  /** No cycle: the transitive closure has no (a, a). */
  acyclic(): boolean {
    const p = this.plus();
    for (let a = 0; a < this.n; a++) if (p.has(a, a)) return false;
    return true;
  }
  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) out.push([a, b]);
    return out;
  }
}
