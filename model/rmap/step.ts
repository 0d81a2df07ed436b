/**
 * The rmap model's transitions: one action is one compiled instruction (program.ts) of one
 * thread. `next` returns a fresh state and never modifies its argument. The seqcount steps on
 * `seq` are the protocol's own (model/seqcount/steps.ts), shared with the canonical model.
 */
import { internalAssert } from '../errors';
import { addExclusive, addShared, backOff, cmpxchgExclusive, endWrite, exclusiveHeld, noWriters, readRetry, soleExclusive } from '../seqcount/steps';
import { wrap } from '../word';
import type { Ins } from './program';
import {
  ANS_COPY,
  ANS_EXCLUSIVE,
  ANS_NONE,
  ANS_REUSE,
  ANS_SHARED,
  G_COW_OK,
  G_RETRIED,
  G_REUSE_SAFE,
  G_WIN,
  type Rmap,
  type RmapAction,
  type RmapState,
} from './state';
import { cowInstantOk, insAt, windowBits } from './truth';

const NO_VALUES: readonly bigint[] = [];

/** Is thread k's next instruction enabled? (A spin is enabled only when it can pass.) */
function enabled(m: Rmap, s: RmapState, k: number): boolean {
  const i = insAt(m, k, s.th[k].pc);
  if (i === undefined) return false;
  // an unpublished new folio is seen by its own thread only
  if (!s.published && !m.programs[k].publishes) return false;
  if (i.kind === 'swait') return !exclusiveHeld(m.sc.layout, s.seq);
  if (i.kind === 'rBegin' && !i.noWait) return noWriters(m.sc.layout, s.seq);
  return true;
}

/** The enabled actions, in thread order. */
export function actionsOf(m: Rmap, s: RmapState): RmapAction[] {
  const out: RmapAction[] = [];
  for (let k = 0; k < s.th.length; k++) if (enabled(m, s, k)) out.push({ thread: k, pc: s.th[k].pc });
  return out;
}

/** Every thread is past its last instruction. */
export function allFinished(m: Rmap, s: RmapState): boolean {
  return s.th.every((x, k) => x.pc >= m.programs[k].ins.length);
}

/** A copy of `a` with a[j] = v. */
function withVal(a: readonly bigint[], j: number, v: bigint): bigint[] {
  const c = a.slice();
  c[j] = v;
  return c;
}
/** A copy of `a` with a[j] += d. */
function withAdd(a: readonly number[], j: number, d: number): number[] {
  const c = a.slice();
  c[j] += d;
  return c;
}

/** The ghost bits of a COW reuse decision: no other MM maps the faulting page or the folio. */
function reuseBits(m: Rmap, s0: RmapState, i: Ins): number {
  const page = i.pages[0];
  for (let o = 0; o < s0.pmds.length; o++) if (o !== i.mm && (s0.ptes[o][page] > 0 || s0.pmds[o] > 0)) return 0;
  return G_REUSE_SAFE;
}

export function nextState(m: Rmap, s0: RmapState, a: RmapAction): RmapState {
  const i = insAt(m, a.thread, a.pc);
  if (i === undefined || s0.th[a.thread].pc !== a.pc) internalAssert(false, `action ${a.thread}@${a.pc} is not enabled`);
  const sc = m.sc;
  const L = sc.layout;
  const P = sc.pages;
  const W = sc.scheme.wordBits;
  let { seq, mapcount, refcount, entire, ends, published } = s0;
  let vals = s0.vals;
  let pageMap = s0.pageMap;
  let tracked = s0.tracked;
  let ptes = s0.ptes;
  let pmds = s0.pmds;
  let { s, t, rm, eq, rv, g, ans } = s0.th[a.thread];
  let pc = i.next;
  const mm = i.mm;
  const subs = mm >= 0 ? sc.mms[mm].subIds : NO_VALUES;
  /** The op's answer (ANS_*), or -1; the pc to retry from, or -1. */
  let answer = -1;
  let retryTo = -1;
  if (i.first) {
    ans = ANS_NONE;
    g = 0;
    // the window opens at this step: the instant it reads at counts
    if (i.kind === 'msTotal') g = G_WIN | windowBits(m, s0, mm);
  }

  switch (i.kind) {
    case 'ref':
      refcount += i.d;
      break;
    case 'pages': {
      const c = pageMap.slice();
      for (const p of i.pages) c[p] += i.d;
      pageMap = c;
      break;
    }
    case 'entire':
      entire += i.d;
      break;
    case 'pte': {
      const row = ptes[mm].slice();
      for (const p of i.pages) row[p] += i.d;
      ptes = ptes.map((r, k) => (k === mm ? row : r));
      if (i.publish) published = true;
      break;
    }
    case 'pmd':
      pmds = withAdd(pmds, mm, i.d);
      break;
    case 'populate':
      ptes = ptes.map((r, k) => (k === mm ? r.map((c) => c + 1) : r));
      pmds = withAdd(pmds, mm, -1);
      break;
    // ------------------------------------------------ seqcount writer steps
    case 'v1b':
      seq = addShared(L, seq);
      break;
    case 'v2load':
      s = seq;
      if (!noWriters(L, s)) {
        s = 0n;
        pc = i.alt;
      }
      break;
    case 'v2cas': {
      const r = cmpxchgExclusive(L, seq, s);
      if (r !== null) seq = r;
      else pc = i.alt;
      s = 0n;
      break;
    }
    case 'v3check':
      if (!noWriters(L, seq)) pc = i.alt;
      break;
    case 'v3xadd':
      seq = addExclusive(L, seq);
      if (!soleExclusive(L, seq)) pc = i.alt;
      break;
    case 'v3conv':
      seq = backOff(L, seq);
      break;
    case 'sadd':
      seq = addShared(L, seq);
      if (i.noWait || !exclusiveHeld(L, seq)) pc = i.alt;
      break;
    case 'swait':
      break;
    case 'end':
      seq = endWrite(L, seq, i.exclusiveBody);
      ends = wrap(ends + 1n, L.seqBits);
      break;
    // ------------------------------------------------ protected words
    case 'addMap':
      mapcount += BigInt(i.d);
      tracked = withAdd(tracked, mm, i.d);
      break;
    case 'addVal':
      vals = withVal(vals, i.j, wrap(vals[i.j] + i.v, W));
      break;
    case 'ldMap':
      t = mapcount;
      break;
    case 'stMap':
      mapcount = t + BigInt(i.d);
      t = 0n;
      tracked = withAdd(tracked, mm, i.d);
      break;
    case 'ldVal':
      t = vals[i.j];
      break;
    case 'stVal':
      vals = withVal(vals, i.j, wrap(t + i.v, W));
      t = 0n;
      break;
    case 'setMap':
      mapcount = BigInt(i.d);
      tracked = withAdd(tracked, mm, i.d);
      break;
    case 'setVal':
      vals = withVal(vals, i.j, wrap(i.v, W));
      break;
    // ------------------------------------------------ folio_mapped_shared
    case 'msTotal':
      rm = mapcount;
      if (rm === 1n) answer = ANS_EXCLUSIVE;
      break;
    case 'msEntire':
      if (entire > 0 || rm > P) answer = ANS_SHARED;
      else rm = 0n;
      break;
    case 'rBegin':
      s = seq;
      break;
    case 'rMap':
      rm = mapcount;
      eq = 1;
      if (rm > P) answer = ANS_SHARED;
      break;
    case 'rVal':
      if (i.store) {
        rv = [...rv, vals[i.j]];
      } else if (vals[i.j] !== wrap(rm * subs[i.j], W)) {
        eq = 0;
        if (i.answers) answer = ANS_SHARED;
        else pc = i.alt;
      } else if (i.last && i.answers) answer = ANS_EXCLUSIVE;
      break;
    case 'rRetry':
      if (readRetry(seq, s)) retryTo = i.alt;
      else answer = eq === 1 ? ANS_EXCLUSIVE : ANS_SHARED;
      break;
    case 'rMap2':
      if (mapcount !== rm) retryTo = i.alt;
      break;
    case 'rVal2':
      if (vals[i.j] !== rv[i.j]) retryTo = i.alt;
      else if (i.last) answer = rv.every((v, j) => v === wrap(rm * subs[j], W)) ? ANS_EXCLUSIVE : ANS_SHARED;
      break;
    // ------------------------------------------------ wp_can_reuse_anon_folio
    case 'cSeq':
      // raw_read_atomic_seqcount: no wait; the caller gives up on writer bits
      s = seq;
      if (!i.noWait && !noWriters(L, s)) answer = ANS_COPY;
      break;
    case 'cMap':
      rm = mapcount;
      if (rm > P) answer = ANS_COPY;
      break;
    case 'cEntire':
      if (entire > 0) answer = ANS_COPY;
      break;
    case 'cRef':
      if (rm !== BigInt(refcount)) answer = ANS_COPY;
      else if (cowInstantOk(m, s0, mm)) g |= G_COW_OK;
      break;
    case 'cVal':
      if (vals[i.j] !== wrap(rm * subs[i.j], W)) answer = ANS_COPY;
      else {
        if (i.store) rv = [...rv, vals[i.j]];
        if (i.last && i.answers) {
          g |= reuseBits(m, s0, i);
          answer = ANS_REUSE;
        }
      }
      break;
    case 'cMap2':
      if (mapcount !== rm) answer = ANS_COPY;
      break;
    case 'cVal2':
      if (vals[i.j] !== rv[i.j]) answer = ANS_COPY;
      else if (i.last) {
        g |= reuseBits(m, s0, i);
        answer = ANS_REUSE;
      }
      break;
    case 'cRetry':
      if (readRetry(seq, s)) answer = ANS_COPY;
      else {
        g |= reuseBits(m, s0, i);
        answer = ANS_REUSE;
      }
      break;
  }

  // an answer ends the op (its locals die); a retry goes back to the op's begin
  if (answer >= 0) {
    ans = answer;
    g &= ~G_WIN;
    pc = m.programs[a.thread].exits[i.op];
  } else if (retryTo >= 0) {
    g |= G_RETRIED;
    pc = retryTo;
  }
  if (answer >= 0 || retryTo >= 0) {
    s = 0n;
    rm = 0n;
    eq = 0;
    rv = NO_VALUES;
  }
  const th = s0.th.slice();
  th[a.thread] = { pc, s, t, rm, eq, rv, g, ans };
  const next: RmapState = { seq, mapcount, vals, refcount, entire, pageMap, tracked, ptes, pmds, ends, published, th };
  // every reader inside its window latches the new instant's ground truth
  for (let k = 0; k < th.length; k++) {
    const x = th[k];
    if ((x.g & G_WIN) === 0) continue;
    const r = insAt(m, k, x.pc);
    internalAssert(r !== undefined && r.mm >= 0, 'reader in its window without a current op');
    const add = windowBits(m, next, r.mm);
    if ((x.g | add) !== x.g) th[k] = { pc: x.pc, s: x.s, t: x.t, rm: x.rm, eq: x.eq, rv: x.rv, g: x.g | add, ans: x.ans };
  }
  return next;
}
