/**
 * The rmap model for a person: an action in the kernel's words (the compiled instruction's
 * label, words and tags, program.ts) and a state as named fields in a fixed order.
 */
import type { ActionInfo } from '../core';
import { internalAssert } from '../errors';
import { hexWord } from '../word';
import { ANS_NONE, G_CAN_EX, G_CAN_SH, G_COW_OK, G_PTE_EX, G_RETRIED, G_REUSE_SAFE, G_WIN, type Rmap, type RmapAction, type RmapState } from './state';
import { insAt } from './truth';
import type { Kind } from './program';

const ANS_TEXT = ['', 'exclusive', 'shared', 'reuse', 'copy'];

export function describeAction(m: Rmap, a: RmapAction): ActionInfo {
  const i = insAt(m, a.thread, a.pc);
  if (i === undefined) internalAssert(false, `no instruction at ${a.thread}@${a.pc}`);
  const info = { thread: a.thread, label: i.label, reads: i.reads, writes: i.writes, tags: i.tags };
  return lockedOnX86(i.kind, i.d) ? { ...info, x86: 'locked' } : info;
}

/** The instructions that are locked on x86 (ActionInfo.x86): the atomic RMWs (`lock add`,
 *  `lock xadd`, `lock cmpxchg`) and the clearing `xchg` of `ptep_get_and_clear` /
 *  `pmdp_huge_get_and_clear`; `atomic_set`, `set_ptes`, `set_pmd_at`, `pmd_populate` and the
 *  plain stores are `mov`s. */
function lockedOnX86(kind: Kind, d: number): boolean {
  switch (kind) {
    case 'ref': case 'pages': case 'entire':
    case 'v1b': case 'v2cas': case 'v3xadd': case 'v3conv': case 'sadd': case 'end':
    case 'addMap': case 'addVal':
      return true;
    case 'pte': case 'pmd':
      return d < 0;
    default:
      return false;
  }
}

function ghostText(g: number): string {
  const n: string[] = [];
  if (g & G_WIN) n.push('in-window');
  if (g & G_CAN_EX) n.push('exclusive-was-right');
  if (g & G_CAN_SH) n.push('shared-was-right');
  if (g & G_PTE_EX) n.push('no-other-pte-seen');
  if (g & G_RETRIED) n.push('retried');
  if (g & G_COW_OK) n.push('cow-instant-ok');
  if (g & G_REUSE_SAFE) n.push('reuse-safe');
  return n.join(',');
}

export function stateView(m: Rmap, threads: readonly string[], s: RmapState): Readonly<Record<string, string>> {
  const sc = m.sc;
  const L = sc.layout;
  const W = sc.scheme.wordBits;
  const out: Record<string, string> = {};
  const shared = s.seq & L.sharedMask;
  const excl = L.exclMask !== null ? (s.seq & L.exclMask) / (L.excl ?? 1n) : 0n;
  out.seq = `${hexWord(s.seq, L.width)} (sequence ${s.seq >> BigInt(L.writerBits)}, shared writers ${shared}${L.exclMask !== null ? `, exclusive ${excl}` : ''})`;
  out.mapcount = s.mapcount.toString();
  out.refcount = String(s.refcount);
  out.entire = String(s.entire);
  out.pagesMapped = `${s.pageMap.filter((c) => c > 0).length} (page mapcounts ${s.pageMap.join(' ')})`;
  s.vals.forEach((v, j) => (out[`val${j}`] = hexWord(v, W)));
  out.tracked = sc.mms.map((x, k) => `${x.name}:${s.tracked[k]}`).join(' ');
  out.pageTables = sc.mms
    .map((x, k) => {
      const pages = [];
      for (let p = 0; p < sc.pages; p++) if (s.ptes[k][p] > 0) pages.push(s.ptes[k][p] > 1 ? `${p}x${s.ptes[k][p]}` : `${p}`);
      const parts = [];
      if (pages.length) parts.push(`pte ${pages.join(',')}`);
      if (s.pmds[k] > 0) parts.push('pmd');
      return `${x.name}: ${parts.length ? parts.join(' + ') : '-'}`;
    })
    .join('; ');
  s.th.forEach((x, k) => {
    const i = insAt(m, k, x.pc);
    const parts = [i ? `at: ${i.label}` : 'done'];
    if (x.s !== 0n) parts.push(`s=${hexWord(x.s, L.width)}`);
    if (x.t !== 0n) parts.push(`t=${x.t}`);
    if (x.rm !== 0n) parts.push(`mapcount read=${x.rm}`);
    if (x.eq !== 0) parts.push('values match so far');
    if (x.rv.length) parts.push(`first read=${x.rv.map((v) => hexWord(v, W)).join(',')}`);
    if (x.ans !== ANS_NONE) parts.push(`answer=${ANS_TEXT[x.ans]}`);
    if (x.g !== 0) parts.push(`ghost=${ghostText(x.g)}`);
    out[threads[k]] = parts.join('; ');
  });
  return out;
}
