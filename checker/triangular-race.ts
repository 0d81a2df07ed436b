/**
 * The triangular-race check (issue #13, "x86: when sequential consistency is enough"): Owens
 * (ECOOP 2010, "Reasoning about the implementation of concurrency abstractions on x86-TSO")
 * shows that a program whose SC executions have no triangular race behaves on x86-TSO as under
 * SC. A triangular race: a thread's non-locked store to `x`, followed in its program order, with
 * no fence or locked instruction in between, by its load of another location `y` that another
 * thread writes concurrently (both steps enabled in one reachable SC state).
 *
 * A breadth-first search over the model (model/core.ts), on states extended by each thread's
 * buffered stores: the locations of the non-locked stores (ActionInfo.x86 absent) it made since
 * its last locked action (`x86: 'locked'`, which drains the buffer). The buffer is not part of
 * the model's state, which is why this is a pass of its own rather than a property.
 */
import type { ActionInfo, AnyModel } from '../model/core';

/** A triangular race, found in a reachable state. */
export interface TriangularRace {
  /** The thread whose load races, by name. */
  readonly thread: string;
  /** The load's action label and the location it reads. */
  readonly load: string;
  readonly location: string;
  /** The locations of that thread's stores still possibly in its store buffer, each with the
   *  label of the store that wrote it last. */
  readonly buffered: readonly { readonly location: string; readonly store: string }[];
  /** The other thread's write of `location`, enabled in the same state. */
  readonly writer: string;
  readonly write: string;
  /** The path to that state: the initial state's index, then action indices (replayPath). */
  readonly path: readonly number[];
}

export interface TsoReport {
  /** True: no triangular race in any reachable state, so the SC verdicts hold on x86-TSO;
   *  false: `race` is one; null: the pass stopped at its bound before deciding. */
  readonly triangularRaceFree: boolean | null;
  /** States of the extended space visited (model state with the threads' store buffers). */
  readonly states: number;
  readonly race: TriangularRace | null;
  /** Why `triangularRaceFree` is null. */
  readonly incompleteReason: string | null;
}

export interface TsoOptions {
  /** Bound on the extended states; default 1,000,000. */
  readonly maxStates?: number;
  /** Bound on the wall-clock time in ms (`performance.now()`); default none. */
  readonly maxMs?: number;
}

/** The buffered stores of every thread: location -> label of its last store there. */
type Buffers = readonly ReadonlyMap<string, string>[];

const bufferKey = (b: Buffers): string => b.map((m) => [...m.keys()].sort().join(',')).join(';');

/** In a state with enabled `infos` and store buffers `buffers`: the first triangular race. */
export function raceIn(infos: readonly ActionInfo[], buffers: Buffers): Omit<TriangularRace, 'path' | 'thread' | 'writer'> & { thread: number; writer: number } | null {
  for (const a of infos) {
    if (a.x86 === 'locked') continue;
    const buf = buffers[a.thread];
    if (buf.size === 0) continue;
    for (const y of a.reads) {
      const others = [...buf.keys()].filter((x) => x !== y);
      if (others.length === 0) continue;
      const w = infos.find((b) => b.thread !== a.thread && b.writes.includes(y));
      if (w)
        return {
          thread: a.thread,
          load: a.label,
          location: y,
          buffered: others.sort().map((x) => ({ location: x, store: buf.get(x)! })),
          writer: w.thread,
          write: w.label,
        };
    }
  }
  return null;
}

/** Thread `info.thread`'s buffers after the action. */
export function afterAction(buffers: Buffers, info: ActionInfo): Buffers {
  const t = info.thread;
  const mine = buffers[t];
  let next: ReadonlyMap<string, string>;
  if (info.x86 === 'locked') {
    if (mine.size === 0) return buffers;
    next = new Map();
  } else {
    if (info.writes.length === 0) return buffers;
    const m = new Map(mine);
    for (const x of info.writes) m.set(x, info.label);
    next = m;
  }
  const out = buffers.slice();
  out[t] = next;
  return out;
}

/**
 * Searches `model`'s reachable states for a triangular race (breadth first: the path to the
 * first one found is a shortest one).
 */
export function findTriangularRace(model: AnyModel, options: TsoOptions = {}): TsoReport {
  const maxStates = options.maxStates ?? 1_000_000;
  const deadline = options.maxMs === undefined ? Infinity : performance.now() + options.maxMs;
  const empty: Buffers = model.threads.map(() => new Map<string, string>());
  interface Node {
    readonly state: unknown;
    readonly buffers: Buffers;
    readonly parent: number;
    readonly action: number;
  }
  const nodes: Node[] = [];
  const seen = new Set<string>();
  const add = (state: unknown, buffers: Buffers, parent: number, action: number): boolean => {
    const key = `${model.key(state)}#${bufferKey(buffers)}`;
    if (seen.has(key)) return true;
    if (nodes.length >= maxStates) return false;
    seen.add(key);
    nodes.push({ state, buffers, parent, action });
    return true;
  };
  const pathOf = (i: number): number[] => {
    const out: number[] = [];
    for (let j = i; j >= 0; j = nodes[j].parent) out.push(nodes[j].action);
    return out.reverse();
  };
  const inits = model.initStates();
  for (let i = 0; i < inits.length; i++) add(inits[i], empty, -1, i);
  for (let i = 0; i < nodes.length; i++) {
    if ((i & 1023) === 1023 && performance.now() >= deadline)
      return { triangularRaceFree: null, states: nodes.length, race: null, incompleteReason: `the time bound of ${(options.maxMs! / 1000).toFixed(1)} s was reached after ${nodes.length.toLocaleString('en-US')} states (with store buffers)` };
    const { state, buffers } = nodes[i];
    const acts = model.actions(state);
    const infos = acts.map((a: unknown) => model.describe(a));
    const race = raceIn(infos, buffers);
    if (race)
      return {
        triangularRaceFree: false,
        states: nodes.length,
        race: { ...race, thread: model.threads[race.thread], writer: model.threads[race.writer], path: pathOf(i) },
        incompleteReason: null,
      };
    for (let a = 0; a < acts.length; a++)
      if (!add(model.next(state, acts[a]), afterAction(buffers, infos[a]), i, a))
        return { triangularRaceFree: null, states: nodes.length, race: null, incompleteReason: `the bound of ${maxStates.toLocaleString('en-US')} states (with store buffers) was reached` };
  }
  return { triangularRaceFree: true, states: nodes.length, race: null, incompleteReason: null };
}

/** One line for a person: what the pass found and what it means for x86-TSO. */
export function tsoLine(r: TsoReport): string {
  if (r.triangularRaceFree === true)
    return `x86-TSO: no triangular race in ${r.states.toLocaleString('en-US')} states (with store buffers): the SC verdicts hold on x86-TSO (Owens, ECOOP 2010)`;
  if (r.triangularRaceFree === null) return `x86-TSO: not judged: ${r.incompleteReason}`;
  const x = r.race!;
  const buffered = x.buffered.map((b) => `${b.location} ('${b.store}')`).join(', ');
  return (
    `x86-TSO: triangular race: ${x.thread} loads ${x.location} ('${x.load}') with its store to ${buffered} possibly still buffered, ` +
    `while ${x.writer} writes ${x.location} ('${x.write}'): the SC verdicts need not hold on x86-TSO (path ${x.path.join(',')})`
  );
}
