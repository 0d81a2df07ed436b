/**
 * Replay as a strategy (checker/random/replay.ts) on the fixture models: `PathReplay` re-runs a
 * counterexample through the execution loop, property checks included, and ends in the same
 * violation at the same step; `ThreadReplay` follows a thread sequence, skipping a thread with
 * nothing enabled; a path the model does not allow is a `ReplayDivergence` naming the step.
 */
import { describe, expect, it } from 'vitest';
import { ExecutionLoop } from '../../../checker/random/scheduler';
import { PathReplay, ReplayDivergence, ThreadReplay, threadsOfPath } from '../../../checker/random/replay';
import { LivenessJudge } from '../../../checker/random/livelock';
import { counterModel, deadlockModel, livelockExpected, livelockModel, lostUpdateModel } from '../../fixtures/models';

describe('replay strategies on the fixture models', () => {
  it('PathReplay: the lost update and the deadlock end in their violation at their last step', () => {
    const lu = lostUpdateModel();
    const ex = new ExecutionLoop(lu).run(new PathReplay([0, 0, 1, 0, 0]).scheduler(), 100);
    expect(ex).toMatchObject({ violation: 'no-lost-update', end: 'violation', steps: 4, path: [0, 0, 1, 0, 0] });
    const dl = deadlockModel();
    expect(new ExecutionLoop(dl).run(new PathReplay([0, 0, 1]).scheduler(), 100)).toMatchObject({ violation: 'deadlock', end: 'violation', steps: 2 });
    // the schedule without the lost update finishes cleanly
    expect(new ExecutionLoop(lu).run(new PathReplay([0, 0, 0, 0, 0]).scheduler(), 100)).toMatchObject({ violation: null, end: 'finished', steps: 4 });
  });

  it('PathReplay: the livelock lasso stops where the path ends and is judged a lasso of done', () => {
    const m = livelockModel();
    const path = [0, 0, 1, 0];
    const ex = new ExecutionLoop(m).run(new PathReplay(path).scheduler(), 100);
    // the path runs out before the execution does: the replay stops there
    expect(ex).toMatchObject({ violation: null, end: 'stopped', steps: 3, path });
    const j = new LivenessJudge(m).judge(ex.path);
    expect(j.lasso).toEqual({ property: 'done', path, loopStart: livelockExpected().loopStart });
  });

  it('PathReplay: a path the model does not allow is a ReplayDivergence naming the step', () => {
    const loop = new ExecutionLoop(counterModel());
    expect(() => loop.run(new PathReplay([0, 0, 1]).scheduler(), 100)).toThrow(ReplayDivergence);
    expect(() => loop.run(new PathReplay([0, 0, 1]).scheduler(), 100)).toThrow(/step 2 chooses action 1 but only 1 are enabled/);
    expect(() => loop.run(new PathReplay([1]).scheduler(), 100)).toThrow(/initial-state index 1 out of range 0..0/);
  });

  it('threadsOfPath and ThreadReplay: a path as threads and back', () => {
    const m = lostUpdateModel();
    const path = [0, 1, 0, 1, 0]; // T1 loads, T0 loads, T1 stores (action 1), T0 stores
    const threads = threadsOfPath(m, path);
    expect(threads).toEqual([1, 0, 1, 0]);
    const ex = new ExecutionLoop(m).run(new ThreadReplay(m, 0, threads).scheduler(), 100);
    expect(ex).toMatchObject({ path, violation: 'no-lost-update', steps: 4 });
  });

  it('ThreadReplay skips a thread with nothing enabled (T1 waiting for lock B), which a minimizer relies on', () => {
    const m = deadlockModel();
    // T0 takes A and B; T1 cannot lock B then, so its step is skipped and T0 goes on
    const ex = new ExecutionLoop(m).run(new ThreadReplay(m, 0, [0, 0, 1, 0, 0]).scheduler(), 100);
    expect(threadsOfPath(m, ex.path)).toEqual([0, 0, 0, 0]);
    expect(ex.violation).toBeNull();
  });
});
