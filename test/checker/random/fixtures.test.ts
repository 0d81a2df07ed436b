/**
 * The randomized explorer on the fixture models (test/fixtures/models.ts), every strategy: it
 * finds each fixture's known violation — the lost update, the deadlock, the livelock's lasso —
 * minimizes it to the hand-derived shortest length, and the trace replays on the model (same
 * schedule, the recorded states, the violation at the end); the counter, which holds, passes
 * with its `sometimes` property reached and its 4 states counted.
 */
import { describe, expect, it } from 'vitest';
import { exploreSync, type ExploreReport } from '../../../checker/random/run';
import { buildModelTrace, pathOfTrace } from '../../../checker/model-trace';
import { replayPath } from '../../../checker/random/replay';
import type { AnyModel } from '../../../model/core';
import { FIXTURES, counterModel, deadlockModel, livelockModel, lostUpdateModel, type Fixture } from '../../fixtures/models';

const STRATEGIES = ['random', 'pct', 'race'] as const;
const fixture = (name: string): Fixture => FIXTURES.find((f) => f.name === name)!;

/** Replays the report's trace on `model` itself (the fixtures are not in the registry, so not
 *  through replayModelTrace): the rebuilt trace equals the recorded one step for step, and the
 *  last state violates the property (a lasso: its loop returns to loopStart, never satisfying it). */
function expectReplays(model: AnyModel, r: ExploreReport): void {
  const t = r.trace!;
  const path = pathOfTrace(t);
  const again = buildModelTrace(model, path, t.property.name, { seed: t.seed === null ? null : BigInt(t.seed), loopStart: t.loopStart });
  expect(again).toEqual(t);
  const states = replayPath(model, path);
  const last = states[states.length - 1];
  if (t.property.name === 'deadlock') {
    expect(model.actions(last)).toEqual([]);
    expect(model.finished!(last)).toBe(false);
    return;
  }
  const p = model.properties.find((q) => q.name === t.property.name)!;
  if (p.expectation === 'always') expect(p.holds(last)).toBe(false);
  else {
    expect(t.loopStart).not.toBeNull();
    expect(model.key(states[t.loopStart!])).toBe(model.key(last));
    expect(states.some((s) => p.holds(s))).toBe(false);
  }
}

describe('explore on the fixture models', () => {
  for (const strategy of STRATEGIES) {
    it(`${strategy}: the lost update, minimized to the shortest (${fixture('lost-update').expected.counterexampleSteps} steps), replays`, () => {
      const m = lostUpdateModel();
      const r = exploreSync(m, { strategy, seed: 7n, runs: 200 });
      const e = fixture('lost-update').expected;
      expect([r.verdict, r.property, r.minimizedTraceLength]).toEqual([e.verdict, e.property, e.counterexampleSteps]);
      expect(r.loopStart).toBeNull();
      expectReplays(m, r);
    });

    it(`${strategy}: the deadlock (${fixture('deadlock').expected.counterexampleSteps} steps), replays`, () => {
      const m = deadlockModel();
      const r = exploreSync(m, { strategy, seed: 7n, runs: 200 });
      const e = fixture('deadlock').expected;
      expect([r.verdict, r.property, r.minimizedTraceLength]).toEqual([e.verdict, e.property, e.counterexampleSteps]);
      expectReplays(m, r);
    });

    it(`${strategy}: the livelock as a lasso cut at the depth bound, minimized to stem 1 + loop 2, replays`, () => {
      const m = livelockModel();
      // at depth 7 an execution that never succeeds (1 in 8 tries at `try`) has repeated `try`
      const r = exploreSync(m, { strategy, seed: 7n, runs: 200, depth: 7 });
      const e = fixture('livelock').expected;
      expect([r.verdict, r.property, r.minimizedTraceLength, r.loopStart]).toEqual([e.verdict, e.property, e.counterexampleSteps, e.loopStart]);
      // as found, before minimization, it was at least as long
      expect(r.rawTraceLength!).toBeGreaterThanOrEqual(e.counterexampleSteps!);
      expectReplays(m, r);
    });

    it(`${strategy}: the counter holds, its sometimes property is reached, 4 states seen`, () => {
      const r = exploreSync(counterModel(), { strategy, seed: 7n, runs: 50 });
      const e = fixture('counter').expected;
      expect(r.verdict).toBe(e.verdict);
      expect(r.property).toBeNull();
      expect(r.trace).toBeNull();
      expect(r.reachedSometimes).toEqual([...e.reached]);
      expect(r.unreachedSometimes).toEqual([]);
      // every execution ends finished, within the depth bound: nothing left undecided
      expect(r.notChecked).toEqual([]);
      expect(r.executions).toBe(50);
      expect(r.steps).toBe(50 * e.maxDepth);
      expect(Math.round(r.distinctStates!)).toBe(e.states);
    });
  }

  it('without minimization the raw lasso is reported as found, and still replays', () => {
    const m = livelockModel();
    const r = exploreSync(m, { strategy: 'random', seed: 7n, runs: 200, depth: 7, minimize: false });
    expect(r.verdict).toBe('violation');
    expect(r.minimizedTraceLength).toBe(r.rawTraceLength);
    expectReplays(m, r);
  });

  it('the livelock is left undecided (a suspected livelock), not passed, when no execution reaches the depth bound without a lasso', () => {
    // depth 2: begin, fail is cut before `try` repeats — no lasso in it, and T0 was stepping
    const r = exploreSync(livelockModel(), { strategy: 'random', seed: 7n, runs: 50, depth: 2 });
    expect(r.verdict).toBe('ok');
    expect(r.notChecked.length).toBe(1);
    expect(r.notChecked[0].property).toBe('done');
    expect(r.notChecked[0].executions).toBeGreaterThan(0);
  });

  it('the lost update: race insertion aims a plain-race window at it and finds it in its systematic pass', () => {
    const r = exploreSync(lostUpdateModel(), { strategy: 'race', seed: 1n, runs: 200 });
    expect(r.raceWindows!.map((w) => w.name).sort()).toEqual(['plain-race(T0#1,T1)', 'plain-race(T1#1,T0)']);
    // windows are aimed at by executions 0 and 1: the first one already loses an update
    expect(r.violationExecution).toBe(0);
  });
});
