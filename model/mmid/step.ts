/**
 * The mmid model's transitions: one action is one compiled instruction (program.ts) of one
 * thread; `next` returns a fresh state. A critical section's stores are computed once, at the
 * holder's `atomic_read(total)`, by tracking.ts (`addStores`/`removeStores`, or the broken
 * variants' versions in `sectionStores`), and then made one per step. An op's first step takes
 * its mmap lock (program.ts `mmapHold`; not enabled while it cannot), the step that ends the op
 * releases it.
 */
import { internalAssert } from '../errors';
import { addStores, maybeMappedShared, removeStores, slotOf, type MmOwnerState, type TrackingStore } from './tracking';
import type { Ins, MmapHold, MmidBug } from './program';
import {
  ANS_COPY, ANS_MAYBE_SHARED, ANS_NONE, ANS_NOT_SHARED, ANS_REUSE,
  F_FOREIGN, F_OVERFLOW, F_THREE, F_UNDERFLOW, G_COW_OK, G_ONE_MM, G_REF_ABOVE, G_REMAP, G_WIN,
  W_COW_ENTIRE, W_COW_REF, W_COW_SLOT, W_COW_TOTAL,
  type Mmid, type MmidAction, type MmidState, type MmidThread,
} from './state';

export function insAt(m: Mmid, k: number, pc: number): Ins | undefined {
  return m.programs[k].ins[pc];
}

/** Present PTEs or a PMD of MM `k`. */
const present = (s: MmidState, k: number): boolean => s.pmds[k] > 0 || s.ptes[k].some((c) => c > 0);

/** How many MMs map the folio (a counted mapping or a present entry). */
export function mmsMapping(s: MmidState): number {
  let n = 0;
  for (let k = 0; k < s.mapped.length; k++) if (s.mapped[k] > 0 || present(s, k)) n++;
  return n;
}

/** The ghost bits one instant contributes to a reader's window. */
function windowBits(s: MmidState): number {
  let n = 0;
  for (let k = 0; k < s.ptes.length; k++) if (present(s, k)) n++;
  return n <= 1 ? G_ONE_MM : 0;
}

/** COW reuse for `mm` is safe at this instant: no other MM has a counted mapping, a present
 *  entry or a pending reference, and refcount == total. */
export function cowSafe(s: MmidState, mm: number): boolean {
  if (s.refcount !== s.total) return false;
  for (let o = 0; o < s.mapped.length; o++) if (o !== mm && (s.mapped[o] > 0 || present(s, o) || s.pending[o] > 0)) return false;
  return true;
}

/** The stores of one critical section from what the holder read (`view`), with the broken
 *  variants' changes; also the flags the section latches. */
export function sectionStores(view: MmOwnerState, cs: 'add' | 'remove', id: number, n: number, limits: Mmid['limits'], bug: MmidBug | null): { stores: TrackingStore[]; flags: number; deferShared: boolean } {
  const held = slotOf(view, id);
  let flags = 0;
  if (cs === 'add') {
    let stores = addStores(view, id, n, limits);
    if (held !== -1 && limits.overflowFrees && view.counts[held] + n - 1 > limits.countMax) flags |= F_OVERFLOW;
    // broken: slot 0 taken without "We might have other mappings already."
    if (bug === 'slot0-no-shared' && held === -1 && view.ids[0] === 0) stores = stores.filter((x) => x.field !== 'shared');
    const sets = stores.some((x) => x.field === 'shared' && x.value);
    if (bug === 'shared-outside-lock' && sets) return { stores: stores.filter((x) => x.field !== 'shared'), flags, deferShared: true };
    return { stores, flags, deferShared: false };
  }
  if (held !== -1 && view.counts[held] - n < 0) {
    flags |= F_UNDERFLOW;
    // broken: the negative count stays in the slot
    if (bug === 'negative-count-kept') return { stores: [{ field: 'total', value: view.total - n }, { field: 'count', slot: held, value: view.counts[held] - n }], flags, deferShared: false };
  }
  return { stores: removeStores(view, id, n), flags, deferShared: false };
}

/** Another thread's COW holds the page-table lock of `mm`'s PTE of one of `pages` (all: -1). */
function pteLocked(m: Mmid, s: MmidState, self: number, mm: number, pages: readonly number[] | null): boolean {
  for (let k = 0; k < s.th.length; k++) {
    if (k === self || (s.th[k].g & G_WIN) === 0) continue;
    const i = insAt(m, k, s.th[k].pc);
    const pte = i ? m.programs[k].cowPte[i.op] : null;
    if (pte && pte[0] === mm && (pages === null || pages.includes(pte[1]))) return true;
  }
  return false;
}

function waits(s: MmidState, i: Ins): boolean {
  switch (i.wait) {
    case null:
      return false;
    case 'live':
      return s.mmIds[i.mm] === 0;
    case 'dead':
      return s.mmIds[i.mm] !== 0;
    case 'ptes':
      return i.pages.some((p) => s.ptes[i.mm][p] < 1);
    case 'pmd':
      return s.pmds[i.mm] < 1;
    case 'fork':
      return s.mmIds[i.mm] === 0 || i.pages.some((p) => s.ptes[i.from][p] < 1);
    case 'forkPmd':
      return s.mmIds[i.mm] === 0 || s.pmds[i.from] < 1;
  }
}

/** The mmap lock `h` can be taken now: for writing, nobody holds it; for reading, no writer. */
const mmapFree = (s: MmidState, h: MmapHold): boolean => h.mms.every((k) => (h.write ? s.mmap[k] === 0 : s.mmap[k] >= 0));

/** Thread k's step `i` ends its op (its pc goes to the op's exit): the op's last instruction, or
 *  a COW check that answers "copy" early. Mirrors nextState, which checks that the two agree. */
function endsOp(m: Mmid, s: MmidState, k: number, i: Ins): boolean {
  if (i.next === m.programs[k].exits[i.op]) return true;
  switch (i.kind) {
    case 'cTotal':
      return s.total <= 1;
    case 'cShared':
      return s.shared;
    case 'cTrylock':
      return s.folioLock;
    case 'cRef':
      return s.refcount !== s.th[k].rt;
    default:
      return false;
  }
}

function enabled(m: Mmid, s: MmidState, k: number): boolean {
  const i = insAt(m, k, s.th[k].pc);
  if (i === undefined) return false;
  if (!s.published && !m.programs[k].publishes) return false;
  if (waits(s, i)) return false;
  // blocked in down_read/down_write, as a spinning bit_spin_lock is
  const h = m.programs[k].mmap[i.op];
  if (i.first && h && !mmapFree(s, h)) return false;
  switch (i.kind) {
    case 'lock':
      return !s.lock;
    case 'folioLock':
      return !s.folioLock;
    case 'clearPtes':
      return !pteLocked(m, s, k, i.mm, i.pages);
    case 'zapPtes':
      return !pteLocked(m, s, k, i.mm, null);
    default:
      return true;
  }
}

export function actionsOf(m: Mmid, s: MmidState): MmidAction[] {
  const out: MmidAction[] = [];
  for (let k = 0; k < s.th.length; k++)
    if (enabled(m, s, k)) {
      const x = s.th[k];
      const i = insAt(m, k, x.pc)!;
      const release = m.programs[k].mmap[i.op] !== null && endsOp(m, s, k, i);
      out.push({ thread: k, pc: x.pc, ...(i.kind === 'store' ? { store: x.st[0] } : {}), ...(release ? { release: true as const } : {}) });
    }
  return out;
}

export function allFinished(m: Mmid, s: MmidState): boolean {
  return s.th.every((x, k) => x.pc >= m.programs[k].ins.length);
}

const withAt = (a: readonly number[], j: number, v: number): number[] => {
  const c = a.slice();
  c[j] = v;
  return c;
};
const sum = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0);

export function nextState(m: Mmid, s0: MmidState, a: MmidAction): MmidState {
  const i = insAt(m, a.thread, a.pc);
  if (i === undefined || s0.th[a.thread].pc !== a.pc) internalAssert(false, `mmid: action ${a.thread}@${a.pc} is not enabled`);
  const P = m.sc.pages;
  let { total, ids, counts, shared, lock, mmap, refcount, entire, pageMap, swapcache, folioLock, mapped, ptes, pmds, pending, mmIds, published, flags, falseOwner } = s0;
  const t0 = s0.th[a.thread];
  let { n, rt, st, w, zp, res, ds, g, ans } = t0;
  let pc = i.next;
  const mm = i.mm;
  const id = mm >= 0 ? s0.mmIds[mm] : 0;
  let answer = -1;
  if (i.first) {
    ans = ANS_NONE;
    g = 0;
    if (i.kind === 'msTotal' || i.kind === 'cTotal') g = G_WIN | windowBits(s0);
  }
  const setRow = (k: number, row: readonly number[]) => (ptes = ptes.map((r, j) => (j === k ? row : r)));
  const zpRow = (k: number): readonly number[] => zp[k] ?? [];
  const withZp = (k: number, row: readonly number[]) => {
    const c = m.sc.mms.map((_, j) => zp[j] ?? []);
    c[k] = row;
    zp = c.every((r) => r.length === 0) ? [] : c;
  };

  switch (i.kind) {
    case 'ref': {
      const d = i.dyn ? i.d * n : i.d;
      refcount += d;
      if (d < 0 && mm >= 0) pending = withAt(pending, mm, pending[mm] + d);
      break;
    }
    case 'swapAdd':
      if (!swapcache) {
        refcount += P;
        swapcache = true;
      }
      break;
    case 'swapDel':
      if (swapcache) {
        refcount -= P;
        swapcache = false;
      }
      break;
    case 'pages': {
      const c = pageMap.slice();
      if (i.dyn) zpRow(mm).forEach((x, p) => (c[p] += i.d * x));
      else for (const p of i.pages) c[p] += i.d;
      pageMap = c;
      break;
    }
    case 'entire':
      entire += i.d;
      break;
    case 'setPtes': {
      const row = ptes[mm].slice();
      if (i.dyn) {
        zpRow(mm).forEach((x, p) => (row[p] += x));
        withZp(mm, []);
      } else for (const p of i.pages) row[p] += 1;
      setRow(mm, row);
      if (i.publish) published = true;
      break;
    }
    case 'clearPtes': {
      const row = ptes[mm].slice();
      for (const p of i.pages) row[p] -= 1;
      setRow(mm, row);
      pending = withAt(pending, mm, pending[mm] + i.pages.length);
      break;
    }
    case 'zapPtes':
    case 'migZap': {
      const row = ptes[mm];
      n = sum(row);
      if (n === 0) pc = i.alt;
      else {
        withZp(mm, row);
        setRow(mm, row.map(() => 0));
        // a migration entry keeps its reference; an exit's zap drops it after the flush
        if (i.kind === 'zapPtes') pending = withAt(pending, mm, pending[mm] + n);
      }
      break;
    }
    case 'setPmd':
      pmds = withAt(pmds, mm, pmds[mm] + 1);
      break;
    case 'clearPmd':
      pmds = withAt(pmds, mm, pmds[mm] - 1);
      pending = withAt(pending, mm, pending[mm] + 1);
      break;
    case 'zapPmd':
      if (pmds[mm] === 0) pc = i.alt;
      else {
        pmds = withAt(pmds, mm, pmds[mm] - 1);
        pending = withAt(pending, mm, pending[mm] + 1);
      }
      break;
    case 'populate':
      pmds = withAt(pmds, mm, pmds[mm] - 1);
      setRow(mm, ptes[mm].map((c) => c + 1));
      break;
    // ------------------------------------------------ the critical section
    case 'lock':
      lock = true;
      break;
    case 'readTotal': {
      rt = total;
      const r = sectionStores({ total: rt, ids, counts, shared }, i.cs!, id, i.n || n, m.limits, m.bug);
      st = r.stores;
      flags |= r.flags;
      ds = r.deferShared ? 1 : 0;
      break;
    }
    case 'store': {
      const x = st[0];
      switch (x.field) {
        case 'total':
          mapped = withAt(mapped, mm, mapped[mm] + x.value - rt);
          total = x.value;
          break;
        case 'shared':
          shared = x.value;
          break;
        case 'id':
          ids = x.slot === 0 ? [x.value, ids[1]] : [ids[0], x.value];
          break;
        case 'count':
          counts = x.slot === 0 ? [x.value, counts[1]] : [counts[0], x.value];
          break;
      }
      st = st.slice(1);
      if (st.length > 0) pc = a.pc;
      break;
    }
    case 'unlockRead':
      w = [ids[0], ids[1], shared ? 1 : 0];
      break;
    case 'unlockStore':
      ids = [w[0], w[1]];
      shared = w[2] === 1;
      lock = false;
      w = [];
      if (res !== ANS_NONE) answer = res;
      break;
    case 'setBit':
      if (ds) {
        shared = true;
        // the writer does not hold the lock: the holder's plain unlock can overwrite this
        if (!insAt(m, a.thread, a.pc)!.holds) flags |= F_FOREIGN;
        ds = 0;
      }
      break;
    // ------------------------------------------------ life cycle
    case 'newFolio':
      total = i.n;
      ids = [id, 0];
      counts = [i.n, 0];
      shared = false;
      mapped = withAt(mapped, mm, mapped[mm] + i.n);
      break;
    case 'create': {
      let x = 1;
      while (mmIds.includes(x)) x++;
      mmIds = withAt(mmIds, mm, x);
      break;
    }
    case 'freeId':
      mmIds = withAt(mmIds, mm, 0);
      break;
    case 'folioLock':
      folioLock = true;
      break;
    case 'folioUnlock':
      folioLock = false;
      break;
    case 'migReset':
      falseOwner = -1;
      total = 0;
      ids = [0, 0];
      counts = [0, 0];
      shared = false;
      break;
    case 'migN':
      n = sum(zpRow(mm));
      if (n === 0) pc = i.alt;
      break;
    // ------------------------------------------------ folio_maybe_mapped_shared
    case 'msTotal':
      rt = total;
      if (rt > P) g |= G_REMAP;
      if (rt <= 1) answer = ANS_NOT_SHARED;
      break;
    case 'msShared':
      answer = maybeMappedShared(rt, shared) ? ANS_MAYBE_SHARED : ANS_NOT_SHARED;
      break;
    // ------------------------------------------------ __wp_can_reuse_large_anon_folio
    case 'cTotal':
      rt = total;
      if (rt > P) g |= G_REMAP;
      if (rt <= 1) answer = ANS_COPY;
      break;
    case 'cShared':
      if (shared) answer = ANS_COPY;
      break;
    case 'cWarnTotal':
      if (total > P) {
        flags |= W_COW_TOTAL;
        g |= G_REMAP;
      }
      break;
    case 'cWarnEntire':
      if (entire !== 0) flags |= W_COW_ENTIRE;
      break;
    case 'cSwap':
      if (!swapcache) pc = i.alt;
      break;
    case 'cTrylock':
      if (folioLock) answer = ANS_COPY;
      else folioLock = true;
      break;
    case 'cFreeSwap':
      if (swapcache) {
        refcount -= P;
        swapcache = false;
      }
      break;
    case 'cUnlockFolio':
      folioLock = false;
      break;
    case 'cTotal2':
      rt = total;
      if (rt > P) g |= G_REMAP;
      break;
    case 'cRef':
      if (refcount !== rt) answer = ANS_COPY;
      else if (i.decides) {
        if (cowSafe(s0, mm)) g |= G_COW_OK;
        answer = ANS_REUSE;
      }
      break;
    case 'cWarnRef':
      if (refcount < total) flags |= W_COW_REF;
      if (refcount > total) g |= G_REF_ABOVE;
      break;
    case 'cShared2':
      if (shared) {
        res = ANS_COPY;
        pc = i.alt;
      }
      break;
    case 'cRef2':
      if (total !== refcount) {
        res = ANS_COPY;
        pc = i.alt;
      } else {
        res = ANS_REUSE;
        if (cowSafe(s0, mm)) g |= G_COW_OK;
      }
      break;
    case 'cWarnSlot':
      if (ids[0] !== id && ids[1] !== id) flags |= W_COW_SLOT;
      break;
  }

  if (answer >= 0) {
    ans = answer;
    g &= ~G_WIN;
    pc = m.programs[a.thread].exits[i.op];
  }
  if (pc !== a.pc && i.kind === 'store') rt = 0;
  const hold = m.programs[a.thread].mmap[i.op];
  const ends = pc === m.programs[a.thread].exits[i.op];
  if (hold) {
    internalAssert((a.release === true) === ends, `mmid: action ${a.thread}@${a.pc} ${ends ? 'ends' : 'does not end'} its op, but release is ${String(a.release)}`);
    const c = mmap.slice();
    for (const k of hold.mms) {
      if (i.first) c[k] = hold.write ? -1 : c[k] + 1;
      if (ends) c[k] = hold.write ? 0 : c[k] - 1;
    }
    mmap = c;
  }
  // the op's locals die with it
  if (ends) {
    n = 0;
    rt = 0;
    zp = [];
    res = ANS_NONE;
  }
  const th = s0.th.slice();
  th[a.thread] = { pc, n, rt, st, w, zp, res, ds, g, ans };
  // a false "maybe shared" at rest names its owner until the owner's mappings are gone
  if (falseOwner >= 0 && mapped[falseOwner] === 0) falseOwner = -1;
  else if (falseOwner < 0 && !lock && shared && total >= 2) {
    const owners = mapped.filter((c) => c > 0).length;
    if (owners === 1) falseOwner = mapped.findIndex((c) => c > 0);
  }
  let next: MmidState = { total, ids, counts, shared, lock, mmap, refcount, entire, pageMap, swapcache, folioLock, mapped, ptes, pmds, pending, mmIds, published, flags, falseOwner, th };
  if ((flags & F_THREE) === 0 && mmsMapping(next) >= 3) next = { ...next, flags: flags | F_THREE };
  // every reader inside its window latches the new instant
  const add = windowBits(next);
  if (add !== 0)
    for (let k = 0; k < th.length; k++) {
      const x = th[k];
      if ((x.g & G_WIN) !== 0 && (x.g | add) !== x.g) th[k] = { ...x, g: x.g | add };
    }
  return next;
}

/** Some thread holds the bit spinlock (its pc is between the acquire and the unlock's store). */
export function holders(m: Mmid, s: MmidState): number {
  let c = 0;
  for (let k = 0; k < s.th.length; k++) if (insAt(m, k, s.th[k].pc)?.holds) c++;
  return c;
}

/** ANS_* of thread k's answer, for the view. */
export function answerOf(x: MmidThread): number {
  return x.ans;
}
