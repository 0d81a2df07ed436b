/**
 * `rmapcheck explore` and `merge` as a user runs them (issue #9: items 1, 8, 16, 19, 21, 25):
 * worker threads through the real CLI and the compiled package, livelocks found at random, the
 * merged report's trace, an interrupted run, refused flag combinations, the progress figures.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { ROOT, runCli, spawnCli } from '../helpers/cli';
import { exploreProgress, runExplore, runMerge } from '../../cli/explore';
import type { ExploreProgress } from '../../checker/random/run';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `rmapcheck-${name}-`));
const BUG = ['explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '11', '--runs', '2000'];

async function replays(trace: string): Promise<boolean> {
  const r = await runCli('replay', trace, '--json');
  return r.code === 1 && JSON.parse(r.out).reproduced === true;
}

describe('explore --workers N through the CLI (item 1)', () => {
  it('the real process: --workers 2 with --json gives the --workers 1 report and a byte-identical trace', async () => {
    const dir = tmp('workers');
    const one = await runCli(...BUG, '--workers', '1', '--json', '--out', join(dir, 'w1'));
    const two = spawnCli([...BUG, '--workers', '2', '--json', '--out', join(dir, 'w2')]);
    expect(two.err).toBe('');
    expect([one.code, two.code]).toEqual([1, 1]);
    const a = JSON.parse(one.out);
    const b = JSON.parse(two.out);
    expect([a.workers, b.workers]).toEqual([1, 2]);
    for (const k of ['verdict', 'property', 'executions', 'steps', 'violationExecution', 'distinctStates', 'minimizedTraceLength']) expect(b[k], k).toEqual(a[k]);
    expect(basename(b.trace)).toBe(basename(a.trace));
    expect(readFileSync(b.trace).equals(readFileSync(a.trace))).toBe(true);
    expect(await replays(b.trace)).toBe(true);
  });

  it("the real process in text mode: the issue's command", () => {
    // a progress callback is wired in (it must not reach the workers)
    const text = spawnCli(['explore', '--model', 'seqcount', '--variant', 'v1', '--set', 'writers=3', '--set', 'readers=2', '--set', 'counters=3', '--set', 'ops=1', '--strategy', 'random', '--seed', '11', '--runs', '2000', '--workers', '2']);
    expect(text.err).toBe('');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/executions 2,000, .* on 2 worker\(s\)/);
    expect(text.out).toMatch(/^verdict: ok/m);
  });

  it('--workers 2 with --time', async () => {
    const timed = await runCli('explore', '--model', 'seqcount', '--seed', '3', '--time', '0.5', '--workers', '2', '--json', '--out', tmp('workers-time'));
    expect(timed.err).toBe('');
    expect(timed.code).toBe(0);
    expect(JSON.parse(timed.out)).toMatchObject({ workers: 2, stopped: 'time', verdict: 'ok' });
  });

  it('--workers 2 with --shard: the shard report equals the one-worker shard report', async () => {
    const dir = tmp('workers-shard');
    const shard = ['explore', '--model', 'seqcount', '--bug', 'no-retry', '--seed', '5', '--runs', '3000', '--shard', '1/2', '--json', '--out', dir];
    const s1 = JSON.parse((await runCli(...shard, '--workers', '1')).out);
    const s2 = JSON.parse((await runCli(...shard, '--workers', '2')).out);
    for (const k of ['verdict', 'executions', 'steps', 'violationExecution', 'coverageSketch', 'trace']) expect(s2[k], k).toEqual(s1[k]);
    expect(s2.shard).toEqual({ index: 1, count: 2 });
  });

  it('the compiled package (dist/, no ts-node): --workers 2 loads worker.js and gives the same trace', async () => {
    // the package's layout: bin/ beside dist/ and no sources, so bin/rmapcheck.js takes dist/
    const pkg = tmp('dist');
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist'), '--noCheck', '--declaration', 'false'], { stdio: 'pipe' });
    mkdirSync(join(pkg, 'bin'));
    cpSync(join(ROOT, 'bin', 'rmapcheck.js'), join(pkg, 'bin', 'rmapcheck.js'));
    cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    expect(existsSync(join(pkg, 'dist', 'checker', 'random', 'worker.js'))).toBe(true);
    const r = spawnCliAt(join(pkg, 'bin', 'rmapcheck.js'), [...BUG, '--workers', '2', '--json', '--out', join(pkg, 'out')], pkg);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.workers).toBe(2);
    const one = await runCli(...BUG, '--json', '--out', join(pkg, 'one'));
    expect(readFileSync(j.trace, 'utf8')).toBe(readFileSync(JSON.parse(one.out).trace, 'utf8'));
  });
});

function spawnCliAt(bin: string, args: string[], cwd: string): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
    return { code: 0, out, err: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, out: x.stdout, err: x.stderr };
  }
}

describe('explore and eventually properties (item 8)', () => {
  it('the livelock scenario: a lasso within an execution is a violation whose trace replays, and check confirms it', async () => {
    const dir = tmp('livelock');
    const r = await runCli('explore', '--model', 'rmap', '--scenario', 'livelock', '--seed', '1', '--runs', '200', '--json', '--out', dir);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ verdict: 'violation', property: 'finishes:R0' });
    expect(typeof j.loopStart).toBe('number');
    const trace = JSON.parse(readFileSync(j.trace, 'utf8'));
    expect(trace.loopStart).toBe(j.loopStart);
    expect(await replays(j.trace)).toBe(true);
    const check = JSON.parse((await runCli('check', '--model', 'rmap', '--scenario', 'livelock', '--json', '--out', dir)).out);
    expect([check.verdict, check.property]).toEqual(['violation', 'finishes:R0']);
    const text = await runCli('explore', '--model', 'rmap', '--scenario', 'livelock', '--seed', '1', '--runs', '200', '--out', dir);
    expect(text.out).toMatch(/verdict: VIOLATION of finishes:R0 .*a livelock/);
  });

  it('executions cut at the depth bound leave an eventually property "not checked": never a bare ok', async () => {
    const r = await runExplore({ model: 'rmap', scenario: 'livelock', seed: '1', runs: '300', depth: '4' });
    expect(r.exitCode).toBe(0);
    const j = r.json as { verdict: string; notChecked: { property: string; executions: number; stepping: number; firstExecution: number }[] };
    expect(j.verdict).toBe('ok');
    expect(j.notChecked.map((x) => x.property)).toEqual(['finishes:R0']);
    expect(j.notChecked[0].executions).toBeGreaterThan(0);
    expect(j.notChecked[0].firstExecution).toBeGreaterThanOrEqual(0);
    expect(r.text).toMatch(/^verdict: ok .*; not checked: finishes:R0$/m);
    expect(r.text).toMatch(/not checked: finishes:R0 \(eventually\): [\d,]+ execution\(s\) reached the depth bound 4/);
    expect(r.text).toContain('npx rmapcheck check --model rmap --scenario livelock');
    // seqcount's readers cut short by --depth 3
    const s = (await runExplore({ model: 'seqcount', seed: '1', runs: '50', depth: '3' })).json as { notChecked: { property: string }[] };
    expect(s.notChecked.map((x) => x.property)).toContain('reader-finishes-R0');
    // at the default depth every execution ends: nothing left undecided
    const full = (await runExplore({ model: 'seqcount', seed: '1', runs: '200' })).json as { notChecked: unknown[] };
    expect(full.notChecked).toEqual([]);
  });
});

describe('merge: the merged report names the trace and prints the replay line (item 16)', () => {
  it('with a violation: trace = the winning shard\'s path (it replays), shard/workers say what was merged', async () => {
    const dir = tmp('merge');
    const files: string[] = [];
    const shards = [];
    for (let i = 0; i < 3; i++) {
      const r = await runExplore({ model: 'seqcount', bug: 'no-retry', seed: '11', runs: '3000', shard: `${i}/3`, out: dir });
      shards.push(r.json as { trace: string | null; violationExecution: number | null });
      files.push(join(dir, `r${i}.json`));
      writeFileSync(files[i], JSON.stringify(r.json));
    }
    const m = runMerge(files);
    expect(m.exitCode).toBe(1);
    const j = m.json as Record<string, unknown>;
    const winner = shards.filter((s) => s.violationExecution !== null).sort((a, b) => a.violationExecution! - b.violationExecution!)[0];
    expect(typeof j.trace).toBe('string');
    expect(j.trace).toBe(winner.trace);
    expect(m.text).toContain(`trace: ${winner.trace}`);
    expect(m.text).toContain(`replay: npx rmapcheck replay ${winner.trace}`);
    expect(await replays(j.trace as string)).toBe(true);
    // replaying the report itself names the trace to replay (one line, exit 2)
    writeFileSync(join(dir, 'merged.json'), JSON.stringify(j));
    const direct = await runCli('replay', join(dir, 'merged.json'));
    expect(direct.code).toBe(2);
    expect(direct.err.trim().split('\n')).toHaveLength(1);
    expect(direct.err).toContain(`an explore report, not a trace; its counterexample is ${winner.trace}`);
    expect(j.shard).toBeNull();
    expect(j.shardCount).toBe(3);
    expect(j.shardsMerged).toEqual([0, 1, 2]);
    expect((j.shards as { index: number; workers: number }[]).map((s) => [s.index, s.workers])).toEqual([[0, 1], [1, 1], [2, 1]]);
    expect(j.workers).toBe(3); // the worker threads of all the merged shards together
    expect(m.text).toMatch(/over 3 shard\(s\) \(3 worker thread\(s\) in all; the longest shard ran [\d.]+ s\)/);
    // merging again (merged reports merge) keeps it
    writeFileSync(join(dir, 'm01.json'), JSON.stringify(runMerge(files.slice(0, 2)).json));
    const again = runMerge([join(dir, 'm01.json'), files[2]]).json as Record<string, unknown>;
    expect([again.trace, again.violationExecution, again.executions, again.shardsMerged]).toEqual([j.trace, j.violationExecution, j.executions, [0, 1, 2]]);
  });
});

describe('an interrupted explore (item 19)', () => {
  it('says incomplete, in text and JSON, and exits 0 as check does', async () => {
    const r = await runExplore({ model: 'seqcount', seed: '1', runs: '5000', signal: { aborted: true } });
    expect(r.exitCode).toBe(0);
    expect((r.json as { verdict: string; stopped: string }).verdict).toBe('incomplete');
    expect((r.json as { stopped: string }).stopped).toBe('aborted');
    expect(r.text).toMatch(/^verdict: incomplete \(interrupted/m);
    expect(r.text).not.toMatch(/verdict: ok/);
  });
});

describe('explore flags that were silently ignored or rounded (item 21)', () => {
  it.each([
    [['--strategy', 'random', '--pct-depth', '2'], /^rmapcheck: error: --pct-depth is PCT's bug depth: it applies to --strategy pct, not random\n$/],
    [['--strategy', 'race', '--pct-depth', '2'], /--pct-depth .* not race\n$/],
    [['--seed', '1', '--shard', '99999999999999999/999999999999999999'], /^rmapcheck: error: --shard 99999999999999999\/999999999999999999: the shard count must be at most 1000000\n$/],
    [['--seed', '1', '--shard', '99999999999999999/1000'], /^rmapcheck: error: --shard 99999999999999999\/1000: shard index out of range 0..999\n$/],
    [['--shard', '0/2'], /^rmapcheck: error: --shard 0\/2 needs --seed: give every shard of the run the same seed\n$/],
  ])('%o is a one-line usage error', async (args, message) => {
    const r = await runCli('explore', '--model', 'seqcount', '--runs', '10', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toContain('100000000000000000');
    expect(r.out).toBe('');
  });

  it('--pct-depth with --strategy pct still works', async () => {
    const r = await runCli('explore', '--model', 'seqcount', '--runs', '10', '--seed', '1', '--strategy', 'pct', '--pct-depth', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).pctBound.depth).toBe(2);
  });
});

describe("explore's progress figures (item 25)", () => {
  it('a time budget shows whole seconds, a run budget whole executions', () => {
    const seen: { value: number; total: number }[] = [];
    const show = exploreProgress({ update: (_t, c) => c && seen.push(c) });
    const p: ExploreProgress = { executions: 1234, steps: 9999, seconds: 2.00453662109375, executionsPerSecond: 600.3, stepsPerSecond: 4999.2, total: null, timeSeconds: 4 };
    show(p);
    show({ ...p, seconds: 4.7 });
    show({ ...p, timeSeconds: 0.5, seconds: 0.31 });
    show({ ...p, total: 5000 });
    expect(seen).toEqual([
      { value: 2, total: 4 },
      { value: 4, total: 4 },
      { value: 0, total: 1 },
      { value: 1234, total: 5000 },
    ]);
  });
});
