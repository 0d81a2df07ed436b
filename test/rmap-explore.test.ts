/**
 * Every preset scenario with every correct seqcount variant: exhaustive exploration finds no
 * violation (except the findings a scenario declares in `expect`), reaches every `sometimes`
 * property, and has the pinned number of distinct states and depth (a change fails until
 * explained, as the TLA+ Examples manifest does).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../checker/explore';
import { PRESET_NAMES, rmapModel } from '../model/rmap';

/** preset -> variant -> [distinct states, max depth] (safety pass, no reduction). */
const PINNED: Record<string, Record<string, [number, number]>> = {
  'mapped-shared-vs-map': { v1: [1664, 24], v2: [3066, 29], v3: [3125, 29] },
  'cow-vs-unmap': { v1: [73, 13], v2: [93, 16], v3: [93, 16] },
  'cow-vs-swapcache': { v1: [23, 8], v2: [23, 8], v3: [23, 8] },
  'remap-pmd': { v1: [75, 19], v2: [96, 25], v3: [96, 25] },
  'remap-wrap': { v1: [79, 19], v2: [100, 25], v3: [100, 25] },
  'exclusive-race': { v1: [1303, 24], v2: [2597, 28], v3: [2659, 28] },
  'torn-values': { v1: [55789, 59], v2: [162954, 82], v3: [163414, 82] },
  livelock: { v1: [1810, 69], v2: [2582, 96], v3: [2582, 96] },
  'new-anon': { v1: [116, 22], v2: [143, 25], v3: [143, 25] },
};

describe('rmap presets with the correct protocol', () => {
  it('every preset has pinned figures', () => {
    expect(Object.keys(PINNED).sort()).toEqual([...PRESET_NAMES].sort());
  });
  for (const name of PRESET_NAMES)
    for (const v of ['v1', 'v2', 'v3'])
      it(`${name} ${v}`, () => {
        const m = rmapModel({ scenario: name, seqcount: v });
        const expected = m.sc.expect;
        const r = check(m, {});
        const findings = Object.keys(expected);
        if (findings.length === 0) {
          expect(r.verdict, `${r.property}`).toBe('ok');
        } else {
          // a known finding of the correct protocol (e.g. the reader livelock)
          expect(r.verdict).toBe('violation');
          expect(findings).toContain(r.property);
          // everything else holds: the safety pass alone is clean
          expect(check(m, { liveness: false }).verdict).toBe('ok');
        }
        expect(r.unreached).toEqual([]);
        expect(m.properties.some((p) => p.expectation === 'sometimes')).toBe(true);
        expect([r.states, r.maxDepth]).toEqual(PINNED[name][v]);
      });
});
