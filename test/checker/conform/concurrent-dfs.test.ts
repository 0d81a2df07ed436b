// Concurrent mode's bounded exhaustive strategy: stateless DFS over schedules with a preemption
// bound (as loom, CHESS). On tiny programs whose threads never block (pins: one atomic add of
// the refcount each), the number of schedules it explores at each bound must equal the number of
// interleavings with at most that many preemptions, counted here independently: by closed forms
// (bound 0: one per thread order; bound 1: one per action, for two threads; no bound: the
// multinomial coefficient) and by brute-force enumeration of the interleavings.
import { describe, expect, it } from 'vitest';
import { ConformProcess } from '../../../checker/conform/process';
import { runThreadsRequest, type ExecEvent } from '../../../checker/conform/threads';
import type { ConformOp } from '../../../checker/conform/ops';
import { buildKernel } from '../../helpers/conform';

const PIN: ConformOp = { op: 'pin' };
const UNPIN: ConformOp = { op: 'unpin' };
const UNBOUNDED = 0xffffffff;

/** Interleavings of threads with n[t] actions each with at most `bound` preemptions (a switch away
 *  from a thread that has actions left; the first choice and a switch after a thread ends are free). */
function interleavings(n: readonly number[], bound: number): number {
  let count = 0;
  const rem = [...n];
  const walk = (cur: number, pre: number): void => {
    if (rem.every((k) => k === 0)) {
      count++;
      return;
    }
    for (let t = 0; t < rem.length; t++) {
      if (rem[t] === 0) continue;
      const cost = cur >= 0 && rem[cur] > 0 && t !== cur ? 1 : 0;
      if (pre + cost > bound) continue;
      rem[t]--;
      walk(t, pre + cost);
      rem[t]++;
    }
  };
  walk(-1, 0);
  return count;
}

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
const multinomial = (n: readonly number[]) => factorial(n.reduce((a, b) => a + b, 0)) / n.reduce((a, k) => a * factorial(k), 1);

interface DfsRun {
  schedules: number;
  exhausted: boolean;
  /** Each execution's schedule (the thread of every decision). */
  distinct: number;
  /** Actions per thread (every execution: they never depend on the schedule here). */
  actions: number[][];
}

async function dfs(proc: ConformProcess, threads: ConformOp[][], bound: number, budget: number): Promise<DfsRun> {
  let path: readonly number[] = [];
  let schedules = 0;
  const seen = new Set<string>();
  const actions = new Set<string>();
  for (;;) {
    const r = await runThreadsRequest(proc, { order: 2, rmapIds: [1, 2], setup: [], threads, strategy: 'dfs', executions: Math.min(64, budget - schedules), decisions: path, params: [bound], maxPoints: 1000, record: true });
    for (const e of r.executions) {
      expect(e.end).toBe('finished');
      const order = e.events.flatMap((x: ExecEvent) => (x.kind === 'decision' ? [x.thread] : []));
      seen.add(order.join(''));
      actions.add(JSON.stringify(threads.map((_, t) => order.filter((x) => x === t).length)));
    }
    schedules += r.executions.length;
    if (r.dfs!.exhausted) return { schedules, exhausted: true, distinct: seen.size, actions: [...actions].map((a) => JSON.parse(a)) };
    if (schedules >= budget) return { schedules, exhausted: false, distinct: seen.size, actions: [...actions].map((a) => JSON.parse(a)) };
    path = r.dfs!.next;
  }
}

describe('conform concurrent: DFS explores exactly the schedules within the preemption bound', () => {
  const b = buildKernel(null, ['CONFIG_ATOMIC_SEQCOUNT_VARIANT=1'], 'concurrent');

  async function withProcess<T>(f: (p: ConformProcess) => Promise<T>): Promise<T> {
    const proc = new ConformProcess(b.binary, 1000);
    try {
      await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
      return await f(proc);
    } finally {
      proc.close();
    }
  }

  it('two threads (6 and 4 actions): 2 schedules at bound 0, 10 at bound 1, the enumeration at 2, C(10,4) = 210 unbounded', async () => {
    await withProcess(async (proc) => {
      const threads = [[PIN, PIN, UNPIN], [PIN, UNPIN]];
      // each operation is two actions: start it and run to its atomic add; the add and the end
      const n = [6, 4];
      const counts: Record<string, number> = {};
      for (const bound of [0, 1, 2, UNBOUNDED]) {
        const r = await dfs(proc, threads, bound, 100_000);
        expect(r.exhausted).toBe(true);
        expect(r.actions).toEqual([n]);
        // every schedule explored once
        expect(r.distinct).toBe(r.schedules);
        counts[bound === UNBOUNDED ? 'unbounded' : String(bound)] = r.schedules;
      }
      expect(counts).toEqual({ '0': 2, '1': n[0] + n[1], '2': interleavings(n, 2), unbounded: multinomial(n) });
      expect(counts.unbounded).toBe(210);
      expect(interleavings(n, UNBOUNDED)).toBe(210);
      expect(interleavings(n, 1)).toBe(10);
    });
  });

  it('three threads (4, 2 and 2 actions): the enumeration at every bound, 3! at bound 0, 8!/(4!2!2!) = 420 unbounded', async () => {
    await withProcess(async (proc) => {
      const threads = [[PIN, UNPIN], [PIN], [PIN]];
      const n = [4, 2, 2];
      for (const bound of [0, 1, 2, 3, UNBOUNDED]) {
        const r = await dfs(proc, threads, bound, 100_000);
        expect(r.exhausted).toBe(true);
        expect(r.actions).toEqual([n]);
        expect(r.distinct).toBe(r.schedules);
        expect(r.schedules).toBe(interleavings(n, bound));
      }
      expect(interleavings(n, 0)).toBe(6);
      expect(interleavings(n, UNBOUNDED)).toBe(420);
    });
  });

  it('a budget below the space stops DFS there and says the bound was not exhausted', async () => {
    await withProcess(async (proc) => {
      const r = await dfs(proc, [[PIN, PIN, UNPIN], [PIN, UNPIN]], UNBOUNDED, 100);
      expect(r).toMatchObject({ schedules: 100, exhausted: false, distinct: 100 });
    });
  });
});
