/**
 * Two questions the randomized checkers and the minimizer ask of a model on every step, in one
 * place: the first violated `always` property of a state, and the thread of an action.
 */
import type { AnyModel, Property } from '../model/core';

/** The first violated property of `always` (in order) in a state, or null. */
export function firstViolatedOf(_model: AnyModel, always: readonly Property<unknown>[]): (s: unknown) => string | null {
  return (s) => {
    for (let i = 0; i < always.length; i++) if (!always[i].holds(s)) return always[i].name;
    return null;
  };
}

/** `describe(action).thread` as a function of the action. */
export function threadFn(model: { describe(a: unknown): { readonly thread: number } }): (action: unknown) => number {
  return (a) => model.describe(a).thread;
}
