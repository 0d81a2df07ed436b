/**
 * Distinct states seen by a randomized run, as a HyperLogLog sketch (Flajolet et al. 2007) of the
 * states' 64-bit fingerprints (`Engine.stateFingerprint`, engine/core.ts).
 *
 * Why a sketch and not a set: a run spread over workers, shards and machines must merge its
 * coverage in any order and get the same figure as one run (the merged sketch is register-wise
 * max, equal to the sketch of the union), and a shard's JSON report must stay small (16 KiB of
 * registers, base64). The price: `distinctStates` is an estimate, standard error 1.04 / sqrt(2^14)
 * = 0.8% (small counts use linear counting and are close to exact).
 */

/** Index bits p: 2^p one-byte registers. */
const P = 14;
export const SKETCH_REGISTERS = 1 << P;

export class CoverageSketch {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    if (registers && registers.length !== SKETCH_REGISTERS)
      throw new Error(`[internal bug] coverage sketch of ${registers.length} registers, expected ${SKETCH_REGISTERS}`);
    this.registers = registers ?? new Uint8Array(SKETCH_REGISTERS);
  }

  /** Adds a fingerprint given as two unsigned 32-bit halves. */
  add(lo: number, hi: number): void {
    const index = hi >>> (32 - P);
    // rank: position of the first 1 bit in the remaining 50 bits (hi's low 18 bits, then lo)
    const rest = (hi << P) >>> 0;
    const rank = rest !== 0 ? Math.clz32(rest) + 1 : 32 - P + (lo !== 0 ? Math.clz32(lo) + 1 : 33);
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  merge(other: CoverageSketch | Uint8Array): void {
    const o = other instanceof CoverageSketch ? other.registers : other;
    const r = this.registers;
    for (let i = 0; i < r.length; i++) if (o[i] > r[i]) r[i] = o[i];
  }

  /** The estimated number of distinct fingerprints added. */
  estimate(): number {
    const m = SKETCH_REGISTERS;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const v = this.registers[i];
      sum += 2 ** -v;
      if (v === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }

  toBase64(): string {
    return Buffer.from(this.registers.buffer, this.registers.byteOffset, this.registers.byteLength).toString('base64');
  }

  static fromBase64(text: string): CoverageSketch {
    const b = Buffer.from(text, 'base64');
    return new CoverageSketch(new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  }
}
