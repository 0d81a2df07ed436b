/**
 * The entry the CLI wraps: decide every order of a scheme set, and package each result as a
 * verdict, the method used, a JSON-able certificate (re-checked here by the independent checker)
 * and, when refuted, a counterexample that replays on the reference model.
 */
import { Scheme, SchemeSet, pagesOf, ordersOf, schemeForOrder, validateSchemeSet } from '../model/scheme';
import { UsageError, internalAssert } from '../model/errors';
import { Decision, KindResult, decideOrder } from './decide';
import { CERTIFICATE_FORMAT, Certificate, ChunkCertificate, verifyCertificate } from './certificate';
import type { ProofCounterexample } from './counterexample';

/** The result for one folio order. */
export interface OrderProof {
  order: number;
  pages: number;
  scheme: Scheme;
  verdict: 'proved' | 'refuted';
  /** `no-carry bound`, `exhaustive wrap-around search` (some chunk needed it) or `counterexample`. */
  method: string;
  /** JSON-able; see proofs/certificate.ts. */
  certificate: unknown;
  counterexample: ProofCounterexample | null;
}

/** Cases listed one by one in a certificate at most; above it only the non-empty ones are. */
export const MAX_LISTED_CASES = 100_000;

function chunkCertificate(k: KindResult): ChunkCertificate {
  const head = { chunks: k.kind.chunks, bits: k.kind.bits, nonzeroRequired: k.kind.nonzeroRequired };
  if (k.method === 'bound')
    return {
      ...head,
      method: 'bound',
      L: k.limit.toString(),
      B: k.base.toString(),
      maxSubId: k.maxSubId.toString(),
      product: k.product.toString(),
      modulus: k.modulus.toString(),
    };
  const M = k.radius / k.modulus;
  const counts = k.search.solutionsPerMultiple;
  const complete = 2n * M + 1n <= BigInt(MAX_LISTED_CASES);
  const cases: { m: string; solutions: number }[] = [];
  if (complete) for (let m = -M; m <= M; m++) cases.push({ m: m.toString(), solutions: counts.get(m) ?? 0 });
  else for (const [m, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) cases.push({ m: m.toString(), solutions: n });
  return {
    ...head,
    method: 'exhaustive',
    L: k.limit.toString(),
    B: k.base.toString(),
    modulus: k.modulus.toString(),
    radius: k.radius.toString(),
    multiples: { from: (-M).toString(), to: M.toString() },
    complete,
    cases,
    unrealizable: k.search.unrealizable.map((e) => e.map(String)),
    split: k.search.split,
    nodes: k.search.nodes,
  };
}

/** The JSON-able certificate of a decision. */
export function certificateOf(d: Decision): Certificate {
  if (d.sound)
    return {
      format: CERTIFICATE_FORMAT,
      verdict: 'proved',
      order: d.order,
      pages: d.pages,
      L: String(d.pages - 1),
      chunks: d.kinds.map(chunkCertificate),
    };
  const cx = d.counterexample!;
  return {
    format: CERTIFICATE_FORMAT,
    verdict: 'refuted',
    order: d.order,
    pages: d.pages,
    columns: d.witness!.columns.map(String),
    counterexample: {
      query: cx.query.toString(),
      mappings: cx.mappings.map((m) => ({ rmapId: m.rmapId.toString(), count: m.count })),
      mapcount: cx.mapcount.toString(),
      values: cx.values.map(String),
      chunk: cx.chunk,
    },
  };
}

/** Decides `scheme` at `order`; the certificate is re-verified before it is returned. */
export function proveOrder(scheme: Scheme, order: number): OrderProof {
  const d = decideOrder(scheme, order);
  const certificate = certificateOf(d);
  const check = verifyCertificate(scheme, order, certificate);
  internalAssert(check.ok, `certificate for ${scheme.name} order ${order} fails its own check: ${check.reason}`);
  const method = !d.sound ? 'counterexample' : d.kinds.some((k) => k.method === 'exhaustive') ? 'exhaustive wrap-around search' : 'no-carry bound';
  return {
    order,
    pages: pagesOf(order),
    scheme,
    verdict: d.sound ? 'proved' : 'refuted',
    method,
    certificate,
    counterexample: d.counterexample,
  };
}

/** Proves every order of `set` (default: all it covers); UsageError for an order it does not cover. */
export function proveSchemeSet(set: SchemeSet, orders?: number[]): OrderProof[] {
  validateSchemeSet(set);
  const wanted = orders ?? ordersOf(set);
  return wanted.map((order) => {
    const scheme = schemeForOrder(set, order);
    if (!scheme) throw new UsageError(`scheme set '${set.name}' does not cover order ${order} (it covers ${ordersOf(set).join(', ')})`);
    return proveOrder(scheme, order);
  });
}
