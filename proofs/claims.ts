/**
 * The series' numeric claims (cover letter section 3, patches 07 and 11, as collected in
 * subid-math.md), each recomputed here. Only the claims themselves are data; every verdict is
 * computed from the math.
 */
import { WIP_V1, pagesOf } from '../model/scheme';
import { maxSubId, subId, subIdTable, subIdTableByGenerations } from '../model/subid';
import { modulus } from '../model/word';
import { chunkKinds, searchChunk } from './decide';

/** One checked claim. */
export interface Claim {
  claim: string;
  holds: boolean;
  why: string;
}

const WORD = 64;
const ID_BITS = 24;
const TWO_64 = modulus(WORD);

/** Largest sum of at most P sub-IDs of c-bit chunks with N = P: P * maxSubId = (P+1)^c - 1. */
function largestSum(pages: number, chunkBits: number): bigint {
  return BigInt(pages) * maxSubId(chunkBits, BigInt(pages));
}

/**
 * For each order lo..hi: the fewest 64-bit values V (chunk c = ceil(24 / V)) such that every sum
 * of at most P sub-IDs with N = P stays below 2^64, i.e. (P+1)^c - 1 < 2^64 (no digit can carry
 * and no word can wrap, so the comparison is exact).
 */
export function minimalValues(lo = 2, hi = 30): { order: number; values: number; chunkBits: number }[] {
  const out: { order: number; values: number; chunkBits: number }[] = [];
  for (let order = lo; order <= hi; order++) {
    for (let v = 1; v <= ID_BITS; v++) {
      const c = Math.ceil(ID_BITS / v);
      if (largestSum(pagesOf(order), c) < TWO_64) {
        out.push({ order, values: v, chunkBits: c });
        break;
      }
    }
  }
  return out;
}

/** The cover letter's table: "<= order-k: V x 64bit rmap values" (the first row is "== order-2"). */
const COVER_LETTER_TABLE: { upTo: number; values: number }[] = [
  { upTo: 2, values: 1 },
  { upTo: 5, values: 2 },
  { upTo: 9, values: 3 },
  { upTo: 10, values: 4 },
  { upTo: 12, values: 5 },
  { upTo: 15, values: 6 },
  { upTo: 21, values: 8 },
  { upTo: 30, values: 12 },
];

function coverLetterClaims(): Claim[] {
  const minimal = minimalValues(2, 30);
  let from = 2;
  return COVER_LETTER_TABLE.map(({ upTo, values }) => {
    const rows = minimal.filter((m) => m.order >= from && m.order <= upTo);
    const c = Math.ceil(ID_BITS / values);
    const failing = rows.filter((m) => m.values > values);
    const label = from === upTo ? `== order-${upTo}` : `orders ${from}..${upTo}`;
    const claim = `cover letter: ${label} needs ${values}x 64bit rmap values (c = ${c}, N = P)`;
    const why =
      failing.length === 0
        ? `(P+1)^${c} - 1 < 2^64 for every order: largest at order ${upTo} is ${largestSum(pagesOf(upTo), c)}`
        : failing
            .map((m) => `order ${m.order}: (${pagesOf(m.order)}+1)^${c} - 1 = ${largestSum(pagesOf(m.order), c)} >= 2^64, needs ${m.values} values (c = ${m.chunkBits})`)
            .join('; ');
    from = upTo + 1;
    return { claim, holds: failing.length === 0, why };
  });
}

function tableClaims(): Claim[] {
  const out: Claim[] = [];
  for (const [bound, chunkBits, entries] of [
    [1024n, 6, 64],
    [4096n, 5, 32],
    [32768n, 4, 16],
  ] as const) {
    const gen = subIdTableByGenerations(chunkBits, bound);
    const formula = subIdTable(chunkBits, bound);
    const diff = formula.findIndex((x, i) => gen[i] !== x);
    const holds = gen.length === entries && formula.length === entries && diff < 0;
    out.push({
      claim: `patch 07: the ${entries}-entry sub-ID table for N = ${bound} (c = ${chunkBits}) equals subid_N`,
      holds,
      why:
        (holds
          ? `the generations construction and the formula agree on all ${entries} entries (last ${formula[entries - 1]})`
          : `lengths ${gen.length}/${formula.length}, first difference at index ${diff}`) +
        '; checked against both constructions, the patch\'s literal table text is not available here',
    });
  }
  const example = [0n, 1n, 5n, 6n, 25n, 26n, 30n, 31n];
  const gen = subIdTableByGenerations(3, 4n);
  const holds = example.every((x, i) => gen[i] === x && subId(BigInt(i), 4n) === x);
  out.push({
    claim: 'patch 07: generations for N = 4 are 0 | 1 | 5, 6 | 25, 26, 30, 31',
    holds,
    why: `generations give ${gen.join(', ')}; subid_4(0..7) gives ${example.map((_, i) => subId(BigInt(i), 4n)).join(', ')}`,
  });
  return out;
}

/** The patches' comments: "K sub-IDs per 64-bit value, K^V == 16M" (subid-math.md, as written). */
const COMMENT_TABLE: { patch: string; bound: bigint; perValue: number; values: number; base: number; relation: '==' | '>' }[] = [
  { patch: 'P11', bound: 4n, perValue: 16777216, values: 1, base: 16777216, relation: '==' },
  { patch: 'P11', bound: 32n, perValue: 4096, values: 2, base: 4096, relation: '==' },
  { patch: 'P11', bound: 512n, perValue: 128, values: 3, base: 128, relation: '==' },
  { patch: 'P07', bound: 1024n, perValue: 64, values: 4, base: 64, relation: '==' },
  { patch: 'P07', bound: 4096n, perValue: 32, values: 5, base: 32, relation: '>' },
  { patch: 'P07', bound: 32768n, perValue: 16, values: 6, base: 8, relation: '==' },
];

/** Largest c' with N * maxSubId(c', N) < 2^64: 2^c' sub-IDs fit one value. */
function largestFittingBits(bound: bigint): number {
  let c = 0;
  while (bound * maxSubId(c + 1, bound) < TWO_64) c++;
  return c;
}

function commentClaims(): Claim[] {
  const out: Claim[] = [];
  const sixteenM = 2n ** 24n;
  for (const row of COMMENT_TABLE) {
    const fit = largestFittingBits(row.bound);
    const kBits = Math.log2(row.perValue);
    const kmax = 1n << BigInt(fit);
    const used = WIP_V1.schemes.find((s) => s.bound === row.bound);
    out.push({
      claim: `${row.patch}: ${row.perValue} sub-IDs per 64-bit value fit for N = ${row.bound}`,
      holds: Number.isInteger(kBits) && BigInt(row.perValue) <= kmax,
      why:
        `N * maxSubId(c', N) < 2^64 up to c' = ${fit} (${kmax} sub-IDs; N * maxSubId = ${row.bound * maxSubId(fit, row.bound)}); ` +
        `c' = ${fit + 1} gives ${row.bound * maxSubId(fit + 1, row.bound)} >= 2^64` +
        (used && 1n << BigInt(used.chunkBits) > kmax ? `; but ${used.name} uses c = ${used.chunkBits}, ${1n << BigInt(used.chunkBits)} sub-IDs per value` : ''),
    });
    const power = BigInt(row.base) ** BigInt(row.values);
    const holds = row.relation === '==' ? power === sixteenM : power > sixteenM;
    out.push({
      claim: `${row.patch}: ${row.base}^${row.values} ${row.relation} 16M (N = ${row.bound})`,
      holds,
      why:
        `${row.base}^${row.values} = ${power} and 16M = ${sixteenM}` +
        (row.base !== row.perValue ? `; the comment's own count gives ${row.perValue}^${row.values} = ${BigInt(row.perValue) ** BigInt(row.values)}` : ''),
    });
  }
  return out;
}

function overflowClaims(): Claim[] {
  return WIP_V1.schemes.map((s) => {
    const pages = pagesOf(s.orders[1]);
    const product = BigInt(pages) * maxSubId(s.chunkBits, s.bound);
    return {
      claim: `P * sub-ID must not overflow: ${s.name} (P = ${pages}, c = ${s.chunkBits}, N = ${s.bound})`,
      holds: product < TWO_64,
      why: `P * maxSubId = ${product} ${product < TWO_64 ? '<' : '>='} 2^64 = ${TWO_64}`,
    };
  });
}

/**
 * Side note over the integers, by brute force: no x and 1 <= k <= X <= maxX sub-IDs of values
 * other than x sum to X * subid(x) (maxX = N is the claim; larger maxX lets a test see the brute
 * force catch carries). Returns the first violation, or null, and the cases tried.
 */
export function sideNoteBruteForce(bound: number, chunkBits: number, maxX = bound): { violation: string | null; cases: number } {
  const N = BigInt(bound);
  const values = 1 << chunkBits;
  let cases = 0;
  for (let x = 0; x < values; x++) {
    const target = subId(BigInt(x), N);
    const others = [...Array(values).keys()].filter((v) => v !== x).map((v) => subId(BigInt(v), N));
    // multisets of size 1..bound as non-decreasing index sequences
    const walk = (from: number, k: number, sum: bigint): string | null => {
      if (k >= 1)
        for (let X = k; X <= maxX; X++) {
          cases++;
          if (sum === BigInt(X) * target) return `x = ${x}, ${k} other sub-IDs sum to ${X} * subid(x) = ${sum}`;
        }
      if (k === maxX) return null;
      for (let i = from; i < others.length; i++) {
        const v = walk(i, k + 1, sum + others[i]);
        if (v) return v;
      }
      return null;
    };
    const v = walk(0, 0, 0n);
    if (v) return { violation: v, cases };
  }
  return { violation: null, cases };
}

function sideNoteClaims(): Claim[] {
  const out: Claim[] = [];
  // Over the integers: X * subid(x) has base-(N+1) digit X on x's bits and 0 elsewhere (X <= N
  // < N+1, no carry); k <= N summands give digits <= k with no carry, so equality needs k = X and
  // every summand equal to subid(x) (for x = 0, a sum of nonzero sub-IDs is > 0).
  const grid: [number, number][] = [];
  for (let n = 1; n <= 4; n++) for (let c = 1; c <= 3; c++) grid.push([n, c]);
  const runs = grid.map(([n, c]) => ({ n, c, ...sideNoteBruteForce(n, c) }));
  const bad = runs.find((r) => r.violation);
  out.push({
    claim: 'P07 side note: X * subid cannot be reached by any 1..X other sub-IDs (over the integers, X <= N)',
    holds: !bad,
    why: bad
      ? `brute force N = ${bad.n}, c = ${bad.c}: ${bad.violation}`
      : `digit bound: X <= N < N+1, so neither side carries and digit i counts summands with bit i; ` +
        `brute force agrees for N = 1..4, c = 1..3 (${runs.reduce((s, r) => s + r.cases, 0)} cases)`,
  });
  // Modulo 2^64 the claim is the single-chunk question of decide.ts with L = N (every nonzero
  // digit vector |e_i| <= N is realized by k = X = max|e_i| summands).
  for (const s of WIP_V1.schemes) {
    const mod = modulus(s.wordBits);
    const failures: string[] = [];
    let method = 'bound';
    for (const kind of chunkKinds(s)) {
      if (s.bound * maxSubId(kind.bits, s.bound) < mod) continue;
      method = 'exhaustive search';
      const r = searchChunk({ bits: kind.bits, base: s.bound + 1n, limit: s.bound, wordBits: s.wordBits, nonzeroRequired: kind.nonzeroRequired }, true);
      if (r.witness) failures.push(`chunk ${kind.chunks[0]}: e = [${r.witness.join(', ')}] gives sum e_i ${s.bound + 1n}^i == 0 mod 2^64`);
    }
    out.push({
      claim: `P07 side note modulo 2^64 for ${s.name} (X <= N = ${s.bound})`,
      holds: failures.length === 0,
      why:
        failures.length === 0
          ? `no wrap-around solution (${method}): N * maxSubId ${method === 'bound' ? '< 2^64' : 'overflows, but no digit vector reaches a multiple of 2^64'}`
          : `${failures.join('; ')}; the same wrap-around makes the reader unsound for the orders whose P - 1 reaches these digits (see prove)`,
    });
  }
  return out;
}

/** Every claim, recomputed. */
export function checkClaims(): Claim[] {
  return [...coverLetterClaims(), ...tableClaims(), ...commentClaims(), ...overflowClaims(), ...sideNoteClaims()];
}
