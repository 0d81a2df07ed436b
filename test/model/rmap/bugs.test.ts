/**
 * Every deliberately broken variant yields a counterexample with its scenario; the path replays
 * (checker's replayPath) to a state that violates the named property.
 */
import { describe, expect, it } from 'vitest';
import { check, replayPath } from '../../../checker/check';
import { BUGS, RMAP_DESCRIPTOR, rmapModel, type RmapState } from '../../../model/rmap';
import { ANS_EXCLUSIVE } from '../../../model/rmap/model';
import { findModel } from '../../../model/registry';

import { pinnedConfigs } from '../../helpers/manifest';

/** bug -> shortest counterexample length (steps), pinned in test/manifest.json. */
const LENGTH: Record<string, number> = Object.fromEntries(pinnedConfigs('rmap', 'rmap.bugs').map((c) => [c.params.bug, c.counterexampleLength!]));

describe('rmap bugs', () => {
  it('the descriptor lists each bug with its scenario and expected verdict', () => {
    expect(RMAP_DESCRIPTOR.bugs.map((b) => b.name).sort()).toEqual(Object.keys(LENGTH).sort());
    for (const b of RMAP_DESCRIPTOR.bugs) expect(b.expected).toBe('counterexample');
    // the registry passes the model's own descriptors through unchanged
    expect(findModel('rmap').bugs).toBe(RMAP_DESCRIPTOR.bugs);
    expect(findModel('rmap').params).toBe(RMAP_DESCRIPTOR.params);
  });
  for (const b of BUGS)
    it(`${b.name} on ${b.scenario} violates ${b.property}`, () => {
      const m = rmapModel({ scenario: b.scenario, bug: b.name });
      const r = check(m, {});
      expect(r.verdict).toBe('violation');
      expect(r.property).toBe(b.property);
      expect(r.path!.length - 1).toBe(LENGTH[b.name]);
      const states = replayPath(m, r.path!) as RmapState[];
      const last = states[states.length - 1];
      const prop = m.properties.find((p) => p.name === b.property)!;
      expect(prop.holds(last)).toBe(false);
      // and every earlier state satisfies it (the violation is at the end of the path)
      for (const s of states.slice(0, -1)) expect(prop.holds(s)).toBe(true);
    });

  // The dangerous direction: a false "exclusive" against the page tables, not only against the
  // tracked mappings. Checked with `linearizable` set aside so that the search goes on to it.
  for (const [bug, len] of [['no-retry', 19], ['no-seqcount', 15], ['reread', 42], ['aba', 21]] as const)
    it(`${bug} also answers a false "exclusive" (no-false-exclusive, ${len} steps)`, () => {
      const m = rmapModel({ scenario: 'torn-values', bug });
      const props = m.properties.filter((p) => p.name !== 'linearizable');
      const view = Object.create(m, { properties: { value: props } });
      const r = check(view, { liveness: false });
      expect(r.property).toBe('no-false-exclusive');
      expect(r.path!.length - 1).toBe(len);
      const states = replayPath(m, r.path!) as RmapState[];
      expect(states[states.length - 1].th.some((t) => t.ans === ANS_EXCLUSIVE)).toBe(true);
    });
});
