import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildModel } from '../../model/registry';
import { BUGS } from '../../model/rmap';
import { SEQCOUNT_DESCRIPTOR } from '../../model/seqcount/model';
import { check } from '../../checker/check';
import { exploreSync } from '../../checker/random/run';
import { minimizeCounterexample } from '../../checker/minimize';
import { buildModelTrace, pathOfTrace, replayModelTrace } from '../../checker/model-trace';
import { parseTrace, serializeTrace } from '../../checker/trace';
import { runMinimize } from '../../cli/explore';
import { UsageError } from '../../model/errors';
import { writeFileSync } from 'fs';

const small: [string, Record<string, string>][] = [
  ...SEQCOUNT_DESCRIPTOR.bugs.map((b) => ['seqcount', { bug: b.name }] as [string, Record<string, string>]),
  ...BUGS.filter((b) => ['no-seqcount', 'no-exclusive-wait', 'shared-plain-update', 'no-retry'].includes(b.name)).map(
    (b) => ['rmap', { bug: b.name, scenario: b.scenario }] as [string, Record<string, string>],
  ),
];

describe('minimization', () => {
  it.each(small)('%s %o: minimized length == BFS-shortest length, same property', (name, req) => {
    const m = buildModel(name, req);
    const bfs = check(m, { strategy: 'bfs', liveness: false });
    expect(bfs.verdict).toBe('violation');
    // a long raw counterexample of the BFS property: the first strategy's that violates it, not minimized
    const raw = (['pct', 'random', 'race'] as const)
      .map((strategy) => exploreSync(m, { strategy, seed: 99n, runs: 5000, minimize: false, coverage: false }))
      .find((r) => r.property === bfs.property)!;
    const path = pathOfTrace(raw.trace!);
    // path-only minimization (the scenario is kept): exactly the BFS length when the property is the BFS one
    const min = minimizeCounterexample(m, path, raw.property!, { scenario: false });
    expect(min.model).toBe(m);
    expect(raw.property).toBe(bfs.property);
    expect(min.path.length).toBe(bfs.path!.length);
    expect(min.path.length).toBeLessThanOrEqual(path.length);
    // the minimized path violates the SAME property and replays
    const t = buildModelTrace(min.model, min.path, raw.property!);
    const r = replayModelTrace(parseTrace(serializeTrace(t), 'memory') as never);
    expect(r.reproduced).toBe(true);
    expect(r.mismatches).toEqual([]);
  }, 20_000);

  it('ddmin alone (no breadth-first search) still gives a 1-minimal schedule no longer than the raw one', () => {
    const m = buildModel('rmap', { bug: 'no-retry', scenario: 'torn-values' });
    const raw = exploreSync(m, { strategy: 'pct', seed: 3n, runs: 5000, minimize: false, coverage: false });
    const path = pathOfTrace(raw.trace!);
    const min = minimizeCounterexample(m, path, raw.property!, { scenario: false, bfsBudget: 0 });
    expect(min.path.length).toBeLessThan(path.length);
    // 1-minimal: removing any single step loses the violation (checked through a second pass)
    const again = minimizeCounterexample(m, min.path, raw.property!, { scenario: false, bfsBudget: 0 });
    expect(again.path).toEqual(min.path);
  });

  it('scenario minimization (rmap): fewer threads/ops, never longer than BFS-shortest, and the trace rebuilds its model', () => {
    const m = buildModel('rmap', { bug: 'no-begin-wait', scenario: 'torn-values' });
    const raw = exploreSync(m, { strategy: 'random', seed: 8n, runs: 5000, minimize: false, coverage: false });
    const min = minimizeCounterexample(m, pathOfTrace(raw.trace!), raw.property!);
    const bfs = check(m, { liveness: false });
    expect(min.path.length).toBeLessThanOrEqual(bfs.path!.length);
    const sc = JSON.parse(String(min.model.params.scenario));
    const ops = (s: { threads: { ops: unknown[] }[] }) => s.threads.reduce((a, t) => a + t.ops.length, 0);
    expect(ops(sc)).toBeLessThan(7);
    expect(min.log.some((l) => l.startsWith('scenario: without'))).toBe(true);
    const t = buildModelTrace(min.model, min.path, raw.property!);
    const r = replayModelTrace(parseTrace(serializeTrace(t), 'memory') as never);
    expect(r.reproduced).toBe(true);
  }, 30_000);

  it('refuses a path that does not violate the property, and liveness properties', () => {
    const m = buildModel('seqcount', {});
    expect(() => minimizeCounterexample(m, [0], 'snapshot')).toThrow(UsageError);
    expect(() => minimizeCounterexample(m, [0], 'reader-finishes-R0')).toThrow(/safety counterexamples/);
  });

  it('rmapcheck minimize TRACE --out MIN: writes atomically, no overwrite without --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmapcheck-min-'));
    const m = buildModel('seqcount', { bug: 'no-begin-wait' });
    const raw = exploreSync(m, { strategy: 'random', seed: 4n, runs: 2000, minimize: false });
    const file = join(dir, 'raw.json');
    writeFileSync(file, serializeTrace(raw.trace!));
    const out = join(dir, 'min.json');
    const r = runMinimize(file, out, false);
    expect(r.exitCode).toBe(1); // the minimized trace is still a counterexample
    expect(r.text).toContain(`replay: npx rmapcheck replay ${out}`);
    const t = parseTrace(readFileSync(out, 'utf8'), out);
    expect(t.kind).toBe('model');
    expect((r.json as { minimizedTraceLength: number }).minimizedTraceLength).toBe(check(m, { liveness: false }).path!.length - 1);
    expect(t.seed).toBe('4');
    writeFileSync(out, 'other');
    expect(() => runMinimize(file, out, false)).toThrow(/already exists/);
    expect(runMinimize(file, out, true).exitCode).toBe(1);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => runMinimize(join(dir, 'bad.json'), join(dir, 'x.json'), false)).toThrow(UsageError);
  });
});
