/**
 * A fast-check arbitrary of thread schedules that shrinks. fast-check's own `fc.scheduler()`
 * does not shrink the interleaving; here the generated value IS the interleaving, an explicit
 * list of choices — runs of one thread, `{ thread, run }` — so fast-check's array and integer
 * shrinking gives shorter prefixes (fewer segments: fewer context switches) and shorter runs.
 *
 * Execution of a schedule (`SegmentScheduler`): each segment runs its thread for up to `run`
 * steps (a segment whose thread has nothing enabled ends early); after the last segment the
 * lowest enabled thread runs (a fixed tail, so a schedule's meaning does not depend on anything
 * random). The path recorded is the checker's, so a failure becomes a v2 trace as usual.
 */
import fc from 'fast-check';
import type { AnyModel } from '../model/core';
import { ExecutionLoop, type Execution, type Scheduler } from '../checker/random/scheduler';
import { threadFn } from '../checker/model-queries';
import { buildModelTrace } from '../checker/model-trace';
import { serializeTrace } from '../checker/trace';

export interface Segment {
  readonly thread: number;
  readonly run: number;
}

export interface Schedule {
  readonly segments: readonly Segment[];
}

export interface ScheduleArbOptions {
  /** Most segments (default 24). */
  readonly maxSegments?: number;
  /** Longest run of one segment (default 8). */
  readonly maxRun?: number;
}

/** Schedules for a model of `threads` threads. */
export function scheduleArb(threads: number, o: ScheduleArbOptions = {}): fc.Arbitrary<Schedule> {
  return fc
    .array(fc.record({ thread: fc.integer({ min: 0, max: threads - 1 }), run: fc.integer({ min: 1, max: o.maxRun ?? 8 }) }), {
      maxLength: o.maxSegments ?? 24,
    })
    .map((segments) => ({ segments }));
}

/** A schedule as text, e.g. `W0x3 R0x1 W1x2`. */
export function formatSchedule(model: AnyModel, s: Schedule): string {
  return s.segments.map((g) => `${model.threads[g.thread]}x${g.run}`).join(' ') || '(empty: lowest thread first)';
}

/** The scheduler that follows a schedule (see the file comment). */
export class SegmentScheduler implements Scheduler {
  private seg = 0;
  private used = 0;
  private readonly threadOf: (action: unknown) => number;
  constructor(
    model: AnyModel,
    private readonly schedule: Schedule,
  ) {
    this.threadOf = threadFn(model);
  }
  initial(): number {
    return 0;
  }
  choose(_state: unknown, actions: readonly unknown[]): number {
    const segs = this.schedule.segments;
    while (this.seg < segs.length) {
      const g = segs[this.seg];
      if (this.used < g.run) {
        const a = actions.findIndex((x) => this.threadOf(x) === g.thread);
        if (a >= 0) {
          this.used++;
          return a;
        }
      }
      this.seg++;
      this.used = 0;
    }
    let best = 0;
    let bestThread = actions.length > 0 ? this.threadOf(actions[0]) : 0;
    for (let a = 1; a < actions.length; a++) {
      const t = this.threadOf(actions[a]);
      if (t < bestThread) {
        best = a;
        bestThread = t;
      }
    }
    return best;
  }
}

/** Runs `model` under `schedule` (at most `depth` steps). */
export function runSchedule(model: AnyModel, schedule: Schedule, depth = 1000): Execution {
  return new ExecutionLoop(model).run(new SegmentScheduler(model, schedule), depth);
}

/** Thrown by `scheduleProperty` on a violation: the message carries the schedule and our trace. */
export class ScheduleViolation extends Error {
  override name = 'ScheduleViolation';
  constructor(
    message: string,
    readonly property: string,
    readonly path: number[],
  ) {
    super(message);
  }
}

/** Parameters for `fc.assert` so that its failure report includes our message (the schedule
 *  and the trace) after fast-check's replay token `{ seed, path }`. */
export const SCHEDULE_ASSERT_PARAMETERS = { includeErrorInReport: true } as const;

/**
 * The property "no safety violation under any schedule" of a model, for `fc.assert`/`fc.check`.
 * A failure's error holds the schedule, the violated property and the trace (v2 JSON); assert
 * with `SCHEDULE_ASSERT_PARAMETERS` to have fast-check print it after its replay token.
 */
export function scheduleProperty(model: AnyModel, o: ScheduleArbOptions & { depth?: number } = {}) {
  return fc.property(scheduleArb(model.threads.length, o), (schedule) => {
    const ex = runSchedule(model, schedule, o.depth ?? 1000);
    if (ex.violation !== null) {
      const trace = buildModelTrace(model, ex.path, ex.violation);
      throw new ScheduleViolation(
        `${ex.violation} violated under schedule ${formatSchedule(model, schedule)} (${ex.steps} steps)\ntrace:\n${serializeTrace(trace)}`,
        ex.violation,
        ex.path,
      );
    }
  });
}
