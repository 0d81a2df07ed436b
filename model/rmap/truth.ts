/**
 * The ground truth of one rmap state, from its ghost fields (state.ts): what the series' readers
 * should answer at that instant, and the per-thread facts of the compiled instructions the
 * threads are at (program.ts). The step function latches these into a reader's ghost bits; the
 * properties and the viewer's ground-truth column judge with them.
 */
import type { Ins } from './program';
import { G_CAN_EX, G_CAN_SH, G_PTE_EX, type Rmap, type RmapState } from './state';
import { wrap } from '../word';

/** The instruction at `pc` of thread `k` (undefined: the thread finished). */
export function insAt(m: Rmap, k: number, pc: number): Ins | undefined {
  return m.programs[k].ins[pc];
}

/** The number of tracked mappings (what an exact mapcount would be). */
export function totalTracked(s: RmapState): number {
  let n = 0;
  for (const c of s.tracked) n += c;
  return n;
}

/** The series' decision (rmap-ops.md, folio_mapped_shared steps 2-5) applied to one instant's
 *  ground truth: one tracked mapping -> exclusive iff it is `mm`'s; an entire mapping (the
 *  entire mapcount is its own ground truth: one atomic word) -> shared; more tracked mappings
 *  than pages -> shared; otherwise exclusive iff every tracked mapping is `mm`'s. */
export function idealExclusive(m: Rmap, s: RmapState, mm: number): boolean {
  const total = totalTracked(s);
  if (total === 1) return s.tracked[mm] === 1;
  if (s.entire > 0 || total > m.sc.pages) return false;
  return total > 0 && s.tracked[mm] === total;
}

/** No other MM has a PTE or a PMD of the folio in its page tables. */
export function pteExclusive(s: RmapState, mm: number): boolean {
  for (let o = 0; o < s.pmds.length; o++) if (o !== mm && (s.pmds[o] > 0 || s.ptes[o].some((c) => c > 0))) return false;
  return true;
}

/** The ghost bits one instant contributes to the read window of a reader for `mm`. */
export function windowBits(m: Rmap, s: RmapState, mm: number): number {
  return (idealExclusive(m, s, mm) ? G_CAN_EX : G_CAN_SH) | (pteExclusive(s, mm) ? G_PTE_EX : 0);
}

/** No thread is between its mapcount update and its last value update. */
export function quiet(m: Rmap, s: RmapState): boolean {
  return s.th.every((x, k) => !(insAt(m, k, x.pc)?.mid ?? false));
}

/** Some thread holds writer bits in seq or is mid-update. */
export function writerActive(m: Rmap, s: RmapState): boolean {
  return s.th.some((x, k) => {
    const i = insAt(m, k, x.pc);
    return i !== undefined && (i.bits !== 0n || i.mid);
  });
}

/** The exact (unbounded) sum of the tracked mappings' sub-IDs, per value. */
export function exactSums(m: Rmap, s: RmapState): bigint[] {
  const out = new Array<bigint>(m.sc.scheme.values).fill(0n);
  s.tracked.forEach((c, k) => {
    for (let j = 0; j < out.length; j++) out[j] += BigInt(c) * m.sc.mms[k].subIds[j];
  });
  return out;
}

/** The values are `mapcount` times `mm`'s sub-IDs (mod 2^W): what a reader compares. */
export function valuesMatch(m: Rmap, s: RmapState, mm: number): boolean {
  const subs = m.sc.mms[mm].subIds;
  const W = m.sc.scheme.wordBits;
  return s.vals.every((v, j) => v === wrap(s.mapcount * subs[j], W));
}

/** COW's validated instant (I10): refcount == mapcount <= P, no entire mapping, the values match
 *  the faulting MM, and no writer is active. */
export function cowInstantOk(m: Rmap, s: RmapState, mm: number): boolean {
  return !writerActive(m, s) && BigInt(s.refcount) === s.mapcount && s.mapcount <= BigInt(m.sc.pages) && s.entire === 0 && valuesMatch(m, s, mm);
}
