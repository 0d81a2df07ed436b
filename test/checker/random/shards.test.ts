import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildModel } from '../../../model/registry';
import { ChunkFold, ChunkPlan, exploreSync, mergeReports, type ChunkResult, type Merged } from '../../../checker/random/run';
import { runExplore, runMerge } from '../../../cli/explore';
import { UsageError } from '../../../model/errors';
import { CoverageSketch } from '../../../checker/random/sketch';
import { fingerprint } from '../../../checker/visited';

describe('shards: a run split over machines merges back into the whole run', () => {
  it('shards merged == the unsharded run (counts, coverage, sometimes, race windows), in any order', () => {
    const m = buildModel('rmap', { scenario: 'exclusive-race' });
    const opts = { strategy: 'race' as const, seed: 77n, runs: 2000, chunkSize: 16 };
    const whole = exploreSync(m, opts);
    const parts = [0, 1, 2].map((index) => exploreSync(m, { ...opts, shard: { index, count: 3 } }));
    expect(parts.every((p) => p.executions > 0)).toBe(true);
    for (const order of [[0, 1, 2], [2, 0, 1]]) {
      const merged = mergeReports(order.map((i) => parts[i]));
      expect(merged.executions).toBe(whole.executions);
      expect(merged.steps).toBe(whole.steps);
      expect(merged.distinctStates).toBe(whole.distinctStates);
      expect(merged.coverageSketch).toBe(whole.coverageSketch);
      expect(merged.reachedSometimes).toEqual(whole.reachedSometimes);
      expect(merged.raceWindows).toEqual(whole.raceWindows);
      expect(merged.verdict).toBe(whole.verdict);
      expect(merged.shardsMerged).toEqual([0, 1, 2]);
    }
  });

  it('with a violation, the merged report names the unsharded run\'s violation (smallest execution index)', () => {
    const m = buildModel('rmap', { bug: 'no-retry', scenario: 'torn-values' });
    const opts = { strategy: 'random' as const, seed: 5n, runs: 20000, chunkSize: 8, minimize: false };
    const whole = exploreSync(m, opts);
    const merged = mergeReports([0, 1, 2, 3].map((index) => exploreSync(m, { ...opts, shard: { index, count: 4 } })));
    expect(whole.verdict).toBe('violation');
    expect(merged.violationExecution).toBe(whole.violationExecution);
    expect(merged.property).toBe(whole.property);
    expect(merged.trace).toEqual(whole.trace);
    // the figures are the shards' work: each ran its chunks up to its own first violation
    const shards = [0, 1, 2, 3].map((index) => exploreSync(m, { ...opts, shard: { index, count: 4 } }));
    expect(merged.executions).toBe(shards.reduce((a, r) => a + r.executions, 0));
    expect(merged.executions).toBeGreaterThanOrEqual(whole.executions);
  });

  it('refuses reports of different runs and duplicate shards, with one line', () => {
    const m = buildModel('seqcount', {});
    const a = exploreSync(m, { strategy: 'random', seed: 1n, runs: 100, shard: { index: 0, count: 2 } });
    const b = exploreSync(m, { strategy: 'random', seed: 2n, runs: 100, shard: { index: 1, count: 2 } });
    expect(() => mergeReports([a, b])).toThrow(UsageError);
    expect(() => mergeReports([a, b])).toThrow(/different runs/);
    expect(() => mergeReports([a, a])).toThrow(/given twice/);
    const c = exploreSync(m, { strategy: 'pct', seed: 1n, runs: 100, shard: { index: 1, count: 2 } });
    expect(() => mergeReports([a, c])).toThrow(/different runs/);
  });

  it('the CLI: explore --shard i/N --json, then merge REPORT...; bad shards are usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-shards-'));
    const files: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runExplore({ model: 'seqcount', strategy: 'random', seed: '9', runs: '500', shard: `${i}/2`, out: dir });
      const f = join(dir, `r${i}.json`);
      writeFileSync(f, JSON.stringify(r.json));
      files.push(f);
    }
    const whole = await runExplore({ model: 'seqcount', strategy: 'random', seed: '9', runs: '500', out: dir });
    const merged = runMerge(files);
    expect(merged.exitCode).toBe(0);
    expect((merged.json as { executions: number }).executions).toBe((whole.json as { executions: number }).executions);
    expect((merged.json as { steps: number }).steps).toBe((whole.json as { steps: number }).steps);
    await expect(runExplore({ model: 'seqcount', shard: '2/2', runs: '10' })).rejects.toThrow(/out of range 0..1/);
    await expect(runExplore({ model: 'seqcount', shard: 'x', runs: '10' })).rejects.toThrow(/expected i\/N/);
    writeFileSync(join(dir, 'junk.json'), '{"a":1}');
    expect(() => runMerge([join(dir, 'junk.json')])).toThrow(/not an explore report/);
    // a hand-edited report: a bad sketch or a missing list is bad input naming the file, not a crash
    const good = JSON.parse(readFileSync(files[0], 'utf8'));
    for (const [name, edit, message] of [
      ['sketch.json', { coverageSketch: 'AAAA' }, /coverageSketch is not a 16384-register sketch/],
      ['lists.json', { reachedSometimes: undefined }, /a field is missing or of the wrong type/],
    ] as const) {
      writeFileSync(join(dir, name), JSON.stringify({ ...good, ...edit }));
      expect(() => runMerge([join(dir, name), files[1]])).toThrow(UsageError);
      expect(() => runMerge([join(dir, name), files[1]])).toThrow(message);
    }
    expect(() => runMerge([join(dir, 'missing.json')])).toThrow(/no such file/);
    expect(existsSync(dir)).toBe(true);
  });

  it('the coverage sketch: merge is the sketch of the union; small counts are near exact', () => {
    const fp = new Uint32Array(2);
    const a = new CoverageSketch();
    const b = new CoverageSketch();
    const u = new CoverageSketch();
    for (let i = 0; i < 3000; i++) {
      fingerprint(`state-${i}`, fp);
      (i % 2 ? a : b).add(fp[0], fp[1]);
      u.add(fp[0], fp[1]);
    }
    a.merge(b);
    expect(a.toBase64()).toBe(u.toBase64());
    expect(Math.abs(u.estimate() - 3000) / 3000).toBeLessThan(0.03);
    expect(CoverageSketch.fromBase64(u.toBase64()).estimate()).toBe(u.estimate());
  });
});

describe('rmapcheck explore: the JSON contract and usage errors', () => {
  it('prints the contract fields in order, the seed, and saves the trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-explore-'));
    const r = await runExplore({ model: 'rmap', bug: 'no-exclusive-wait', scenario: 'exclusive-race', strategy: 'race', seed: '0x10', runs: '1000', out: dir });
    expect(r.exitCode).toBe(1);
    const j = r.json as Record<string, unknown>;
    expect(Object.keys(j).slice(0, 17)).toEqual([
      'model', 'params', 'strategy', 'seed', 'verdict', 'property', 'executions', 'steps', 'executionsPerSecond', 'stepsPerSecond',
      'distinctStates', 'timeToFirstViolation', 'trace', 'rawTraceLength', 'minimizedTraceLength', 'violationExecution', 'depth',
    ]);
    expect(j.seed).toBe('16');
    expect(j.verdict).toBe('violation');
    expect(r.text).toMatch(/seed 16/);
    expect(r.text).toMatch(/replay: npx rmapcheck replay /);
    // `trace` is the trace file's path (as in check; issue #9 item 17: it was the trace object, the path in `traceFile`)
    const file = j.trace as string;
    expect(JSON.parse(readFileSync(file, 'utf8')).seed).toBe('16');
    const again = await runExplore({ model: 'rmap', bug: 'no-exclusive-wait', scenario: 'exclusive-race', strategy: 'race', seed: '16', runs: '1000', out: dir });
    expect((again.json as { trace: string }).trace).toBe(file); // identical content: no --force needed
    const ok = await runExplore({ model: 'seqcount', runs: '50' });
    expect(ok.exitCode).toBe(0);
    expect(ok.text).toMatch(/seed \d+/); // a clock seed, printed
  });

  it.each([
    [{ model: 'seqcount', runs: '5', time: '1' }, /--runs and --time/],
    [{ model: 'seqcount', strategy: 'dfs' }, /unknown strategy 'dfs'/],
    [{ model: 'seqcount', runs: '0' }, /--runs 0: out of range/],
    [{ model: 'seqcount', seed: '-3' }, /--seed -3/],
    [{ model: 'seqcount', time: 'soon' }, /--time soon/],
    [{ model: 'nosuch' }, /unknown model 'nosuch'/],
    [{ model: 'seqcount', workers: '0' }, /--workers 0/],
  ])('%o is a one-line usage error', async (o, msg) => {
    const p = runExplore(o);
    await expect(p).rejects.toThrow(UsageError);
    await expect(runExplore(o)).rejects.toThrow(msg);
  });
});

describe('ChunkFold: chunk results merged as they arrive', () => {
  const result = (chunk: number, steps: number, violationAt: number | null = null): ChunkResult => ({
    chunk,
    executions: violationAt === null ? 4 : violationAt - chunk * 4 + 1,
    steps,
    sketch: null,
    reached: [chunk === 1, false],
    raceTargets: [1],
    raceHits: [chunk % 2],
    violation: violationAt === null ? null : { execution: violationAt, property: 'p', path: [0], atMs: 0 },
    complete: violationAt === null,
  });
  const figures = (m: Merged) => [m.executions, m.steps, m.reached, m.raceTargets, m.raceHits, m.violation?.execution ?? null];

  it('any arrival order gives the in-order figures; nothing after the first violation counts', () => {
    const plan = new ChunkPlan(4, null, { index: 0, count: 1 });
    const chunks = [result(0, 10), result(1, 20), result(2, 30, 9), result(3, 40, 12), result(4, 50)];
    const inOrder = new ChunkFold(plan, 2, 1, false);
    for (const r of chunks) inOrder.add(r);
    expect(figures(inOrder.result())).toEqual([4 + 4 + 2, 60, [true, false], [3], [1], 9]);
    for (const order of [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 1, 0, 4, 2]]) {
      const f = new ChunkFold(plan, 2, 1, false);
      for (const i of order) f.add(chunks[i]);
      expect(figures(f.result())).toEqual(figures(inOrder.result()));
    }
  });

  it("a shard's plan folds only its chunks; a run cut short folds what it has, in order", () => {
    const plan = new ChunkPlan(4, null, { index: 1, count: 2 }); // chunks 1, 3, 5, ...
    const f = new ChunkFold(plan, 2, 1, false);
    f.add(result(3, 40));
    f.add(result(1, 20));
    expect(figures(f.result())).toEqual([8, 60, [true, false], [2], [2], null]);
    const gap = new ChunkFold(new ChunkPlan(4, null, { index: 0, count: 1 }), 2, 1, false);
    gap.add(result(2, 30)); // chunk 0 and 1 never came back
    expect(figures(gap.result())).toEqual([4, 30, [false, false], [1], [0], null]);
  });
});
