/**
 * fast-check arbitraries for `rmapcheck conform`: operation sequences that are valid by
 * construction (nothing unmapped that is not mapped, a reader's MM maps the folio, a COW
 * fault's MM maps the page, at most 4 * P mappings at once).
 *
 * A case is decoded from raw numbers by a pure function (`buildConformCase`) that tracks what
 * each MM maps; a raw operation that does not fit the state is dropped. So fast-check's
 * shrinking of the raw numbers (fewer operations, smaller numbers) yields smaller valid cases:
 * shrunk numbers mean kind 0 (map), MM 0, one page, page 0, the "auto" path.
 */
import fc from 'fast-check';
import { pagesOf } from '../model/scheme';
import { WRITER_PATHS, type ConformCase, type ConformOp } from '../checker/conform/ops';

/** Raw operation: [kind, who, where, size, path]. */
export type RawOp = [number, number, number, number, number];

/** Kinds by weight: index 0 (what shrinking reaches) is a map. */
const KINDS = [
  'map', 'map', 'unmap', 'unmap', 'dup', 'map-pmd', 'unmap-pmd', 'dup-pmd',
  'remap-pmd', 'new-anon', 'pin', 'unpin', 'mapped-shared', 'mapped-shared', 'cow-reuse', 'cow-reuse',
] as const;

interface Range {
  page: number;
  nr: number;
}

/** The case of raw choices (see the file comment); valid by construction. */
export function buildConformCase(order: number, rmapIds: readonly number[], raw: readonly RawOp[]): ConformCase {
  const P = pagesOf(order);
  const M = rmapIds.length;
  const limit = 4 * P;
  let ranges: Range[][] = rmapIds.map(() => []);
  let pmds: number[] = rmapIds.map(() => 0);
  let pins = 0;
  let mapcount = 0;
  const ops: ConformOp[] = [];
  /** First MM at or after `start` (cyclically) for which `ok` holds, or -1. */
  const find = (start: number, ok: (mm: number) => boolean): number => {
    for (let i = 0; i < M; i++) if (ok((start + i) % M)) return (start + i) % M;
    return -1;
  };
  /** Batch sizes 1..P, half of them small (<= 8) so that mapcount <= P stays common. */
  const batch = (size: number, max: number): number => Math.min(max, 1 + (size & 1 ? (size >> 1) % P : (size >> 1) % Math.min(P, 8)));
  const hasPtes = (mm: number) => ranges[mm].length > 0;

  for (const [k, who, where, size, p] of raw) {
    const kind = KINDS[k % KINDS.length];
    const path = WRITER_PATHS[p % WRITER_PATHS.length];
    const mm0 = who % M;
    const other = (mm: number) => (mm + 1 + (Math.floor(who / M) % (M - 1))) % M;
    switch (kind) {
      case 'map': {
        const nr = batch(size, limit - mapcount);
        if (nr <= 0) break;
        const n = Math.min(nr, P);
        const page = where % (P - n + 1);
        ranges[mm0].push({ page, nr: n });
        mapcount += n;
        ops.push({ op: 'map', mm: mm0, page, nr: n, path });
        break;
      }
      case 'unmap': {
        const mm = find(mm0, hasPtes);
        if (mm < 0) break;
        const r = ranges[mm][where % ranges[mm].length];
        const nr = 1 + (size % r.nr);
        r.nr -= nr;
        if (r.nr === 0) ranges[mm] = ranges[mm].filter((x) => x !== r);
        mapcount -= nr;
        ops.push({ op: 'unmap', mm, page: r.page + r.nr, nr, path });
        break;
      }
      case 'dup': {
        const from = find(mm0, hasPtes);
        if (from < 0) break;
        const r = ranges[from][where % ranges[from].length];
        const nr = Math.min(1 + (size % r.nr), limit - mapcount);
        if (nr <= 0) break;
        const mm = other(from);
        ranges[mm].push({ page: r.page, nr });
        mapcount += nr;
        ops.push({ op: 'dup', from, mm, page: r.page, nr, path });
        break;
      }
      case 'map-pmd':
        if (pmds[mm0] >= 2 || mapcount >= limit) break;
        pmds[mm0]++;
        mapcount++;
        ops.push({ op: 'map-pmd', mm: mm0, path });
        break;
      case 'unmap-pmd': {
        const mm = find(mm0, (x) => pmds[x] > 0);
        if (mm < 0) break;
        pmds[mm]--;
        mapcount--;
        ops.push({ op: 'unmap-pmd', mm, path });
        break;
      }
      case 'dup-pmd': {
        const from = find(mm0, (x) => pmds[x] > 0);
        if (from < 0 || mapcount >= limit) break;
        const mm = other(from);
        if (pmds[mm] >= 2) break;
        pmds[mm]++;
        mapcount++;
        ops.push({ op: 'dup-pmd', from, mm, path });
        break;
      }
      case 'remap-pmd': {
        const mm = find(mm0, (x) => pmds[x] > 0);
        if (mm < 0 || mapcount + P > limit) break;
        pmds[mm]--;
        ranges[mm].push({ page: 0, nr: P });
        mapcount += P - 1;
        ops.push({ op: 'remap-pmd', mm, path });
        break;
      }
      case 'new-anon': {
        const nr = Math.min(batch(size, P), P);
        ranges = rmapIds.map(() => []);
        pmds = rmapIds.map(() => 0);
        ranges[mm0].push({ page: 0, nr });
        pins = 0;
        mapcount = nr;
        ops.push({ op: 'new-anon', mm: mm0, nr });
        break;
      }
      case 'pin':
        if (pins >= 3) break;
        pins++;
        ops.push({ op: 'pin' });
        break;
      case 'unpin':
        if (pins === 0) break;
        pins--;
        ops.push({ op: 'unpin' });
        break;
      case 'mapped-shared': {
        const mm = find(mm0, (x) => hasPtes(x) || pmds[x] > 0);
        if (mm >= 0) ops.push({ op: 'mapped-shared', mm });
        break;
      }
      case 'cow-reuse': {
        const mm = find(mm0, hasPtes);
        if (mm < 0) break;
        const r = ranges[mm][where % ranges[mm].length];
        ops.push({ op: 'cow-reuse', mm, page: r.page + (size % r.nr) });
        break;
      }
    }
  }
  return { order, rmapIds: [...rmapIds], ops };
}

export interface ConformCaseArbOptions {
  /** Folio orders to draw from (default 2..15). */
  readonly orders?: readonly number[];
  /** MMs per case (2..maxMms, default 4). */
  readonly maxMms?: number;
  /** Raw operations per case (default 200). */
  readonly maxOps?: number;
}

/** rmap IDs: small ones (1..4, where collisions of sub-IDs live) and random 24-bit ones. */
const rmapIdArb = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: (1 << 24) - 1 }));

const rawOpArb: fc.Arbitrary<RawOp> = fc.tuple(fc.nat(KINDS.length - 1), fc.nat(255), fc.nat(0xffff), fc.nat(0xffff), fc.nat(2));

/** Valid conformance cases (see the file comment). */
export function conformCaseArb(o: ConformCaseArbOptions = {}): fc.Arbitrary<ConformCase> {
  const orders = o.orders ?? Array.from({ length: 14 }, (_, i) => i + 2);
  return fc
    .record({
      order: fc.constantFrom(...orders),
      rmapIds: fc.uniqueArray(rmapIdArb, { minLength: 2, maxLength: Math.max(2, o.maxMms ?? 4) }),
      raw: fc.array(rawOpArb, { maxLength: o.maxOps ?? 200, size: 'max' }),
    })
    .map(({ order, rmapIds, raw }) => buildConformCase(order, rmapIds, raw));
}
