import { describe, expect, it } from 'vitest';
import { litmusProgramsFor } from '../../../lkmm/generate/index';
import { eventCount, rmwCount } from '../../../lkmm/generate/build';
import { NOT_EXPRESSIBLE, expressibleBugs } from '../../../lkmm/generate/seqcount';
import { checkLitmus } from '../../../lkmm/check';
import type { Instr, LitmusProgram, Prop } from '../../../lkmm/program';
import { SEQCOUNT_DESCRIPTOR } from '../../../model/seqcount/model';
import { VARIANTS } from '../../../model/seqcount/layout';
import { UsageError } from '../../../model/errors';
import { scVerdict } from './sc-interleavings';

const correct = (): LitmusProgram[] => [...litmusProgramsFor({ model: 'seqcount' }), ...litmusProgramsFor({ model: 'rmap', variant: 'v1' })];
const broken = (): LitmusProgram[] =>
  SEQCOUNT_DESCRIPTOR.bugs.filter((b) => !(b.name in NOT_EXPRESSIBLE)).flatMap((b) => litmusProgramsFor({ model: 'seqcount', bug: b.name }));

/** Registers an instruction list assigns (loads, returning RMWs, assigns). */
function assigned(body: readonly Instr[], out = new Set<string>()): Set<string> {
  for (const i of body) {
    if (i.k === 'load' || i.k === 'assign') out.add(i.dst);
    else if (i.k === 'rmw' && i.dst !== undefined) out.add(i.dst);
    else if (i.k === 'if') {
      assigned(i.then, out);
      assigned(i.else, out);
    }
  }
  return out;
}
function terms(p: Prop, out: { thread: number; reg: string }[] = [], locs: string[] = []): { regs: typeof out; locs: string[] } {
  if (p.k === 'eq') {
    if (p.lhs.k === 'reg') out.push({ thread: p.lhs.thread, reg: p.lhs.reg });
    else locs.push(p.lhs.loc);
  } else if (p.k === 'not') terms(p.a, out, locs);
  else if (p.k === 'and' || p.k === 'or') {
    terms(p.a, out, locs);
    terms(p.b, out, locs);
  }
  return { regs: out, locs };
}

describe('litmus programs from the protocols (lkmm/generate)', () => {
  it('are small, well formed and named for what they are', () => {
    const all = [...correct(), ...broken()];
    expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
    for (const p of all) {
      expect(p.name).toMatch(/^(seqcount-v[123]|rmap-v1)-[a-z-]+$/);
      // the size: about 12 events, at most 6 RMWs on one location
      expect(eventCount(p), p.name).toBeLessThanOrEqual(14);
      for (const l of p.locations) expect(rmwCount(p, l.name), `${p.name} ${l.name}`).toBeLessThanOrEqual(6);
      const { regs, locs } = terms(p.condition.prop);
      for (const r of regs) expect(assigned(p.threads[r.thread].body).has(r.reg), `${p.name} ${r.thread}:${r.reg}`).toBe(true);
      for (const l of locs) expect(p.locations.map((x) => x.name)).toContain(l);
      // every thread declares exactly the locations it uses (what herd7 needs)
      for (const t of p.threads) expect(t.params.length).toBeGreaterThan(0);
    }
    // one reader program per writer kind and one writer-side program per pair of writers
    expect(litmusProgramsFor({ model: 'seqcount', variant: 'v2' }).map((p) => p.name)).toEqual([
      'seqcount-v2-reader-vs-shared', 'seqcount-v2-reader-vs-exclusive', 'seqcount-v2-writers-shared-vs-shared', 'seqcount-v2-writers-exclusive-vs-shared',
      'seqcount-v2-writers-exclusive-race',
    ]);
  });

  it('under sequential consistency: the correct protocol never, each broken variant sometimes (its SC counterexample)', () => {
    for (const p of correct()) expect(scVerdict(p), p.name).toBe('never');
    for (const p of broken()) expect(scVerdict(p), p.name).toBe('sometimes');
  });

  it('the LKMM allows every outcome SC allows (a Never under LKMM is a Never under SC)', () => {
    for (const p of [...correct(), ...broken()]) {
      const r = checkLitmus(p);
      if (scVerdict(p) === 'sometimes') expect(r.verdict, p.name).not.toBe('never');
      if (r.verdict === 'never') expect(scVerdict(p), p.name).toBe('never');
    }
  });

  it('covers every variant and every expressible broken variant; the others are refused with the reason', () => {
    for (const v of VARIANTS) {
      expect(litmusProgramsFor({ model: 'seqcount', variant: v }).length).toBeGreaterThanOrEqual(2);
      for (const b of expressibleBugs(v)) expect(litmusProgramsFor({ model: 'seqcount', variant: v, bug: b }).length).toBeGreaterThan(0);
    }
    expect(() => litmusProgramsFor({ model: 'seqcount', bug: 'aba' })).toThrow(/bug aba has no litmus form: the sequence wrap-around/);
    expect(() => litmusProgramsFor({ model: 'seqcount', variant: 'v1', bug: 'no-exclusive-wait' })).toThrow(/applies to variant v2 only/);
    expect(() => litmusProgramsFor({ model: 'seqcount', variant: 'v9' })).toThrow(UsageError);
    expect(() => litmusProgramsFor({ model: 'seqcount', bug: 'nope' })).toThrow(/unknown bug 'nope'/);
    expect(() => litmusProgramsFor({ model: 'mmid' })).toThrow(/no litmus generator for model 'mmid'/);
    expect(() => litmusProgramsFor({ model: 'rmap', bug: 'no-retry' })).toThrow(UsageError);
    for (const f of [() => litmusProgramsFor({ model: 'x' }), () => litmusProgramsFor({ model: 'seqcount', bug: 'aba' })]) {
      try {
        f();
      } catch (e) {
        expect(String((e as Error).message)).not.toContain('\n');
      }
    }
  });
});
