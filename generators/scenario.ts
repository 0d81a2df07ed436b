/**
 * fast-check arbitraries for the rmap model: small valid schemes, rmap ID sets, and whole
 * scenarios (scenario.ts `ScenarioJson`) that are valid by construction — `parseScenario`
 * accepts every one, under every interleaving (at most P mappings at once, nothing unmapped that
 * is not mapped, the readers' MM keeps its mapping).
 *
 * A scenario is built from raw numbers by a pure function (`buildScenario`), so fast-check's
 * shrinking of those numbers yields smaller scenarios that are still valid.
 *
 * Construction: MM 0 ("A") holds one PTE of page 0 that nobody unmaps (what the readers ask
 * about); the other P-1 mappings are a budget shared by the writers. Each writer owns one MM and
 * runs ops from: map+unmap of one page (peak 1, net 0), map (peak and net 1), fork of A's page 0
 * into its MM (net 1), map-pmd+unmap-pmd (peak 1, net 0). An op that would take the sum of the
 * writers' peaks over the budget is dropped. Readers run folio_mapped_shared(A) or COW reuse of
 * A's page 0.
 */
import fc from 'fast-check';
import type { OpJson, ScenarioJson } from '../model/rmap/scenario';

export interface SmallScheme {
  name: string;
  values: number;
  chunkBits: number;
  bound: number;
  wordBits: number;
  idBits: number;
}

/** Small schemes valid for folios of `order` (schemeProblems is empty for every value), whose
 *  word holds P times every sub-ID (so a value wraps only when more than P mappings add up). */
export function schemeArb(order: number): fc.Arbitrary<SmallScheme> {
  const P = 2 ** order;
  return fc
    .record({
      values: fc.integer({ min: 1, max: 3 }),
      chunkBits: fc.integer({ min: 1, max: 6 }),
      idShort: fc.nat({ max: 17 }),
      boundExtra: fc.nat({ max: 3 * P }),
      wordBits: fc.integer({ min: 8, max: 64 }),
    })
    .map(({ values, chunkBits, idShort, boundExtra, wordBits }) => {
      const idBits = Math.max(1, values * chunkBits - (idShort % (values * chunkBits)));
      const bound = P + boundExtra;
      // the word holds P times the largest sub-ID ((N+1)^c - 1) / N: values wrap only beyond P
      const maxSub = ((BigInt(bound) + 1n) ** BigInt(chunkBits) - 1n) / BigInt(bound);
      const need = (BigInt(P) * maxSub).toString(2).length;
      return { name: `gen-v${values}c${chunkBits}`, values, chunkBits, bound, wordBits: Math.max(wordBits, need), idBits };
    });
}

/** `count` distinct rmap IDs of a scheme with `idBits` bits (needs 2^idBits - 1 >= count). */
export function rmapIdSetArb(idBits: number, count: number): fc.Arbitrary<number[]> {
  const max = 2 ** Math.min(idBits, 30) - 1;
  if (max < count) throw new RangeError(`rmapIdSetArb: ${count} IDs do not fit ${idBits} bits`);
  return fc.uniqueArray(fc.integer({ min: 1, max }), { minLength: count, maxLength: count });
}

type WriterOp = 'map-unmap' | 'map' | 'fork' | 'pmd';

export interface ScenarioArbOptions {
  /** MMs (>= 2; default 5). */
  readonly maxMms?: number;
  /** Writer threads (default 5). */
  readonly maxWriters?: number;
  /** Reader threads (default 2). */
  readonly maxReaders?: number;
  /** Ops per writer (default 4). */
  readonly maxOps?: number;
  /** Folio orders to draw from (default [2, 3], what the rmap model supports). */
  readonly orders?: readonly number[];
  /** Also draw small custom schemes (default true); otherwise always wip-v1. */
  readonly customSchemes?: boolean;
}

interface Raw {
  order: number;
  seqcount: 'v1' | 'v2' | 'v3';
  p20: boolean;
  scheme: SmallScheme | null;
  ids: number[];
  writers: { mm: number; ops: WriterOp[] }[];
  readers: ('mapped-shared' | 'cow-reuse')[];
}

/** The scenario of raw choices (see the file comment); valid by construction. */
export function buildScenario(raw: Raw): ScenarioJson {
  const P = 2 ** raw.order;
  const nMm = raw.ids.length;
  const mms = raw.ids.map((id, i) => ({ name: i === 0 ? 'A' : `M${i}`, rmapId: id }));
  let budget = P - 1;
  let page = 0;
  const nextPage = (): number => 1 + (page++ % (P - 1));
  const threads: ScenarioJson['threads'] = [];
  raw.writers.forEach((w, wi) => {
    const mm = mms[1 + (w.mm % (nMm - 1))].name;
    const ops: OpJson[] = [];
    let net = 0;
    let peak = 0;
    for (const o of w.ops) {
      // every op holds one mapping more than `net` at its peak
      const top = net + 1;
      if (top > peak && top - peak > budget) continue;
      if (top > peak) {
        budget -= top - peak;
        peak = top;
      }
      switch (o) {
        case 'map-unmap': {
          const p = nextPage();
          ops.push({ op: 'map', mm, page: p }, { op: 'unmap', mm, page: p });
          break;
        }
        case 'map':
          ops.push({ op: 'map', mm, page: nextPage() });
          net += 1;
          break;
        case 'fork':
          ops.push({ op: 'fork', from: 'A', to: mm, page: 0 });
          net += 1;
          break;
        case 'pmd':
          ops.push({ op: 'map-pmd', mm }, { op: 'unmap-pmd', mm });
          break;
      }
    }
    if (ops.length > 0) threads.push({ name: `W${wi}`, ops });
  });
  raw.readers.forEach((r, ri) =>
    threads.push({ name: `R${ri}`, ops: [r === 'cow-reuse' ? { op: 'cow-reuse', mm: 'A', page: 0 } : { op: 'mapped-shared', mm: 'A' }] }),
  );
  if (threads.length === 0) threads.push({ name: 'R0', ops: [{ op: 'mapped-shared', mm: 'A' }] });
  return {
    name: `generated-o${raw.order}-${raw.seqcount}-${nMm}mm-${threads.length}t`,
    order: raw.order,
    scheme: raw.scheme ? { ...raw.scheme } : 'wip-v1',
    seqcount: raw.seqcount,
    p20: raw.p20,
    mms,
    initial: [{ mm: 'A', ptes: 1, page: 0 }],
    threads,
  };
}

/** Valid rmap scenarios (see the file comment). */
export function rmapScenarioArb(o: ScenarioArbOptions = {}): fc.Arbitrary<ScenarioJson> {
  const orders = o.orders ?? [2, 3];
  return fc
    .record({
      order: fc.constantFrom(...orders),
      seqcount: fc.constantFrom('v1' as const, 'v2' as const, 'v3' as const),
      p20: fc.boolean(),
      nMm: fc.integer({ min: 2, max: Math.max(2, o.maxMms ?? 5) }),
      custom: (o.customSchemes ?? true) ? fc.boolean() : fc.constant(false),
      writers: fc.array(
        fc.record({ mm: fc.nat({ max: 16 }), ops: fc.array(fc.constantFrom<WriterOp>('map-unmap', 'map', 'fork', 'pmd'), { minLength: 1, maxLength: o.maxOps ?? 4 }) }),
        { maxLength: o.maxWriters ?? 5 },
      ),
      readers: fc.array(fc.constantFrom('mapped-shared' as const, 'cow-reuse' as const), { maxLength: o.maxReaders ?? 2 }),
    })
    .chain((r) => {
      const schemeA = r.custom ? schemeArb(r.order).filter((s) => 2 ** s.idBits - 1 >= r.nMm) : fc.constant(null);
      return schemeA.chain((scheme) =>
        rmapIdSetArb(scheme ? scheme.idBits : 24, r.nMm).map((ids) =>
          buildScenario({ order: r.order, seqcount: r.seqcount, p20: r.p20, scheme, ids, writers: r.writers, readers: r.readers }),
        ),
      );
    });
}
