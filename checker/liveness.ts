/**
 * The `eventually` check on the graph the safety pass recorded (state-graph.ts): no second
 * exploration. For a property P (bit `bit` of the graph's property bits) with thread t, a
 * violation is a path from an initial state through not-P states that ends (a not-P state with
 * no enabled action) or enters a cycle of not-P states containing a step of t (any step when
 * the property names no thread). Such a cycle exists iff a strongly connected component of the
 * not-P part of the graph contains an edge of t.
 *
 * First, for all properties at once, Kahn's algorithm over the states where some property does
 * not hold: when it removes every state, that part is acyclic (the usual case: writers that
 * finish, readers that retry only after a writer moved), so only end states can violate, and
 * those are found in the same pass. Only a property with a cycle or a not-P end state in reach
 * gets its own search: a breadth-first pass from the initial states through not-P states, Tarjan's
 * algorithm (iterative, typed arrays) over what it reached, then the lasso with a shortest stem
 * (breadth-first order) and a shortest loop through the stem's end that takes a step of t.
 *
 * Every search is a generator that yields about every 2^16 steps of work, so that a caller can
 * pause it at a deadline (the event loop runs: Ctrl-C is seen) and report progress.
 */
import { NOT_RECORDED, type LivenessGraph } from './state-graph';

export type { LivenessGraph };
import type { MemoryBudget } from './memory';

/** A liveness counterexample: initial-state number then action indices; `loopStart` indexes
 *  its states (the state the loop returns to), null for a path to an end state. */
export interface Lasso {
  readonly path: number[];
  readonly loopStart: number | null;
}

export interface LivenessProperty {
  /** Bit of the property in the graph's property bits. */
  readonly bit: number;
  /** The thread whose steps a loop must contain, or -1 for any. */
  readonly thread: number;
}

const YIELD_EVERY = 1 << 16;

/** Int32Array of n entries reserved in the budget (released by the caller through `free`). */
function int32(budget: MemoryBudget, n: number, what: string, fill = 0): Int32Array {
  const a = budget.allocate(4 * n, what, () => new Int32Array(n));
  if (fill !== 0) a.fill(fill);
  return a;
}

/**
 * Which of `properties` may be violated: those with a not-P end state, and all of them when the
 * states where some property fails contain a cycle. Yields while it works.
 */
export function* candidates(graph: LivenessGraph, properties: readonly LivenessProperty[], budget: MemoryBudget): Generator<void, Set<number>> {
  const n = graph.states;
  const all = graph.allHold | 0;
  const out = new Set<number>();
  const indegree = int32(budget, n, 'the liveness check (in-degrees)');
  try {
    let work = 0;
    let inPart = 0;
    for (let s = 0; s < n; s++) {
      const h = graph.holdsIn(s) | 0;
      if (h === all) continue;
      inPart++;
      const d = graph.degree(s);
      if (d === 0) for (const p of properties) if ((h & (1 << p.bit)) === 0) out.add(p.bit);
      if (d === NOT_RECORDED || d === 0) continue;
      const e0 = graph.firstEdge(s);
      for (let e = e0; e < e0 + d; e++) {
        const t = graph.target(e);
        if ((graph.holdsIn(t) | 0) !== all) indegree[t]++;
      }
      if ((work += d + 1) >= YIELD_EVERY) {
        work = 0;
        yield;
      }
    }
    // Kahn: remove states of in-degree 0 until none is left; what remains lies on or behind a cycle
    const queue = int32(budget, Math.max(1, inPart), 'the liveness check (queue)');
    try {
      let tail = 0;
      for (let s = 0; s < n; s++) if ((graph.holdsIn(s) | 0) !== all && indegree[s] === 0) queue[tail++] = s;
      for (let head = 0; head < tail; head++) {
        const s = queue[head];
        const d = graph.degree(s);
        if (d === NOT_RECORDED || d === 0) continue;
        const e0 = graph.firstEdge(s);
        for (let e = e0; e < e0 + d; e++) {
          const t = graph.target(e);
          if ((graph.holdsIn(t) | 0) !== all && --indegree[t] === 0) queue[tail++] = t;
        }
        if ((work += d + 1) >= YIELD_EVERY) {
          work = 0;
          yield;
        }
      }
      if (tail < inPart) for (const p of properties) out.add(p.bit);
    } finally {
      budget.release(4 * Math.max(1, inPart));
    }
  } finally {
    budget.release(4 * n);
  }
  return out;
}

/**
 * The lasso of one property with a shortest stem and, at its end, a shortest loop with a step
 * of the property's thread; null when the property holds. Yields while it works.
 */
export function* lassoOf(graph: LivenessGraph, prop: LivenessProperty, budget: MemoryBudget): Generator<void, Lasso | null> {
  const n = graph.states;
  const bit = 1 << prop.bit;
  const bad = (s: number): boolean => (graph.holdsIn(s) & bit) === 0;
  const reserved: number[] = [];
  const alloc = (what: string, fill = 0): Int32Array => {
    reserved.push(4 * n);
    return int32(budget, n, what, fill);
  };
  try {
    // 1. breadth-first from the initial states through not-P states: parent edge (or -2 - init)
    const parent = alloc('the liveness check (stems)', -1);
    const order = alloc('the liveness check (queue)');
    let tail = 0;
    for (const { index, init } of graph.initial)
      if (bad(index) && parent[index] === -1) {
        parent[index] = -2 - init;
        order[tail++] = index;
      }
    const parentOf = alloc('the liveness check (stems)', -1);
    let work = 0;
    for (let head = 0; head < tail; head++) {
      const s = order[head];
      const d = graph.degree(s);
      if (d === NOT_RECORDED || d === 0) continue;
      const e0 = graph.firstEdge(s);
      for (let e = e0; e < e0 + d; e++) {
        const t = graph.target(e);
        if (parent[t] !== -1 || !bad(t)) continue;
        parent[t] = e;
        parentOf[t] = s;
        order[tail++] = t;
      }
      if ((work += d + 1) >= YIELD_EVERY) {
        work = 0;
        yield;
      }
    }
    // 2. Tarjan over the reached not-P states; a component with an inner edge of the thread
    //    (or a self-loop of it) makes its states targets, as does every end state
    const num = alloc('the liveness check (components)'); // 0: unvisited, else visit number
    const low = alloc('the liveness check (components)');
    const comp = alloc('the liveness check (components)', -1);
    const stack = alloc('the liveness check (components)');
    const callNode = alloc('the liveness check (components)');
    const callEdge = alloc('the liveness check (components)');
    const target = alloc('the liveness check (targets)');
    let counter = 0;
    let sp = 0;
    let comps = 0;
    const inReach = (s: number): boolean => parent[s] !== -1;
    for (let r = 0; r < tail; r++) {
      const root = order[r];
      if (num[root] !== 0) continue;
      let cp = 0;
      callNode[0] = root;
      callEdge[0] = 0;
      num[root] = low[root] = ++counter;
      stack[sp++] = root;
      while (cp >= 0) {
        const v = callNode[cp];
        const d = graph.degree(v);
        const deg = d === NOT_RECORDED ? 0 : d;
        const e0 = graph.firstEdge(v);
        let i = callEdge[cp];
        let descended = false;
        while (i < deg) {
          const w = graph.target(e0 + i++);
          if (!bad(w) || !inReach(w)) continue;
          if (num[w] === 0) {
            callEdge[cp] = i;
            num[w] = low[w] = ++counter;
            stack[sp++] = w;
            cp++;
            callNode[cp] = w;
            callEdge[cp] = 0;
            descended = true;
            break;
          } else if (comp[w] === -1 && num[w] < low[v]) low[v] = num[w];
        }
        if (descended) continue;
        if ((work += deg + 1) >= YIELD_EVERY) {
          work = 0;
          yield;
        }
        if (low[v] === num[v]) {
          // pop the component; then look for an inner edge of the thread
          const c = comps++;
          let k = sp;
          do comp[stack[--k]] = c;
          while (stack[k] !== v);
          let qualifies = false;
          for (let j = k; j < sp && !qualifies; j++) {
            const u = stack[j];
            const du = graph.degree(u);
            if (du === NOT_RECORDED) continue;
            const f0 = graph.firstEdge(u);
            for (let e = f0; e < f0 + du; e++)
              if (comp[graph.target(e)] === c && (prop.thread < 0 || graph.thread(e) === prop.thread)) {
                qualifies = true;
                break;
              }
          }
          for (let j = k; j < sp; j++) if (qualifies || graph.degree(stack[j]) === 0) target[stack[j]] = 1;
          sp = k;
        }
        cp--;
        if (cp >= 0) {
          const u = callNode[cp];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
    // 3. the nearest target in breadth-first order: the stem
    let end = -1;
    for (let i = 0; i < tail && end < 0; i++) if (target[order[i]] === 1) end = order[i];
    if (end < 0) return null;
    const stem: number[] = [];
    let s = end;
    for (;;) {
      const p = parent[s];
      if (p <= -2) {
        stem.push(-2 - p);
        break;
      }
      const from = parentOf[s];
      stem.push(p - graph.firstEdge(from));
      s = from;
    }
    stem.reverse();
    if (graph.degree(end) === 0) return { path: stem, loopStart: null };
    // 4. the shortest loop from `end` back to it inside its component with a step of the thread:
    //    breadth-first over (state, thread step taken yet) pairs; pair p = 2 * state + flag
    const c = comp[end];
    const seen = new Map<number, { from: number; action: number }>();
    let layer = [2 * end];
    seen.set(2 * end, { from: -1, action: -1 });
    let found = -1;
    while (layer.length > 0 && found < 0) {
      const next: number[] = [];
      for (const pair of layer) {
        const u = pair >> 1;
        const flag = pair & 1;
        const du = graph.degree(u);
        const f0 = graph.firstEdge(u);
        for (let e = f0; e < f0 + du && found < 0; e++) {
          const w = graph.target(e);
          if (comp[w] !== c) continue;
          const f = flag | (prop.thread < 0 || graph.thread(e) === prop.thread ? 1 : 0);
          const q = 2 * w + f;
          if (seen.has(q)) continue;
          seen.set(q, { from: pair, action: e - f0 });
          if (w === end && f === 1) found = q;
          else next.push(q);
        }
        if (found >= 0) break;
      }
      layer = next;
      yield;
    }
    if (found < 0) throw new Error('[internal bug] liveness: a qualifying component without a loop through its state');
    const loop: number[] = [];
    for (let q = found; ; ) {
      const link = seen.get(q)!;
      if (link.from === -1) break;
      loop.push(link.action);
      q = link.from;
    }
    loop.reverse();
    return { path: [...stem, ...loop], loopStart: stem.length - 1 };
  } finally {
    for (const b of reserved) budget.release(b);
  }
}
