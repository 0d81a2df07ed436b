/**
 * Lasso search for one `eventually` property P: a path from an initial state along which P never
 * holds and that either ends (a state with no enabled action) or enters a cycle containing at
 * least one step of P's `thread` (any step when `thread` is unset). Such a cycle exists iff a
 * strongly connected component of the graph of reachable not-P states contains an edge of that
 * thread, so this is Tarjan's SCC algorithm (iterative, successors regenerated on demand) over
 * that graph; the prefix of the lasso is the DFS call stack at the component's root.
 *
 * The pass runs without reductions (symmetry would permute the property's thread).
 *
 * The search does not stop at the first lasso: it runs to the end, marking every qualifying
 * component and every end state, and then reports a lasso with a shortest stem to one of them
 * and a shortest loop there (lasso-shorten.ts); the DFS stack's lasso (stem up to the search's
 * depth) is the fallback when the search is stopped (abort, state bound) before that.
 */
import type { AnyModel, Model, Property } from '../model/core';
import type { CheckOptions } from './explore';
import { threadFn } from './fast';
import { FingerprintSet, makeVisitedSet, type VisitedSet } from './visited';
import { MemoryBudget } from './memory';
import { shortestLasso } from './lasso-shorten';

export type LassoResult =
  | { kind: 'ok'; states: number; transitions: number }
  | { kind: 'violation'; path: number[]; loopStart: number | null }
  | { kind: 'incomplete'; reason: string };

interface Frame {
  readonly state: unknown;
  readonly index: number;
  readonly acts: readonly unknown[];
  next: number;
  /** Action index (or initial-state index) that led here. */
  readonly via: number;
  readonly depth: number;
  /** The state's fingerprint, when successors are stepped in place (`incremental`). */
  readonly lo: number;
  readonly hi: number;
  /** The state has a not-P edge to itself (a one-state component can loop only so). */
  selfLoop: boolean;
}

/** The search runs to the end. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findLasso<S>(typedModel: Model<S, any>, typedProp: Property<S>, options: CheckOptions = {}): LassoResult {
  const search = lassoSearch(typedModel, typedProp, options);
  for (;;) {
    const r = search.next();
    if (r.done) return r.value;
  }
}

/** Figures of a lasso search in progress. */
export interface LassoProgress {
  /** States stored (not-P states, without the reduction). */
  readonly states: number;
  readonly transitions: number;
  /** The DFS stack's depth now, and the deepest it has been. */
  readonly depth: number;
  readonly maxDepth: number;
}

/**
 * The search as a generator: it yields its figures about every 1024 transitions, so that a
 * caller can pause it at a deadline (the event loop runs: Ctrl-C is seen) and report progress.
 */
export function* lassoSearch<S>(
  typedModel: Model<S, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  typedProp: Property<S>,
  options: CheckOptions = {},
  budget: MemoryBudget = new MemoryBudget(options.maxMemory ?? Infinity),
): Generator<LassoProgress, LassoResult> {
  // the store's memory goes back to the budget however the search ends
  const store = makeVisitedSet(options.store ?? 'fingerprint', { links: false, trackIndex: true, budget });
  try {
    return yield* searchLasso(typedModel as AnyModel, typedProp as Property<unknown>, options, store, budget);
  } finally {
    store.close?.();
  }
}

/** `lassoSearch` in `store`; its arrays are on the JS heap, checked at every progress report. */
function* searchLasso(model: AnyModel, prop: Property<unknown>, options: CheckOptions, store: VisitedSet, budget: MemoryBudget): Generator<LassoProgress, LassoResult> {
  const insert = storeState(model, store);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  // Tarjan: the store's insertion index is the DFS discovery number.
  const low: number[] = [];
  const onStack: boolean[] = [];
  const tIndex: number[] = [];
  const tState: unknown[] = [];
  const frames: Frame[] = [];
  let transitions = 0;
  let tick = 0;
  let depthBoundHit = false;
  let deepest = 0;
  // the figures; low/onStack grow with the store, the stack's arrays with the DFS depth (a JS
  // array grows by half: 12 bytes an element at once)
  const progress = (): LassoProgress => {
    budget.checkHeap(`the liveness pass (lasso search for ${prop.name})`, 24 * store.size + 36 * frames.length);
    return { states: store.size, transitions, depth: frames.length, maxDepth: deepest };
  };
  // what a shortest lasso may end in: state index -> its qualifying component; end states
  const targetComponent = new Map<number, number>();
  let components = 0;
  const endStates = new Set<number>();
  // the first violation the DFS met (reported if the search stops before the shortening)
  let first: LassoResult | null = null;

  // With the model's fingerprint and in-place steps: a successor is the frame's own state,
  // stepped, looked up by its incrementally updated fingerprint and undone; only a new one is
  // copied (through the flat row codec).
  const flat = model.flat;
  const incremental = store instanceof FingerprintSet && model.fingerprint !== undefined && flat?.stepInPlace !== undefined && flat.undo !== undefined;
  const fp = new Uint32Array(2);
  const row = flat ? new Int32Array(flat.words) : null;
  const copy = (state: unknown): unknown => {
    flat!.encode(state, row!, 0);
    return flat!.decode(row!, 0, flat!.scratch());
  };

  const enter = (state: unknown, index: number, via: number, lo = 0, hi = 0): void => {
    low[index] = index;
    onStack[index] = true;
    tIndex.push(index);
    tState.push(state);
    const depth = frames.length;
    const all = model.actions(state);
    // an end state is a violation at any depth (the bound only stops expanding)
    const cut = depth >= maxDepth && all.length > 0;
    if (cut) depthBoundHit = true;
    frames.push({ state, index, acts: cut ? [] : all, next: 0, via, depth, lo, hi, selfLoop: false });
    if (frames.length > deepest) deepest = frames.length;
    if (all.length === 0) {
      endStates.add(index);
      first ??= { kind: 'violation', path: frames.map((f) => f.via), loopStart: null };
    }
  };

  const inits = model.initStates();
  for (let i = 0; i < inits.length; i++) {
    if (prop.holds(inits[i])) continue;
    if (incremental) model.fingerprint!(inits[i], fp);
    const r = insert(inits[i], i);
    if (r < 0) continue;
    enter(inits[i], r, i, fp[0], fp[1]);
    while (frames.length > 0) {
      if ((++tick & 1023) === 0) {
        if (options.signal?.aborted) return first ?? { kind: 'incomplete', reason: 'aborted' };
        yield progress();
      }
      const top = frames[frames.length - 1];
      if (top.next < top.acts.length) {
        const a = top.next++;
        transitions++;
        let w: unknown;
        let r2: number;
        if (incremental) {
          flat!.stepInPlace!(top.state, top.acts[a], top.lo, top.hi, fp);
          if (prop.holds(top.state)) {
            flat!.undo!(top.state);
            continue;
          }
          r2 = (store as FingerprintSet).insertFingerprint(fp[0], fp[1], -1, 0);
          w = r2 >= 0 ? copy(top.state) : null;
          flat!.undo!(top.state);
        } else {
          w = model.next(top.state, top.acts[a]);
          if (prop.holds(w)) continue;
          r2 = insert(w, 0);
        }
        if (r2 >= 0) {
          if (store.size > maxStates) {
            if (first) return yield* shortened();
            return { kind: 'incomplete', reason: `the bound maxStates=${maxStates} was reached (lasso search for ${prop.name})` };
          }
          enter(w, r2, a, fp[0], fp[1]);
        } else {
          const idx = ~r2;
          if (idx === top.index) top.selfLoop = true;
          if (onStack[idx] && idx < low[top.index]) low[top.index] = idx;
        }
        continue;
      }
      // top is finished: the root of a component?
      const v = top.index;
      if (low[v] === v) {
        const members = new Map<number, unknown>();
        for (;;) {
          const u = tIndex.pop()!;
          members.set(u, tState.pop());
          onStack[u] = false;
          if (u === v) break;
        }
        // a one-state component loops only through a self-loop (a state cut at the depth
        // bound has no explored edge at all)
        const lasso = members.size > 1 || top.selfLoop ? lassoIn(model, prop, insert, members, top.state, v) : null;
        if (lasso) {
          const prefix = frames.map((f) => f.via);
          first ??= { kind: 'violation', path: [...prefix, ...lasso], loopStart: prefix.length - 1 };
          for (const u of members.keys()) targetComponent.set(u, components);
          components++;
        }
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1];
        if (low[v] < low[parent.index]) low[parent.index] = low[v];
      }
    }
  }
  if (first) return yield* shortened();
  if (depthBoundHit) return { kind: 'incomplete', reason: `the bound maxDepth=${maxDepth} was reached (lasso search for ${prop.name})` };
  return { kind: 'ok', states: store.size, transitions };

  /** The shortest lasso to the targets marked so far (the first one found if stopped). */
  function* shortened(): Generator<LassoProgress, LassoResult> {
    const indexOf = (s: unknown): number => {
      const r = insert(s, 0);
      return r >= 0 ? r : ~r;
    };
    const isTarget = (i: number) => targetComponent.has(i) || endStates.has(i);
    const within = (t: number) => {
      const c = targetComponent.get(t);
      return (i: number) => targetComponent.get(i) === c;
    };
    const search = shortestLasso(model, prop, indexOf, isTarget, within);
    for (;;) {
      const r = search.next();
      if (r.done) return r.value ? { kind: 'violation', ...r.value } : first!;
      if (options.signal?.aborted) return first!;
      yield progress();
    }
  }
}

/** Inserts a state into the store (no parent link): by the model's own fingerprint when it
 *  has one and the store keeps fingerprints (no key string), else by its key. */
function storeState(model: AnyModel, store: VisitedSet): (state: unknown, action: number) => number {
  if (model.fingerprint && store instanceof FingerprintSet) {
    const fp = new Uint32Array(2);
    return (state, action) => {
      model.fingerprint!(state, fp);
      return store.insertFingerprint(fp[0], fp[1], -1, action);
    };
  }
  return (state, action) => store.insert(model.key(state), -1, action);
}

/** In the component `members` (index -> state), an edge of the property's thread; if there is
 *  one, the action indices of a cycle from `root` through it back to `root`. */
function lassoIn(
  model: AnyModel,
  prop: Property<unknown>,
  insert: (state: unknown, action: number) => number,
  members: Map<number, unknown>,
  root: unknown,
  rootIndex: number,
): number[] | null {
  const indexOf = (s: unknown): number => {
    const r = insert(s, 0);
    // invariant: every successor that is not-P was stored when its source was expanded.
    if (r >= 0) throw new Error('[internal bug] lasso search met an unstored state');
    return ~r;
  };
  const threadOf = threadFn(model);
  for (const [u, us] of members) {
    const acts = model.actions(us);
    for (let a = 0; a < acts.length; a++) {
      if (prop.thread !== undefined && threadOf(acts[a]) !== prop.thread) continue;
      const w = model.next(us, acts[a]);
      if (prop.holds(w)) continue;
      const wi = indexOf(w);
      if (!members.has(wi)) continue;
      const toU = pathWithin(model, prop, members, root, rootIndex, u, indexOf);
      const back = pathWithin(model, prop, members, w, wi, rootIndex, indexOf);
      return [...toU, a, ...back];
    }
  }
  return null;
}

/** BFS inside the component from `from` to the member `to`: the action indices. */
function pathWithin(
  model: AnyModel,
  prop: Property<unknown>,
  members: Map<number, unknown>,
  from: unknown,
  fromIndex: number,
  to: number,
  indexOf: (s: unknown) => number,
): number[] {
  const prev = new Map<number, { parent: number; action: number }>();
  prev.set(fromIndex, { parent: -1, action: -1 });
  const queue: Array<[number, unknown]> = [[fromIndex, from]];
  for (let h = 0; h < queue.length; h++) {
    const [i, s] = queue[h];
    if (i === to) {
      const path: number[] = [];
      for (let j = i; j !== fromIndex; j = prev.get(j)!.parent) path.push(prev.get(j)!.action);
      return path.reverse();
    }
    const acts = model.actions(s);
    for (let a = 0; a < acts.length; a++) {
      const w = model.next(s, acts[a]);
      if (prop.holds(w)) continue; // P states are outside the not-P graph
      const wi = indexOf(w);
      if (!members.has(wi) || prev.has(wi)) continue;
      prev.set(wi, { parent: i, action: a });
      queue.push([wi, w]);
    }
  }
  throw new Error('[internal bug] no path inside a strongly connected component');
}
