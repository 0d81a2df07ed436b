/**
 * Proof certificates and their independent re-checker. Written without decide.ts on purpose: the
 * checker recomputes the chunk kinds, the bounds and every wrap-around case by its own, simpler
 * route (plain enumeration of the multiples m * 2^W and balanced base-(N+1) digit expansion), so a
 * bug in the split DFS cannot certify itself. Refutations are replayed on the reference model.
 *
 * Certificates are JSON-able: every kernel word or big integer is a decimal string.
 */
import { Scheme, pagesOf, schemeProblems } from '../model/scheme';
import { maxSubId } from '../model/subid';
import { modulus } from '../model/word';
import { isValidRmapId, newFolio, mapPages, readerDecision, oracle } from '../model/folio';

/** Format tag; bump when the shape changes. */
export const CERTIFICATE_FORMAT = 'rmapcheck-subid-proof/1';

/** A chunk kind proved by the no-carry bound `L * maxSubId < 2^W` (with L < B). */
export interface BoundChunkCertificate {
  chunks: number[];
  bits: number;
  nonzeroRequired: boolean;
  method: 'bound';
  L: string;
  B: string;
  maxSubId: string;
  product: string;
  modulus: string;
}

/** One wrap-around case: T = m * 2^W, and how many nonzero digit vectors |e_i| <= L reach it. */
export interface MultipleCase {
  m: string;
  solutions: number;
}

/** A chunk kind proved by deciding every multiple m * 2^W with |m * 2^W| <= R. */
export interface ExhaustiveChunkCertificate {
  chunks: number[];
  bits: number;
  nonzeroRequired: boolean;
  method: 'exhaustive';
  L: string;
  B: string;
  modulus: string;
  /** R = L * maxSubId(bits): the largest |sum e_i B^i|. */
  radius: string;
  /** Every m with |m * 2^W| <= R, inclusive. */
  multiples: { from: string; to: string };
  /** true: `cases` lists every m in range; false: only those with solutions. */
  complete: boolean;
  cases: MultipleCase[];
  /** Digit vectors that solve T == 0 but that a nonzero-only chunk cannot realize. */
  unrealizable: string[][];
  /** How the decision searched (informative; the checker does not use it). */
  split: number;
  nodes: number;
}

export type ChunkCertificate = BoundChunkCertificate | ExhaustiveChunkCertificate;

/** JSON form of a counterexample: every MM that maps, the query included. */
export interface CounterexampleJson {
  query: string;
  mappings: { rmapId: string; count: number }[];
  mapcount: string;
  values: string[];
  chunk: number;
}

export interface ProvedCertificate {
  format: typeof CERTIFICATE_FORMAT;
  verdict: 'proved';
  order: number;
  pages: number;
  /** L = P - 1: the most mappings other MMs can hold while q holds one. */
  L: string;
  chunks: ChunkCertificate[];
}

export interface RefutedCertificate {
  format: typeof CERTIFICATE_FORMAT;
  verdict: 'refuted';
  order: number;
  pages: number;
  /** The single-chunk column vector e (sum e_i B^i == 0 mod 2^W) behind the counterexample. */
  columns: string[];
  counterexample: CounterexampleJson;
}

export type Certificate = ProvedCertificate | RefutedCertificate;

/** Re-checker budget on expansion nodes; beyond it the checker declines rather than trusts. */
const CHECK_BUDGET = 5e7;

class Reject extends Error {}

function need(cond: boolean, reason: string): asserts cond {
  if (!cond) throw new Reject(reason);
}

function big(s: unknown, what: string): bigint {
  need(typeof s === 'string' && /^-?[0-9]+$/.test(s), `${what} must be a decimal string, got ${JSON.stringify(s)}`);
  return BigInt(s as string);
}

/** Bits each chunk carries, recomputed here: chunk j holds ID bits j*c .. j*c + c - 1. */
function chunkBitsCarried(scheme: Scheme): number[] {
  const out: number[] = [];
  for (let j = 0; j < scheme.values; j++) {
    let bits = 0;
    for (let b = 0; b < scheme.chunkBits; b++) if (j * scheme.chunkBits + b < scheme.idBits) bits++;
    out.push(bits);
  }
  return out;
}

/** 1 + B + ... + B^(k-1), summed directly (not via subId) as a second route to maxSubId. */
function geometric(base: bigint, k: number): bigint {
  let sum = 0n;
  let power = 1n;
  for (let i = 0; i < k; i++) {
    sum += power;
    power *= base;
  }
  return sum;
}

/** Can a nonzero-only chunk realize e with at most L rows? Column sums built explicitly. */
function realizableOnNonzeroChunk(e: bigint[], L: bigint): boolean {
  // A zero column can be a bit of q that every row shares: q and all rows are then nonzero.
  if (e.some((x) => x === 0n)) return true;
  // Otherwise q's bits are forced: set exactly where e_i < 0; q = 0 is not a valid ID.
  if (!e.some((x) => x < 0n)) return false;
  // With t = L rows, k_i = e_i (+ L where q has the bit); L rows can all be nonzero iff the ones
  // suffice, sum k_i >= L. Larger t only helps (sum k grows by (#negative - 1) per row), so t = L.
  const ones = e.reduce((s, x) => s + (x < 0n ? x + L : x), 0n);
  return ones >= L;
}

/** Every nonzero digit vector |e_i| <= L over `bits` digits with sum e_i B^i == target. */
function digitVectors(target: bigint, bits: number, B: bigint, L: bigint, budget: { left: number }): bigint[][] {
  const out: bigint[][] = [];
  const e: bigint[] = [];
  const walk = (x: bigint, k: number) => {
    need(--budget.left > 0, 'the certificate is too large to re-check within the checker budget');
    if (k === bits) {
      if (x === 0n && e.some((d) => d !== 0n)) out.push([...e]);
      return;
    }
    const reach = L * geometric(B, bits - k);
    if (x > reach || -x > reach) return;
    // The digit is x mod B, taken as r or r - B (only one of them can be 0, as L < B).
    const r = ((x % B) + B) % B;
    for (const d of [r, r - B]) {
      if (d > L || d < -L) continue;
      e.push(d);
      walk((x - d) / B, k + 1);
      e.pop();
    }
  };
  walk(target, 0);
  return out;
}

function checkBound(c: BoundChunkCertificate, scheme: Scheme, L: bigint, B: bigint, mod: bigint): void {
  need(big(c.L, 'L') === L && big(c.B, 'B') === B && big(c.modulus, 'modulus') === mod, `chunk ${c.chunks}: L, B or modulus differ from the scheme`);
  const top = maxSubId(c.bits, scheme.bound);
  need(top === geometric(B, c.bits), `[internal bug] maxSubId routes disagree for ${c.bits} bits`);
  need(big(c.maxSubId, 'maxSubId') === top, `chunk ${c.chunks}: maxSubId ${c.maxSubId} != ${top}`);
  need(big(c.product, 'product') === L * top, `chunk ${c.chunks}: product ${c.product} != L * maxSubId = ${L * top}`);
  need(L * top < mod, `chunk ${c.chunks}: L * maxSubId = ${L * top} >= 2^W = ${mod}: the bound does not prove it`);
}

function checkExhaustive(c: ExhaustiveChunkCertificate, L: bigint, B: bigint, mod: bigint, budget: { left: number }): void {
  need(big(c.L, 'L') === L && big(c.B, 'B') === B && big(c.modulus, 'modulus') === mod, `chunk ${c.chunks}: L, B or modulus differ from the scheme`);
  const R = L * geometric(B, c.bits);
  need(big(c.radius, 'radius') === R, `chunk ${c.chunks}: radius ${c.radius} != ${R}`);
  const M = R / mod;
  need(big(c.multiples.from, 'from') === -M && big(c.multiples.to, 'to') === M, `chunk ${c.chunks}: multiples must be ${-M}..${M}`);
  const listed = new Map<bigint, number>();
  for (const k of c.cases) {
    const m = big(k.m, 'case m');
    need(!listed.has(m), `chunk ${c.chunks}: case m = ${m} listed twice`);
    need(Number.isInteger(k.solutions) && k.solutions >= 0, `chunk ${c.chunks}: bad solution count at m = ${m}`);
    need(m >= -M && m <= M, `chunk ${c.chunks}: case m = ${m} is outside ${-M}..${M}`);
    listed.set(m, k.solutions);
  }
  if (c.complete) need(BigInt(listed.size) === 2n * M + 1n, `chunk ${c.chunks}: ${listed.size} cases listed, range has ${2n * M + 1n}`);
  const unrealizable = new Set<string>();
  for (let m = -M; m <= M; m++) {
    const found = digitVectors(m * mod, c.bits, B, L, budget);
    const claimed = listed.get(m) ?? (c.complete ? -1 : 0);
    need(claimed === found.length, `chunk ${c.chunks}: m = ${m} has ${found.length} solutions, the certificate says ${claimed < 0 ? 'nothing' : claimed}`);
    for (const e of found) {
      need(c.nonzeroRequired, `chunk ${c.chunks}: e = [${e}] solves T = ${m} * 2^W: not sound`);
      need(!realizableOnNonzeroChunk(e, L), `chunk ${c.chunks}: e = [${e}] is realizable with nonzero IDs: not sound`);
      unrealizable.add(e.join(','));
    }
  }
  // the listed vectors are exactly the unrealizable solutions found here
  const listedVectors = new Set(c.unrealizable.map((e, i) => e.map((d) => big(d, `unrealizable[${i}]`)).join(',')));
  need(
    listedVectors.size === c.unrealizable.length && listedVectors.size === unrealizable.size && [...unrealizable].every((e) => listedVectors.has(e)),
    `chunk ${c.chunks}: ${unrealizable.size} unrealizable solutions, the certificate lists ${c.unrealizable.length} (or other vectors)`,
  );
}

function checkProved(cert: ProvedCertificate, scheme: Scheme, order: number): void {
  const P = BigInt(pagesOf(order));
  const L = P - 1n;
  const B = scheme.bound + 1n;
  const mod = modulus(scheme.wordBits);
  need(big(cert.L, 'L') === L, `L ${cert.L} != P - 1 = ${L}`);
  // Digit uniqueness (T = 0 only for e = 0) needs every |e_i| < B.
  need(L < B, `L = ${L} >= B = ${B}: digits could carry`);
  const carried = chunkBitsCarried(scheme);
  const covered = new Set<number>();
  for (const c of cert.chunks) {
    need(Array.isArray(c.chunks) && c.chunks.length > 0, 'a chunk entry lists no chunk');
    for (const j of c.chunks) {
      need(Number.isInteger(j) && j >= 0 && j < scheme.values, `chunk index ${j} is out of range`);
      need(!covered.has(j), `chunk ${j} is covered twice`);
      covered.add(j);
      need(carried[j] === c.bits, `chunk ${j} carries ${carried[j]} bits, the certificate says ${c.bits}`);
      const alone = carried.every((b, k) => k === j || b === 0);
      need(alone === c.nonzeroRequired, `chunk ${j}: nonzeroRequired must be ${alone}`);
    }
  }
  carried.forEach((b, j) => need(b === 0 || covered.has(j), `chunk ${j} (${b} bits) is not covered`));
  const budget = { left: CHECK_BUDGET };
  for (const c of cert.chunks) {
    if (c.method === 'bound') checkBound(c, scheme, L, B, mod);
    else if (c.method === 'exhaustive') checkExhaustive(c, L, B, mod, budget);
    else need(false, `unknown method ${(c as { method: unknown }).method}`);
  }
}

function checkRefuted(cert: RefutedCertificate, scheme: Scheme, order: number): void {
  const cx = cert.counterexample;
  const q = big(cx.query, 'query');
  const seen = new Set<bigint>();
  let folio = newFolio(scheme, order);
  for (const m of cx.mappings) {
    const id = big(m.rmapId, 'rmapId');
    need(!seen.has(id), `rmap ID ${id} appears twice`);
    seen.add(id);
    need(isValidRmapId(scheme, id), `rmap ID ${id} is not a valid ID`);
    need(Number.isInteger(m.count) && m.count >= 1, `rmap ID ${id}: count ${m.count}`);
    folio = mapPages(folio, id, m.count);
  }
  need(seen.has(q), 'the query MM holds no mapping');
  need(seen.size >= 2, 'no other MM maps the folio');
  need(folio.mapcount <= BigInt(pagesOf(order)), `mapcount ${folio.mapcount} > P`);
  need(big(cx.mapcount, 'mapcount') === folio.mapcount, `mapcount ${cx.mapcount} != replayed ${folio.mapcount}`);
  need(
    cx.values.length === folio.values.length && cx.values.every((v, j) => big(v, 'value') === folio.values[j]),
    'values differ from the replay',
  );
  need(readerDecision(folio, q).verdict === 'exclusive', 'the reader does not answer "exclusive" on replay');
  // the informative fields must be right too: the chunk exists, and its column vector sums to 0
  need(Number.isInteger(cx.chunk) && cx.chunk >= 0 && cx.chunk < scheme.values, `counterexample chunk ${cx.chunk} is out of range`);
  const B = scheme.bound + 1n;
  const T = cert.columns.reduce((sum, e, i) => sum + big(e, `columns[${i}]`) * B ** BigInt(i), 0n);
  need(cert.columns.length > 0 && T % modulus(scheme.wordBits) === 0n && cert.columns.some((e) => big(e, 'column') !== 0n), `columns: sum e_i B^i = ${T} is not a nonzero multiple-of-2^W vector`);
  need(oracle(folio, q) === 'shared', 'the folio is not shared on replay');
}

/**
 * Re-verifies a certificate for `scheme` at `order` without trusting the decision procedure.
 * Never throws on a bad certificate: `ok` is false and `reason` names the first problem.
 */
export function verifyCertificate(scheme: Scheme, order: number, certificate: unknown): { ok: boolean; reason: string } {
  try {
    const problems = schemeProblems(scheme);
    need(problems.length === 0, `invalid scheme: ${problems.join('; ')}`);
    need(Number.isInteger(order) && order >= scheme.orders[0] && order <= scheme.orders[1], `order ${order} is outside the scheme`);
    need(typeof certificate === 'object' && certificate !== null, 'the certificate is not an object');
    const cert = certificate as Certificate;
    need(cert.format === CERTIFICATE_FORMAT, `format ${JSON.stringify(cert.format)} is not ${CERTIFICATE_FORMAT}`);
    need(cert.order === order && cert.pages === pagesOf(order), `the certificate is for order ${cert.order}, not ${order}`);
    if (cert.verdict === 'proved') {
      checkProved(cert, scheme, order);
      return { ok: true, reason: `proved: ${cert.chunks.map((c) => `chunks ${c.chunks.join(',')} by ${c.method}`).join('; ')}` };
    }
    if (cert.verdict === 'refuted') {
      checkRefuted(cert, scheme, order);
      return { ok: true, reason: 'refuted: the counterexample replays on the model' };
    }
    need(false, `unknown verdict ${JSON.stringify((cert as { verdict: unknown }).verdict)}`);
    return { ok: false, reason: 'unreachable' };
  } catch (err) {
    if (err instanceof Reject) return { ok: false, reason: err.message };
    // A UsageError from the model (e.g. an invalid mapping) is a bad certificate too.
    if (err instanceof Error && err.name === 'UsageError') return { ok: false, reason: err.message };
    throw err;
  }
}
