// The C runtime makes the decisions of the model checker's randomized strategies (random walk,
// PCT, race insertion) itself, a pipe round trip per decision being far too slow. This checks
// that they are the strategies' decisions: each recorded C execution's enabled sets are fed, one
// decision after the other, to the TS scheduler (checker/random/: RandomWalk, Pct, RaceInsertion,
// over the program's facade model, with the same profile and execution seed), which must choose
// the thread the C side chose, every time.
import { describe, expect, it } from 'vitest';
import { ConformProcess } from '../../../checker/conform/process';
import { layoutOfAdapter } from '../../../checker/conform/compare';
import { ProgramExplorer, Tally } from '../../../checker/conform/concurrent';
import { facadeModel, profileOf, strategyPlan, type FacadeAction } from '../../../checker/conform/concurrent-strategy';
import { runThreadsRequest, type ExecEvent } from '../../../checker/conform/threads';
import { RandomWalk } from '../../../checker/random/random-walk';
import { Pct } from '../../../checker/random/pct';
import { RaceInsertion } from '../../../checker/random/race';
import { executionSeed, type Strategy } from '../../../checker/random/scheduler';
import type { ConcurrentCase } from '../../../generators/conform-concurrent';
import { buildKernel } from '../../helpers/conform';

// writers of both paths, a reader, a COW check: spins, exclusive attempts, plain accesses, retries
const PROGRAM: ConcurrentCase = {
  order: 3,
  rmapIds: [1, 2, 3],
  setup: [{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }],
  threads: [
    [{ op: 'map', mm: 0, page: 2, nr: 1, path: 'auto' }, { op: 'unmap', mm: 0, page: 2, nr: 1, path: 'exclusive' }],
    [{ op: 'map', mm: 1, page: 0, nr: 2, path: 'exclusive' }, { op: 'mapped-shared', mm: 0 }],
    [{ op: 'cow-reuse', mm: 0, page: 1 }, { op: 'map', mm: 2, page: 0, nr: 1, path: 'shared' }, { op: 'mapped-shared', mm: 0 }],
  ],
};
const EXECUTIONS = 48;
const RUN_SEED = 7n;

describe('conform concurrent: the C scheduler makes the TS strategies\' decisions', () => {
  const b = buildKernel(null, [], 'concurrent');

  for (const name of ['random', 'pct', 'race'] as const) {
    it(`${name}: ${EXECUTIONS} executions, every decision the TS scheduler's`, async () => {
      const proc = new ConformProcess(b.binary, 1000);
      try {
        await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
        const ex = new ProgramExplorer(proc, PROGRAM, layoutOfAdapter(proc.info!), 10_000, new Tally());
        const probe = await ex.probe();
        expect(probe.found).toBeNull();
        const n = PROGRAM.threads.length;
        const profile = profileOf(probe.execs, n);
        const plan = strategyPlan(name, n, profile);
        const model = facadeModel(n);
        const strategy: Strategy = name === 'random' ? new RandomWalk() : name === 'pct' ? new Pct(model, profile, 3) : new RaceInsertion(model, profile);
        if (name === 'race') expect(plan.windows).toEqual((strategy as RaceInsertion).windows);
        const seeds = Array.from({ length: EXECUTIONS }, (_, i) => executionSeed(RUN_SEED, i));
        const r = await runThreadsRequest(proc, { ...PROGRAM, strategy: plan.kind, executions: EXECUTIONS, seeds, params: plan.params, maxPoints: 10_000, record: true });
        expect(r.executions.length).toBe(EXECUTIONS);
        let decisions = 0;
        let switches = 0;
        let windowsHit = 0;
        r.executions.forEach((e, i) => {
          expect(e.end).toBe('finished');
          const sched = strategy.scheduler(i, seeds[i]);
          expect(sched.initial(1)).toBe(0);
          const steps = e.events.filter((x): x is Extract<ExecEvent, { kind: 'decision' }> => x.kind === 'decision');
          steps.forEach((d, step) => {
            // the enabled threads, in thread order; the tags of the one the C side ran
            const actions: FacadeAction[] = [];
            for (let t = 0; t < n; t++) if (d.enabled & (1 << t)) actions.push({ thread: t, tags: t === d.thread ? d.tags : 0 });
            const c = sched.choose(null, actions, step);
            expect({ execution: i, step, thread: actions[c].thread }).toEqual({ execution: i, step, thread: d.thread });
            if (step > 0 && steps[step - 1].thread !== d.thread) switches++;
          });
          decisions += steps.length;
          if (sched.race?.().hit) windowsHit++;
        });
        // the executions do interleave (not all one thread after the other)
        expect(decisions).toBeGreaterThan(EXECUTIONS * 30);
        expect(switches).toBeGreaterThan(EXECUTIONS * 2);
        if (name === 'race') expect(windowsHit).toBeGreaterThan(0);
      } finally {
        proc.close();
      }
    });
  }
});
