/**
 * The mmid model for a person: an action in the kernel's words (the compiled instruction's label;
 * a holder's store names the field and value) and a state as named fields in a fixed order.
 */
import type { ActionInfo } from '../core';
import { internalAssert } from '../errors';
import type { TrackingStore } from './tracking';
import {
  ANS_NONE, ANS_TEXT,
  F_FOREIGN, F_OVERFLOW, F_THREE, F_UNDERFLOW, G_COW_OK, G_ONE_MM, G_REF_ABOVE, G_REMAP, G_WIN,
  W_COW_ENTIRE, W_COW_REF, W_COW_SLOT, W_COW_TOTAL,
  type Mmid, type MmidAction, type MmidState,
} from './state';
import { insAt } from './step';

/** A holder's store as C. */
export function storeText(x: TrackingStore): string {
  switch (x.field) {
    case 'total':
      return `atomic_set(&folio->_large_mapcount, ${x.value})`;
    case 'shared':
      return x.value ? 'folio->_mm_ids |= FOLIO_MM_IDS_SHARED_BIT' : 'folio->_mm_ids &= ~FOLIO_MM_IDS_SHARED_BIT';
    case 'id':
      return `folio_set_mm_id(folio, ${x.slot}, ${x.value === 0 ? 'MM_ID_DUMMY' : x.value})`;
    case 'count':
      return `folio->_mm_id_mapcount[${x.slot}] = ${x.value} (true count)`;
  }
}

export function describeAction(m: Mmid, a: MmidAction): ActionInfo {
  const i = insAt(m, a.thread, a.pc);
  if (i === undefined) internalAssert(false, `mmid: no instruction at ${a.thread}@${a.pc}`);
  if (i.kind === 'store' && a.store) {
    const w = a.store.field === 'total' ? ['total'] : a.store.field === 'count' ? ['mm_id_mapcount'] : ['mm_ids'];
    return { thread: a.thread, label: storeText(a.store), reads: [], writes: w, tags: ['plain-store'] };
  }
  const info: ActionInfo = { thread: a.thread, label: i.label, reads: i.reads, writes: i.writes, tags: i.tags, ...(i.x86 ? { x86: i.x86 } : {}) };
  if (!a.release) return info;
  // mmap_read_unlock/mmap_write_unlock after the step's access: a locked RMW. A step that only
  // stores is then locked as a whole; a load that ends the op stays plain (conservative: x86
  // could still hold the earlier stores while it loads)
  const words = m.programs[a.thread].mmap[i.op]!.mms.map((k) => `mmap:${m.sc.mms[k].name}`);
  const add = (xs: readonly string[]) => [...xs, ...words.filter((w) => !xs.includes(w))];
  const locked = i.x86 === 'locked' || i.reads.length === 0;
  return { ...info, reads: add(i.reads), writes: add(i.writes), ...(locked ? { x86: 'locked' as const } : {}) };
}

const FLAG_TEXT: [number, string][] = [
  [W_COW_TOTAL, 'WARN(cow total > P)'],
  [W_COW_ENTIRE, 'WARN(cow entire)'],
  [W_COW_REF, 'WARN(cow refcount < total)'],
  [W_COW_SLOT, 'WARN(cow no slot)'],
  [F_FOREIGN, 'non-holder wrote the id word'],
  [F_UNDERFLOW, 'slot freed by underflow'],
  [F_OVERFLOW, 'count overflowed'],
  [F_THREE, 'three MMs mapped'],
];
const GHOST_TEXT: [number, string][] = [
  [G_WIN, 'in-window'],
  [G_ONE_MM, 'one-mm-seen'],
  [G_REMAP, 'saw-remap'],
  [G_COW_OK, 'cow-safe'],
  [G_REF_ABOVE, 'refcount-above-total'],
];
const bits = (x: number, t: [number, string][]) => t.filter(([b]) => x & b).map(([, s]) => s).join(',');

export function stateView(m: Mmid, threads: readonly string[], s: MmidState): Readonly<Record<string, string>> {
  const sc = m.sc;
  const name = (id: number) => {
    const k = s.mmIds.indexOf(id);
    return k >= 0 ? sc.mms[k].name : '?';
  };
  const out: Record<string, string> = {};
  out.total = String(s.total);
  out.slots = [0, 1].map((i) => (s.ids[i] === 0 ? `${i}: free${s.counts[i] !== 0 ? ` (count ${s.counts[i]})` : ''}` : `${i}: id ${s.ids[i]} (${name(s.ids[i])}) count ${s.counts[i]}`)).join('; ');
  out.shared = s.shared ? 'set' : 'clear';
  out.lock = s.lock ? 'held' : 'free';
  out.refcount = String(s.refcount);
  out.entire = String(s.entire);
  if (m.variant === 'page-mapcount') out.pagesMapped = `${s.pageMap.filter((c) => c > 0).length} (page mapcounts ${s.pageMap.join(' ')})`;
  out.swapcache = s.swapcache ? 'yes' : 'no';
  out.folioLock = s.folioLock ? 'held' : 'free';
  out.mmap_lock = sc.mms.map((x, k) => `${x.name}:${s.mmap[k] < 0 ? 'W' : s.mmap[k] > 0 ? `R${s.mmap[k]}` : '-'}`).join(' ');
  out.mmIds = sc.mms.map((x, k) => `${x.name}:${s.mmIds[k] || '-'}`).join(' ');
  out.mapped = sc.mms.map((x, k) => `${x.name}:${s.mapped[k]}`).join(' ');
  out.pageTables = sc.mms
    .map((x, k) => {
      const pages: string[] = [];
      for (let p = 0; p < sc.pages; p++) if (s.ptes[k][p] > 0) pages.push(s.ptes[k][p] > 1 ? `${p}x${s.ptes[k][p]}` : `${p}`);
      const parts: string[] = [];
      if (pages.length) parts.push(`pte ${pages.join(',')}`);
      if (s.pmds[k] > 0) parts.push('pmd');
      return `${x.name}: ${parts.length ? parts.join(' + ') : '-'}`;
    })
    .join('; ');
  out.pendingRefs = sc.mms.map((x, k) => `${x.name}:${s.pending[k]}`).join(' ');
  out.flags = bits(s.flags, FLAG_TEXT) || '-';
  if (s.falseOwner >= 0) out.falseShared = `only ${sc.mms[s.falseOwner].name} maps, SHARED set`;
  s.th.forEach((x, k) => {
    const i = insAt(m, k, x.pc);
    const parts = [i ? `at: ${i.kind === 'store' && x.st.length ? storeText(x.st[0]) : i.label}` : 'done'];
    if (x.n) parts.push(`n=${x.n}`);
    if (x.rt) parts.push(`total read=${x.rt}`);
    if (x.st.length > 1) parts.push(`then ${x.st.slice(1).map(storeText).join('; ')}`);
    if (x.w.length) parts.push(`word read: ids ${x.w[0]},${x.w[1]} SHARED ${x.w[2]}`);
    if (x.ds) parts.push('SHARED to set');
    if (x.ans !== ANS_NONE) parts.push(`answer=${ANS_TEXT[x.ans]}`);
    if (x.g) parts.push(`ghost=${bits(x.g, GHOST_TEXT)}`);
    out[threads[k]] = parts.join('; ');
  });
  return out;
}
