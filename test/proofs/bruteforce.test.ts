/**
 * The exact decision against brute force on a grid of small schemes (P <= 8 mostly, IDs of 2..4
 * bits, words as narrow as 8 bits so that wrap-around really happens): same verdict on every
 * scheme, and every counterexample from either side is a real one on the model.
 */
import { describe, it, expect } from 'vitest';
import { Scheme, pagesOf, schemeProblems } from '../../model/scheme';
import { newFolio, mapPages, readerDecision, oracle } from '../../model/folio';
import { bruteForce } from '../../proofs/bruteforce';
import { proveOrder } from '../../proofs/prove';
import type { ProofCounterexample } from '../../proofs/counterexample';
import { verifyCertificate } from '../../proofs/certificate';

function grid(): Scheme[] {
  const out: Scheme[] = [];
  // (idBits, values, chunkBits): single-chunk (V = 1, nonzero-only), split, partly used top chunk,
  // and a chunk that carries no ID bit at all.
  const layouts: [number, number, number][] = [
    [2, 1, 2], [2, 2, 1], [2, 1, 3], [2, 2, 2],
    [3, 1, 3], [3, 2, 2], [3, 3, 1], [3, 2, 3],
    [4, 1, 4], [4, 2, 2], [4, 2, 3], [4, 3, 2],
  ];
  for (const [idBits, values, chunkBits] of layouts)
    for (const order of idBits === 4 ? [2] : [2, 3])
      for (const wordBits of [8, 9, 11])
        for (const n of [(P: number) => P, (P: number) => P + 1, (P: number) => 2 * P + 1, (P: number) => 16 * P + 3]) {
          // odd and even B = N + 1; a large N makes even 2-bit chunks wrap an 8-bit word
          const bound = BigInt(n(pagesOf(order)));
          out.push({ name: `g${idBits}-${values}x${chunkBits}-o${order}-W${wordBits}-N${bound}`, orders: [order, order], values, chunkBits, bound, wordBits, idBits });
        }
  // Wrap-around possible (L * maxSubId >= 2^W) yet no solution: proofs that need the exhaustive
  // method, like wip-v1 order 6. Found by scanning small parameters; the verdict is still computed.
  const corners: [number, number, number, number, number, number][] = [
    [2, 3, 1, 3, 8, 8], [2, 3, 1, 3, 8, 9], [2, 3, 1, 3, 8, 11], [2, 3, 2, 3, 8, 12], [2, 3, 2, 3, 9, 16],
    [2, 4, 1, 4, 10, 8], [2, 4, 1, 4, 11, 9], [2, 4, 2, 3, 9, 13], [2, 4, 1, 4, 13, 16],
    [3, 3, 1, 3, 10, 16], [3, 3, 1, 3, 11, 19], [3, 3, 1, 3, 12, 24], [3, 3, 2, 3, 9, 23], [3, 3, 2, 3, 10, 16],
  ];
  for (const [order, idBits, values, chunkBits, wordBits, n] of corners)
    out.push({ name: `c${idBits}-${values}x${chunkBits}-o${order}-W${wordBits}-N${n}`, orders: [order, order], values, chunkBits, bound: BigInt(n), wordBits, idBits });
  // Larger corners: a 5-bit ID, and the nonzero-only scheme whose proof rests on unrealizable solutions.
  out.push({ name: 'g5-1x5-o2-W8-N4', orders: [2, 2], values: 1, chunkBits: 5, bound: 4n, wordBits: 8, idBits: 5 });
  out.push({ name: 'g5-2x3-o2-W8-N5', orders: [2, 2], values: 2, chunkBits: 3, bound: 5n, wordBits: 8, idBits: 5 });
  out.push({ name: 'g2-1x2-o4-W8-N16', orders: [4, 4], values: 1, chunkBits: 2, bound: 16n, wordBits: 8, idBits: 2 });
  return out;
}

function replays(scheme: Scheme, cx: ProofCounterexample): boolean {
  const order = scheme.orders[0];
  let folio = newFolio(scheme, order);
  for (const m of cx.mappings) folio = mapPages(folio, m.rmapId, m.count);
  return (
    cx.mappings.length >= 2 &&
    cx.mappings.some((m) => m.rmapId === cx.query) &&
    folio.mapcount <= BigInt(pagesOf(order)) &&
    folio.mapcount === cx.mapcount &&
    readerDecision(folio, cx.query).verdict === 'exclusive' &&
    oracle(folio, cx.query) === 'shared'
  );
}

describe('decision vs brute force', () => {
  const schemes = grid();

  it('the grid is large, valid and mixed', () => {
    expect(schemes.length).toBeGreaterThanOrEqual(200);
    for (const s of schemes) expect(schemeProblems(s)).toEqual([]);
  });

  it('agrees with brute force on every grid scheme', () => {
    const tally = { proved: 0, refuted: 0, exhaustive: 0, multisets: 0 };
    const t0 = performance.now();
    for (const s of schemes) {
      const order = s.orders[0];
      const proof = proveOrder(s, order);
      const brute = bruteForce(s, order);
      tally.multisets += brute.multisets;
      expect(proof.verdict, s.name).toBe(brute.sound ? 'proved' : 'refuted');
      expect(verifyCertificate(s, order, JSON.parse(JSON.stringify(proof.certificate))).ok, s.name).toBe(true);
      if (proof.counterexample) expect(replays(s, proof.counterexample), s.name).toBe(true);
      if (brute.counterexample) expect(replays(s, brute.counterexample), s.name).toBe(true);
      tally[proof.verdict]++;
      if (proof.method === 'exhaustive wrap-around search') tally.exhaustive++;
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(`grid: ${schemes.length} schemes, ${JSON.stringify(tally)}, ${seconds.toFixed(1)} s, ${Math.round(tally.multisets / seconds)} multisets/s`);
    // The grid must exercise both verdicts and the exhaustive method, not just the bound.
    expect(tally.proved).toBeGreaterThan(20);
    expect(tally.refuted).toBeGreaterThan(20);
    expect(tally.exhaustive).toBeGreaterThan(5);
  });
});
