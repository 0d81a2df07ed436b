// rmapcheck's own kernel-style C implementation (conform/kernel/) passes the sequential
// differential check in all three seqcount variants, over every order 2..15.
import { describe, expect, it } from 'vitest';
import { runSequential } from '../../../checker/conform/sequential';
import { buildKernel } from '../../helpers/conform';

describe('own implementation, sequential differential', () => {
  for (const variant of [1, 2, 3]) {
    it(`V${variant}: no divergence in 300 sequences (seed 2026)`, async () => {
      const b = buildKernel(null, [`CONFIG_ATOMIC_SEQCOUNT_VARIANT=${variant}`]);
      const r = await runSequential({ binary: b.binary, seed: 2026, runs: 300 });
      expect(r.divergence).toBeNull();
      expect(r.verdict).toBe('ok');
      expect(r.adapter.name).toBe(`rmapcheck-own/v${variant}`);
      expect(r.layout.variant).toBe(`v${variant}`);
      expect(r.runs).toBe(300);
      expect(r.ops).toBeGreaterThan(15_000);
      expect(r.startWarnings).toEqual([]);
    });
  }

  it('the generated sequences cover every order, every operation and every writer path', async () => {
    const fc = (await import('fast-check')).default;
    const { conformCaseArb } = await import('../../../generators/conform');
    const cases = fc.sample(conformCaseArb(), { seed: 2026, numRuns: 300 });
    const orders = new Set(cases.map((c) => c.order));
    const ops = new Set(cases.flatMap((c) => c.ops.map((o) => o.op)));
    const paths = new Set(cases.flatMap((c) => c.ops.flatMap((o) => ('path' in o ? [o.path] : []))));
    expect([...orders].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect([...ops].sort()).toEqual(['cow-reuse', 'dup', 'dup-pmd', 'map', 'map-pmd', 'mapped-shared', 'new-anon', 'pin', 'remap-pmd', 'unmap', 'unmap-pmd', 'unpin']);
    expect([...paths].sort()).toEqual(['auto', 'exclusive', 'shared']);
    // small rmap IDs (collisions of sub-IDs live there) and large ones
    const ids = cases.flatMap((c) => c.rmapIds);
    expect(ids.some((id) => id <= 4)).toBe(true);
    expect(ids.some((id) => id >= 1 << 20)).toBe(true);
    // batches from 1 to P pages
    expect(cases.some((c) => c.ops.some((o) => 'nr' in o && o.nr === 2 ** c.order && c.order >= 4))).toBe(true);
  });
});

describe('conform runner (cli/conform.ts)', () => {
  it('reports the own implementation ok in the JSON contract of issue #10, and writes no trace', async () => {
    const { runConform } = await import('../../../cli/conform');
    const { mkdtempSync, existsSync } = await import('fs');
    const { tmpdir } = await import('os');
    const { join } = await import('path');
    const out = join(mkdtempSync(join(tmpdir(), 'rmapcheck-conform-ok-')), 'out');
    const r = await runConform({ seed: 7, runs: 50, define: ['CONFIG_ATOMIC_SEQCOUNT_VARIANT=2'], out });
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({ mode: 'sequential', verdict: 'ok', property: null, runs: 50, firstDivergence: null, trace: null, traceLength: null, adapter: 'rmapcheck-own/v2', layout: 'v2', seed: '7' });
    const j = r.json as { ops: number; opsPerSecond: number; impl: string[] };
    expect(j.ops).toBeGreaterThan(1000);
    expect(j.opsPerSecond).toBeGreaterThan(0);
    expect(j.impl[0]).toMatch(/conform\/kernel\/adapter\.c$/);
    expect(r.text).toContain('verdict: ok');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects bad options with one line', async () => {
    const { runConform } = await import('../../../cli/conform');
    // --mode concurrent runs the concurrent mode now (cli/conform-concurrent.ts); its own options are checked
    await expect(runConform({ mode: 'concurrent', strategy: 'nope' })).rejects.toThrow('--strategy nope: expected random, pct, race, dfs');
    await expect(runConform({ strategy: 'pct' })).rejects.toThrow(/^--strategy pct: schedule strategies are for --mode concurrent/);
    await expect(runConform({ mode: 'parallel' })).rejects.toThrow('--mode parallel: expected sequential or concurrent');
    await expect(runConform({ runs: 5, time: 5 })).rejects.toThrow('give --runs or --time, not both');
    await expect(runConform({ order: 16 })).rejects.toThrow(/--order/);
  });
});
