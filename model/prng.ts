/**
 * The project's own seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator),
 * on 32-bit integers so that a random explorer's hot loop needs no BigInt. A test pins its first
 * outputs so that old traces keep replaying after upgrades. The toolkit never uses the unseeded global generator.
 */
export class Prng {
  readonly seed: bigint;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any integer; it is reduced to 64 bits (the low and high halves seed the state). */
  constructor(seed: bigint | number) {
    this.seed = BigInt.asUintN(64, BigInt(seed));
    this.a = Number(this.seed & 0xffffffffn) | 0;
    this.b = Number(this.seed >> 32n) | 0;
    this.c = 0x9e3779b9 | 0;
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** Next output, an unsigned 32-bit integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in 0 .. n-1 (1 <= n <= 2^32), by rejection so there is no modulo bias. */
  below(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 0x1_0000_0000)) throw new RangeError(`[internal bug] Prng.below(${n})`);
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.next32();
      if (x < limit) return x % n;
    }
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  unit(): number {
    return this.next32() / 0x1_0000_0000;
  }
}
