import { describe, expect, it } from 'vitest';
import { runAuditLkmm } from '../../cli/audit-lkmm';
import { replayPath } from '../../checker/random/replay';
import { seqcountModel } from '../../model/seqcount/model';

describe("the audit's LKMM section", () => {
  it('judges every seqcount variant, lists necessary barriers and races, says what it leaves out', () => {
    const { json, text, ok } = runAuditLkmm();
    for (const v of ['v1', 'v2', 'v3']) {
      const rows = json.programs.filter((p) => p.variant === v && p.bug === null);
      expect(rows.map((p) => p.question).sort()).toEqual(expect.arrayContaining(['lost-update', 'snapshot']));
    }
    // ok is exactly "every row as expected"; a correct row is expected safe, a broken one not
    expect(ok).toBe(json.programs.every((p) => p.asExpected));
    for (const p of json.programs) expect(p.asExpected).toBe(p.bug === null ? p.safe : !p.safe);
    // barriers are judged on the Never programs, and the reader's are necessary
    const reader = json.programs.find((p) => p.name === 'seqcount-v1-reader-vs-shared')!;
    expect(reader.barriers.filter((b) => b.necessary).map((b) => b.site)).toContain('P1: smp_rmb() #1 (if (!(s & 15)))');
    // every racy program names the accesses, and the text lists them
    for (const p of json.programs.filter((x) => x.dataRace)) {
      expect(p.races.length).toBeGreaterThan(0);
      for (const r of p.races) expect(text).toContain(r.accesses[0]);
    }
    // the findings the README states, per correct-variant program: verdict, data race, and the
    // verdict with every plain access marked (null: the program is safe as it is)
    const findings = Object.fromEntries(json.programs.filter((p) => p.bug === null).map((p) => [p.name, [p.verdict, p.dataRace, p.marked?.verdict ?? null]]));
    expect(findings).toEqual({
      'seqcount-v1-reader-vs-shared': ['never', false, null],
      'seqcount-v1-writers-shared-vs-shared': ['never', false, null],
      'seqcount-v2-reader-vs-shared': ['never', false, null],
      'seqcount-v2-reader-vs-exclusive': ['sometimes', true, 'never'],
      'seqcount-v2-writers-shared-vs-shared': ['never', false, null],
      'seqcount-v2-writers-exclusive-vs-shared': ['sometimes', true, 'never'],
      'seqcount-v2-writers-exclusive-race': ['sometimes', true, 'never'],
      'seqcount-v3-reader-vs-shared': ['never', false, null],
      'seqcount-v3-reader-vs-exclusive': ['sometimes', true, 'never'],
      'seqcount-v3-writers-shared-vs-shared': ['never', false, null],
      'seqcount-v3-writers-exclusive-race': ['sometimes', true, 'sometimes'],
    });
    // every reader-side barrier of every variant is necessary (the README says so)
    for (const p of json.programs.filter((x) => x.bug === null && x.question === 'snapshot' && x.verdict === 'never'))
      for (const b of p.barriers.filter((x) => /smp_rmb|add_return|smp_mb__after_atomic|else of/.test(x.site))) expect(b.necessary, `${p.name}: ${b.site}`).toBe(true);
    for (const what of ['loops beyond their exit iteration', 'locks', 'liveness']) expect(text).toContain(what);
    expect(json.notExpressible.map((x) => x.bug)).toEqual(['aba']);
    // x86-TSO per configuration: the correct variants are free of triangular races; a race replays
    for (const t of json.tso.filter((x) => x.bug === null)) expect(t.tso.triangularRaceFree).toBe(true);
    const bad = json.tso.find((x) => x.bug === 'shared-plain-update' && x.variant === 'v1')!;
    expect(bad.tso.triangularRaceFree).toBe(false);
    expect(replayPath(seqcountModel({ variant: 'v1', bug: 'shared-plain-update' }), bad.tso.race!.path).length).toBe(bad.tso.race!.path.length);
  });
});
