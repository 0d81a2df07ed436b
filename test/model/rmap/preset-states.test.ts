/**
 * Every preset scenario with every correct seqcount variant: exhaustive exploration finds no
 * violation (except the findings a scenario declares in `expect`), reaches every `sometimes`
 * property, and has the pinned number of distinct states and depth (a change fails until
 * explained, as the TLA+ Examples manifest does).
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check';
import { PRESET_NAMES, rmapModel } from '../../../model/rmap';

import { pinnedConfigs } from '../../helpers/manifest';

/** preset -> variant -> [distinct states, max depth] (safety pass, no reduction), from test/manifest.json. */
const PINNED: Record<string, Record<string, [number, number]>> = {};
for (const c of pinnedConfigs('rmap', 'rmap.presets')) (PINNED[String(c.params.scenario)] ??= {})[String(c.params.variant)] = [c.states!, c.maxDepth!];

describe('rmap presets with the correct protocol', () => {
  it('every preset has pinned figures', () => {
    expect(Object.keys(PINNED).sort()).toEqual([...PRESET_NAMES].sort());
  });
  for (const name of PRESET_NAMES)
    for (const v of ['v1', 'v2', 'v3'])
      it(`${name} ${v}`, () => {
        const m = rmapModel({ scenario: name, variant: v });
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
