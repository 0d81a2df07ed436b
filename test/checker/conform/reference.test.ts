// The conformance reference (checker/conform/reference.ts) is the mutable, incremental form of
// model/folio.ts; here both run the same generated sequences and must agree at every step.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyMappings, newFolio, oracle, readerDecision, type FolioState } from '../../../model/folio';
import { WIP_V1, pagesOf, schemeForOrder } from '../../../model/scheme';
import { ConformReference } from '../../../checker/conform/reference';
import { conformCaseArb, buildConformCase } from '../../../generators/conform';
import type { ConformCase } from '../../../checker/conform/ops';

/** The model/folio.ts run of a case: the folio state after every operation. */
function modelRun(c: ConformCase, onStep: (i: number, s: FolioState) => void): void {
  const scheme = schemeForOrder(WIP_V1, c.order)!;
  const P = pagesOf(c.order);
  const id = (mm: number) => BigInt(c.rmapIds[mm]);
  let s = newFolio(scheme, c.order);
  c.ops.forEach((o, i) => {
    switch (o.op) {
      case 'new-anon':
        s = applyMappings(newFolio(scheme, c.order), id(o.mm), o.nr);
        break;
      case 'map':
      case 'dup':
        s = applyMappings(s, id(o.mm), o.nr);
        break;
      case 'unmap':
        s = applyMappings(s, id(o.mm), -o.nr);
        break;
      case 'map-pmd':
      case 'dup-pmd':
        s = applyMappings(s, id(o.mm), 1);
        break;
      case 'unmap-pmd':
        s = applyMappings(s, id(o.mm), -1);
        break;
      case 'remap-pmd':
        s = applyMappings(s, id(o.mm), P - 1);
        break;
      default:
        break;
    }
    onStep(i, s);
  });
}

describe('conformance reference', () => {
  it('agrees with model/folio.ts on mapcount, every value, the reader decision and the oracle', () => {
    // every rule of the decision is reached, so the agreement is not vacuous
    const rules = new Map<string, number>();
    fc.assert(
      fc.property(conformCaseArb({ maxOps: 60 }), (c) => {
        const ref = new ConformReference(c.order, c.rmapIds);
        modelRun(c, (i, s) => {
          const o = c.ops[i];
          const answer = ref.apply(o);
          expect(BigInt(ref.mapcount)).toBe(s.mapcount);
          expect(ref.values).toEqual([...s.values]);
          expect(ref.perMm.map((n, mm) => ({ rmapId: BigInt(c.rmapIds[mm]), count: n })).filter((m) => m.count > 0).sort((a, b) => (a.rmapId < b.rmapId ? -1 : 1))).toEqual(s.mappings);
          if (o.op === 'mapped-shared') {
            const q = BigInt(c.rmapIds[o.mm]);
            // past the mapcount-1 and PMD shortcuts, folio_mapped_shared is the sub-ID decision
            if (ref.mapcount !== 1 && ref.entire === 0) {
              const d = readerDecision(s, q);
              rules.set(d.rule, (rules.get(d.rule) ?? 0) + 1);
              expect(answer).toBe(d.verdict === 'shared');
            }
            expect(ref.mayBeExclusive(o)).toBe(oracle(s, q) === 'exclusive');
          }
        });
      }),
      { seed: 20260101, numRuns: 300 },
    );
    for (const rule of ['mapcount > P', 'values match', 'values differ']) expect(rules.get(rule) ?? 0, rule).toBeGreaterThan(50);
  });

  it('answers a COW fault as P10 does: reuse only with every reference a mapping of the faulting MM', () => {
    // MM0 maps 3 pages of an order-2 folio; a pin (an extra reference) makes it copy
    const c = buildConformCase(2, [1, 2], [
      [0, 0, 0, 4, 0], // map: size 4 (even) -> 1 + (2 % 4) = 3 PTEs of MM0 at page 0
      [14, 0, 0, 0, 0], // cow-reuse of MM0
      [10, 0, 0, 0, 0], // pin
      [14, 0, 0, 0, 0],
      [11, 0, 0, 0, 0], // unpin
      [4, 0, 0, 0, 0], // fork: MM1 duplicates one PTE of MM0
      [14, 0, 0, 0, 0],
    ]);
    expect(c.ops.map((o) => o.op)).toEqual(['map', 'cow-reuse', 'pin', 'cow-reuse', 'unpin', 'dup', 'cow-reuse']);
    const ref = new ConformReference(c.order, c.rmapIds);
    expect(c.ops.map((o) => ref.apply(o))).toEqual([null, true, null, false, null, null, false]);
  });
});
