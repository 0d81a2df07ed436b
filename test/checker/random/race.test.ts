import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../model/registry';
import { RaceInsertion, raceWindows } from '../../../checker/random/race';
import { ExecutionLoop, executionSeed, profileModel } from '../../../checker/random/scheduler';
import { exploreSync } from '../../../checker/random/run';

describe('race insertion', () => {
  it('enumerates the race windows of a scenario from the action tags', () => {
    const m = buildModel('rmap', { scenario: 'exclusive-race' });
    const names = raceWindows(m, profileModel(m, 1000)).map((w) => w.name);
    expect(names).toContain('reader-in-writer(W0#1,R0)');
    expect(names).toContain('writer-across-reader(R0,W1#1)');
    expect(names).toContain('exclusive-race(W0#1,W1)');
    expect(names).toContain('exclusive-race(W1#1,W0)');
    expect(names).toContain('plain-race(W0#1,W1)');
    expect(names).toContain('stalled-reader(R0)');
    expect(names).toContain('reader-amid-writers(R0)');
    // no reader: no reader windows
    const w = buildModel('seqcount', { set: { readers: '0' } });
    expect(raceWindows(w, profileModel(w, 1000)).some((x) => x.name.includes('reader'))).toBe(false);
  });

  it('the systematic pass aims execution i at window i, and most windows are realized', () => {
    const m = buildModel('rmap', { scenario: 'exclusive-race' });
    const s = new RaceInsertion(m, profileModel(m, 1000));
    const loop = new ExecutionLoop(m);
    let hits = 0;
    s.windows.forEach((_, i) => {
      const sched = s.scheduler(i, executionSeed(1n, i));
      loop.run(sched, 1000);
      expect(sched.race!().window).toBe(i);
      if (sched.race!().hit) hits++;
    });
    expect(hits).toBeGreaterThanOrEqual(Math.ceil(s.windows.length / 2));
  });

  it('reports per-window executions and hits, and finds the exclusive-path bugs in the systematic pass', () => {
    for (const [bug, scenario] of [['no-exclusive-wait', 'exclusive-race'], ['shared-plain-update', 'mapped-shared-vs-map']]) {
      const m = buildModel('rmap', { bug, scenario });
      const r = exploreSync(m, { strategy: 'race', seed: 1n, runs: 1000 });
      expect(r.verdict).toBe('violation');
      expect(r.violationExecution!).toBeLessThan(r.raceWindows!.length);
    }
    const ok = exploreSync(buildModel('rmap', { scenario: 'exclusive-race' }), { strategy: 'race', seed: 1n, runs: 300 });
    expect(ok.raceWindows!.reduce((a, w) => a + w.executions, 0)).toBeGreaterThanOrEqual(ok.raceWindows!.length);
    expect(ok.raceWindows!.every((w) => w.hits <= w.executions)).toBe(true);
    expect(ok.unreachedSometimes).toEqual([]);
  });
});
