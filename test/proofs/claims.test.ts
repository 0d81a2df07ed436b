/**
 * The series' numeric claims. Every verdict asserted here is the one the math derives; the comment
 * on each says why it is expected.
 */
import { describe, it, expect } from 'vitest';
import { checkClaims, minimalValues, sideNoteBruteForce } from '../../proofs/claims';

const claims = checkClaims();
const verdict = (pattern: RegExp): boolean[] => {
  const hits = claims.filter((c) => pattern.test(c.claim));
  expect(hits.length, `no claim matches ${pattern}`).toBeGreaterThan(0);
  return hits.map((c) => c.holds);
};

describe('minimalValues', () => {
  it('gives the fewest values with (P+1)^c - 1 < 2^64', () => {
    const m = minimalValues(2, 30);
    expect(m).toHaveLength(29);
    const values = Object.fromEntries(m.map((r) => [r.order, r.values]));
    // 257^8 = 2^64 (1 + 1/256)^8 > 2^64, so order 8 (and 9) already need c <= 7, i.e. 4 values;
    // (2^21+1)^3 < 2^64 < (2^22+1)^3, and 65537^4 > 2^64 makes order 16 the first with 8 values.
    expect(values).toMatchObject({ 2: 1, 5: 2, 6: 3, 7: 3, 8: 4, 9: 4, 10: 4, 11: 5, 12: 5, 13: 6, 15: 6, 16: 8, 21: 8, 22: 12, 30: 12 });
    for (const r of m) expect(r.chunkBits).toBe(Math.ceil(24 / r.values));
  });
});

describe('checkClaims', () => {
  it('32 of the 37 claims hold; the 5 that fail are exactly these', () => {
    // The groups below add up to 37: 8 table rows, 3 sub-ID tables, 1 generations example,
    // 6 per-value fits, 6 "== 16M" counts, 6 overflow rules, 1 + 6 side notes.
    expect(claims).toHaveLength(37);
    expect(claims.filter((c) => c.holds)).toHaveLength(32);
    expect(claims.filter((c) => !c.holds).map((c) => c.claim)).toEqual([
      'cover letter: orders 6..9 needs 3x 64bit rmap values (c = 8, N = P)',
      'P11: 128^3 == 16M (N = 512)',
      'P07: 8^6 == 16M (N = 32768)',
      'P * sub-ID must not overflow: wip-v1/orders-6-9 (P = 512, c = 8, N = 512)',
      'P07 side note modulo 2^64 for wip-v1/orders-6-9 (X <= N = 512)',
    ]);
  });

  it('every claim has a reason', () => {
    for (const c of claims) expect(c.why.length, c.claim).toBeGreaterThan(10);
  });

  it("the cover letter's table holds except the 3-value row (orders 8 and 9 need 4)", () => {
    expect(verdict(/^cover letter:/)).toEqual([true, true, false, true, true, true, true, true]);
    expect(claims.find((c) => /orders 6\.\.9/.test(c.claim))!.why).toMatch(/order 8: .* order 9: /);
  });

  it('the lookup tables and the N = 4 example match the formula', () => {
    expect(verdict(/sub-ID table/)).toEqual([true, true, true]);
    expect(verdict(/generations for N = 4/)).toEqual([true]);
    expect(claims.find((c) => /sub-ID table/.test(c.claim))!.why).toMatch(/not available here/);
  });

  it('each per-value count fits; 128^3 and 8^6 are not 16M as written', () => {
    // 513^7 - 1 < 2^64 <= 513^8 - 1: 128 sub-IDs fit for N = 512 (the scheme's c = 8 does not).
    expect(verdict(/sub-IDs per 64-bit value fit/)).toEqual([true, true, true, true, true, true]);
    // 128^3 = 2^21 and 8^6 = 2^18; the other rows are 2^24 (or 2^25 > 2^24).
    expect(verdict(/\^\d+ (==|>) 16M/)).toEqual([true, true, false, true, true, false]);
  });

  it('P * sub-ID overflows only for the orders 6..9 scheme', () => {
    // 512 * maxSubId(8, 512) = 513^8 - 1 > 2^64; every other row stays below 2^61.
    expect(verdict(/must not overflow/)).toEqual([true, true, false, true, true, true]);
  });

  it('the side note holds over the integers and fails modulo 2^64 only for orders 6..9', () => {
    expect(verdict(/over the integers/)).toEqual([true]);
    expect(verdict(/side note modulo/)).toEqual([true, true, false, true, true, true]);
  });

  it('the side-note brute force catches a carry once X exceeds N', () => {
    // N = 1 makes sub-IDs plain binary: 2 * subid(1) = 2 = subid(0) + subid(2).
    expect(sideNoteBruteForce(1, 2, 2).violation).toMatch(/x = 1, \d other sub-IDs sum to 2 \* subid\(x\) = 2/);
    expect(sideNoteBruteForce(1, 2).violation).toBeNull();
  });
});
