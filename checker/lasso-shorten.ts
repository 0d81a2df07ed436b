/**
 * Short liveness counterexamples for an `eventually` property P. A lasso is a stem (a path of
 * not-P states from an initial state) and a loop (a cycle of not-P states back to the stem's last
 * state containing a step of P's thread); or a path to a not-P end state (no enabled action).
 *
 * - `shortestStem`: breadth-first from the initial states through not-P states to the nearest
 *   targets (states on a qualifying loop, or end states): a stem no path beats.
 * - `shortestLoop`: breadth-first over (state, a thread step taken yet?) pairs from a state back
 *   to itself with the flag set: a shortest cycle through that state with a step of P's thread.
 *
 * Both identify states by `indexOf` (the lasso search's store index, or an interned key), so
 * that the lasso search (liveness.ts, whose strongly connected components mark the targets) and
 * `minimize` (targets: the states of a given loop) share them. Both are generators yielding
 * about every 1024 expanded states, so that the lasso search can report progress and stop.
 */
import type { AnyModel, Property } from '../model/core';
import { threadFn } from './model-queries';

/** A liveness counterexample: initial-state index then action indices; `loopStart` indexes its
 *  states (the state the loop returns to), null for a path to an end state. */
export interface Lasso {
  readonly path: number[];
  readonly loopStart: number | null;
}

/** A state's index; the same number for equal states. */
export type IndexOf = (state: unknown) => number;

/** Stored states a search may expand before it gives up (returns null). */
export interface SearchBudget {
  readonly maxStates?: number;
}

interface Link {
  readonly parent: number;
  readonly action: number;
}

function pathOf(links: Map<number, Link>, index: number): number[] {
  const rev: number[] = [];
  for (let i = index; i >= 0; i = links.get(i)!.parent) rev.push(links.get(i)!.action);
  return rev.reverse();
}

/**
 * The states nearest to the initial states (through not-P states) among the targets: all
 * targets of the first breadth-first layer that has any (at most `limit`, in breadth-first
 * order), each with its path; [] if none is reachable, null if the budget ran out first.
 */
export function* shortestStem(
  model: AnyModel,
  prop: Property<unknown>,
  indexOf: IndexOf,
  isTarget: (index: number, state: unknown) => boolean,
  options: SearchBudget & { limit?: number } = {},
): Generator<void, Array<{ index: number; state: unknown; path: number[] }> | null> {
  const max = options.maxStates ?? Infinity;
  const limit = options.limit ?? 256;
  const links = new Map<number, Link>();
  let layer: Array<{ index: number; state: unknown }> = [];
  const inits = model.initStates();
  for (let i = 0; i < inits.length; i++) {
    if (prop.holds(inits[i])) continue;
    const idx = indexOf(inits[i]);
    if (links.has(idx)) continue;
    links.set(idx, { parent: -1, action: i });
    layer.push({ index: idx, state: inits[i] });
  }
  let expanded = 0;
  while (layer.length > 0) {
    const found = layer.filter((e) => isTarget(e.index, e.state)).slice(0, limit);
    if (found.length > 0) return found.map((e) => ({ ...e, path: pathOf(links, e.index) }));
    const next: typeof layer = [];
    for (const e of layer) {
      if ((++expanded & 1023) === 0) yield;
      const acts = model.actions(e.state);
      for (let a = 0; a < acts.length; a++) {
        const w = model.next(e.state, acts[a]);
        if (prop.holds(w)) continue;
        const wi = indexOf(w);
        if (links.has(wi)) continue;
        if (links.size >= max) return null;
        links.set(wi, { parent: e.index, action: a });
        next.push({ index: wi, state: w });
      }
    }
    layer = next;
  }
  return [];
}

/**
 * The action indices of a shortest cycle from `state` back to itself through not-P states
 * allowed by `within` (e.g. its strongly connected component) with at least one step of P's
 * thread (any step when P has no thread); null if there is none (or the budget ran out).
 */
export function* shortestLoop(
  model: AnyModel,
  prop: Property<unknown>,
  state: unknown,
  index: number,
  indexOf: IndexOf,
  within: (index: number) => boolean = () => true,
  options: SearchBudget = {},
): Generator<void, number[] | null> {
  const max = options.maxStates ?? Infinity;
  const threadOf = threadFn(model);
  // node = 2 * state index + (a step of P's thread taken on the way)
  const links = new Map<number, Link>([[2 * index, { parent: -1, action: -1 }]]);
  const queue: Array<{ node: number; state: unknown }> = [{ node: 2 * index, state }];
  for (let h = 0; h < queue.length; h++) {
    if ((h & 1023) === 1023) yield;
    const { node, state: s } = queue[h];
    const acts = model.actions(s);
    for (let a = 0; a < acts.length; a++) {
      const w = model.next(s, acts[a]);
      if (prop.holds(w)) continue;
      const wi = indexOf(w);
      if (!within(wi)) continue;
      const flag = (node & 1) | (prop.thread === undefined || threadOf(acts[a]) === prop.thread ? 1 : 0);
      const wn = 2 * wi + flag;
      if (links.has(wn)) continue;
      links.set(wn, { parent: node, action: a });
      if (wi === index && flag === 1) {
        const rev: number[] = [];
        for (let n = wn; n !== 2 * index; n = links.get(n)!.parent) rev.push(links.get(n)!.action);
        return rev.reverse();
      }
      if (links.size >= max) return null;
      queue.push({ node: wn, state: w });
    }
  }
  return null;
}

/**
 * Of the nearest targets, the one with the shortest lasso: an end state (no loop) first, else
 * the shortest loop (`within(target)` restricts its loop's states); null if no stem or loop
 * was found within the budget.
 */
export function* shortestLasso(
  model: AnyModel,
  prop: Property<unknown>,
  indexOf: IndexOf,
  isTarget: (index: number, state: unknown) => boolean,
  within: (target: number) => (index: number) => boolean,
  options: SearchBudget = {},
): Generator<void, Lasso | null> {
  const found = yield* shortestStem(model, prop, indexOf, isTarget, options);
  if (found === null) return null;
  let best: Lasso | null = null;
  for (const t of found) {
    if (model.actions(t.state).length === 0) return { path: t.path, loopStart: null };
    const loop = yield* shortestLoop(model, prop, t.state, t.index, indexOf, within(t.index), options);
    if (loop !== null && (best === null || t.path.length + loop.length < best.path.length)) best = { path: [...t.path, ...loop], loopStart: t.path.length - 1 };
  }
  return best;
}

/** Runs one of the generators above to its end. */
export function runToEnd<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/**
 * Whether a path violates P as a liveness counterexample: P holds in none of its states, and
 * it ends in a state with no enabled action (`loopStart` null), or its last state equals the
 * state at `loopStart` and P's thread steps in between (the reader keeps being scheduled).
 */
export function isLassoViolation(model: AnyModel, prop: Property<unknown>, states: readonly unknown[], path: readonly number[], loopStart: number | null): boolean {
  if (!states.every((s) => !prop.holds(s))) return false;
  const last = states[states.length - 1];
  if (loopStart === null) return model.actions(last).length === 0;
  if (loopStart >= states.length - 1 || model.key(states[loopStart]) !== model.key(last)) return false;
  if (prop.thread === undefined) return true;
  const threadOf = threadFn(model);
  for (let i = loopStart + 1; i < path.length; i++) if (threadOf(model.actions(states[i - 1])[path[i]]) === prop.thread) return true;
  return false;
}
