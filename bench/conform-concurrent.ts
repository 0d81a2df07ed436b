/**
 * Speed of `conform`'s concurrent mode (issue #10 asks >= 50,000 scheduling points per second):
 * rmapcheck's own implementation (V3 seqcount), each strategy, 5 rounds of 2 s each after a
 * warm-up round. A scheduling point is one decision of the C scheduler (an instrumented
 * primitive or plain access run by one thread); every figure is end to end — programs generated
 * by fast-check, executions run in the C process, every execution judged in TS (linearizability,
 * quiescent invariants) — over the whole round.
 * Run alone: `node -r ts-node/register/transpile-only bench/conform-concurrent.ts [strategy ...]`.
 */
import { buildConformBinary, ownImplementation } from '../checker/conform/build';
import { runConformConcurrent } from '../checker/conform/concurrent';
import type { ConcurrentStrategyName } from '../checker/conform/concurrent-strategy';
import { median } from './median';

export interface ConcurrentBench {
  readonly strategy: ConcurrentStrategyName;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly pointsPerSchedule: number;
}

export async function benchConformConcurrent(strategy: ConcurrentStrategyName = 'race', rounds = 5, seconds = 2): Promise<ConcurrentBench> {
  const own = ownImplementation();
  const b = buildConformBinary({ impl: [own.impl], includeDirs: [own.includeDir], mode: 'concurrent' });
  await runConformConcurrent({ binary: b.binary, seed: 1, strategy, timeSeconds: 1 }); // warm-up: JIT, caches
  const rates: number[] = [];
  let points = 0;
  let schedules = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await runConformConcurrent({ binary: b.binary, seed: 100 + i, strategy, timeSeconds: seconds });
    if (r.verdict !== 'ok') throw new Error(`[internal bug] the own implementation failed concurrent mode in the benchmark: ${JSON.stringify(r.finding)}`);
    rates.push(r.pointsPerSecond);
    points += r.points;
    schedules += r.schedules;
  }
  return { strategy, median: median(rates), min: Math.min(...rates), max: Math.max(...rates), pointsPerSchedule: Math.round(points / schedules) };
}

if (require.main === module) {
  (async () => {
    const names = (process.argv.slice(2).length ? process.argv.slice(2) : ['race', 'random', 'pct', 'dfs']) as ConcurrentStrategyName[];
    const f = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const s of names) {
      const r = await benchConformConcurrent(s);
      console.log(`conform concurrent (${s}), own implementation: ${f(r.median)} scheduling points/s median (${f(r.min)} .. ${f(r.max)}), ${r.pointsPerSchedule} points per schedule`);
    }
  })();
}
