/**
 * Optional fast paths a model may offer the checkers' loops (explore.ts, random/scheduler.ts). Declared
 * here rather than in model/core.ts `Model` so that models opt in without changing the core
 * interface; the loop detects them at run time and falls back to the reference behaviour.
 */
import type { Property } from '../model/core';

export interface FastAlways<S = unknown> {
  /**
   * The names of the `always` properties `firstViolated` judges, in the order it judges them.
   * The loop uses `firstViolated` only when this equals its own list of `always` properties.
   */
  readonly alwaysNames: readonly string[];
  /** The first of `alwaysNames` whose property does not hold in `s`, or null: the same answer
   *  as evaluating each property in order (test/rmap-fast.test.ts checks it), in one call. */
  firstViolated(s: S): string | null;
}

export interface FastThread<A = unknown> {
  /** `describe(a).thread`, without building an ActionInfo. */
  actionThread(a: A): number;
}

export function fastAlways(model: object, names: readonly string[]): FastAlways | null {
  const m = model as Partial<FastAlways>;
  if (typeof m.firstViolated !== 'function' || !m.alwaysNames) return null;
  const a = m.alwaysNames;
  if (a.length !== names.length || a.some((n, i) => n !== names[i])) return null;
  return m as FastAlways;
}

export function fastThread(model: object): FastThread | null {
  const m = model as Partial<FastThread>;
  return typeof m.actionThread === 'function' ? (m as FastThread) : null;
}

/** The first violated `always` property of a state, or null: the model's `firstViolated` when
 *  it offers one for exactly `always` (in that order), else each property in order. */
export function firstViolatedOf(model: object, always: readonly Property<unknown>[]): (s: unknown) => string | null {
  const fast = fastAlways(model, always.map((p) => p.name));
  if (fast !== null) return (s) => fast.firstViolated(s);
  return (s) => {
    for (let i = 0; i < always.length; i++) if (!always[i].holds(s)) return always[i].name;
    return null;
  };
}

/** `describe(action).thread` as a function of the action alone, without an ActionInfo per call
 *  when the model offers `actionThread`: PCT, race insertion and the lasso search ask it often. */
export function threadFn(model: { describe(a: unknown): { readonly thread: number } }): (action: unknown) => number {
  const f = fastThread(model);
  return f !== null ? (a) => f.actionThread(a) : (a) => model.describe(a).thread;
}
