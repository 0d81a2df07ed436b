/**
 * Figures of the randomized explorer (issue 4), for `npm run bench` (the lead wires
 * `benchExplore` into bench/run.ts); measured, never asserted. Run alone:
 *   npx ts-node --transpile-only bench/explore.ts [--quick] [--throughput | --speedup]
 * (`--throughput`: only the steps/s table, with the order-9 scenario too; `--speedup`: only 2 vs 1 workers)
 * - steps/s of each strategy on the rmap model at the largest size it takes
 *   (scenarios/large-mixed.json: order 3, 64-bit wip-v1, 5 MMs, 8 threads), with and without the
 *   coverage count (a state fingerprint per step);
 * - median wall time over 20 seeds to the first violation of each broken variant, per strategy;
 * - speed-up of 2 workers over 1 on the same run (start-up of the workers excluded, and shown).
 */
import { join } from 'path';
import { buildModel } from '../model/registry';
import { BUGS } from '../model/rmap';
import { SEQCOUNT_DESCRIPTOR } from '../model/seqcount/model';
import { exploreSync } from '../checker/random/run';
import { exploreParallel } from '../checker/random/parallel';
import { renderTable } from '../text/table';
import { median } from './median';

const LARGE = join(__dirname, '..', 'scenarios', 'large-mixed.json');
const ORDER9 = join(__dirname, '..', 'scenarios', 'large-order9.json');

export interface ExploreBench {
  throughput: { scenario: string; strategy: string; coverage: boolean; stepsPerSecond: number; executionsPerSecond: number }[];
  firstViolation: { model: string; bug: string; strategy: string; medianSeconds: number; found: number; seeds: number }[];
  speedup: { oneWorkerSeconds: number; twoWorkerSeconds: number; speedup: number; startupSeconds: number };
  text: string;
}

function measureThroughput(quick: boolean, order9: boolean): ExploreBench['throughput'] {
  const seconds = quick ? 1 : 3;
  const throughput: ExploreBench['throughput'] = [];
  for (const file of order9 ? [LARGE, ORDER9] : [LARGE]) {
    const large = buildModel('rmap', { scenario: file });
    exploreSync(large, { strategy: 'random', seed: 1n, runs: 300 }); // warm-up (JIT)
    for (const strategy of ['random', 'pct', 'race'] as const)
      for (const coverage of [false, true]) {
        // warm this strategy's code up too (the JIT), not only the random walk's
        exploreSync(large, { strategy, seed: 2n, runs: 200, coverage, minimize: false });
        const r = exploreSync(large, { strategy, seed: 1n, timeSeconds: seconds, coverage, minimize: false });
        const scenario = file.split('/').pop()!;
        throughput.push({ scenario, strategy, coverage, stepsPerSecond: r.stepsPerSecond, executionsPerSecond: r.executionsPerSecond });
      }
  }
  return throughput;
}

function throughputTable(throughput: ExploreBench['throughput']): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return renderTable(
    ['scenario', 'strategy', 'coverage', 'steps/s', 'executions/s'],
    throughput.map((t) => [t.scenario, t.strategy, t.coverage ? 'on' : 'off', f(t.stepsPerSecond), f(t.executionsPerSecond)]),
  );
}

/**
 * 2 workers vs 1 on the same run. Both sides run in fresh worker threads (the 1-worker side
 * too: in this process, after the other benchmarks, the JIT's type feedback is polluted by every
 * model and strategy run before, which once made the ratio a super-linear 2.86x).
 */
async function measureSpeedup(large: ReturnType<typeof buildModel>, quick: boolean): Promise<ExploreBench['speedup'] & { runs: number }> {
  const runs = quick ? 20_000 : 60_000;
  const t1 = performance.now();
  const one = await exploreParallel(large, { strategy: 'random', seed: 7n, runs, minimize: false, workers: 1 });
  const t2 = performance.now();
  const two = await exploreParallel(large, { strategy: 'random', seed: 7n, runs, minimize: false, workers: 2 });
  const t3 = performance.now();
  // start-up: module loading and compilation in the workers, outside the runs' own clocks
  const startupSeconds = ((t3 - t2) / 1000 - two.seconds + (t2 - t1) / 1000 - one.seconds) / 2;
  return { oneWorkerSeconds: one.seconds, twoWorkerSeconds: two.seconds, speedup: one.seconds / two.seconds, startupSeconds, runs };
}

export async function benchExplore(quick = false): Promise<ExploreBench> {
  const large = buildModel('rmap', { scenario: LARGE });
  const throughput = measureThroughput(quick, true);

  const seeds = quick ? 5 : 20;
  const cases = [
    ...SEQCOUNT_DESCRIPTOR.bugs.map((b) => ({ model: 'seqcount', bug: b.name, req: { bug: b.name } as Record<string, string> })),
    ...BUGS.map((b) => ({ model: 'rmap', bug: b.name, req: { bug: b.name, scenario: b.scenario } })),
  ];
  const firstViolation: ExploreBench['firstViolation'] = [];
  for (const c of cases) {
    const m = buildModel(c.model, c.req);
    for (const strategy of ['random', 'pct', 'race'] as const) {
      const times: number[] = [];
      let found = 0;
      for (let s = 0; s < seeds; s++) {
        const r = exploreSync(m, { strategy, seed: BigInt(1000 + s), timeSeconds: 10, minimize: false, coverage: false });
        if (r.timeToFirstViolation !== null) found++;
        times.push(r.timeToFirstViolation ?? Infinity);
      }
      firstViolation.push({ model: c.model, bug: c.bug, strategy, medianSeconds: median(times), found, seeds });
    }
  }

  const speedup = await measureSpeedup(large, quick);
  const runs = speedup.runs;

  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const text = [
    `explore throughput, rmap large-mixed.json (order 3) and large-order9.json (order 9, the real size) (goal >= 1,000,000 steps/s on one core)`,
    throughputTable(throughput),
    '',
    `time to first violation, median of ${seeds} seeds (goal < 1 s; 'inf' = not found within 10 s)`,
    renderTable(
      ['model', 'bug', 'strategy', 'median', 'found'],
      firstViolation.map((v) => [v.model, v.bug, v.strategy, Number.isFinite(v.medianSeconds) ? `${(v.medianSeconds * 1000).toFixed(1)} ms` : 'inf', `${v.found}/${v.seeds}`]),
    ),
    '',
    `2 workers vs 1 (random, ${runs.toLocaleString('en-US')} executions of large-mixed; goal >= 1.8x): ` +
      `${speedup.oneWorkerSeconds.toFixed(2)} s -> ${speedup.twoWorkerSeconds.toFixed(2)} s = ${speedup.speedup.toFixed(2)}x ` +
      `(worker start-up ${speedup.startupSeconds.toFixed(2)} s, not included)`,
  ].join('\n');
  return { throughput, firstViolation, speedup, text };
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--speedup')) {
    void measureSpeedup(buildModel('rmap', { scenario: LARGE }), quick).then((r) =>
      console.log(`2 workers vs 1 (${r.runs} executions): ${r.oneWorkerSeconds.toFixed(2)} s -> ${r.twoWorkerSeconds.toFixed(2)} s = ${r.speedup.toFixed(2)}x (start-up ${r.startupSeconds.toFixed(2)} s)`),
    );
  } else if (process.argv.includes('--throughput')) {
    console.log('explore throughput (goal >= 1,000,000 steps/s on one core)');
    console.log(throughputTable(measureThroughput(quick, true)));
  } else void benchExplore(quick).then((b) => console.log(b.text));
}
