/**
 * Properties of the sub-ID construction the proofs rest on, and the reader's exactness whenever no
 * word can wrap (the no-carry argument of subid-math.md, checked on random states).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { subId, maxSubId, subIdTable, subIdTableByGenerations } from '../../model/subid';
import { Scheme, pagesOf } from '../../model/scheme';
import { newFolio, mapPages, readerDecision, oracle } from '../../model/folio';

describe('subId', () => {
  it('the sub-ID of a single bit b is B^b', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.bigInt({ min: 1n, max: 1n << 20n }), (b, n) => {
        expect(subId(1n << BigInt(b), n)).toBe((n + 1n) ** BigInt(b));
      }),
    );
  });

  it('a sum of at most N sub-IDs never carries: digit b counts the summands with bit b', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 300n }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 12n) - 1n }), { minLength: 1, maxLength: 300 }),
        (n, bits, raw) => {
          const xs = raw.slice(0, Number(n)).map((x) => x & ((1n << BigInt(bits)) - 1n));
          let sum = xs.reduce((s, x) => s + subId(x, n), 0n);
          for (let b = 0; b < bits; b++) {
            expect(sum % (n + 1n)).toBe(BigInt(xs.filter((x) => (x >> BigInt(b)) & 1n).length));
            sum /= n + 1n;
          }
          expect(sum).toBe(0n);
        },
      ),
    );
  });

  it('the generations construction equals the formula', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.bigInt({ min: 1n, max: 1n << 40n }), (bits, n) => {
        expect(subIdTableByGenerations(bits, n)).toEqual(subIdTable(bits, n));
      }),
    );
  });

  it('maxSubId is ((N+1)^c - 1) / N', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.bigInt({ min: 1n, max: 1n << 30n }), (c, n) => {
        expect(maxSubId(c, n) * n).toBe((n + 1n) ** BigInt(c) - 1n);
      }),
    );
  });
});

describe('reader decision without wrap-around', () => {
  // Schemes where P * maxSubId < 2^W for the full chunk: no word can wrap, so the reader must be
  // exact (both directions) for every state with mapcount <= P.
  const schemeArb = fc
    .record({
      order: fc.integer({ min: 2, max: 4 }),
      values: fc.integer({ min: 1, max: 3 }),
      chunkBits: fc.integer({ min: 1, max: 4 }),
      extra: fc.integer({ min: 0, max: 5 }),
    })
    .chain(({ order, values, chunkBits, extra }) => {
      const pages = pagesOf(order);
      const bound = BigInt(pages + extra);
      const idBits = Math.min(values * chunkBits, 8);
      let wordBits = 8;
      while (BigInt(pages) * maxSubId(chunkBits, bound) >= 1n << BigInt(wordBits)) wordBits++;
      const scheme: Scheme = { name: 'nowrap', orders: [order, order], values, chunkBits, bound, wordBits, idBits };
      const id = fc.bigInt({ min: 1n, max: (1n << BigInt(idBits)) - 1n });
      return fc.record({
        scheme: fc.constant(scheme),
        query: id,
        mms: fc.array(fc.record({ id, count: fc.integer({ min: 1, max: pages }) }), { minLength: 1, maxLength: 4 }),
      });
    });

  it('equals the oracle whenever no wrap-around is possible', () => {
    let shared = 0;
    let exclusive = 0;
    fc.assert(
      fc.property(schemeArb, fc.boolean(), ({ scheme, query, mms }, queryOnly) => {
        const P = pagesOf(scheme.orders[0]);
        let folio = newFolio(scheme, scheme.orders[0]);
        let left = P;
        for (const m of queryOnly ? [{ id: query, count: mms[0].count }] : mms) {
          const k = Math.min(m.count, left);
          if (k === 0) break;
          folio = mapPages(folio, m.id, k);
          left -= k;
        }
        const verdict = readerDecision(folio, query).verdict;
        expect(verdict).toBe(oracle(folio, query));
        if (verdict === 'shared') shared++;
        else exclusive++;
      }),
      { numRuns: 400 },
    );
    // Both verdicts must actually occur, so the property is not vacuous.
    expect(shared).toBeGreaterThan(0);
    expect(exclusive).toBeGreaterThan(0);
  });
});
