/**
 * Certificates: every one the decision emits verifies with the independent checker (also after a
 * JSON round trip), and each kind of tampering is caught.
 */
import { describe, it, expect } from 'vitest';
import { Scheme, WIP_V1 } from '../../model/scheme';
import { maxSubId } from '../../model/subid';
import { proveSchemeSet, proveOrder } from '../../proofs/prove';
import { verifyCertificate, ProvedCertificate, RefutedCertificate, ExhaustiveChunkCertificate, BoundChunkCertificate } from '../../proofs/certificate';

const proofs = proveSchemeSet(WIP_V1);
const byOrder = (o: number) => proofs.find((p) => p.order === o)!;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const TOP8 = maxSubId(8, 512n); // the largest sub-ID of an 8-bit chunk, N = 512

/** One sub-ID chunk of 2 bits, N = 16, W = 8, order 4: e = (1, 15) and (-1, -15) reach -+256 but
 *  need q's chunk 0 or a zero row, so the scheme is sound only because IDs are nonzero. */
const NONZERO_ONLY: Scheme = { name: 'nonzero-only', orders: [4, 4], values: 1, chunkBits: 2, bound: 16n, wordBits: 8, idBits: 2 };

describe('certificates', () => {
  it('every wip-v1 certificate verifies, also after a JSON round trip', () => {
    for (const p of proofs) {
      const json = clone(p.certificate);
      const r = verifyCertificate(p.scheme, p.order, json);
      expect(r, `order ${p.order}: ${r.reason}`).toMatchObject({ ok: true });
    }
  });

  it('a proof that rests on unrealizable solutions verifies and lists them', () => {
    const p = proveOrder(NONZERO_ONLY, 4);
    expect(p.verdict).toBe('proved');
    const cert = p.certificate as ProvedCertificate;
    const chunk = cert.chunks[0] as ExhaustiveChunkCertificate;
    expect(chunk.method).toBe('exhaustive');
    expect(chunk.unrealizable.map((e) => e.join(',')).sort()).toEqual(['-1,-15', '1,15']);
    expect(verifyCertificate(NONZERO_ONLY, 4, clone(cert)).ok).toBe(true);
    // The unrealizable vectors are checked one by one, not only counted; cases outside the range
    // are refused even in an incomplete list.
    const swapped = clone(cert);
    (swapped.chunks[0] as ExhaustiveChunkCertificate).unrealizable[0] = ['2', '15'];
    expect(verifyCertificate(NONZERO_ONLY, 4, swapped)).toMatchObject({ ok: false, reason: expect.stringMatching(/unrealizable/) });
    const outside = clone(cert);
    const oc = outside.chunks[0] as ExhaustiveChunkCertificate;
    oc.complete = false;
    oc.cases.push({ m: String(BigInt(oc.multiples.to) + 1n), solutions: 0 });
    expect(verifyCertificate(NONZERO_ONLY, 4, outside)).toMatchObject({ ok: false, reason: expect.stringMatching(/outside/) });
    // Dropping the nonzero requirement turns the same solutions into a refutation.
    const tampered = clone(cert);
    (tampered.chunks[0] as ExhaustiveChunkCertificate).nonzeroRequired = false;
    expect(verifyCertificate(NONZERO_ONLY, 4, tampered).ok).toBe(false);
  });

  const tamperings: [string, number, (c: any) => void, RegExp][] = [
    ['bound product', 10, (c: ProvedCertificate) => ((c.chunks[0] as BoundChunkCertificate).product = '1'), /product/],
    ['bound maxSubId', 2, (c: ProvedCertificate) => ((c.chunks[0] as BoundChunkCertificate).maxSubId = '12345'), /maxSubId/],
    ['L', 3, (c: ProvedCertificate) => (c.L = '2'), /L/],
    ['a chunk dropped', 11, (c: ProvedCertificate) => c.chunks.pop(), /not covered/],
    ['a chunk bits', 11, (c: ProvedCertificate) => (c.chunks[1].bits = 5), /carries/],
    ['exhaustive case removed', 6, (c: ProvedCertificate) => (c.chunks[0] as ExhaustiveChunkCertificate).cases.pop(), /cases listed|says nothing/],
    ['exhaustive solution count', 6, (c: ProvedCertificate) => ((c.chunks[0] as ExhaustiveChunkCertificate).cases[5].solutions = 1), /solutions/],
    ['exhaustive range', 6, (c: ProvedCertificate) => ((c.chunks[0] as ExhaustiveChunkCertificate).multiples.to = '30'), /multiples/],
    ['proved as bound when it is not', 6, (c: ProvedCertificate) => {
      const e = c.chunks[0] as ExhaustiveChunkCertificate;
      c.chunks[0] = { chunks: e.chunks, bits: e.bits, nonzeroRequired: false, method: 'bound', L: e.L, B: e.B, maxSubId: String(TOP8), product: String(63n * TOP8), modulus: e.modulus } as BoundChunkCertificate;
    }, />= 2\^W/],
    ['refutation count', 9, (c: RefutedCertificate) => (c.counterexample.mappings[0].count += 1), /mapcount|values/],
    ['refutation query', 7, (c: RefutedCertificate) => (c.counterexample.query = c.counterexample.mappings.find((m) => m.rmapId !== c.counterexample.query)!.rmapId), /exclusive/],
    ['verdict flipped', 7, (c: any) => (c.verdict = 'proved'), /.+/],
    ['refutation columns', 7, (c: RefutedCertificate) => (c.columns[0] = String(BigInt(c.columns[0]) + 1n)), /columns/],
    ['refutation chunk', 7, (c: RefutedCertificate) => (c.counterexample.chunk = 9), /chunk 9 is out of range/],
    ['format', 2, (c: any) => (c.format = 'other/1'), /format/],
    ['order', 4, (c: any) => (c.order = 5), /order/],
  ];

  it.each(tamperings)('a tampered certificate fails: %s', (_name, order, tamper, reason) => {
    const p = byOrder(order);
    const cert = clone(p.certificate);
    tamper(cert);
    const r = verifyCertificate(p.scheme, p.order, cert);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(reason);
  });

  it('claiming order 7 proved with an exhaustive certificate fails (its solutions exist)', () => {
    // Take order 6's exhaustive certificate and retarget it to order 7 with L = 127.
    const six = clone(byOrder(6).certificate) as ProvedCertificate;
    six.order = 7;
    six.pages = 128;
    six.L = '127';
    const chunk = six.chunks[0] as ExhaustiveChunkCertificate;
    chunk.L = '127';
    chunk.radius = String(127n * TOP8);
    const M = (127n * TOP8) >> 64n;
    chunk.multiples = { from: String(-M), to: String(M) };
    chunk.cases = [];
    for (let m = -M; m <= M; m++) chunk.cases.push({ m: String(m), solutions: 0 });
    const r = verifyCertificate(WIP_V1.schemes[2], 7, six);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/solutions/);
  });
});
