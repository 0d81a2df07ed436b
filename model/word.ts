/**
 * Machine words as BigInt. The kernel's `atomic_long_t` arithmetic wraps modulo 2^W;
 * every modelled word goes through these helpers so no JS `number` ever holds a 64-bit value.
 */

/** 2^bits as a BigInt. */
export function modulus(bits: number): bigint {
  return 1n << BigInt(bits);
}

/** `x mod 2^bits`, always in `0 .. 2^bits - 1` (two's complement wrap for negative `x`). */
export function wrap(x: bigint, bits: number): bigint {
  return BigInt.asUintN(bits, x);
}

/** Hex with the word's full width, e.g. `0x0000000000000005` for 64 bits. */
export function hexWord(x: bigint, bits: number): string {
  return '0x' + wrap(x, bits).toString(16).padStart(Math.ceil(bits / 4), '0');
}
