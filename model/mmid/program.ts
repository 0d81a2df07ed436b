/**
 * The step compiler of the mmid model: every thread's operations (scenario.ts) become a flat list
 * of instructions, one per kernel step that is a single access (mm-owner.md, "Operations",
 * "Callers, in code order", "Readers"). A critical section is: the lock acquire (atomic fetch-or,
 * spinning while held), the `atomic_read` of `total`, one step per store the holder makes (the
 * stores come from tracking.ts `addStores`/`removeStores` on the values it read), and the unlock
 * as a plain read of the id/SHARED/lock word and a plain store of it with the lock bit clear.
 *
 * Static facts per instruction (used by the properties): `holds`, the thread holds the bit
 * spinlock while its pc points here (from after the acquire to the unlock's store, inclusive).
 *
 * Each op also holds its MM's mmap lock (`mmapHold`) from its first step to its last, as the
 * kernel's callers do; the first step takes it (and waits while it cannot, step.ts).
 */
import type { ActionTag } from '../core';
import { internalAssert } from '../errors';
import type { Op, Scenario } from './scenario';

/** Deliberately broken variants (bugs.ts describes each). */
export type MmidBug = 'slot0-no-shared' | 'negative-count-kept' | 'ref-before-remove' | 'cow-no-recheck' | 'shared-outside-lock';

/** The caller orders of the two configurations (mm-owner.md, "Callers, in code order"). */
export type MmidVariant = 'page-mapcount' | 'no-page-mapcount';
export const MMID_VARIANTS: readonly MmidVariant[] = ['page-mapcount', 'no-page-mapcount'];

export type Kind =
  // references, per-page counters, entire mapcount, page tables (ghost)
  | 'ref' | 'swapAdd' | 'swapDel' | 'pages' | 'entire' | 'setPtes' | 'clearPtes' | 'zapPtes' | 'setPmd' | 'clearPmd' | 'zapPmd' | 'populate'
  // the bit spinlock's critical section
  | 'lock' | 'readTotal' | 'store' | 'unlockRead' | 'unlockStore' | 'setBit'
  // folio and MM life cycle
  | 'newFolio' | 'create' | 'freeId' | 'folioLock' | 'folioUnlock' | 'migZap' | 'migReset' | 'migN'
  // folio_maybe_mapped_shared
  | 'msTotal' | 'msShared'
  // __wp_can_reuse_large_anon_folio
  | 'cTotal' | 'cShared' | 'cWarnTotal' | 'cWarnEntire' | 'cSwap' | 'cTrylock' | 'cFreeSwap' | 'cUnlockFolio' | 'cTotal2' | 'cRef' | 'cWarnRef' | 'cShared2' | 'cRef2' | 'cWarnSlot';

/** What an op's first instruction waits for (scenario.ts: ops wait for what they need). */
export type Wait = 'live' | 'dead' | 'ptes' | 'pmd' | 'fork' | 'forkPmd' | null;

export interface Ins {
  readonly kind: Kind;
  readonly label: string;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly tags: readonly ActionTag[];
  next: number;
  alt: number;
  readonly op: number;
  readonly first: boolean;
  /** The MM the step is for (-1: none). */
  readonly mm: number;
  /** Fork: the parent. */
  readonly from: number;
  /** Signed count of a ref/pages/entire step; with `dyn`, the sign of the thread's `n`. */
  readonly d: number;
  readonly dyn: boolean;
  /** Pages of a pages/PTE step (static), the faulting page of a COW step. */
  readonly pages: readonly number[];
  /** readTotal: the critical section's kind, and its count (0: the thread's `n`). */
  readonly cs: 'add' | 'remove' | null;
  readonly n: number;
  readonly holds: boolean;
  readonly wait: Wait;
  readonly publish: boolean;
  /** COW: the op's reuse decision happens at this step (the broken `cow-no-recheck`). */
  readonly decides: boolean;
  /** Inside a PMD remap, from its add of P to its removal of the PMD mapping (inclusive): the
   *  PMD's reference is counted by both, so refcount may be total - 1. */
  readonly remap: boolean;
  /** A locked read-modify-write on x86-64 (model/core.ts `ActionInfo.x86`); absent: plain. */
  readonly x86?: 'locked';
}

/** The steps that are locked RMWs on x86-64: the bit spinlock's fetch-or, the atomic counters,
 *  `set_bit`, the folio lock and the xchg of a page-table entry. */
const LOCKED: ReadonlySet<Kind> = new Set<Kind>(['lock', 'ref', 'swapAdd', 'swapDel', 'pages', 'entire', 'setBit', 'cFreeSwap', 'cTrylock', 'folioLock', 'clearPtes', 'zapPtes', 'clearPmd', 'zapPmd', 'migZap']);

/** The mmap lock an op holds from its first step to its last (mm-owner.md's callers): fork
 *  write-locks the parent and the child (dup_mmap), exit its MM (exit_mmap, no users left), a
 *  fault or an rmap change of MM X read-locks X; the rmap walks of migration/split take none. */
export interface MmapHold {
  readonly mms: readonly number[];
  readonly write: boolean;
}

export interface Program {
  readonly ins: readonly Ins[];
  /** Per op index: the mmap lock it holds, or null. */
  readonly mmap: readonly (MmapHold | null)[];
  /** Per op index: the COW fault's [MM, page] (its PTE lock is held for the whole op), or null. */
  readonly cowPte: readonly ([number, number] | null)[];
  /** Per op index: the pc after it. */
  readonly exits: readonly number[];
  readonly publishes: boolean;
}

const W_TOTAL = ['total'];
const W_WORD = ['mm_ids'];
const pagesText = (p: readonly number[]) => (p.length === 1 ? `page ${p[0]}` : `pages ${p[0]}..${p[p.length - 1]}`);

/** The mmap lock op `o` holds (MmapHold). */
export function mmapHold(o: Op): MmapHold | null {
  switch (o.kind) {
    case 'fork':
      return { mms: [o.from, o.mm], write: true };
    case 'exit':
      return { mms: [o.mm], write: true };
    case 'map':
    case 'unmap':
    case 'map-pmd':
    case 'unmap-pmd':
    case 'remap-pmd':
    case 'new-folio':
    case 'cow':
      return { mms: [o.mm], write: false };
    default:
      return null;
  }
}

/** Compiles one thread's ops. */
export function compileThread(sc: Scenario, variant: MmidVariant, ops: readonly Op[], bug: MmidBug | null): Program {
  const P = sc.pages;
  const pm = variant === 'page-mapcount';
  const nm = (k: number) => sc.mms[k].name;
  const ins: Ins[] = [];
  const fix: { at: number; field: 'next' | 'alt'; label: string }[] = [];
  const labels = new Map<string, number>();
  let opIndex = 0;
  let first = true;
  let holding = false;
  let inRemap = false;
  let uniq = 0;
  const fresh = (s: string) => `${s}#${uniq++}`;
  const here = (l: string) => labels.set(l, ins.length);

  interface E {
    kind: Kind;
    label: string;
    reads?: string[];
    writes?: string[];
    tags?: ActionTag[];
    mm?: number;
    from?: number;
    d?: number;
    dyn?: boolean;
    pages?: number[];
    cs?: 'add' | 'remove';
    n?: number;
    wait?: Wait;
    publish?: boolean;
    decides?: boolean;
    next?: string;
    alt?: string;
  }
  const emit = (e: E): number => {
    const at = ins.length;
    ins.push({
      kind: e.kind, label: e.label, reads: e.reads ?? [], writes: e.writes ?? [], tags: e.tags ?? [],
      next: at + 1, alt: -1, op: opIndex, first, mm: e.mm ?? -1, from: e.from ?? -1, d: e.d ?? 0, dyn: e.dyn ?? false,
      pages: e.pages ?? [], cs: e.cs ?? null, n: e.n ?? 0, holds: holding, wait: first ? (e.wait ?? null) : null,
      publish: e.publish ?? false, decides: e.decides ?? false, remap: inRemap,
      ...(LOCKED.has(e.kind) ? { x86: 'locked' as const } : {}),
    });
    first = false;
    if (e.next) fix.push({ at, field: 'next', label: e.next });
    if (e.alt) fix.push({ at, field: 'alt', label: e.alt });
    return at;
  };

  const lock = (wait?: Wait, mm?: number) => {
    emit({ kind: 'lock', wait, mm, label: 'folio_lock_large_mapcount(): bit_spin_lock (atomic fetch-or, acquire; spins while held)', reads: W_WORD, writes: W_WORD, tags: ['spin'] });
    holding = true;
  };
  const unlock = () => {
    emit({ kind: 'unlockRead', label: 'folio_unlock_large_mapcount(): old = folio->_mm_ids (plain read)', reads: W_WORD, tags: ['plain-load'] });
    emit({ kind: 'unlockStore', label: 'folio->_mm_ids = old & ~lock bit (plain store, release)', writes: W_WORD, tags: ['plain-store'] });
    holding = false;
  };
  /** One critical section for MM `mm`: n == 0 uses the thread's `n`. `atStore` runs before its
   *  store step is emitted, `afterStore` after it (the remap window's marks). */
  const sectionThen = (cs: 'add' | 'remove', mm: number, n: number, atStore?: () => void, afterStore?: () => void) => {
    lock(undefined, mm);
    const fn = cs === 'add' ? 'folio_add_return_large_mapcount' : 'folio_sub_return_large_mapcount';
    emit({ kind: 'readTotal', cs, mm, n, label: `${fn}(${n || 'n'}, ${nm(mm)}): atomic_read(&folio->_large_mapcount)`, reads: W_TOTAL });
    atStore?.();
    emit({ kind: 'store', mm, label: `${fn}: the holder's next store`, writes: ['total', 'mm_ids', 'mm_id_mapcount'], tags: ['plain-store'] });
    afterStore?.();
    unlock();
    if (bug === 'shared-outside-lock' && cs === 'add')
      emit({ kind: 'setBit', label: 'set_bit(FOLIO_MM_IDS_SHARED_BIT, &folio->_mm_ids) after the unlock (if this add sets SHARED)', reads: W_WORD, writes: W_WORD });
  };
  const section = (cs: 'add' | 'remove', mm: number, n: number) => sectionThen(cs, mm, n);
  const ref = (d: number, why: string, dyn = false, wait?: Wait, mm?: number, from?: number, forkPages?: number[]) =>
    emit({ kind: 'ref', d, dyn, wait, mm, from, pages: forkPages, label: `folio_${d > 0 ? 'ref_add' : 'put_refs'}(folio, ${dyn ? 'n' : Math.abs(d)})${why}`, reads: ['refcount'], writes: ['refcount'] });
  const pages = (mm: number, p: number[], d: number, dyn = false) => {
    if (!pm) return;
    emit({
      kind: 'pages', mm, pages: p, d, dyn,
      label: `${d > 0 ? 'atomic_inc_and_test' : 'atomic_add_negative(-1, '}(&page->_mapcount) for ${dyn ? 'the zapped pages' : pagesText(p)}; folio->_nr_pages_mapped`,
      reads: ['pages'], writes: ['pages'],
    });
  };
  const entire = (d: number) => emit({ kind: 'entire', d, label: d > 0 ? 'atomic_inc(&folio->_entire_mapcount)' : 'atomic_dec(&folio->_entire_mapcount)', reads: ['entire'], writes: ['entire'] });
  const setPtes = (mm: number, p: number[], dyn = false, publish = false) =>
    emit({ kind: 'setPtes', mm, pages: p, dyn, publish, label: `set_ptes(${nm(mm)}, ${dyn ? 'the saved PTEs' : pagesText(p)})`, writes: [`pt:${nm(mm)}`] });
  /** The rmap part of a PMD unmap, in the configuration's order. */
  const removePmdRmap = (mm: number, afterStore?: () => void) => {
    if (pm) {
      sectionThen('remove', mm, 1, undefined, afterStore);
      entire(-1);
    } else {
      entire(-1);
      sectionThen('remove', mm, 1, undefined, afterStore);
    }
  };
  /** An unmap's reference drop (after the TLB flush), and its rmap remove, in code order. */
  const unmapTail = (mm: number, p: number[], n: number, dyn: boolean) => {
    const drop = () => ref(-(n || 1), ' (after the TLB flush)', dyn, undefined, mm);
    if (bug === 'ref-before-remove') drop();
    section('remove', mm, n);
    pages(mm, p, -1, dyn);
    if (bug !== 'ref-before-remove') drop();
  };
  const pmdUnmapTail = (mm: number) => {
    const drop = () => ref(-1, ' (after the TLB flush)', false, undefined, mm);
    if (bug === 'ref-before-remove') drop();
    removePmdRmap(mm);
    if (bug !== 'ref-before-remove') drop();
  };

  for (const op of ops) {
    first = true;
    switch (op.kind) {
      case 'map':
        ref(op.pages.length, '', false, 'live', op.mm);
        pages(op.mm, op.pages, 1);
        section('add', op.mm, op.pages.length);
        setPtes(op.mm, op.pages);
        break;
      case 'fork':
        if (op.pmd) {
          ref(1, ` (fork: ${nm(op.from)} -> ${nm(op.mm)})`, false, 'forkPmd', op.mm, op.from);
          entire(1);
          section('add', op.mm, 1);
          emit({ kind: 'setPmd', mm: op.mm, label: `set_pmd_at(${nm(op.mm)})`, writes: [`pt:${nm(op.mm)}`] });
        } else {
          ref(op.pages.length, ` (fork: ${nm(op.from)} -> ${nm(op.mm)})`, false, 'fork', op.mm, op.from, op.pages);
          pages(op.mm, op.pages, 1);
          section('add', op.mm, op.pages.length);
          setPtes(op.mm, op.pages);
        }
        break;
      case 'unmap':
        emit({ kind: 'clearPtes', mm: op.mm, pages: op.pages, wait: 'ptes', label: `ptep_get_and_clear(${nm(op.mm)}, ${pagesText(op.pages)})`, writes: [`pt:${nm(op.mm)}`] });
        unmapTail(op.mm, op.pages, op.pages.length, false);
        break;
      case 'map-pmd':
        ref(1, '', false, 'live', op.mm);
        entire(1);
        section('add', op.mm, 1);
        emit({ kind: 'setPmd', mm: op.mm, label: `set_pmd_at(${nm(op.mm)})`, writes: [`pt:${nm(op.mm)}`] });
        break;
      case 'unmap-pmd':
        emit({ kind: 'clearPmd', mm: op.mm, wait: 'pmd', label: `pmdp_huge_get_and_clear(${nm(op.mm)})`, writes: [`pt:${nm(op.mm)}`] });
        pmdUnmapTail(op.mm);
        break;
      case 'remap-pmd': {
        const all = Array.from({ length: P }, (_, i) => i);
        ref(P - 1, ' (PMD -> PTE remap)', false, 'pmd', op.mm);
        pages(op.mm, all, 1);
        // the window opens at the add's store of total (P + 1) and closes at the remove's store
        sectionThen('add', op.mm, P, () => (inRemap = true));
        // the PTEs are set in the deposited page table, which nobody walks before pmd_populate
        removePmdRmap(op.mm, () => (inRemap = false));
        emit({ kind: 'populate', mm: op.mm, label: `pmd_populate(${nm(op.mm)}): ${P} PTEs replace the PMD`, writes: [`pt:${nm(op.mm)}`] });
        break;
      }
      case 'new-folio':
        ref(op.pages.length, ' (new folio)', false, 'live', op.mm);
        pages(op.mm, op.pages, 1);
        emit({ kind: 'newFolio', mm: op.mm, n: op.pages.length, label: `folio_set_large_mapcount(${op.pages.length}, ${nm(op.mm)}): slot 0 := (${nm(op.mm)}, ${op.pages.length}) (no lock: nobody sees the folio yet)`, writes: ['total', 'mm_ids', 'mm_id_mapcount'] });
        setPtes(op.mm, op.pages, false, true);
        break;
      case 'create':
        emit({ kind: 'create', mm: op.mm, wait: 'dead', label: `mm_alloc_id(${nm(op.mm)}): the lowest free MM id`, writes: ['ids'] });
        break;
      case 'exit': {
        const noPtes = fresh('NOPTE');
        const noPmd = fresh('NOPMD');
        emit({ kind: 'zapPtes', mm: op.mm, wait: 'live', alt: noPtes, label: `exit_mmap(${nm(op.mm)}): zap every PTE of the folio (n := how many)`, writes: [`pt:${nm(op.mm)}`] });
        unmapTail(op.mm, [], 0, true);
        here(noPtes);
        emit({ kind: 'zapPmd', mm: op.mm, alt: noPmd, label: `exit_mmap(${nm(op.mm)}): zap the PMD, if any`, writes: [`pt:${nm(op.mm)}`] });
        pmdUnmapTail(op.mm);
        here(noPmd);
        emit({ kind: 'freeId', mm: op.mm, label: `mm_free_id(${nm(op.mm)}): its id may be reused`, writes: ['ids'] });
        break;
      }
      case 'migrate': {
        emit({ kind: 'folioLock', label: 'folio_lock(folio) (migration/split)', reads: ['folio_lock'], writes: ['folio_lock'], tags: ['spin'] });
        for (let k = 0; k < sc.mms.length; k++) {
          const skip = fresh('MZ');
          emit({ kind: 'migZap', mm: k, alt: skip, label: `try_to_migrate(${nm(k)}): its PTEs become migration entries (n := how many)`, writes: [`pt:${nm(k)}`] });
          section('remove', k, 0);
          pages(k, [], -1, true);
          here(skip);
        }
        emit({ kind: 'migReset', label: 'the new folio: folio_set_large_mapcount: both slots free, SHARED clear', writes: ['total', 'mm_ids', 'mm_id_mapcount'] });
        for (let k = 0; k < sc.mms.length; k++) {
          const skip = fresh('MA');
          emit({ kind: 'migN', mm: k, alt: skip, label: `remove_migration_ptes(${nm(k)}): n := its migration entries` });
          pages(k, [], 1, true);
          section('add', k, 0);
          setPtes(k, [], true);
          here(skip);
        }
        emit({ kind: 'folioUnlock', label: 'folio_unlock(folio)', writes: ['folio_lock'] });
        break;
      }
      case 'swapcache-add':
        emit({ kind: 'swapAdd', label: `add_to_swap: folio_ref_add(folio, ${P}) (the swap cache's references)`, reads: ['refcount'], writes: ['refcount', 'swapcache'] });
        break;
      case 'swapcache-del':
        emit({ kind: 'swapDel', label: `delete_from_swap_cache (if still there): folio_ref_sub(folio, ${P})`, reads: ['refcount', 'swapcache'], writes: ['refcount', 'swapcache'] });
        break;
      case 'pin':
        ref(1, ' (GUP pin)');
        break;
      case 'unpin':
        ref(-1, ' (unpin_user_page)');
        break;
      case 'maybe-shared': {
        const exit = `exit${opIndex}`;
        emit({ kind: 'msTotal', alt: exit, label: 'folio_maybe_mapped_shared: folio_large_mapcount(folio) <= 1 -> not shared', reads: W_TOTAL, tags: ['read-body'] });
        emit({ kind: 'msShared', alt: exit, label: 'folio_test_large_maybe_mapped_shared(folio)', reads: W_WORD, tags: ['read-body'] });
        break;
      }
      case 'cow':
        cow(op.mm, op.page);
        break;
    }
    internalAssert(!holding, 'mmid: an op ends holding the lock');
    here(`exit${opIndex}`);
    opIndex++;
  }

  function cow(mm: number, page: number) {
    const exit = `exit${opIndex}`;
    const c = { mm, pages: [page], alt: exit };
    const noSwap = fresh('NOSWAP');
    const unl = fresh('UNL');
    emit({ kind: 'cTotal', ...c, wait: 'ptes', label: `1. folio_large_mapcount(folio) <= 1 -> copy (${nm(mm)}, page ${page})`, reads: W_TOTAL, tags: ['read-body'] });
    emit({ kind: 'cShared', ...c, label: '2. folio_test_large_maybe_mapped_shared(folio) -> copy', reads: W_WORD, tags: ['read-body'] });
    emit({ kind: 'cWarnTotal', ...c, label: `3. VM_WARN_ON_ONCE(folio_large_mapcount(folio) > ${P})`, reads: W_TOTAL, tags: ['read-body'] });
    emit({ kind: 'cWarnEntire', ...c, label: '3. VM_WARN_ON_ONCE(folio_entire_mapcount(folio))', reads: ['entire'], tags: ['read-body'] });
    emit({ kind: 'cSwap', mm, pages: [page], alt: noSwap, label: '4. folio_test_swapcache(folio)?', reads: ['swapcache'], tags: ['read-body'] });
    emit({ kind: 'cTrylock', ...c, label: '4. folio_trylock(folio) fails -> copy', reads: ['folio_lock'], writes: ['folio_lock'] });
    emit({ kind: 'cFreeSwap', mm, pages: [page], label: `4. folio_free_swap(folio): the swap cache's ${P} references go`, reads: ['refcount', 'swapcache'], writes: ['refcount', 'swapcache'] });
    emit({ kind: 'cUnlockFolio', mm, pages: [page], label: '4. folio_unlock(folio)', writes: ['folio_lock'] });
    here(noSwap);
    emit({ kind: 'cTotal2', ...c, label: '5. folio_large_mapcount(folio) (lockless)', reads: W_TOTAL, tags: ['read-body'] });
    const noRecheck = bug === 'cow-no-recheck';
    emit({ kind: 'cRef', ...c, decides: noRecheck, label: noRecheck ? '5. != folio_ref_count(folio) -> copy; else reuse (no locked recheck)' : '5. != folio_ref_count(folio) -> copy', reads: ['refcount'], tags: ['read-body'] });
    if (noRecheck) return;
    lock(undefined, mm);
    emit({ kind: 'cWarnRef', mm, pages: [page], label: '7. VM_WARN_ON_ONCE(folio_ref_count(folio) < folio_large_mapcount(folio))', reads: ['refcount', 'total'] });
    emit({ kind: 'cShared2', mm, pages: [page], alt: unl, label: '8. folio_test_large_maybe_mapped_shared(folio) -> unlock, copy', reads: W_WORD });
    emit({ kind: 'cRef2', mm, pages: [page], alt: unl, label: '9. folio_large_mapcount(folio) != folio_ref_count(folio) -> unlock, copy', reads: ['refcount', 'total'] });
    emit({ kind: 'cWarnSlot', mm, pages: [page], label: `10. VM_WARN_ON_ONCE(neither slot holds ${nm(mm)}'s id)`, reads: W_WORD });
    here(unl);
    unlock();
  }

  const end = ins.length;
  for (const f of fix) {
    const at = labels.get(f.label);
    internalAssert(at !== undefined, `mmid: unresolved label ${f.label}`);
    if (f.field === 'next') ins[f.at].next = at;
    else ins[f.at].alt = at;
  }
  const exits = ops.map((_, op) => {
    const pc = ins.findIndex((x) => x.op > op);
    return pc < 0 ? end : pc;
  });
  const cowPte = ops.map((o): [number, number] | null => (o.kind === 'cow' ? [o.mm, o.page] : null));
  const mmap = ops.map(mmapHold);
  // the first step takes the mmap lock (down_read/down_write: a locked RMW before the step's own
  // access); the step that ends the op releases it (step.ts marks that action, view.ts the words)
  const out = ins.map((x) => {
    const h = mmap[x.op];
    if (!h || !x.first) return x;
    const words = h.mms.map((k) => `mmap:${nm(k)}`);
    return { ...x, reads: [...x.reads, ...words], writes: [...x.writes, ...words], x86: 'locked' as const };
  });
  return { ins: out, exits, cowPte, mmap, publishes: ins.some((i) => i.publish) };
}
