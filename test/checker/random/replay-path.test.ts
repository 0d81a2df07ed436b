/**
 * `replayPath` (checker/random/replay.ts: the replay strategy through the execution loop) on the fixture models: the states along a path, the
 * initial one first, each the model's successor; a path the model does not allow is an Error
 * naming the step.
 */
import { describe, expect, it } from 'vitest';
import { replayPath } from '../../../checker/random/replay';
import { counterModel, deadlockModel, lostUpdateModel } from '../../fixtures/models';

describe('replayPath on the fixture models', () => {
  it('the counter: states 0..3 along its only path', () => {
    expect(replayPath(counterModel(), [0, 0, 0, 0]).map((s) => s.n)).toEqual([0, 1, 2, 3]);
  });

  it('the lost update: both load 0, both store 1', () => {
    const states = replayPath(lostUpdateModel(), [0, 0, 1, 0, 0]);
    expect(states.map((s) => [s.x, ...s.pc, ...s.r])).toEqual([
      [0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [1, 2, 1, 0, 0],
      [1, 2, 2, 0, 0],
    ]);
  });

  it('the deadlock: each thread holds the lock the other waits for', () => {
    const m = deadlockModel();
    const states = replayPath(m, [0, 0, 1]);
    expect(m.view(states[2])).toEqual({ pc: '1,1', A: 'T0', B: 'T1' });
  });

  it('refuses an empty path, an initial index out of range and a step with no such action', () => {
    expect(() => replayPath(counterModel(), [])).toThrow(/empty path/);
    expect(() => replayPath(counterModel(), [2])).toThrow(/initial-state index 2 out of range 0..0/);
    expect(() => replayPath(counterModel(), [0, 0, 0, 0, 0])).toThrow(/step 4 chooses action 0 but only 0 are enabled/);
  });
});
