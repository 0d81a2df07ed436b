/**
 * MM owner tracking of one large folio (mm-owner.md; Linux v6.15-rc1, `CONFIG_MM_ID`,
 * include/linux/rmap.h `folio_add_return_large_mapcount` / `folio_sub_return_large_mapcount`):
 * the total mapcount, two (MM id, count) slots and the "maybe mapped shared" bit, as the lock
 * holder changes them.
 *
 * One source of truth for both users: a critical section is computed as its ordered list of
 * stores (`addStores`, `removeStores`), from the values the lock holder reads. The concurrent
 * model (model/mmid/) performs one store per step; the sequential users (`compare`, the
 * workloads) apply the whole list at once (`addMappings`, `removeMappings`).
 *
 * Counts are the true counts (the kernel stores each with a -1 bias: a free slot's stored -1 is
 * count 0 here). Where the bias matters (the 32-bit overflow test), it is applied explicitly.
 */

/** The tracking words of one folio. */
export interface MmOwnerState {
  /** `_large_mapcount`: every mapping of the folio (PTEs, and 1 per PMD). */
  readonly total: number;
  /** `_mm_id[0..1]` in `_mm_ids`: 0 (`MM_ID_DUMMY`) is a free slot. */
  readonly ids: readonly [number, number];
  /** `_mm_id_mapcount[0..1]`: the slot's MM's mappings as far as the slot knows; 0 when free. */
  readonly counts: readonly [number, number];
  /** `FOLIO_MM_IDS_SHARED_BIT` (bit 63 of `_mm_ids` on 64-bit). */
  readonly shared: boolean;
}

/** Word width: on 32-bit a slot's count is a `short`, which can overflow (mm-owner.md, "Add"). */
export interface TrackingLimits {
  /** The largest biased value a slot's count can hold (`MM_ID_MAPCOUNT_MAX`): 64-bit
   *  `INT_MAX`; 32-bit `SHRT_MAX`, scaled down by a model to make the overflow reachable. */
  readonly countMax: number;
  /** 32-bit: an add that overflows a slot's count frees the slot and sets SHARED. */
  readonly overflowFrees: boolean;
}

export const LIMITS_64: TrackingLimits = { countMax: 0x7fffffff, overflowFrees: false };
export const LIMITS_32: TrackingLimits = { countMax: 0x7fff, overflowFrees: true };

/** One plain store of the lock holder (`total` by `atomic_set`), in code order. */
export type TrackingStore =
  | { readonly field: 'total'; readonly value: number }
  | { readonly field: 'id'; readonly slot: 0 | 1; readonly value: number }
  | { readonly field: 'count'; readonly slot: 0 | 1; readonly value: number }
  | { readonly field: 'shared'; readonly value: boolean };

export const UNMAPPED: MmOwnerState = { total: 0, ids: [0, 0], counts: [0, 0], shared: false };

/** The slot `mm` holds, or -1. */
export function slotOf(s: MmOwnerState, mm: number): 0 | 1 | -1 {
  return s.ids[0] === mm ? 0 : s.ids[1] === mm ? 1 : -1;
}

/**
 * `folio_add_return_large_mapcount(folio, n, vma)` for MM `mm` (1 <= n <= P): `total += n`; then
 * the first that applies: (a)/(b) `mm` holds a slot: its count += n (32-bit: an overflow frees the
 * slot and sets SHARED); (c) slot 0 free: slot 0 := (mm, n), SHARED if `total` was not 0; (d) slot 1
 * free: slot 1 := (mm, n), SHARED; (e) nothing (`mm` is untracked). Never clears SHARED.
 */
export function addStores(s: MmOwnerState, mm: number, n: number, limits: TrackingLimits = LIMITS_64): TrackingStore[] {
  const out: TrackingStore[] = [{ field: 'total', value: s.total + n }];
  const held = slotOf(s, mm);
  if (held !== -1) {
    const c = s.counts[held] + n;
    // the biased count is c - 1; a short that goes past SHRT_MAX turns negative
    if (limits.overflowFrees && c - 1 > limits.countMax)
      out.push({ field: 'count', slot: held, value: 0 }, { field: 'id', slot: held, value: 0 }, { field: 'shared', value: true });
    else out.push({ field: 'count', slot: held, value: c });
  } else if (s.ids[0] === 0) {
    out.push({ field: 'id', slot: 0, value: mm }, { field: 'count', slot: 0, value: n });
    // "We might have other mappings already."
    if (s.total !== 0) out.push({ field: 'shared', value: true });
  } else if (s.ids[1] === 0) {
    out.push({ field: 'id', slot: 1, value: mm }, { field: 'count', slot: 1, value: n });
    // "Slot 0 certainly has mappings as well."
    out.push({ field: 'shared', value: true });
  }
  return out;
}

/**
 * `folio_sub_return_large_mapcount(folio, n, vma)` for MM `mm`: `total -= n`; if `mm` holds a
 * slot, its count -= n, and if that leaves it >= 1 nothing more (no recheck); below 1 the slot is
 * freed whatever the count reached (mappings added while untracked). After a freed slot, or when
 * `mm` holds none: if either slot's count equals the new total, SHARED is cleared.
 */
export function removeStores(s: MmOwnerState, mm: number, n: number): TrackingStore[] {
  const total = s.total - n;
  const out: TrackingStore[] = [{ field: 'total', value: total }];
  const counts: [number, number] = [s.counts[0], s.counts[1]];
  const held = slotOf(s, mm);
  if (held !== -1) {
    const c = s.counts[held] - n;
    if (c >= 1) {
      out.push({ field: 'count', slot: held, value: c });
      return out;
    }
    out.push({ field: 'count', slot: held, value: 0 }, { field: 'id', slot: held, value: 0 });
    counts[held] = 0;
  }
  // "If one MM slot owns all mappings, the folio is mapped exclusively." (Unmapped: both free.)
  if (counts[0] === total || counts[1] === total) out.push({ field: 'shared', value: false });
  return out;
}

/** The state after one store. */
export function applyStore(s: MmOwnerState, st: TrackingStore): MmOwnerState {
  switch (st.field) {
    case 'total':
      return { ...s, total: st.value };
    case 'shared':
      return { ...s, shared: st.value };
    case 'id':
      return { ...s, ids: st.slot === 0 ? [st.value, s.ids[1]] : [s.ids[0], st.value] };
    case 'count':
      return { ...s, counts: st.slot === 0 ? [st.value, s.counts[1]] : [s.counts[0], st.value] };
  }
}

export function applyStores(s: MmOwnerState, stores: readonly TrackingStore[]): MmOwnerState {
  return stores.reduce(applyStore, s);
}

/** A whole add critical section. */
export function addMappings(s: MmOwnerState, mm: number, n: number, limits: TrackingLimits = LIMITS_64): MmOwnerState {
  return applyStores(s, addStores(s, mm, n, limits));
}

/** A whole remove critical section. */
export function removeMappings(s: MmOwnerState, mm: number, n: number): MmOwnerState {
  return applyStores(s, removeStores(s, mm, n));
}

/** `folio_set_large_mapcount` on a new folio nobody else sees yet (no lock): slot 0 := (mm, n). */
export function newFolioTracking(mm: number, n: number): MmOwnerState {
  return { total: n, ids: [mm, 0], counts: [n, 0], shared: false };
}

/**
 * `folio_maybe_mapped_shared` for a large folio, from the lockless reads it makes: `total <= 1`
 * answers false; else the SHARED bit.
 */
export function maybeMappedShared(total: number, shared: boolean): boolean {
  return total <= 1 ? false : shared;
}
