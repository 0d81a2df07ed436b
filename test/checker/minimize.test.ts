/**
 * The minimizer (checker/minimize.ts) on the fixture models (test/fixtures/models.ts), whose
 * shortest counterexamples are known by hand: a safety counterexample keeps its property and
 * replays, is never longer than it was and ends at the hand-derived shortest length, with the
 * fewest context switches a lost update needs; a long lasso is cut to the shortest stem and
 * loop; paths that are not counterexamples of the property are refused in one line.
 */
import { oneLineError } from '../helpers/errors';
import { describe, expect, it } from 'vitest';
import { minimizeCounterexample, minimizeLasso, shortestViolation } from '../../checker/minimize';
import { replayPath } from '../../checker/random/replay';
import { threadsOfPath } from '../../checker/random/replay';
import type { AnyModel } from '../../model/core';
import { deadlockExpected, deadlockModel, livelockExpected, livelockModel, lostUpdateExpected, lostUpdateModel } from '../fixtures/models';

const switches = (seq: readonly number[]): number => seq.slice(1).filter((t, i) => t !== seq[i]).length;

/** The path's last state violates `always` property `name` (replayed on the model itself). */
function violatesAt(model: AnyModel, path: readonly number[], name: string): boolean {
  const states = replayPath(model, path);
  return !model.properties.find((p) => p.name === name)!.holds(states[states.length - 1]);
}

describe('minimize on the fixture models', () => {
  it('lost update: load0 load1 store0 store1 (3 switches) keeps 4 steps (the shortest) and gets 2 switches, the fewest there are', () => {
    const m = lostUpdateModel();
    // initial state 0; T0 loads (action 0 of T0, T1), T1 loads (action 1), T0 stores (0), T1 stores (0)
    const path = [0, 0, 1, 0, 0];
    expect(threadsOfPath(m, path)).toEqual([0, 1, 0, 1]);
    expect(violatesAt(m, path, 'no-lost-update')).toBe(true);
    const r = minimizeCounterexample(m, path, 'no-lost-update');
    expect(r.path.length - 1).toBe(lostUpdateExpected().counterexampleSteps);
    expect(violatesAt(r.model, r.path, 'no-lost-update')).toBe(true);
    // by hand: of the 4 losing interleavings, l0 l1 s1 s0 and l1 l0 s0 s1 switch twice, the others 3 times
    expect(switches(threadsOfPath(m, r.path))).toBe(2);
    expect(r.log.length).toBeGreaterThan(0);
  });

  it('deadlock: the 2-step path stays 2 steps, ends in the deadlock, replays', () => {
    const m = deadlockModel();
    const path = [0, 0, 1]; // T0 locks A, then T1 (action 1 of 2) locks B
    const r = minimizeCounterexample(m, path, 'deadlock');
    expect(r.path.length - 1).toBe(deadlockExpected().counterexampleSteps);
    const states = replayPath(m, r.path);
    const last = states[states.length - 1];
    expect([m.actions(last).length, m.finished!(last)]).toEqual([0, false]);
  });

  it('the breadth-first stage finds the shortest violation within a bound, and none below it', () => {
    const m = lostUpdateModel();
    const shortest = shortestViolation(m, 'no-lost-update', 10, 1000)!;
    expect(shortest.length - 1).toBe(lostUpdateExpected().counterexampleSteps);
    expect(violatesAt(m, shortest, 'no-lost-update')).toBe(true);
    // a bound of 4 steps asks for a shorter one than 4: there is none
    expect(shortestViolation(m, 'no-lost-update', 4, 1000)).toBeNull();
    expect(shortestViolation(deadlockModel(), 'deadlock', 10, 1000)!.length - 1).toBe(deadlockExpected().counterexampleSteps);
  });

  it('livelock: a lasso with a long stem and two rounds in its loop is cut to stem 1 + loop 2, and stays a lasso', () => {
    const m = livelockModel();
    // begin, fail, again, fail, again, fail, again: loop from step 3 (state `try`) to the end
    const path = [0, 0, 1, 0, 1, 0, 1, 0];
    const r = minimizeLasso(m, path, 3, 'done');
    const e = livelockExpected();
    expect([r.path.length - 1, r.loopStart]).toEqual([e.counterexampleSteps, e.loopStart]);
    const states = replayPath(r.model, r.path);
    expect(m.key(states[r.loopStart])).toBe(m.key(states[states.length - 1]));
    expect(states.every((s) => s.pc !== 'done')).toBe(true);
  });

  it('refuses, in one line, a path that does not violate the property, a lasso that is not one, and an eventually property in the safety minimizer', () => {
    const refused = oneLineError;
    // load0 store0 load1 store1: no update lost
    expect(refused(() => minimizeCounterexample(lostUpdateModel(), [0, 0, 0, 0, 0], 'no-lost-update'))).toMatch(/does not violate no-lost-update/);
    expect(refused(() => minimizeCounterexample(livelockModel(), [0, 0, 1, 0], 'done'))).toMatch(/safety counterexamples/);
    // begin, succeed: the property holds at the end, no loop
    expect(refused(() => minimizeLasso(livelockModel(), [0, 0, 0], 1, 'done'))).toMatch(/not a lasso violation of done/);
    expect(refused(() => minimizeLasso(lostUpdateModel(), [0, 0, 1, 0, 0], 0, 'no-lost-update'))).toMatch(/no eventually property/);
  });
});
