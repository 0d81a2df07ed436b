/**
 * The mmid model's state (mm-owner.md): the folio's words, the ghost state the properties judge
 * against, and one record per thread; its construction from a scenario and its canonical key.
 *
 * Ghost state (never read by a modelled thread):
 * - `mapped[mm]`: the mappings of MM `mm` that `total` counts; changed at the holder's store of
 *   `total` (and by a new folio's set), so that sum(mapped) == total whenever the lock is free.
 * - `ptes[mm][page]`, `pmds[mm]`: the page tables (present entries), changed at set_ptes,
 *   ptep_get_and_clear, set_pmd_at, pmdp_huge_get_and_clear, pmd_populate, the zaps of exit and
 *   migration.
 * - `pending[mm]`: references of `mm`'s cleared entries not yet dropped (the drop comes after the
 *   TLB flush).
 * - `mmIds[mm]`: the MM's id (0: not created yet, or exited).
 * - `flags`: latched facts (F_*): warnings that fired (W_*), a write of the id/SHARED word by a
 *   thread that does not hold the lock, a slot freed by underflow, ...
 * - per reader thread: `g` bits latched inside the read window (G_*), and `ans`.
 */
import { UNMAPPED, addMappings, type MmOwnerState, type TrackingStore } from './tracking';
import type { MmidBug, MmidVariant, Program } from './program';
import type { Scenario } from './scenario';

export interface MmidThread {
  readonly pc: number;
  /** The current op's batch size (set by a zap: exit, migration). */
  readonly n: number;
  /** `total` as read (the holder's atomic_read, a reader's lockless read). */
  readonly rt: number;
  /** The holder's remaining stores (tracking.ts), in order; `[]` outside a critical section. */
  readonly st: readonly TrackingStore[];
  /** The unlock's plain read of the word: [id0, id1, SHARED 0/1]; `[]` otherwise. */
  readonly w: readonly number[];
  /** Per MM, the PTEs an exit or a migration cleared (to restore, or to count). */
  readonly zp: readonly (readonly number[])[];
  /** COW: the answer decided under the lock (ANS_*), given at the unlock. */
  readonly res: number;
  /** `shared-outside-lock`: this add still has to set SHARED. */
  readonly ds: number;
  readonly g: number;
  readonly ans: number;
}

export interface MmidState {
  readonly total: number;
  readonly ids: readonly [number, number];
  readonly counts: readonly [number, number];
  readonly shared: boolean;
  readonly lock: boolean;
  readonly refcount: number;
  readonly entire: number;
  /** Per-page mapcounts (page-mapcount configuration; [] otherwise). */
  readonly pageMap: readonly number[];
  readonly swapcache: boolean;
  readonly folioLock: boolean;
  /** Per MM, its mmap lock (mmap_lock, an rwsem): 0 free, -1 held for writing, n > 0 held by n
   *  readers; taken at an op's first step and released at its last (program.ts `MmapHold`). */
  readonly mmap: readonly number[];
  // ghost
  readonly mapped: readonly number[];
  readonly ptes: readonly (readonly number[])[];
  readonly pmds: readonly number[];
  readonly pending: readonly number[];
  readonly mmIds: readonly number[];
  readonly published: boolean;
  readonly flags: number;
  /** The single MM of a false "maybe shared" at rest, from that moment until its mappings drop
   *  to zero or a migration resets the tracking; -1 otherwise. */
  readonly falseOwner: number;
  readonly th: readonly MmidThread[];
}

export interface MmidAction {
  readonly thread: number;
  readonly pc: number;
  /** A holder's store step: the store it makes (so that the step can be printed). */
  readonly store?: TrackingStore;
  /** The step ends an op that holds an mmap lock: it releases that lock (view.ts names it). */
  readonly release?: true;
}

export const ANS_NONE = 0;
export const ANS_NOT_SHARED = 1;
export const ANS_MAYBE_SHARED = 2;
export const ANS_REUSE = 3;
export const ANS_COPY = 4;
export const ANS_TEXT = ['', 'not shared', 'maybe shared', 'reuse', 'copy'];

/** Inside the read window (from the op's first step to its answer). */
export const G_WIN = 1;
/** At some instant of the window the present PTEs and PMDs belonged to at most one MM. */
export const G_ONE_MM = 2;
/** The reader read `total` > P (the PMD remap window). */
export const G_REMAP = 4;
/** COW: at the locked check (or, without it, at the decision) no other MM had a mapping, a
 *  present entry or a pending reference, and refcount == total. */
export const G_COW_OK = 8;
/** COW: at the locked check refcount > total (mm-owner.md step 7 as literally written). */
export const G_REF_ABOVE = 16;

export const W_COW_TOTAL = 1;
export const W_COW_ENTIRE = 2;
export const W_COW_REF = 4;
export const W_COW_SLOT = 8;
/** A thread that does not hold the lock wrote the id/SHARED word. */
export const F_FOREIGN = 16;
/** A remove freed a slot whose count went below 0 (mappings added while untracked). */
export const F_UNDERFLOW = 32;
/** 32-bit: an add overflowed a slot's count (the slot was freed, SHARED set). */
export const F_OVERFLOW = 64;
/** At some time three or more MMs had mappings. */
export const F_THREE = 128;

/** A built model's static part. */
export interface Mmid {
  readonly sc: Scenario;
  readonly variant: MmidVariant;
  readonly bug: MmidBug | null;
  readonly programs: readonly Program[];
  readonly limits: { readonly countMax: number; readonly overflowFrees: boolean };
}

export const ZERO_THREAD: MmidThread = { pc: 0, n: 0, rt: 0, st: [], w: [], zp: [], res: 0, ds: 0, g: 0, ans: 0 };

/** The scenario's initial mappings, added MM by MM in the scenario's order (its PTEs as one
 *  batch, then its PMD), each holding one folio reference; live MMs have ids 1, 2, ... */
export function initialState(m: Mmid): MmidState {
  const sc = m.sc;
  const mmIds: number[] = [];
  let next = 1;
  for (const x of sc.mms) mmIds.push(x.live ? next++ : 0);
  let t: MmOwnerState = UNMAPPED;
  const mapped = sc.mms.map(() => 0);
  sc.mms.forEach((_, k) => {
    const n = sc.initialPtes[k].reduce((a, b) => a + b, 0);
    if (n > 0) t = addMappings(t, mmIds[k], n, m.limits);
    for (let i = 0; i < sc.initialPmds[k]; i++) t = addMappings(t, mmIds[k], 1, m.limits);
    mapped[k] = n + sc.initialPmds[k];
  });
  const pageMap = m.variant === 'page-mapcount' ? Array.from({ length: sc.pages }, (_, p) => sc.initialPtes.reduce((a, r) => a + r[p], 0)) : [];
  return {
    total: t.total,
    ids: t.ids,
    counts: t.counts,
    shared: t.shared,
    lock: false,
    refcount: t.total,
    entire: sc.initialPmds.reduce((a, b) => a + b, 0),
    pageMap,
    swapcache: false,
    folioLock: false,
    mmap: sc.mms.map(() => 0),
    mapped,
    ptes: sc.initialPtes.map((r) => [...r]),
    pmds: [...sc.initialPmds],
    pending: sc.mms.map(() => 0),
    mmIds,
    published: !m.programs.some((p) => p.publishes),
    flags: mapped.filter((c) => c > 0).length >= 3 ? F_THREE : 0,
    falseOwner: !t.shared || t.total < 2 || mapped.filter((c) => c > 0).length !== 1 ? -1 : mapped.findIndex((c) => c > 0),
    th: m.programs.map(() => ZERO_THREAD),
  };
}

const storeKey = (s: TrackingStore): string => (s.field === 'total' ? `t${s.value}` : s.field === 'shared' ? `s${s.value ? 1 : 0}` : `${s.field[0]}${s.slot}=${s.value}`);

/** Every field, in a fixed order (equal states, equal keys). */
export function stateKey(s: MmidState): string {
  let k = `${s.total}|${s.ids}|${s.counts}|${s.shared ? 1 : 0}${s.lock ? 1 : 0}${s.swapcache ? 1 : 0}${s.folioLock ? 1 : 0}${s.published ? 1 : 0}|${s.mmap}|${s.refcount}|${s.entire}|${s.pageMap}|${s.mapped}|${s.ptes.join(';')}|${s.pmds}|${s.pending}|${s.mmIds}|${s.flags}|${s.falseOwner}`;
  for (const x of s.th) k += `|${x.pc},${x.n},${x.rt},${x.st.map(storeKey).join(':')},${x.w},${x.zp.join(';')},${x.res},${x.ds},${x.g},${x.ans}`;
  return k;
}
