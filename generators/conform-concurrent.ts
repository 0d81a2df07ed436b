/**
 * fast-check arbitraries for `rmapcheck conform --mode concurrent`: programs of 2..3 threads
 * whose operations are valid in EVERY interleaving, after a sequential setup.
 *
 * Validity does not depend on the schedule because nothing a thread relies on can be undone by
 * another thread: the setup's mappings and pins are never removed (MM0 always maps the folio),
 * and a thread unmaps, remaps or unpins only what it mapped or pinned itself (its own ledger,
 * per MM). Any thread may map any MM, so a reader's MM can be written while it reads. A reader
 * asks about an MM that maps the folio throughout: one mapped by the setup, or one its own
 * thread maps at that point. The mappings outstanding at any moment stay within 4 * P: each
 * thread has an equal share of what the setup leaves.
 *
 * As in generators/conform.ts, a program is decoded from raw numbers by a pure function
 * (`buildConcurrentCase`), an operation that does not fit being dropped, so that fast-check's
 * shrinking (fewer operations, smaller numbers) yields smaller valid programs.
 */
import fc from 'fast-check';
import { pagesOf } from '../model/scheme';
import { WRITER_PATHS, type ConformOp, type WriterPath } from '../checker/conform/ops';
import type { RawOp } from './conform';

/** A concurrent program: the folio, the MMs, a sequential setup, then the threads' operations. */
export interface ConcurrentCase {
  readonly order: number;
  readonly rmapIds: readonly number[];
  /** Run one after another on a fresh folio before the threads start. */
  readonly setup: readonly ConformOp[];
  /** Each thread's operations, in its program order. */
  readonly threads: readonly (readonly ConformOp[])[];
}

/** Thread operation kinds by weight: index 0 (what shrinking reaches) is a map. */
const THREAD_KINDS = [
  'map', 'map', 'unmap', 'unmap', 'dup', 'map-pmd', 'unmap-pmd', 'dup-pmd',
  'remap-pmd', 'pin', 'unpin', 'mapped-shared', 'mapped-shared', 'cow-reuse', 'cow-reuse', 'map',
] as const;

/** Setup operation kinds: index 0 maps. */
const SETUP_KINDS = ['map', 'map', 'map-pmd', 'pin'] as const;

interface Range {
  mm: number;
  page: number;
  nr: number;
}

/** What one thread (or the setup) holds: PTE ranges and PMD mappings per MM, pins. */
class Ledger {
  ranges: Range[] = [];
  pmds: number[];
  pins = 0;
  /** Mappings held now (PTEs + PMDs). */
  held = 0;

  constructor(mms: number) {
    this.pmds = new Array<number>(mms).fill(0);
  }

  ptes(mm: number): number {
    let n = 0;
    for (const r of this.ranges) if (r.mm === mm) n += r.nr;
    return n;
  }

  maps(mm: number): boolean {
    return this.pmds[mm] > 0 || this.ranges.some((r) => r.mm === mm);
  }
}

/** First MM at or after `start` (cyclically) for which `ok` holds, or -1. */
function find(start: number, M: number, ok: (mm: number) => boolean): number {
  for (let i = 0; i < M; i++) if (ok((start + i) % M)) return (start + i) % M;
  return -1;
}

/** Batch sizes 1..max, mostly small so that mapcount <= P stays common. */
function batch(size: number, P: number, max: number): number {
  return Math.min(max, 1 + (size & 1 ? (size >> 1) % P : (size >> 1) % Math.min(P, 4)));
}

/** The program of raw choices (see the file comment); valid in every interleaving by construction. */
export function buildConcurrentCase(order: number, rmapIds: readonly number[], setupRaw: readonly RawOp[], threadsRaw: readonly (readonly RawOp[])[]): ConcurrentCase {
  const P = pagesOf(order);
  const M = rmapIds.length;
  const limit = 4 * P;
  const fixed = new Ledger(M);
  const setup: ConformOp[] = [];
  // MM0 always maps the folio: readers have an MM to ask about, forks a parent
  const first = Math.min(P, 2);
  setup.push({ op: 'map', mm: 0, page: 0, nr: first, path: 'auto' });
  fixed.ranges.push({ mm: 0, page: 0, nr: first });
  fixed.held = first;
  for (const [k, who, where, size] of setupRaw) {
    const kind = SETUP_KINDS[k % SETUP_KINDS.length];
    const mm = who % M;
    // the setup takes at most half of the mappings, the threads share the rest
    const room = Math.floor(limit / 2) - fixed.held;
    if (kind === 'map') {
      const nr = batch(size, P, Math.min(P, room));
      if (nr <= 0) continue;
      const page = where % (P - nr + 1);
      fixed.ranges.push({ mm, page, nr });
      fixed.held += nr;
      setup.push({ op: 'map', mm, page, nr, path: 'auto' });
    } else if (kind === 'map-pmd') {
      if (room <= 0 || fixed.pmds[mm] > 0) continue;
      fixed.pmds[mm]++;
      fixed.held++;
      setup.push({ op: 'map-pmd', mm, path: 'auto' });
    } else if (fixed.pins < 2) {
      fixed.pins++;
      setup.push({ op: 'pin' });
    }
  }
  const T = threadsRaw.length;
  const share = Math.floor((limit - fixed.held) / Math.max(1, T));
  const threads = threadsRaw.map((raw) => buildThread(raw, P, M, share, fixed)).filter((t) => t.length > 0);
  return { order, rmapIds: [...rmapIds], setup, threads };
}

function buildThread(raw: readonly RawOp[], P: number, M: number, share: number, fixed: Ledger): ConformOp[] {
  const own = new Ledger(M);
  const ops: ConformOp[] = [];
  const mapsThroughout = (mm: number) => fixed.maps(mm) || own.maps(mm);
  for (const [k, who, where, size, p] of raw) {
    const kind = THREAD_KINDS[k % THREAD_KINDS.length];
    const path: WriterPath = WRITER_PATHS[p % WRITER_PATHS.length];
    const mm0 = who % M;
    const room = share - own.held;
    switch (kind) {
      case 'map': {
        const nr = batch(size, P, Math.min(P, room));
        if (nr <= 0) break;
        const page = where % (P - nr + 1);
        own.ranges.push({ mm: mm0, page, nr });
        own.held += nr;
        ops.push({ op: 'map', mm: mm0, page, nr, path });
        break;
      }
      case 'unmap': {
        if (own.ranges.length === 0) break;
        const r = own.ranges[where % own.ranges.length];
        const nr = 1 + (size % r.nr);
        r.nr -= nr;
        if (r.nr === 0) own.ranges = own.ranges.filter((x) => x !== r);
        own.held -= nr;
        ops.push({ op: 'unmap', mm: r.mm, page: r.page + r.nr, nr, path });
        break;
      }
      case 'dup': {
        // the parent's PTEs must stay: the setup's, or this thread's own
        const from = find(mm0, M, (x) => fixed.ptes(x) > 0 || own.ptes(x) > 0);
        if (from < 0) break;
        const src = [...fixed.ranges, ...own.ranges].filter((r) => r.mm === from);
        const r = src[where % src.length];
        const mm = (from + 1 + (Math.floor(who / M) % (M - 1))) % M;
        const nr = Math.min(1 + (size % r.nr), room);
        if (nr <= 0) break;
        own.ranges.push({ mm, page: r.page, nr });
        own.held += nr;
        ops.push({ op: 'dup', from, mm, page: r.page, nr, path });
        break;
      }
      case 'map-pmd':
        if (room <= 0 || own.pmds[mm0] > 0) break;
        own.pmds[mm0]++;
        own.held++;
        ops.push({ op: 'map-pmd', mm: mm0, path });
        break;
      case 'unmap-pmd': {
        const mm = find(mm0, M, (x) => own.pmds[x] > 0);
        if (mm < 0) break;
        own.pmds[mm]--;
        own.held--;
        ops.push({ op: 'unmap-pmd', mm, path });
        break;
      }
      case 'dup-pmd': {
        const from = find(mm0, M, (x) => fixed.pmds[x] > 0 || own.pmds[x] > 0);
        if (from < 0 || room <= 0) break;
        const mm = (from + 1 + (Math.floor(who / M) % (M - 1))) % M;
        if (own.pmds[mm] > 0) break;
        own.pmds[mm]++;
        own.held++;
        ops.push({ op: 'dup-pmd', from, mm, path });
        break;
      }
      case 'remap-pmd': {
        const mm = find(mm0, M, (x) => own.pmds[x] > 0);
        if (mm < 0 || room < P - 1) break;
        own.pmds[mm]--;
        own.ranges.push({ mm, page: 0, nr: P });
        own.held += P - 1;
        ops.push({ op: 'remap-pmd', mm, path });
        break;
      }
      case 'pin':
        if (own.pins >= 2) break;
        own.pins++;
        ops.push({ op: 'pin' });
        break;
      case 'unpin':
        if (own.pins === 0) break;
        own.pins--;
        ops.push({ op: 'unpin' });
        break;
      case 'mapped-shared': {
        const mm = find(mm0, M, mapsThroughout);
        if (mm >= 0) ops.push({ op: 'mapped-shared', mm });
        break;
      }
      case 'cow-reuse': {
        const mm = find(mm0, M, (x) => fixed.ptes(x) > 0 || own.ptes(x) > 0);
        if (mm < 0) break;
        const src = [...fixed.ranges, ...own.ranges].filter((r) => r.mm === mm);
        const r = src[where % src.length];
        ops.push({ op: 'cow-reuse', mm, page: r.page + (size % r.nr) });
        break;
      }
    }
  }
  return ops;
}

export interface ConcurrentCaseArbOptions {
  /** Folio orders to draw from (default 2..15). */
  readonly orders?: readonly number[];
  /** Threads (default 2..3). */
  readonly minThreads?: number;
  readonly maxThreads?: number;
  /** Raw operations per thread (default 1..4). */
  readonly maxOpsPerThread?: number;
}

/** rmap IDs: small ones (1..4, where collisions of sub-IDs live) and random 24-bit ones. */
const rmapIdArb = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: (1 << 24) - 1 }));

const rawOpArb: fc.Arbitrary<RawOp> = fc.tuple(fc.nat(THREAD_KINDS.length - 1), fc.nat(255), fc.nat(0xffff), fc.nat(0xffff), fc.nat(2));

/** Valid concurrent programs (see the file comment): at least two threads, each with an operation. */
export function concurrentCaseArb(o: ConcurrentCaseArbOptions = {}): fc.Arbitrary<ConcurrentCase> {
  const orders = o.orders ?? Array.from({ length: 14 }, (_, i) => i + 2);
  const minT = o.minThreads ?? 2;
  const maxT = Math.max(minT, o.maxThreads ?? 3);
  const perThread = Math.max(1, o.maxOpsPerThread ?? 4);
  return fc
    .record({
      order: fc.constantFrom(...orders),
      rmapIds: fc.uniqueArray(rmapIdArb, { minLength: 2, maxLength: 4 }),
      setup: fc.array(rawOpArb, { maxLength: 3 }),
      threads: fc.array(fc.array(rawOpArb, { minLength: 1, maxLength: perThread }), { minLength: minT, maxLength: maxT }),
    })
    .map(({ order, rmapIds, setup, threads }) => buildConcurrentCase(order, rmapIds, setup, threads))
    .filter((c) => c.threads.length >= 2);
}

/** The program's operations in one list: the setup's, then each thread's (the trace's `case.ops`). */
export function flattenConcurrentCase(c: ConcurrentCase): ConformOp[] {
  return [...c.setup, ...c.threads.flat()];
}
