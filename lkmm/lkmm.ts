/**
 * The Linux kernel memory model's judgement of one candidate execution, for programs without
 * locks, RCU or SRCU: the relations and axioms of tools/memory-model/linux-kernel.cat (as its
 * explanation.txt describes them), written here over bit-matrix relations (lkmm/relation.ts).
 *
 * What is fixed by the threads' paths (program order, fences, dependencies before carry-dep)
 * is computed once per combination of paths (`StaticRelations`); what rf and co decide is
 * computed per candidate (`judge`). Coherence and RMW atomicity are not checked here: the
 * enumeration (lkmm/check.ts) only builds candidates that satisfy them.
 */
import { Rel, type EventSet } from './relation';
import type { ThreadPath } from './events';

/** A memory event of a candidate execution; the initial writes come first, one per location. */
export interface Event {
  readonly id: number;
  /** -1 for an initial write. */
  readonly thread: number;
  /** Index within the thread's path (-1 for an initial write). */
  readonly local: number;
  readonly kind: 'R' | 'W';
  readonly loc: string;
  readonly init: boolean;
  readonly plain: boolean;
  readonly acquire: boolean;
  readonly release: boolean;
  readonly mb: boolean;
  readonly noreturn: boolean;
  readonly rmwInstr: boolean;
  readonly seq: number;
  readonly label: string;
}

/** The relations a combination of thread paths fixes, whatever rf and co are. */
export interface StaticRelations {
  readonly n: number;
  readonly events: readonly Event[];
  readonly sets: {
    readonly R: EventSet;
    readonly W: EventSet;
    readonly M: EventSet;
    readonly IW: EventSet;
    readonly Marked: EventSet;
    readonly Plain: EventSet;
    readonly R4rmb: EventSet;
    readonly notNoreturn: EventSet;
  };
  readonly int: Rel;
  readonly ext: Rel;
  readonly rmw: Rel;
  readonly data: Rel;
  readonly ctrl: Rel;
  readonly rmb: Rel;
  readonly wmb: Rel;
  readonly mb: Rel;
  readonly poRel: Rel;
  readonly acqPo: Rel;
  /** po ; [F[rmb]] ; po, unfiltered (r-pre-bounded and r-post-bounded use it). */
  readonly rmbRaw: Rel;
  readonly nonrwFence: Rel;
  readonly fence: Rel;
  /** The pairs that may race: `ext & loc & ((Plain * M) | ((M \ IW) * Plain))`. */
  readonly preRace: Rel;
}

const has = (s: EventSet, i: number) => (s[i >>> 5] & (1 << (i & 31))) !== 0;

/** Builds the events and fixed relations of one path per thread, after the initial writes. */
export function staticRelations(initLocs: readonly { name: string }[], paths: readonly ThreadPath[]): StaticRelations {
  const events: Event[] = initLocs.map((l, id) => ({
    id, thread: -1, local: -1, kind: 'W', loc: l.name, init: true, plain: false, acquire: false, release: false, mb: false, noreturn: false, rmwInstr: false, seq: -1, label: `${l.name} (initial)`,
  }));
  const offsets: number[] = [];
  paths.forEach((p, t) => {
    offsets.push(events.length);
    p.events.forEach((e, local) => events.push({ ...e, id: events.length, thread: t, local, init: false }));
  });
  const n = events.length;
  const set = (f: (e: Event) => boolean) => Rel.set(n, events.filter(f).map((e) => e.id));
  const sets = {
    R: set((e) => e.kind === 'R'),
    W: set((e) => e.kind === 'W'),
    M: set(() => true),
    IW: set((e) => e.init),
    Marked: set((e) => !e.plain),
    Plain: set((e) => e.plain),
    R4rmb: set((e) => e.kind === 'R' && !e.noreturn),
    notNoreturn: set((e) => !(e.kind === 'R' && e.noreturn)),
  };
  const rel = () => new Rel(n);
  const int = rel();
  const ext = rel();
  const rmb = rel();
  const wmb = rel();
  const mb = rel();
  const poRel = rel();
  const acqPo = rel();
  const rmbRaw = rel();
  const preRace = rel();
  for (const a of events) {
    // `int` holds the identity too, as in cat (`xbstar & int` in vis keeps the empty path)
    int.add(a.id, a.id);
    for (const b of events) {
      if (a.id === b.id) continue;
      const same = a.thread === b.thread && !a.init;
      if (same) int.add(a.id, b.id);
      else ext.add(a.id, b.id);
      if (!same && a.loc === b.loc && (a.kind === 'W' || b.kind === 'W') && (a.plain || (b.plain && !a.init))) preRace.add(a.id, b.id);
      if (!same || a.seq >= b.seq) continue;
      // a po b in thread t: the fences and tagged events between them
      const p = paths[a.thread];
      const between = (f: string) => p.fences.some((x) => x.fence === f && a.seq < x.seq && x.seq < b.seq);
      const rmwEvents = p.events.filter((e) => e.rmwInstr);
      if (between('rmb')) {
        rmbRaw.add(a.id, b.id);
        if (has(sets.R4rmb, a.id) && has(sets.R4rmb, b.id)) rmb.add(a.id, b.id);
      }
      if (between('wmb') && a.kind === 'W' && b.kind === 'W') wmb.add(a.id, b.id);
      const fullRmwBetween = p.events.some((e) => e.mb && a.seq < e.seq && e.seq < b.seq);
      const beforeAtomic = p.fences.some((f) => f.fence === 'mb__before_atomic' && a.seq < f.seq && rmwEvents.some((e) => f.seq < e.seq && e.seq <= b.seq));
      const afterAtomic = p.fences.some((f) => f.fence === 'mb__after_atomic' && f.seq < b.seq && rmwEvents.some((e) => a.seq <= e.seq && e.seq < f.seq));
      // a full-barrier RMW acts as smp_mb() before its read and after its write (linux-kernel.cat)
      if (between('mb') || fullRmwBetween || (b.mb && b.kind === 'R') || (a.mb && a.kind === 'W') || beforeAtomic || afterAtomic) mb.add(a.id, b.id);
      if (a.acquire) acqPo.add(a.id, b.id);
      if (b.release) poRel.add(a.id, b.id);
    }
  }
  const local = (pairs: (t: number) => readonly [number, number][]) => {
    const r = rel();
    paths.forEach((_, t) => {
      for (const [a, b] of pairs(t)) r.add(offsets[t] + a, offsets[t] + b);
    });
    return r;
  };
  const nonrwFence = mb.union(poRel).union(acqPo);
  return {
    n, events, sets, int, ext,
    rmw: local((t) => paths[t].rmw),
    data: local((t) => paths[t].data),
    ctrl: local((t) => paths[t].ctrl),
    rmb, wmb, mb, poRel, acqPo, rmbRaw, nonrwFence,
    fence: nonrwFence.union(wmb).union(rmb),
    preRace,
  };
}

export interface Judgement {
  /** The first axiom the candidate violates (happens-before, propagation, plain-coherence), or null. */
  readonly violates: 'happens-before' | 'propagation' | 'plain-coherence' | null;
  /** The data races of an allowed candidate (linux-kernel.cat's `data-race` flag), as event pairs. */
  readonly races: readonly { readonly a: number; readonly b: number; readonly kind: 'ww' | 'wr' | 'rw' }[];
}

/**
 * Judges a candidate given its reads-from (`rf`) and coherence order (`co`); `fr` = rf^-1 ; co.
 * Returns which axiom fails, or the data races of the allowed candidate.
 */
export function judge(s: StaticRelations, rf: Rel, co: Rel, fr: Rel): Judgement {
  const { n, sets } = s;
  const M = sets.Marked;
  const rfi = rf.inter(s.int);
  const rfe = rf.inter(s.ext);
  // carry-dep (linux-kernel.bell): dependencies carried through plain or marked stores and rfi
  const carry = s.data.seq(rfi).star();
  const data = carry.seq(s.data);
  const ctrl = carry.seq(s.ctrl);
  const overwrite = co.union(fr);
  const toW = data.union(ctrl).restrict(null, sets.W).union(overwrite.inter(s.int));
  const toR = data.restrict(null, M).seq(rfi);
  const ppo = toR.union(toW).union(s.fence.inter(s.int));
  const strong = s.mb;
  const aCumul = (r: Rel) => r.union(rfe.restrict(null, M).seq(r));
  const rmwSeq = rf.seq(s.rmw).star();
  const cumulFence = aCumul(strong.union(s.poRel)).union(s.wmb).restrict(M, M).seq(rmwSeq);
  const cumulStar = cumulFence.star();
  const prop = overwrite.inter(s.ext).opt().restrict(M, null).seq(cumulStar).restrict(null, M).seq(rfe.opt()).restrict(null, M);
  const id = Rel.id(n);
  const hb = ppo.union(rfe).union(prop.minus(id).inter(s.int)).restrict(M, M);
  if (!hb.acyclic()) return { violates: 'happens-before', races: [] };
  const hbStar = hb.star();
  const pb = prop.seq(strong).seq(hbStar).restrict(null, M);
  if (!pb.acyclic()) return { violates: 'propagation', races: [] };
  if (s.preRace.isEmpty()) return { violates: null, races: [] };

  // plain accesses: visibility, bounds of their lifetimes, and the races (linux-kernel.cat)
  const xbstar = hb.union(pb).star();
  const vis = cumulStar.seq(rfe.opt()).restrict(null, M).seq(strong.restrict(null, M).seq(xbstar).union(xbstar.inter(s.int)));
  const wPre = Rel.id(n, M).union(s.fence.restrict(M, null));
  const rPre = Rel.id(n, M).union(s.nonrwFence.union(s.rmbRaw.restrict(sets.R4rmb, sets.notNoreturn)).restrict(M, null));
  const wPost = s.fence.opt().restrict(null, M).seq(rmwSeq);
  const rPost = s.nonrwFence.union(s.rmbRaw.restrict(sets.notNoreturn, sets.R4rmb)).opt().restrict(null, M);
  const wwVis = s.fence.union(strong.seq(xbstar).seq(wPre)).union(wPost.seq(vis).seq(wPre));
  const wrVis = s.fence.union(strong.seq(xbstar).seq(rPre)).union(wPost.seq(vis).seq(rPre));
  const rwXb = s.fence.union(rPost.seq(xbstar).seq(wPre));
  const pre = s.preRace;
  const incoherent = pre.inter(rf).inter(rwXb.inverse()).union(pre.inter(fr).inter(wrVis.inverse())).union(pre.inter(co).inter(wwVis.inverse()));
  if (!incoherent.isEmpty()) return { violates: 'plain-coherence', races: [] };
  const markedW = Rel.cross(n, M, sets.W);
  const wMarked = Rel.cross(n, sets.W, M);
  const wwNonrace = wwVis.inter(markedW.union(rwXb)).inter(wMarked.union(wrVis));
  const ww = pre.inter(co).minus(wwNonrace);
  const wr = pre.inter(co.opt().seq(rf)).minus(wrVis).minus(rwXb.inverse());
  const rw = pre.inter(fr).minus(rwXb);
  const races = [
    ...ww.pairs().map(([a, b]) => ({ a, b, kind: 'ww' as const })),
    ...wr.pairs().map(([a, b]) => ({ a, b, kind: 'wr' as const })),
    ...rw.pairs().map(([a, b]) => ({ a, b, kind: 'rw' as const })),
  ];
  return { violates: null, races };
}
