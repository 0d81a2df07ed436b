/**
 * The sensitivity rule of issue #13: in every protocol program that comes out Never, removing
 * each barrier the checker reports as necessary turns it Sometimes — with a witness this test
 * replays against the program's condition — while under sequential consistency (which ignores
 * fences) the weakened program stays Never: the difference is the barrier's. A checker that
 * always says Never has no necessary barrier and fails the ground truth below (the message
 * passing shape of the reader: both of its smp_rmb() are needed).
 */
import { describe, expect, it } from 'vitest';
import { litmusProgramsFor } from '../../../lkmm/generate/index';
import { barrierSites, necessaryBarriers, relaxedPrim, withPlainMarked, withoutBarrier } from '../../../lkmm/generate/barriers';
import { NOT_EXPRESSIBLE } from '../../../lkmm/generate/seqcount';
import { checkLitmus, type LitmusResult } from '../../../lkmm/check';
import { exportLitmus } from '../../../lkmm/export';
import { parseLitmus } from '../../../lkmm/parse';
import type { Instr, LitmusProgram, Prop } from '../../../lkmm/program';
import { SEQCOUNT_DESCRIPTOR } from '../../../model/seqcount/model';
import { scVerdict } from './sc-interleavings';

const protocol = (): LitmusProgram[] => [...litmusProgramsFor({ model: 'seqcount' }), ...litmusProgramsFor({ model: 'rmap', variant: 'v1' })];
const brokenPrograms = (): LitmusProgram[] =>
  SEQCOUNT_DESCRIPTOR.bugs.filter((b) => !(b.name in NOT_EXPRESSIBLE)).flatMap((b) => litmusProgramsFor({ model: 'seqcount', bug: b.name }));

/** The condition's proposition on a witness's final registers (`0:r`) and memory. */
function holdsOn(p: Prop, w: NonNullable<LitmusResult['witness']>): boolean {
  switch (p.k) {
    case 'true': return true;
    case 'eq': return (p.lhs.k === 'reg' ? w.registers[`${p.lhs.thread}:${p.lhs.reg}`] ?? 0 : w.memory[p.lhs.loc]) === p.value;
    case 'not': return !holdsOn(p.a, w);
    case 'and': return holdsOn(p.a, w) && holdsOn(p.b, w);
    case 'or': return holdsOn(p.a, w) || holdsOn(p.b, w);
  }
}

/** A Sometimes of an `exists` clause: its witness satisfies the clause. */
function expectWitnessed(p: LitmusProgram, r: LitmusResult): void {
  expect(r.verdict, p.name).not.toBe('never');
  expect(r.witness, p.name).not.toBeNull();
  expect(holdsOn(p.condition.prop, r.witness!), p.name).toBe(true);
}

describe('the sensitivity rule (necessaryBarriers)', () => {
  it('every Never protocol program turns Sometimes without each necessary barrier, and SC cannot tell', () => {
    let never = 0;
    let necessary = 0;
    for (const p of protocol()) {
      const base = checkLitmus(p);
      if (base.verdict !== 'never') continue;
      never++;
      const verdicts = necessaryBarriers(p, checkLitmus, base);
      expect(verdicts.length).toBe(barrierSites(p).length);
      for (const b of verdicts.filter((x) => x.necessary)) {
        necessary++;
        const q = withoutBarrier(p, b);
        const r = checkLitmus(q);
        expect([r.verdict, r.dataRace]).toEqual([b.verdict, b.dataRace]);
        if (r.verdict !== 'never') expectWitnessed(q, r);
        else expect(r.dataRace).toBe(true);
        expect(scVerdict(q), q.name).toBe('never');
      }
      // the sites not necessary really leave the verdict alone
      for (const b of verdicts.filter((x) => !x.necessary)) expect([b.verdict, b.dataRace]).toEqual(['never', false]);
    }
    expect(never).toBeGreaterThanOrEqual(6);
    expect(necessary).toBeGreaterThan(0);
  });

  it('ground truth: the reader is message passing, both its smp_rmb() and the writer\'s begin/end barriers are needed', () => {
    const p = litmusProgramsFor({ model: 'seqcount', variant: 'v1' }).find((x) => x.name === 'seqcount-v1-reader-vs-shared')!;
    const v = necessaryBarriers(p);
    expect(v.map((b) => [b.text, b.necessary])).toEqual([
      ['P0: smp_mb__after_atomic() #1', true],
      ['P0: smp_mb__before_atomic() #1', true],
      ['P1: smp_rmb() #1 (if (!(s & 15)))', true],
      ['P1: smp_rmb() #2 (if (!(s & 15)))', true],
    ]);
    // two writers' sections: their counters are atomic adds, no barrier matters for the sum
    const w = litmusProgramsFor({ model: 'seqcount', variant: 'v1' }).find((x) => x.name === 'seqcount-v1-writers-shared-vs-shared')!;
    expect(checkLitmus(w).verdict).toBe('never');
    expect(necessaryBarriers(w).filter((b) => b.necessary)).toEqual([]);
  });

  it('weakening: a fence goes, a full RMW becomes _relaxed', () => {
    const p = litmusProgramsFor({ model: 'seqcount', variant: 'v2' }).find((x) => x.name === 'seqcount-v2-reader-vs-shared')!;
    const sites = barrierSites(p);
    const rmwSite = sites.find((s) => s.text.includes('add_return'))!;
    const q = withoutBarrier(p, rmwSite);
    // the exporter writes atomic_long_* as their atomic_* twins (linux-kernel.def has no atomic_long_*)
    expect(exportLitmus(q)).toContain('atomic_add_return_relaxed(1, seq)');
    expect(exportLitmus(p)).not.toContain('_relaxed');
    expect(relaxedPrim('atomic_fetch_or_acquire')).toBe('atomic_fetch_or_relaxed');
    const fenceSite = sites.find((s) => s.text.includes('smp_rmb'))!;
    expect(exportLitmus(withoutBarrier(p, fenceSite)).split('smp_rmb();').length).toBe(exportLitmus(p).split('smp_rmb();').length - 1);
  });

  it('the broken variants come out Sometimes (or flag a data race), with a witness that satisfies the clause', () => {
    for (const p of brokenPrograms()) {
      const r = checkLitmus(p);
      expect(r.verdict !== 'never' || r.dataRace, p.name).toBe(true);
      if (r.verdict !== 'never') expectWitnessed(p, r);
    }
    // the plain read-modify-writes of shared-plain-update race: herd7 would flag them
    const plain = litmusProgramsFor({ model: 'seqcount', variant: 'v1', bug: 'shared-plain-update' })[0];
    expect(checkLitmus(plain).dataRace).toBe(true);
  });

  it('exported files parse back to the same program verdicts (round trip)', () => {
    for (const p of [...protocol(), ...brokenPrograms()]) {
      const text = exportLitmus(p);
      const q = parseLitmus(text, `${p.name}.litmus`);
      expect(q.name).toBe(p.name);
      const [a, b] = [checkLitmus(p), checkLitmus(q)];
      expect([b.verdict, b.dataRace, b.candidates, b.allowed], p.name).toEqual([a.verdict, a.dataRace, a.candidates, a.allowed]);
    }
  });
});

describe('a finding: the V3 loser after its back-off', () => {
  it('with every access marked, the loser\'s spin may read its own back-off (orders nothing) and lose the winner\'s update; smp_mb__after_atomic() after the back-off closes it', () => {
    const p = withPlainMarked(litmusProgramsFor({ model: 'seqcount', variant: 'v3' }).find((x) => x.name === 'seqcount-v3-writers-exclusive-race')!);
    const r = checkLitmus(p);
    expectWitnessed(p, r);
    expect(r.dataRace).toBe(false);
    // the witness: the loser's spin read (a READ_ONCE of seq) reads from a write of its own thread
    const w = r.witness!;
    const byId = new Map(w.threads.flatMap((t) => t.events.map((e) => [e.id, e] as const)));
    const spin = w.threads.flatMap((t) => t.events).find((e) => e.kind === 'R' && e.loc === 'seq' && e.instr.startsWith('t = '))!;
    const from = byId.get(w.rf.find((x) => x.to === spin.id)!.from)!;
    expect(from.thread).toBe(spin.thread);
    expect(from.instr).toMatch(/add\(-15, seq\) \[W\]$/);
    expect(scVerdict(p)).toBe('never');
    const fenced = (b: readonly Instr[]): Instr[] =>
      b.flatMap((i): Instr[] =>
        i.k === 'if' ? [{ ...i, then: fenced(i.then), else: fenced(i.else) }] : i.k === 'rmw' && i.loc === 'seq' && i.order === 'relaxed' && i.operand.k === 'const' && i.operand.value < 0 ? [i, { k: 'fence', fence: 'mb__after_atomic' }] : [i],
      );
    const q: LitmusProgram = { ...p, threads: p.threads.map((t) => ({ ...t, body: fenced(t.body) })) };
    expect(checkLitmus(q).verdict).toBe('never');
  });
});
