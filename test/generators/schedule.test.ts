import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildModel } from '../../model/registry';
import { SCHEDULE_ASSERT_PARAMETERS, ScheduleViolation, formatSchedule, runSchedule, scheduleArb, scheduleProperty } from '../../generators/schedule';
import { replayModelTrace, buildModelTrace } from '../../checker/model-trace';

describe('generators/schedule: a shrinking schedule arbitrary', () => {
  it('the correct protocols hold under generated schedules', () => {
    fc.assert(scheduleProperty(buildModel('seqcount', { variant: 'v2', set: { writers: '2', readers: '1' } })), { seed: 1, numRuns: 300 });
    fc.assert(scheduleProperty(buildModel('rmap', { scenario: 'exclusive-race' })), { seed: 2, numRuns: 150 });
  });

  it('a broken variant fails; fast-check prints its replay token and our trace, and shrinks the schedule', () => {
    const model = buildModel('seqcount', { bug: 'no-retry' });
    const out = fc.check(scheduleProperty(model), { seed: 42, numRuns: 2000 });
    expect(out.failed).toBe(true);
    expect(out.seed).toBe(42);
    expect(typeof out.counterexamplePath).toBe('string');
    const [schedule] = out.counterexample!;
    const err = out.errorInstance as ScheduleViolation;
    expect(err).toBeInstanceOf(ScheduleViolation);
    expect(err.message).toMatch(/snapshot violated under schedule/);
    expect(err.message).toMatch(/"format": "rmapcheck-trace"/);
    // shrunk: a handful of context switches at most
    expect(schedule.segments.length).toBeLessThanOrEqual(4);
    expect(formatSchedule(model, schedule)).toMatch(/x\d/);
    // the replay token reproduces the same counterexample
    const again = fc.check(scheduleProperty(model), { seed: 42, numRuns: 2000, path: out.counterexamplePath!, endOnFailure: true });
    expect(again.counterexample).toEqual(out.counterexample);
    // and the trace of the failing schedule replays
    const ex = runSchedule(model, schedule);
    const r = replayModelTrace(buildModelTrace(model, ex.path, ex.violation!));
    expect(r.reproduced).toBe(true);
    // fc.assert's message carries both fast-check's token and our trace
    expect(() => fc.assert(scheduleProperty(model), { seed: 42, numRuns: 2000, ...SCHEDULE_ASSERT_PARAMETERS })).toThrow(
      /seed: 42, path: "[0-9:]+"[\s\S]*rmapcheck-trace/,
    );
  });

  it('the value is an explicit list of choices that shrinks towards fewer, shorter segments', () => {
    const arb = scheduleArb(3, { maxSegments: 10, maxRun: 5 });
    for (const v of fc.sample(arb, { seed: 7, numRuns: 50 }))
      expect(v.segments.every((g) => g.thread >= 0 && g.thread < 3 && g.run >= 1 && g.run <= 5)).toBe(true);
    // a property that fails on more than 2 segments shrinks to exactly 3 minimal ones
    const out = fc.check(fc.property(arb, (s) => s.segments.length <= 2), { seed: 8 });
    expect(out.failed).toBe(true);
    expect(out.counterexample![0].segments).toEqual([
      { thread: 0, run: 1 },
      { thread: 0, run: 1 },
      { thread: 0, run: 1 },
    ]);
  });
});
