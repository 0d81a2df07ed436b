/**
 * Schemes as data: how many rmap values a folio of a given order keeps, how the 24-bit rmap ID
 * is cut into chunks, and the design bound N of the sub-ID construction.
 */
import { UsageError } from './errors';

/** One row of the series' table (subid-math.md): the scheme used for a range of folio orders. */
export interface Scheme {
  /** Human-readable name, e.g. `wip-v1/orders-6-9`. */
  name: string;
  /** Inclusive folio-order range `[lo, hi]` this scheme is used for; a folio has P = 2^order pages. */
  orders: [number, number];
  /** Number of rmap values V per folio (`folio->_rmap_valX`). */
  values: number;
  /** Bits c per chunk of the rmap ID. */
  chunkBits: number;
  /** Design bound N in subid_N (the largest mapcount the values are meant to stay exact for). */
  bound: bigint;
  /** Width W of one rmap value in bits; arithmetic is modulo 2^W. */
  wordBits: number;
  /** Width of an rmap ID; valid IDs are 1 .. 2^idBits - 1 (0 is init_mm's dummy ID). */
  idBits: number;
}

/** A named list of schemes covering disjoint order ranges. */
export interface SchemeSet {
  name: string;
  schemes: Scheme[];
}

function row(lo: number, hi: number, values: number, chunkBits: number, bound: number): Scheme {
  return {
    name: `wip-v1/orders-${lo}-${hi}`,
    orders: [lo, hi],
    values,
    chunkBits,
    bound: BigInt(bound),
    wordBits: 64,
    idBits: 24,
  };
}

/** The six schemes of the WIP v1 series (patches 07 and 11), exactly as in subid-math.md. */
export const WIP_V1: SchemeSet = {
  name: 'wip-v1',
  schemes: [
    row(2, 2, 1, 24, 4),
    row(3, 5, 2, 12, 32),
    row(6, 9, 3, 8, 512),
    row(10, 10, 4, 6, 1024),
    row(11, 12, 5, 5, 4096),
    row(13, 15, 6, 4, 32768),
  ],
};

/** Every built-in scheme set, by name. */
export const PRESETS: readonly SchemeSet[] = [WIP_V1];

export function findPreset(name: string): SchemeSet | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** Pages in a folio of this order. */
export function pagesOf(order: number): number {
  return 2 ** order;
}

/** The scheme of a set that covers `order`, or undefined. */
export function schemeForOrder(set: SchemeSet, order: number): Scheme | undefined {
  return set.schemes.find((s) => order >= s.orders[0] && order <= s.orders[1]);
}

/** Every order covered by a set, ascending. */
export function ordersOf(set: SchemeSet): number[] {
  const out: number[] = [];
  for (const s of set.schemes) for (let k = s.orders[0]; k <= s.orders[1]; k++) out.push(k);
  return out.sort((a, b) => a - b);
}

/** Problems with one scheme, each naming the field (empty when valid). */
export function schemeProblems(s: Scheme): string[] {
  const p: string[] = [];
  const [lo, hi] = s.orders;
  const int = (x: number) => Number.isInteger(x);
  if (!int(lo) || !int(hi) || lo < 2 || hi > 30 || lo > hi)
    p.push(`orders [${lo}, ${hi}] must be integers with 2 <= lo <= hi <= 30`);
  if (!int(s.values) || s.values < 1 || s.values > 64) p.push(`values ${s.values} must be an integer in 1..64`);
  if (!int(s.chunkBits) || s.chunkBits < 1 || s.chunkBits > 32) p.push(`chunkBits ${s.chunkBits} must be an integer in 1..32`);
  if (!int(s.wordBits) || s.wordBits < 8 || s.wordBits > 128) p.push(`wordBits ${s.wordBits} must be an integer in 8..128`);
  if (!int(s.idBits) || s.idBits < 1 || s.idBits > 32) p.push(`idBits ${s.idBits} must be an integer in 1..32`);
  if (int(s.values) && int(s.chunkBits) && int(s.idBits) && s.values * s.chunkBits < s.idBits)
    p.push(`values * chunkBits = ${s.values * s.chunkBits} < idBits ${s.idBits}: some ID bits are never compared`);
  if (s.bound > BigInt(Number.MAX_SAFE_INTEGER)) p.push(`bound ${s.bound} is larger than 2^53 - 1`);
  if (int(hi) && hi >= 2 && hi <= 30 && s.bound < BigInt(pagesOf(hi)))
    p.push(`bound ${s.bound} < P = ${pagesOf(hi)} pages of order ${hi}: sums of up to P sub-IDs would carry`);
  return p;
}

/** Pairs of schemes whose order ranges overlap (an order must have one scheme). */
export function orderOverlaps(schemes: readonly Scheme[]): string[] {
  const p: string[] = [];
  const sorted = [...schemes].sort((a, b) => a.orders[0] - b.orders[0]);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].orders[0] <= sorted[i - 1].orders[1])
      p.push(`order ranges overlap: ${sorted[i - 1].name} [${sorted[i - 1].orders}] and ${sorted[i].name} [${sorted[i].orders}]`);
  return p;
}

/** Problems with a set: each scheme's, plus overlapping order ranges. */
export function schemeSetProblems(set: SchemeSet): string[] {
  const p: string[] = [];
  if (set.schemes.length === 0) p.push('the scheme list is empty');
  set.schemes.forEach((s, i) => schemeProblems(s).forEach((m) => p.push(`scheme ${i} (${s.name}): ${m}`)));
  p.push(...orderOverlaps(set.schemes));
  return p;
}

/** Throws a UsageError naming every problem when the set is not valid. */
export function validateSchemeSet(set: SchemeSet): SchemeSet {
  const p = schemeSetProblems(set);
  if (p.length > 0) throw new UsageError(`invalid scheme set '${set.name}': ${p.join('; ')}`);
  return set;
}

/** The JSON form of a scheme (bound as a decimal string so that it survives any width). */
export function schemeToJson(s: Scheme): Record<string, unknown> {
  return { ...s, bound: s.bound.toString() };
}
