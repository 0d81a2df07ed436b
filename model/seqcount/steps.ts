/**
 * The atomic seqcount's steps on the `seq` word (seqcount.md; seqcount-canonical.md, "Steps"), as
 * pure functions of BigInt words and a layout (layout.ts): the one encoding of the protocol's
 * word arithmetic, used by the canonical model (model.ts) and by the rmap model's compiled
 * writer and reader steps (model/rmap/step.ts). Each function is one atomic instruction of
 * `include/linux/atomic_seqcount.h` or one test of the value it returned; every result is
 * modulo 2^layout.width (a shrunk layout wraps the sequence field early, see `shrink`).
 *
 * Units: SHARED (`layout.shared`) is what a shared writer holds in `seq`, EXCL
 * (`layout.excl`: V2's one EXCL bit, V3's EXCL_UNIT) what an exclusive writer holds.
 */
import { wrap } from '../word';
import type { Layout } from './layout';

// ------------------------------------------------------------------ writers

/** `atomic_long_add(SHARED, &seq)` (patch 06, V1's write begin) and the shared path's
 *  `r = atomic_long_add_return(SHARED, &seq)` (patches 16, 18): the new `seq` (`r`). */
export function addShared(layout: Layout, seq: bigint): bigint {
  return wrap(seq + layout.shared, layout.width);
}

/** Some exclusive writer holds `seq`: `seq & EXCL` (patch 16) or `seq & EXCL_MASK` (patch 18).
 *  After `addShared` it sends the shared writer to its spin, which passes once it is false. */
export function exclusiveHeld(layout: Layout, seq: bigint): boolean {
  return layout.exclMask !== null && (seq & layout.exclMask) !== 0n;
}

/** No writer holds `seq`: `(seq & ALL_WRITERS_MASK) == 0`. The V2 writer's test of the `seq` it
 *  loaded before its cmpxchg (patch 16), the V3 writer's test before its exclusive attempt
 *  (patch 18), the reader's begin spin (`raw_read_atomic_seqcount_begin` waits until it holds),
 *  and the test a caller of the non-waiting `raw_read_atomic_seqcount` makes (COW, patch 10). */
export function noWriters(layout: Layout, seq: bigint): boolean {
  return (seq & layout.writersMask) === 0n;
}

/** V2 (patch 16): `atomic_long_try_cmpxchg(&seq, &s, s | EXCL)`: the new `seq` when `seq` still
 *  equals the loaded `s` (the writer is exclusive), else null (it takes the shared path). */
export function cmpxchgExclusive(layout: Layout, seq: bigint, s: bigint): bigint | null {
  return seq === s ? wrap(s | (layout.excl ?? 0n), layout.width) : null;
}

/** V3 (patch 18): `r = atomic_long_add_return(EXCL_UNIT, &seq)`: the new `seq` (`r`). */
export function addExclusive(layout: Layout, seq: bigint): bigint {
  return wrap(seq + (layout.excl ?? 0n), layout.width);
}

/** V3 (patch 18): after `addExclusive`, the writer is exclusive iff
 *  `(r & ALL_WRITERS_MASK) == EXCL_UNIT` (no other writer of either kind). */
export function soleExclusive(layout: Layout, r: bigint): boolean {
  return (r & layout.writersMask) === (layout.excl ?? 0n);
}

/** V3 (patch 18): a failed exclusive attempt backs off to a shared writer,
 *  `atomic_long_add(SHARED - EXCL_UNIT, &seq)`. */
export function backOff(layout: Layout, seq: bigint): bigint {
  return wrap(seq + layout.shared - (layout.excl ?? 0n), layout.width);
}

/** The write end, `atomic_long_add(STEP - SHARED, &seq)` or, for the exclusive writer,
 *  `atomic_long_add(STEP - EXCL, &seq)`: the writer's unit goes, the sequence advances by one. */
export function endWrite(layout: Layout, seq: bigint, exclusive: boolean): bigint {
  return wrap(seq + layout.step - (exclusive ? (layout.excl ?? 0n) : layout.shared), layout.width);
}

// ------------------------------------------------------------------ readers

/** `raw_read_atomic_seqcount_retry(&seq, start)`: the snapshot read since `start` (the begin's
 *  value) is void, because some write section began or ended in between (patch 06). */
export function readRetry(seq: bigint, start: bigint): boolean {
  return seq !== start;
}
