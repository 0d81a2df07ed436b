// rmapcheck's own C implementation passes concurrent mode on its defaults, with every strategy
// and every seqcount variant (V1 shared writers only, V2 cmpxchg exclusive, V3 add-return
// exclusive): no reader answer that no instant of its read justifies, no lost update, I1..I6 at
// every quiescent moment, no WARN, no livelock. And the run says what it did.
import { describe, expect, it } from 'vitest';
import { runConformConcurrent } from '../../../checker/conform/concurrent';
import { buildKernel } from '../../helpers/conform';

describe('conform concurrent mode: the own implementation', () => {
  for (const variant of [1, 2, 3])
    it(`V${variant}: ok with random, pct, race and dfs`, async () => {
      const b = buildKernel(null, [`CONFIG_ATOMIC_SEQCOUNT_VARIANT=${variant}`], 'concurrent');
      for (const strategy of ['random', 'pct', 'race', 'dfs'] as const) {
        const r = await runConformConcurrent({ binary: b.binary, seed: 1, strategy });
        expect({ strategy, verdict: r.verdict, finding: r.finding }).toEqual({ strategy, verdict: 'ok', finding: null });
        expect(r.layout.variant).toBe(`v${variant}`);
        expect(r.runs).toBe(100);
        expect(r.schedules).toBeGreaterThanOrEqual(strategy === 'dfs' ? 100 * 50 : 100 * 66);
        expect(r.points).toBeGreaterThan(r.schedules * 10);
        expect(r.ops).toBeGreaterThan(r.schedules);
        if (strategy === 'dfs') {
          expect(r.dfs!.bound).toBe(2);
          expect(r.dfs!.exhausted + r.dfs!.cut).toBe(100);
          expect(r.dfs!.exhausted).toBeGreaterThan(0);
        } else expect(r.dfs).toBeNull();
      }
    });
});

describe('conform concurrent mode: stopping', () => {
  it('a raised signal stops between programs: verdict incomplete with the programs that ran', async () => {
    const b = buildKernel(null, [], 'concurrent');
    const signal = { aborted: false };
    const t = setTimeout(() => (signal.aborted = true), 300);
    try {
      const r = await runConformConcurrent({ binary: b.binary, seed: 1, strategy: 'dfs', runs: 100_000, signal });
      expect(r.verdict).toBe('incomplete');
      expect(r.runs).toBeGreaterThan(0);
      expect(r.runs).toBeLessThan(100_000);
      expect(r.finding).toBeNull();
    } finally {
      clearTimeout(t);
    }
  });
});
