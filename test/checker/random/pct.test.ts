import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../model/registry';
import { Pct } from '../../../checker/random/pct';
import { pctBound } from '../../../checker/random/pct-bound';
import { ExecutionLoop, executionSeed, profileModel } from '../../../checker/random/scheduler';
import { RandomWalk } from '../../../checker/random/random-walk';

describe('PCT (Burckhardt et al., ASPLOS 2010)', () => {
  it('the bound 1/(n k^(d-1)) and the executions for 99%', () => {
    const b = pctBound(3, 20, 3);
    expect(b.probability).toBeCloseTo(1 / 1200, 12);
    expect(b.runsFor99).toBe(Math.ceil(Math.log(0.01) / Math.log(1 - 1 / 1200)));
    expect(1 - (1 - b.probability) ** b.runsFor99).toBeGreaterThanOrEqual(0.99);
    expect(1 - (1 - b.probability) ** (b.runsFor99 - 1)).toBeLessThan(0.99);
    expect(pctBound(2, 10, 1).runsFor99).toBe(Math.ceil(Math.log(0.01) / Math.log(0.5)));
  });

  it('finds a depth-2 bug at least as often as the bound promises (fixed seed set: deterministic)', () => {
    // a lost update between two writers' plain load/store: depth 2 (W1's store between W0's load
    // and store, and W0's store after it)
    const model = buildModel('seqcount', { bug: 'shared-plain-update', set: { writers: '2', readers: '0' } });
    const strategy = new Pct(model, profileModel(model, 1000), 2);
    const loop = new ExecutionLoop(model);
    const N = 600;
    let hits = 0;
    for (let i = 0; i < N; i++) if (loop.run(strategy.scheduler(i, executionSeed(20100317n, i)), 1000).violation !== null) hits++;
    expect(strategy.pctBound.depth).toBe(2);
    expect(strategy.pctBound.threads).toBe(2);
    expect(hits / N).toBeGreaterThanOrEqual(strategy.pctBound.probability);
  });

  it('at depth d an execution preempts a thread that could go on at most d - 1 times (what makes it PCT, not a random walk)', () => {
    const model = buildModel('seqcount', { set: { writers: '3', readers: '2' } });
    const profile = profileModel(model, 1000);
    const preemptions = (scheduler: ReturnType<Pct['scheduler']>): number => {
      const ex = new ExecutionLoop(model).run(scheduler, 1000);
      let s = model.initStates()[0];
      let last = -1;
      let n = 0;
      for (const c of ex.path.slice(1)) {
        const acts = model.actions(s);
        const t = model.describe(acts[c]).thread;
        if (last >= 0 && t !== last && acts.some((a) => model.describe(a).thread === last)) n++;
        last = t;
        s = model.next(s, acts[c]);
      }
      return n;
    };
    let most = 0;
    for (const d of [1, 2, 3]) {
      const strategy = new Pct(model, profile, d);
      for (let i = 0; i < 40; i++) {
        const n = preemptions(strategy.scheduler(i, executionSeed(7n, i)));
        expect(n).toBeLessThanOrEqual(d - 1);
        most = Math.max(most, n);
      }
    }
    expect(most).toBe(2); // the change points are used
    // a uniform walk preempts far more: the test would catch PCT degrading into one
    let walk = 0;
    for (let i = 0; i < 40; i++) walk = Math.max(walk, preemptions(new RandomWalk().scheduler(i, executionSeed(7n, i))));
    expect(walk).toBeGreaterThan(2);
  });

  it('d = 1 never preempts: the highest-priority thread runs to its end', () => {
    const model = buildModel('seqcount', { set: { writers: '2', readers: '0' } });
    const strategy = new Pct(model, profileModel(model, 1000), 1);
    const loop = new ExecutionLoop(model);
    for (let i = 0; i < 20; i++) {
      const ex = loop.run(strategy.scheduler(i, executionSeed(1n, i)), 1000);
      const threads: number[] = [];
      let s = model.initStates()[0];
      for (const c of ex.path.slice(1)) {
        const a = model.actions(s)[c];
        threads.push(model.describe(a).thread);
        s = model.next(s, a);
      }
      const switches = threads.filter((t, k) => k > 0 && t !== threads[k - 1]).length;
      expect(switches).toBeLessThanOrEqual(1);
    }
  });
});
