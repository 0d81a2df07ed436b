import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../model/rmap/scenario';
import { schemeProblems } from '../../model/scheme';
import { buildModel } from '../../model/registry';
import { exploreSync } from '../../checker/random/run';
import { replayModelTrace } from '../../checker/model-trace';
import { rmapIdSetArb, rmapScenarioArb, schemeArb } from '../../generators/scenario';

describe('generators/scenario: valid by construction', () => {
  it('schemes are valid and their word holds P sub-IDs', () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 3), fc.integer({ min: 0, max: 1_000_000 }), (order, seed) => {
        const [s] = fc.sample(schemeArb(order), { seed, numRuns: 1 });
        expect(schemeProblems({ ...s, orders: [order, order], bound: BigInt(s.bound) })).toEqual([]);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('rmap ID sets are distinct and in range', () => {
    fc.assert(
      fc.property(rmapIdSetArb(6, 5), (ids) => {
        expect(new Set(ids).size).toBe(5);
        expect(ids.every((x) => x >= 1 && x <= 63)).toBe(true);
      }),
      { seed: 4, numRuns: 200 },
    );
  });

  it('every generated scenario parses; sizes reach 4+ MMs and 6+ threads', () => {
    let big = 0;
    fc.assert(
      fc.property(rmapScenarioArb(), (sc) => {
        const parsed = parseScenario(sc, 'generated');
        if (parsed.mms.length >= 4 && parsed.threads.length >= 6) big++;
      }),
      { seed: 5, numRuns: 300 },
    );
    expect(big).toBeGreaterThan(0);
  });

  it('the explorer on generated scenarios: the correct protocol holds; a run is a function of its seed', () => {
    fc.assert(
      fc.property(rmapScenarioArb({ maxWriters: 3, maxOps: 3 }), fc.constantFrom('random' as const, 'pct' as const, 'race' as const), (sc, strategy) => {
        const m = buildModel('rmap', { scenario: JSON.stringify(sc) });
        const a = exploreSync(m, { strategy, seed: 6n, runs: 60, coverage: false });
        expect(a.verdict).toBe('ok');
        const b = exploreSync(m, { strategy, seed: 6n, runs: 60, coverage: false });
        expect(b.steps).toBe(a.steps);
      }),
      { seed: 6, numRuns: 30 },
    );
  });

  it('a broken protocol on generated scenarios: whatever is found replays', () => {
    let found = 0;
    fc.assert(
      fc.property(rmapScenarioArb({ maxWriters: 3, maxOps: 3, maxReaders: 1 }), (sc) => {
        const m = buildModel('rmap', { scenario: JSON.stringify(sc), bug: 'shared-plain-update' });
        const r = exploreSync(m, { strategy: 'random', seed: 7n, runs: 300, coverage: false });
        if (r.trace) {
          found++;
          expect(replayModelTrace(r.trace).reproduced).toBe(true);
        }
      }),
      { seed: 7, numRuns: 20 },
    );
    expect(found).toBeGreaterThan(0);
  }, 30_000);
});
