/**
 * Ground truth of the LKMM checker (issue #13): rmapcheck's own versions of the textbook shapes
 * (MP, SB, LB, S, R, 2+2W, WRC, ISA2, IRIW, CoRR/CoRW/CoWR/CoWW, RMW atomicity, plain races),
 * each with and without its fences, judged through parse + check against the verdict the LKMM
 * documents for it (each file cites its source: tools/memory-model/litmus-tests/ or a section
 * of tools/memory-model/Documentation/explanation.txt). Every witness is replayed: its reads
 * read their rf source's value, its co orders hold every write, and the clause holds on it.
 */
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../../lkmm/parse';
import { checkLitmus, type Witness } from '../../lkmm/check';
import type { Prop } from '../../lkmm/program';
import { textbookTests } from './litmus-files';

function holds(p: Prop, w: Witness): boolean {
  switch (p.k) {
    case 'true':
      return true;
    case 'eq':
      return (p.lhs.k === 'reg' ? w.registers[`${p.lhs.thread}:${p.lhs.reg}`] ?? 0 : w.memory[p.lhs.loc]) === p.value;
    case 'not':
      return !holds(p.a, w);
    case 'and':
      return holds(p.a, w) && holds(p.b, w);
    case 'or':
      return holds(p.a, w) || holds(p.b, w);
  }
}

/** The witness is an execution: values flow along rf, co orders every write, memory is co-last. */
function replayWitness(w: Witness, init: Record<string, number>): void {
  const events = new Map(w.threads.flatMap((t) => t.events).map((e) => [e.id, e]));
  const valueOf = (id: string) => (id.startsWith('init ') ? init[id.slice(5)] : events.get(id)!.value);
  for (const { from, to } of w.rf) {
    const r = events.get(to)!;
    expect(r.kind).toBe('R');
    expect(from.startsWith('init ') ? from.slice(5) : events.get(from)!.loc).toBe(r.loc);
    expect(valueOf(from), `${to} reads ${from}`).toBe(r.value);
  }
  expect(w.rf.length).toBe([...events.values()].filter((e) => e.kind === 'R').length);
  for (const c of w.co) {
    const writes = [...events.values()].filter((e) => e.kind === 'W' && e.loc === c.loc).map((e) => e.id);
    expect(c.order[0]).toBe(`init ${c.loc}`);
    expect([...c.order.slice(1)].sort()).toEqual(writes.sort());
    expect(w.memory[c.loc]).toBe(valueOf(c.order[c.order.length - 1]));
  }
}

const tests = textbookTests();

describe('LKMM checker: the textbook shapes with the verdicts the LKMM documents', () => {
  it('covers every shape the issue names, each in an ordered and an unordered version', () => {
    const shape = (f: string) => f.split('+')[0];
    const byShape = new Map<string, Set<string>>();
    for (const t of tests) (byShape.get(shape(t.file)) ?? byShape.set(shape(t.file), new Set()).get(shape(t.file))!).add(t.expected);
    for (const s of ['MP', 'SB', 'LB', 'S', 'R', '2', 'WRC', 'ISA2', 'IRIW', 'CoRR', 'CoRW', 'CoWR', 'CoWW', 'RMW']) expect(byShape.has(s), s).toBe(true);
    // with and without its fences: both verdicts per shape (the coherence shapes are Never by nature)
    for (const s of ['MP', 'SB', 'LB', 'S', 'R', '2', 'WRC', 'ISA2', 'IRIW', 'RMW']) expect([...byShape.get(s)!].sort(), s).toEqual(['never', 'sometimes']);
    expect(tests.filter((t) => t.dataRace === true).length).toBeGreaterThanOrEqual(3);
    expect(tests.filter((t) => t.dataRace === false).length).toBeGreaterThanOrEqual(1);
  });

  for (const t of tests) {
    it(`${t.file}: ${t.expected}${t.dataRace === null ? '' : t.dataRace ? ', data race' : ', no data race'} (${t.source.slice(0, 60)})`, () => {
      const p = parseLitmus(t.text, t.file);
      const r = checkLitmus(p);
      expect(r.verdict).toBe(t.expected);
      if (t.dataRace !== null) expect(r.dataRace).toBe(t.dataRace);
      // marked-only tests never race
      if (!/\*\w+ =|= \*/.test(t.text)) expect(r.dataRace).toBe(false);
      expect(r.allowed).toBeLessThanOrEqual(r.candidates);
      expect(r.positive + r.negative).toBe(r.allowed);
      expect(r.allowed).toBeGreaterThan(0);
      if (r.verdict === 'never') expect(r.witness).toBeNull();
      else {
        expect(r.witness).not.toBeNull();
        replayWitness(r.witness!, Object.fromEntries(p.locations.map((l) => [l.name, l.init])));
        expect(holds(p.condition.prop, r.witness!)).toBe(true);
      }
      if (r.dataRace) expect(r.races.length).toBeGreaterThan(0);
    });
  }

  it('a forbidden outcome is rejected by the axiom the documentation names', () => {
    const reason = (f: string) => checkLitmus(parseLitmus(tests.find((t) => t.file === f)!.text, f)).rejected;
    // MP with wmb/rmb: happens-before (explanation.txt "THE HAPPENS-BEFORE RELATION")
    expect(reason('MP+fencewmbonceonce+fencermbonceonce.litmus').happensBefore).toBeGreaterThan(0);
    // SB with smp_mb: propagation (pb)
    expect(reason('SB+fencembonceonces.litmus').propagation).toBeGreaterThan(0);
    // the plain MP with release/acquire: plain-coherence
    expect(reason('MP+plainbuf+pooncerelease+poacquireonce-ctrl.litmus').plainCoherence).toBeGreaterThan(0);
  });

  it('~exists and forall report the observation of their proposition, and herd7\'s Ok/No', () => {
    const text = tests.find((t) => t.file === 'MP+poonceonces.litmus')!.text;
    const ex = checkLitmus(parseLitmus(text, 'mp'));
    const notEx = checkLitmus(parseLitmus(text.replace('exists (', '~exists ('), 'mp'));
    const all = checkLitmus(parseLitmus(text.replace('exists (', 'forall ('), 'mp'));
    expect([ex.verdict, notEx.verdict, all.verdict]).toEqual(['sometimes', 'sometimes', 'sometimes']);
    expect([ex.clauseHolds, notEx.clauseHolds, all.clauseHolds]).toEqual([true, false, false]);
    // forall's witness is an execution where the proposition fails
    expect(holds(parseLitmus(text, 'mp').condition.prop, all.witness!)).toBe(false);
    const always = checkLitmus(parseLitmus(text.replace(/exists \(.*\)/, 'exists (1:r0=0 \\/ 1:r0=1)'), 'mp'));
    expect(always.verdict).toBe('always');
  });
});
