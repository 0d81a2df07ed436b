/**
 * export -> parse gives the program back (up to the primitives' spellings), with the same
 * verdict: for every textbook test, for every protocol program the generators make, and for
 * random programs (fast-check) over every instruction form the intermediate form has.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLitmus } from '../../lkmm/parse';
import { exportLitmus } from '../../lkmm/export';
import { checkLitmus } from '../../lkmm/check';
import { litmusProgramsFor } from '../../lkmm/generate/index';
import type { LitmusProgram } from '../../lkmm/program';
import { litmusProgram } from './arbitrary';
import { textbookTests, withoutPrims } from './litmus-files';

function roundTrip(p: LitmusProgram): LitmusProgram {
  return parseLitmus(exportLitmus(p), `${p.name}.litmus`);
}

describe('litmus round trip: parse(export(p)) equals p', () => {
  for (const t of textbookTests()) {
    it(`${t.file}: the same program, the same verdict`, () => {
      const p = parseLitmus(t.text, t.file);
      const q = roundTrip(p);
      expect(withoutPrims(q)).toEqual(withoutPrims(p));
      // a second round changes nothing, spellings included
      expect(exportLitmus(q)).toBe(exportLitmus(p));
      const [a, b] = [checkLitmus(p), checkLitmus(q)];
      expect([b.verdict, b.dataRace, b.candidates, b.allowed]).toEqual([a.verdict, a.dataRace, a.candidates, a.allowed]);
    });
  }

  it('every seqcount and rmap protocol program, correct and broken: same program, same verdict', () => {
    const programs = [...litmusProgramsFor({ model: 'seqcount' }), ...litmusProgramsFor({ model: 'rmap' })];
    expect(programs.length).toBeGreaterThan(3);
    for (const p of programs) {
      const q = roundTrip(p);
      expect(withoutPrims(q), p.name).toEqual(withoutPrims(p));
      const [a, b] = [checkLitmus(p), checkLitmus(q)];
      expect([b.verdict, b.dataRace, b.allowed], p.name).toEqual([a.verdict, a.dataRace, a.allowed]);
    }
  });

  it('random programs over every instruction form (fast-check)', () => {
    const program = litmusProgram({ maxInstrs: 4 });
    fc.assert(
      fc.property(program, (p) => {
        expect(withoutPrims(roundTrip(p))).toEqual(withoutPrims(p));
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
