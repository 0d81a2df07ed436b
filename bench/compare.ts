/**
 * Speed of `compare` (issue #12 asks >= 100,000 reader calls per second per design): the
 * randomized family (P in {4, 16, 512}), 5 rounds of 2 s each after a warm-up round. Each
 * design's figure is its reader calls over the time that design took for the whole history (its
 * tracking updates and COW checks included); the ground truth is computed once, outside.
 * Run alone: `node -r ts-node/register/transpile-only bench/compare.ts`.
 */
import { performance } from 'perf_hooks';
import { WIP_V1 } from '../model/scheme';
import { randomWorkload } from '../model/workload/generate';
import { runHistory } from '../model/workload/history';
import { makeDesign, runDesign, schemeFor } from '../checker/compare/run';
import { median } from './median';

type Rates = { median: number; min: number; max: number };

/** One round: random histories for `seconds`; reader calls per second of each design. */
function round(seed: bigint, seconds: number): { 'rmap-id': number; 'mm-id': number } {
  const spent = { 'rmap-id': 0, 'mm-id': 0 };
  let calls = 0;
  const end = performance.now() + seconds * 1000;
  for (let run = 0; performance.now() < end; run++) {
    const { workload: w } = randomWorkload(seed, run);
    const events = runHistory(w).events;
    const scheme = schemeFor(WIP_V1, w.order);
    for (const d of ['rmap-id', 'mm-id'] as const) {
      const p = runDesign(makeDesign(d, scheme, w.order), events);
      spent[d] += p.seconds;
      if (d === 'rmap-id') calls += p.readerCalls;
    }
  }
  return { 'rmap-id': calls / spent['rmap-id'], 'mm-id': calls / spent['mm-id'] };
}

export function benchCompare(rounds = 5, seconds = 2): { 'rmap-id': Rates; 'mm-id': Rates } {
  round(1n, 1); // warm-up: JIT
  const rs = Array.from({ length: rounds }, (_, i) => round(BigInt(100 + i), seconds));
  const of = (d: 'rmap-id' | 'mm-id'): Rates => {
    const xs = rs.map((r) => r[d]);
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  };
  return { 'rmap-id': of('rmap-id'), 'mm-id': of('mm-id') };
}

if (require.main === module) {
  const r = benchCompare();
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  for (const d of ['rmap-id', 'mm-id'] as const) console.log(`compare, ${d}: ${f(r[d].median)} reader calls/s median (${f(r[d].min)} .. ${f(r[d].max)})`);
}
