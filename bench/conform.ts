/**
 * Speed of `conform`'s sequential mode (issue #10 asks >= 100,000 operations compared per
 * second): rmapcheck's own implementation, 5 rounds of 2 s each after a warm-up round; every
 * figure counts operations compared with the reference, generation and shrinking included.
 * Run alone: `node -r ts-node/register/transpile-only bench/conform.ts`.
 */
import { buildConformBinary, ownImplementation } from '../checker/conform/build';
import { runSequential } from '../checker/conform/sequential';
import { median } from './median';

export async function benchConform(rounds = 5, seconds = 2): Promise<{ median: number; min: number; max: number; opsPerRun: number }> {
  const own = ownImplementation();
  const b = buildConformBinary({ impl: [own.impl], includeDirs: [own.includeDir] });
  await runSequential({ binary: b.binary, seed: 1, timeSeconds: 1 }); // warm-up: JIT, caches
  const rates: number[] = [];
  let ops = 0;
  let runs = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await runSequential({ binary: b.binary, seed: 100 + i, timeSeconds: seconds });
    if (r.verdict !== 'ok') throw new Error(`[internal bug] the own implementation diverged in the benchmark: ${JSON.stringify(r.divergence)}`);
    rates.push(r.opsPerSecond);
    ops += r.ops;
    runs += r.runs;
  }
  return { median: median(rates), min: Math.min(...rates), max: Math.max(...rates), opsPerRun: Math.round(ops / runs) };
}

if (require.main === module) {
  benchConform().then((r) => {
    const f = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(`conform sequential, own implementation: ${f(r.median)} ops/s median (${f(r.min)} .. ${f(r.max)}), ${r.opsPerRun} ops per sequence`);
  });
}
