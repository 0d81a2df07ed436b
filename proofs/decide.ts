/**
 * Exact soundness decision for one (scheme, order): can the reader answer "exclusive" for a query
 * MM q that holds >= 1 mapping while at least one other MM maps the folio too?
 *
 * The argument (subid-math.md; B = N + 1, S = subid_N, W = word bits, P = 2^order, L = P - 1):
 *
 * 1. Subtract q's own mappings. With n <= P mappings in total and q holding >= 1, a false
 *    "exclusive" means: for every chunk j, sum over the other MMs m of
 *    cnt_m * (S(x_mj) - S(q_j)) == 0 (mod 2^W), with sum cnt_m <= P - 1 = L.
 * 2. Single-chunk reduction (exact). =>: pick a chunk j where some other MM differs from q and keep
 *    only the mappings whose chunk j differs (the others add 0). <=: take IDs equal to q outside
 *    chunk j; every other chunk then matches by itself. A chunk carries availBits = clamp(idBits -
 *    j*c, 0, c) bits. When no other chunk carries a bit, IDs are nonzero only through chunk j, so q's
 *    chunk and every row must be nonzero ("nonzeroRequired"); otherwise q gets a set bit in another
 *    chunk, which every row inherits, so all IDs are valid. Chunks with equal (bits,
 *    nonzeroRequired) are decided once.
 * 3. Column form. With t rows (the other mappings' chunk values) and a = q's chunk,
 *    sum (S(r) - S(a)) = sum_i e_i B^i with e_i = (#rows with bit i) - t*a_i, |e_i| <= t <= L.
 *    Rows equal to a add 0 to every e_i, so they can be dropped; e = 0 iff every row equals a.
 *    Conversely a nonzero e with |e_i| <= L is realized by t = max|e_i| rows, a_i = [e_i < 0],
 *    k_i = e_i + t*a_i rows having bit i. So: unsound iff some nonzero e with |e_i| <= L has
 *    T = sum e_i B^i == 0 (mod 2^W). Since L < B (validation gives N >= P), T = 0 only for e = 0
 *    (balanced digits are unique), which is the no-carry argument; hence if L * maxSubId < 2^W,
 *    |T| < 2^W and the chunk is sound ("bound").
 * 4. nonzeroRequired chunks also need a != 0 and no zero row. If some e_i = 0, set a_i = 1 (every
 *    row then has bit i): realizable. If every e_i > 0, a must be 0: not realizable. If every
 *    e_i != 0 and some are negative, a is forced; t rows (max|e| <= t <= L) with column sums k_i and
 *    no zero row exist iff sum k_i >= t (fill the ones cyclically), i.e.
 *    E+ - E- + (n1 - 1) * t >= 0, which is easiest at t = L.
 * 5. Exact search ("split DFS"): choose e_0..e_{s-1} by DFS; the high part X = sum_{i>=s} e_i
 *    B^(i-s) is then fixed modulo 2^W (up to the 2-adic part of B^s), and |X| <= R_s =
 *    L * sum_{k<b-s} B^k leaves a few explicit candidates, each expanded into balanced base-B
 *    digits (<= 2 choices per digit as 2L+1 < 2B). s = 0 is plain enumeration of every multiple
 *    m * 2^W with |m * 2^W| <= R_0.
 */
import { Scheme, pagesOf, schemeProblems } from '../model/scheme';
import { maxSubId } from '../model/subid';
import { modulus, wrap } from '../model/word';
import { newFolio, mapPages, readerDecision, oracle } from '../model/folio';
import { UsageError, internalAssert } from '../model/errors';
import type { ProofCounterexample } from './counterexample';

/** Node budget of the exact search; beyond it the decision refuses rather than guesses. */
export const SEARCH_BUDGET = 2e8;

/** A class of chunks decided once: the ID bits it carries and whether it alone keeps IDs nonzero. */
export interface ChunkKind {
  /** Chunk indices j of this kind, ascending. */
  chunks: number[];
  /** availBits = clamp(idBits - j*c, 0, c) (> 0; chunks with no bits never differ). */
  bits: number;
  /** Every other chunk carries no bit, so q's chunk and every other MM's chunk must be nonzero. */
  nonzeroRequired: boolean;
}

/** The distinct chunk kinds of a scheme (chunks with 0 available bits are left out). */
export function chunkKinds(scheme: Scheme): ChunkKind[] {
  const avail: number[] = [];
  for (let j = 0; j < scheme.values; j++)
    avail.push(Math.max(0, Math.min(scheme.chunkBits, scheme.idBits - j * scheme.chunkBits)));
  const kinds: ChunkKind[] = [];
  avail.forEach((bits, j) => {
    if (bits === 0) return;
    const nonzeroRequired = avail.every((b, k) => k === j || b === 0);
    const same = kinds.find((k) => k.bits === bits && k.nonzeroRequired === nonzeroRequired);
    if (same) same.chunks.push(j);
    else kinds.push({ chunks: [j], bits, nonzeroRequired });
  });
  return kinds;
}

/** The single-chunk question: nonzero e, |e_i| <= limit, sum e_i B^i == 0 (mod 2^wordBits). */
export interface ChunkProblem {
  bits: number;
  /** B = N + 1. */
  base: bigint;
  /** L: the largest number of other mappings (P - 1 for the reader). */
  limit: bigint;
  wordBits: number;
  nonzeroRequired: boolean;
}

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** R_k = L * sum_{i<k} B^i: the largest |sum e_i B^i| over k digits. */
function radius(p: ChunkProblem, k: number): bigint {
  return p.limit * maxSubId(k, p.base - 1n);
}

/** T = sum e_i B^i. */
export function columnValue(e: readonly bigint[], base: bigint): bigint {
  let t = 0n;
  for (let i = e.length - 1; i >= 0; i--) t = t * base + e[i];
  return t;
}

/**
 * Whether a nonzero column vector e is realizable on a nonzeroRequired chunk with at most `limit`
 * rows (step 4 of the header). Chunks without the requirement realize every nonzero e.
 */
export function realizableNonzero(e: readonly bigint[], limit: bigint): boolean {
  if (e.some((x) => x === 0n)) return true;
  const neg = e.filter((x) => x < 0n);
  if (neg.length === 0) return false;
  const ePlus = e.filter((x) => x > 0n).reduce((a, x) => a + x, 0n);
  const eMinus = neg.reduce((a, x) => a - x, 0n);
  return ePlus - eMinus + BigInt(neg.length - 1) * limit >= 0n;
}

/** v = min(W, 2-adic valuation of B^s): B^s = 2^v * u, u odd. */
function twoAdic(p: ChunkProblem, s: number): number {
  let x = p.base ** BigInt(s);
  let v = 0;
  while (x % 2n === 0n && v < p.wordBits) {
    x /= 2n;
    v++;
  }
  return v;
}

/** Cost estimate of the split-s search, as a float (a count of nodes, not a kernel word). */
function estimateNodes(p: ChunkProblem, s: number): number {
  const width = 2 * Number(p.limit) + 1;
  // A prefix passes with probability 2^-v and then leaves X free modulo 2^(W - v).
  const v = twoAdic(p, s);
  const candidates = (2 * Number(radius(p, p.bits - s)) / 2 ** (p.wordBits - v) + 1) / 2 ** v;
  // Expected branching of the balanced expansion: a residue has two digits in [-L, L] with
  // probability (2L+1-B)/B; radius pruning only lowers this.
  const branch = Math.max(1, width / Number(p.base));
  let expand = 0;
  for (let k = 1; k <= p.bits - s; k++) expand += branch ** k;
  return width ** s * candidates * Math.max(1, expand);
}

/** The split s with the smallest estimate, and that estimate. */
export function chooseSplit(p: ChunkProblem): { split: number; estimate: number } {
  let best = { split: 0, estimate: estimateNodes(p, 0) };
  for (let s = 1; s <= p.bits; s++) {
    const est = estimateNodes(p, s);
    if (est < best.estimate) best = { split: s, estimate: est };
  }
  return best;
}

/** Inverse of an odd u modulo 2^bits (Newton: each step doubles the correct low bits). */
function inverseOdd(u: bigint, bits: number): bigint {
  internalAssert(u % 2n === 1n, `inverseOdd of even ${u}`);
  let inv = u;
  for (let k = 3; k < bits; k *= 2) inv = wrap(inv * (2n - u * inv), bits);
  inv = wrap(inv * (2n - u * inv), bits);
  internalAssert(wrap(inv * u, bits) === 1n, `inverse of ${u} mod 2^${bits}`);
  return inv;
}

/** Outcome of one exhaustive search. */
export interface SearchResult {
  split: number;
  estimate: number;
  nodes: number;
  /** Nonzero solutions e per multiple m (T = m * 2^W), every one, realizable or not. */
  solutionsPerMultiple: Map<bigint, number>;
  /** The first realizable solution, if any (the search stops there when `stopAtRealizable`). */
  witness: bigint[] | null;
  /** Solutions the nonzero requirement rules out (nonzeroRequired chunks only). */
  unrealizable: bigint[][];
}

/**
 * Enumerates every nonzero e with |e_i| <= L and sum e_i B^i == 0 (mod 2^W) by the split DFS
 * (header, step 5), stopping at the first realizable one when `stopAtRealizable`. Throws a
 * UsageError when the estimate exceeds SEARCH_BUDGET.
 */
export function searchChunk(p: ChunkProblem, stopAtRealizable: boolean, options: { split?: number } = {}): SearchResult {
  internalAssert(p.limit >= 1n && p.limit < p.base, `limit ${p.limit} must be in 1..B-1 = ${p.base - 1n}`);
  const chosen = chooseSplit(p);
  // `options.split` forces a split (tests compare every split against each other).
  const split = options.split ?? chosen.split;
  internalAssert(Number.isInteger(split) && split >= 0 && split <= p.bits, `split ${split} outside 0..${p.bits}`);
  const estimate = options.split === undefined ? chosen.estimate : estimateNodes(p, split);
  if (estimate > SEARCH_BUDGET)
    throw new UsageError(
      `the exact decision cannot handle a ${p.bits}-bit chunk with B = ${p.base}, L = ${p.limit}, W = ${p.wordBits}: ` +
        `about ${estimate.toExponential(2)} search nodes (budget ${SEARCH_BUDGET.toExponential(0)}); this scheme is outside what it decides`,
    );
  const mod = modulus(p.wordBits);
  const radii: bigint[] = [];
  for (let k = 0; k <= p.bits; k++) radii.push(radius(p, k));
  const result: SearchResult = {
    split,
    estimate,
    nodes: 0,
    solutionsPerMultiple: new Map(),
    witness: null,
    unrealizable: [],
  };
  const e: bigint[] = new Array(p.bits).fill(0n);

  // Returns true to stop the whole search.
  const visit = (): boolean => {
    if (e.every((x) => x === 0n)) return false;
    const t = columnValue(e, p.base);
    internalAssert(wrap(t, p.wordBits) === 0n, `search produced T = ${t}, not a multiple of 2^${p.wordBits}`);
    const m = t / mod;
    result.solutionsPerMultiple.set(m, (result.solutionsPerMultiple.get(m) ?? 0) + 1);
    if (!p.nonzeroRequired || realizableNonzero(e, p.limit)) {
      if (!result.witness) result.witness = [...e];
      return stopAtRealizable;
    }
    result.unrealizable.push([...e]);
    return false;
  };

  // Balanced base-B digits e[pos..bits-1] of x, |digit| <= L.
  const expand = (x: bigint, pos: number): boolean => {
    result.nodes++;
    if (pos === p.bits) return x === 0n ? visit() : false;
    if (absBig(x) > radii[p.bits - pos]) return false;
    let r = x % p.base;
    if (r < 0n) r += p.base;
    for (const d of [r, r - p.base]) {
      if (d > p.limit || d < -p.limit) continue;
      e[pos] = d;
      if (expand((x - d) / p.base, pos + 1)) return true;
    }
    e[pos] = 0n;
    return false;
  };

  // B^s = 2^v * u with u odd: low + B^s X == 0 (mod 2^W) needs 2^min(v,W) | low, then fixes X
  // modulo 2^(W - v).
  const v = twoAdic(p, split);
  const g = 1n << BigInt(v);
  const bs = p.base ** BigInt(split) / g;
  const step = mod / g;
  const stepBits = p.wordBits - v;
  const invU = stepBits > 0 ? inverseOdd(wrap(bs, stepBits), stepBits) : 0n;
  const rs = radii[p.bits - split];

  const low = (pos: number, sum: bigint, power: bigint): boolean => {
    if (pos === split) {
      result.nodes++;
      if (wrap(sum, v) !== 0n) return false;
      const x0 = stepBits > 0 ? wrap(-(sum / g) * invU, stepBits) : 0n;
      // Every X == x0 (mod step) with |X| <= R_s.
      let k = -((rs + x0) / step);
      for (let x = x0 + k * step; x <= rs; x += step, k++) {
        if (x < -rs) continue;
        if (expand(x, split)) return true;
      }
      return false;
    }
    result.nodes++;
    for (let d = -p.limit; d <= p.limit; d++) {
      e[pos] = d;
      if (low(pos + 1, sum + d * power, power * p.base)) return true;
    }
    e[pos] = 0n;
    return false;
  };
  low(0, 0n, 1n);
  return result;
}

/** How one chunk kind was decided. */
export type KindResult =
  | { kind: ChunkKind; method: 'bound'; limit: bigint; base: bigint; maxSubId: bigint; product: bigint; modulus: bigint }
  | {
      kind: ChunkKind;
      method: 'exhaustive';
      limit: bigint;
      base: bigint;
      modulus: bigint;
      radius: bigint;
      search: SearchResult;
      sound: boolean;
    };

/** The full decision for one (scheme, order). */
export interface Decision {
  order: number;
  pages: number;
  sound: boolean;
  kinds: KindResult[];
  /** Smallest-L' counterexample (verified on the model), when unsound. */
  counterexample: ProofCounterexample | null;
  /** The column vector and L' behind the counterexample. */
  witness: { chunk: number; limit: bigint; columns: bigint[] } | null;
}

function problemFor(scheme: Scheme, kind: ChunkKind, limit: bigint): ChunkProblem {
  return { bits: kind.bits, base: scheme.bound + 1n, limit, wordBits: scheme.wordBits, nonzeroRequired: kind.nonzeroRequired };
}

/** Decides one chunk kind with the reader's L = P - 1: the bound when it holds, else the search. */
export function decideKind(scheme: Scheme, kind: ChunkKind, limit: bigint): KindResult {
  const p = problemFor(scheme, kind, limit);
  const top = maxSubId(kind.bits, scheme.bound);
  const mod = modulus(scheme.wordBits);
  if (limit * top < mod)
    return { kind, method: 'bound', limit, base: p.base, maxSubId: top, product: limit * top, modulus: mod };
  const search = searchChunk(p, false);
  return { kind, method: 'exhaustive', limit, base: p.base, modulus: mod, radius: radius(p, kind.bits), search, sound: search.witness === null };
}

/** Does a realizable solution exist with at most `limit` other mappings? */
function existsWith(scheme: Scheme, kind: ChunkKind, limit: bigint): bigint[] | null {
  const p = problemFor(scheme, kind, limit);
  if (limit * maxSubId(kind.bits, scheme.bound) < modulus(scheme.wordBits)) return null;
  return searchChunk(p, true).witness;
}

/**
 * The other mappings' chunk values for a realizable e with at most `limit` rows: a_i = [e_i < 0]
 * (or 1 on a zero column when nonzero is required), the smallest workable t, and the ones of each
 * column placed cyclically so that no row stays zero when sum k_i >= t. Rows equal to a dropped.
 */
export function rowsFor(e: readonly bigint[], limit: bigint, nonzeroRequired: boolean): { a: bigint; rows: bigint[] } {
  let t = e.reduce((m, x) => (absBig(x) > m ? absBig(x) : m), 0n);
  const zeroCol = e.findIndex((x) => x === 0n);
  const aBits = e.map((x, i) => x < 0n || (nonzeroRequired && i === zeroCol));
  if (nonzeroRequired && zeroCol < 0) {
    // all e_i != 0, some negative: grow t until sum k_i >= t (step 4).
    const n1 = BigInt(e.filter((x) => x < 0n).length);
    const ePlus = e.filter((x) => x > 0n).reduce((s, x) => s + x, 0n);
    const eMinus = e.filter((x) => x < 0n).reduce((s, x) => s - x, 0n);
    while (ePlus - eMinus + (n1 - 1n) * t < 0n) t++;
    internalAssert(t <= limit, `rowsFor: needs ${t} rows > L = ${limit}`);
  }
  const rows: bigint[] = new Array(Number(t)).fill(0n);
  let offset = 0;
  e.forEach((x, i) => {
    const k = Number(x + (aBits[i] ? t : 0n));
    for (let r = 0; r < k; r++) rows[(offset + r) % rows.length] |= 1n << BigInt(i);
    offset += k;
  });
  const a = aBits.reduce((s, on, i) => (on ? s | (1n << BigInt(i)) : s), 0n);
  return { a, rows: rows.filter((r) => r !== a) };
}

/**
 * Turns a single-chunk solution into full rmap IDs (equal to q outside chunk j), merges equal IDs
 * into MMs, gives q one mapping, and checks on the reference model that the reader says
 * "exclusive" while the truth is "shared".
 */
export function buildCounterexample(scheme: Scheme, order: number, kind: ChunkKind, e: readonly bigint[], limit: bigint): ProofCounterexample {
  const j = kind.chunks[0];
  const c = BigInt(scheme.chunkBits);
  const { a, rows } = rowsFor(e, limit, kind.nonzeroRequired);
  let base = 0n;
  if (!kind.nonzeroRequired) {
    // q's set bit lives in another chunk that carries a bit, so every ID is nonzero.
    const other = [...Array(scheme.values).keys()].find((k) => k !== j && scheme.idBits - k * scheme.chunkBits > 0);
    internalAssert(other !== undefined, 'no other chunk for a nonzero bit');
    base = 1n << (BigInt(other) * c);
  }
  const query = base | (a << (BigInt(j) * c));
  const counts = new Map<bigint, number>();
  for (const r of rows) {
    const id = base | (r << (BigInt(j) * c));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const mappings = [{ rmapId: query, count: 1 }, ...[...counts].map(([rmapId, count]) => ({ rmapId, count }))];
  mappings.sort((x, y) => (x.rmapId < y.rmapId ? -1 : x.rmapId > y.rmapId ? 1 : 0));
  let folio = newFolio(scheme, order);
  for (const m of mappings) folio = mapPages(folio, m.rmapId, m.count);
  internalAssert(
    readerDecision(folio, query).verdict === 'exclusive' && oracle(folio, query) === 'shared',
    `counterexample for ${scheme.name} order ${order} (chunk ${j}, e = [${e.join(', ')}]) does not reproduce on the model`,
  );
  return { query, mappings, mapcount: folio.mapcount, values: [...folio.values], chunk: j };
}

/**
 * Decides soundness of `scheme` at `order` exactly. When unsound, the counterexample uses the
 * fewest other mappings L' (existence is monotone in L, so a binary search finds it).
 */
export function decideOrder(scheme: Scheme, order: number): Decision {
  const problems = schemeProblems(scheme);
  if (problems.length > 0) throw new UsageError(`invalid scheme '${scheme.name}': ${problems.join('; ')}`);
  if (!Number.isInteger(order) || order < scheme.orders[0] || order > scheme.orders[1])
    throw new UsageError(`order ${order} is outside scheme ${scheme.name}'s orders ${scheme.orders[0]}..${scheme.orders[1]}`);
  const pages = pagesOf(order);
  const limit = BigInt(pages - 1);
  const kinds = chunkKinds(scheme).map((k) => decideKind(scheme, k, limit));
  const unsound = kinds.filter((k) => k.method === 'exhaustive' && !k.sound);
  if (unsound.length === 0) return { order, pages, sound: true, kinds, counterexample: null, witness: null };

  let best: { kind: ChunkKind; limit: bigint; columns: bigint[] } | null = null;
  for (const k of unsound) {
    if (k.method !== 'exhaustive') continue;
    // invariant: a realizable solution exists with hi rows, none with fewer than lo.
    let lo = 1n;
    let hi = limit;
    let columns = k.search.witness!;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      const w = existsWith(scheme, k.kind, mid);
      if (w) {
        hi = mid;
        columns = w;
      } else lo = mid + 1n;
    }
    if (!best || hi < best.limit) best = { kind: k.kind, limit: hi, columns };
  }
  internalAssert(best, 'unsound kind without a witness');
  const counterexample = buildCounterexample(scheme, order, best.kind, best.columns, best.limit);
  return { order, pages, sound: false, kinds, counterexample, witness: { chunk: counterexample.chunk, limit: best.limit, columns: best.columns } };
}
