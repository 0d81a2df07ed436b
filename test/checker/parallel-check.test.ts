// `check --workers N` (checker/parallel-check.ts): the same check as one thread on every pinned
// configuration — verdict, property, states, transitions, depth, counterexample length, the
// reduction's unreduced count and the liveness verdicts — and its counterexamples replay.
import { describe, expect, it } from 'vitest';
import { check, checkAsync, replayPath, type CheckResult } from '../../checker/check';
import { findModel } from '../../model/registry';
import { pinnedChecks } from '../helpers/manifest';
import { runCli, spawnCli } from '../helpers/cli';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const figures = (r: CheckResult) => [
  r.verdict,
  r.property,
  r.verdict === 'ok' ? r.states : null, // a violation ends the level, not at the first state
  r.verdict === 'ok' ? r.transitions : null,
  r.path === null ? null : r.path.length - 1,
  r.unreached,
  r.verdict === 'ok' ? r.reduction.statesWithout : null,
  r.liveness?.holds ?? null,
];

describe('check on two worker threads agrees with one thread', () => {
  it.each(pinnedChecks('seqcount').map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const m = findModel('seqcount').build(c.params);
    for (const opts of [{}, { liveness: false }]) {
      const one = check(m, opts);
      const two = await checkAsync(m, { ...opts, workers: 2 });
      expect([two.workers, two.workersNote]).toEqual([2, null]);
      expect(figures(two)).toEqual(figures(one));
      if (two.verdict === 'ok') expect(two.maxDepth).toBe(one.maxDepth);
      if (two.path && two.loopStart === null && two.property !== 'deadlock') {
        const states = replayPath(m, two.path);
        expect(m.properties.find((p) => p.name === two.property)!.holds(states[states.length - 1])).toBe(false);
      }
    }
    // the pinned figures themselves (full store, no reduction: as the manifest pins them)
    const pinned = await checkAsync(m, { reduction: false, workers: 2 });
    expect([pinned.verdict, pinned.property]).toEqual([c.verdict, c.property]);
    if (c.verdict === 'ok') expect([pinned.states, pinned.transitions, pinned.maxDepth]).toEqual([c.states, c.transitions, c.maxDepth]);
    else expect(pinned.path!.length - 1).toBe(c.counterexampleLength);
  });

  it('falls back to one thread, saying why, where workers cannot run; a synchronous check refuses them', async () => {
    const rmap = findModel('rmap').build({});
    const r = await checkAsync(rmap, { workers: 2 });
    expect([r.workers, r.workersNote]).toEqual([1, 'the rmap model runs on the generic engine, which runs in one thread']);
    const seq = findModel('seqcount').build({});
    const full = await checkAsync(seq, { workers: 2, store: 'full' });
    expect([full.workers, full.workersNote]).toEqual([1, '--store full keeps its keys in one thread']);
    const dfs = await checkAsync(seq, { workers: 2, strategy: 'dfs' });
    expect([dfs.workers, dfs.workersNote]).toEqual([1, 'the parallel check is breadth-first; --strategy dfs runs in one thread']);
    const disk = await checkAsync(seq, { workers: 2, linksOnDisk: true });
    expect([disk.workers, disk.workersNote]).toEqual([1, '--links-on-disk keeps its file in one thread']);
    // --expect-states sizes the shared arrays: the same check
    const sized = await checkAsync(findModel('seqcount').build({ writers: 3, readers: 2 }), { workers: 2, expectedStates: 60_000 });
    const one = check(findModel('seqcount').build({ writers: 3, readers: 2 }));
    expect([sized.workers, ...figures(sized)]).toEqual([2, ...figures(one)]);
    expect(() => check(findModel('seqcount').build({}), { workers: 2 })).toThrow(/checkAsync/);
  });

  it('an abort stops the workers: verdict incomplete', async () => {
    const m = findModel('seqcount').build({ writers: 3, readers: 2, counters: 2 });
    const signal = { aborted: false };
    const r = await checkAsync(m, { workers: 2, signal, progressIntervalMs: 0, onProgress: () => (signal.aborted = true) });
    expect([r.verdict, r.incompleteReason]).toEqual(['incomplete', 'aborted']);
    expect(r.states).toBeLessThan(1_199_116);
  });

  it('through the CLI: --workers 2 gives the same JSON figures as one worker, and says so in text', async () => {
    const args = ['check', '--model', 'seqcount', '--set', 'writers=3', '--set', 'readers=2'];
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-workers-'));
    const one = JSON.parse((await runCli(...args, '--json', '--out', out)).out);
    const two = JSON.parse((await runCli(...args, '--workers', '2', '--json', '--out', out)).out);
    for (const k of ['verdict', 'states', 'transitions', 'maxDepth', 'liveness'] as const)
      expect(k === 'liveness' ? two[k].holds : two[k]).toEqual(k === 'liveness' ? one[k].holds : one[k]);
    expect([two.workers, two.workersNote]).toEqual([2, null]);
    const text = await runCli(...args, '--workers', '2', '--out', out);
    expect(text.code).toBe(0);
    expect(text.out).toContain('workers: 2 threads over one shared store');
    // the installed bin (compiled dist/: its workers load the compiled worker)
    const real = spawnCli([...args, '--workers', '2', '--json', '--out', out]);
    expect(real.code).toBe(0);
    expect([JSON.parse(real.out).states, JSON.parse(real.out).workers]).toEqual([one.states, 2]);
    const bad = await runCli(...args, '--workers', '0', '--out', out);
    expect([bad.code, bad.err.trim().split('\n').length]).toEqual([2, 1]);
  });
});
