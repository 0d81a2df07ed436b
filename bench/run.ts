/**
 * `npm run bench`: prints the speed figures the issues ask for (never asserted in tests).
 * Each section times the library in-process; whole-command timings are quoted in the README.
 */
import { WIP_V1 } from '../model/scheme';
import { proveSchemeSet } from '../proofs/prove';
import { bruteForce } from '../proofs/bruteforce';
import { renderTable } from '../text/table';
import { buildSubIdTrace } from '../checker/subid-trace';
import { replaySubIdTrace } from '../checker/subid-trace';
import { counterexampleSteps } from '../cli/report-prove';
import { parseTrace, serializeTrace } from '../checker/trace';
import { Scheme } from '../model/scheme';
import { benchCheck } from './check';
import { benchExplore } from './explore';
import { median } from './median';
import { benchConform } from './conform';
import { benchConformConcurrent } from './conform-concurrent';
import { CONCURRENT_STRATEGIES } from '../checker/conform/concurrent-strategy';
import { benchCompare } from './compare';
import { benchLitmus } from './litmus';
import { benchSpin, parseBenchArgs, renderSpinReport, type BenchArgs } from './spin';

function timeRuns(runs: number, f: () => void): { median: number; min: number; max: number } {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    f();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { median: median(ts), min: Math.min(...ts), max: Math.max(...ts) };
}

function fmt(s: number): string {
  return s < 0.01 ? `${(s * 1e3).toFixed(2)} ms` : `${s.toFixed(3)} s`;
}

function benchProofs(): string[][] {
  const rows: string[][] = [];
  const prove = timeRuns(5, () => proveSchemeSet(WIP_V1));
  rows.push(['prove wip-v1, orders 2..15 (goal < 2 s)', fmt(prove.median), `${fmt(prove.min)} .. ${fmt(prove.max)}`, '']);

  const small: Scheme = { name: 'bench', orders: [3, 3], values: 2, chunkBits: 2, bound: 8n, wordBits: 8, idBits: 3 };
  let multisets = 0;
  const bf = timeRuns(3, () => (multisets = bruteForce(small, 3).multisets));
  rows.push([`brute force, P=8, 3-bit IDs, W=8 (${multisets} multisets)`, fmt(bf.median), `${fmt(bf.min)} .. ${fmt(bf.max)}`, `${Math.round(multisets / bf.median).toLocaleString('en-US')} multisets/s`]);

  const refuted = proveSchemeSet(WIP_V1).find((p) => p.counterexample);
  if (refuted) {
    const text = serializeTrace(buildSubIdTrace(refuted.scheme, refuted.order, counterexampleSteps(refuted), { mm: 'q', rmapId: refuted.counterexample!.query }));
    const rep = timeRuns(20, () => replaySubIdTrace(parseTrace(text, 'bench') as never));
    rows.push([`replay order-${refuted.order} counterexample (parse + validate + replay; goal < 100 ms)`, fmt(rep.median), `${fmt(rep.min)} .. ${fmt(rep.max)}`, '']);
  }
  return rows;
}

function benchChecker(): string {
  const rows = benchCheck({ reference: true, asDefault: true, large: true, largeMaxStates: 20_000_000, runs: 7 });
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  return renderTable(
    ['configuration', 'verdict', 'states', 'seconds', 'states/s (median)', 'min .. max', 'runs', 'bytes/state'],
    rows.map((r) => [
      r.config,
      r.verdict,
      r.states.toLocaleString('en-US'),
      r.seconds.toFixed(2),
      f(r.statesPerSecond),
      `${f(r.statesPerSecondMin)} .. ${f(r.statesPerSecondMax)}`,
      String(r.runs),
      r.bytesPerState.toFixed(1),
    ]),
  );
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  let spinArgs: BenchArgs;
  try {
    spinArgs = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exit(2);
  }
  console.log('rmapcheck benchmarks (medians over in-process runs; node ' + process.version + (quick ? '; --quick: 5 seeds' : '') + ')');
  console.log('');
  console.log('Sub-ID proofs (issue 2)');
  console.log(renderTable(['what', 'median', 'min .. max', 'rate'], benchProofs()));
  console.log('');
  console.log('Exhaustive checker, seqcount V1 (issue 3; goal >= 1,000,000 states/s, <= 16 bytes/state; the W=4 R=2 K=3 run is cut at 20M states; the whole of it: bench/check.ts --large-full, about an hour)');
  console.log(benchChecker());
  console.log('');
  console.log(
    'Exhaustive checker against SPIN (issue 11; whole commands; --runs N, --quick skips the 35,966,679-state configuration)',
  );
  const spin = benchSpin(spinArgs);
  console.log(renderSpinReport(spin));
  if (spin.problems.length) process.exitCode = 1;
  console.log('');
  console.log('Randomized explorer (issue 4)');
  console.log((await benchExplore(quick)).text);
  console.log('');
  console.log('conform: C code against the reference (issue 10; goals >= 100,000 operations/s sequential, >= 50,000 scheduling points/s concurrent; own implementation, 5 rounds of 2 s)');
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const seq = await benchConform();
  const rows = [['sequential', `${f(seq.median)} ops/s`, `${f(seq.min)} .. ${f(seq.max)}`, `${seq.opsPerRun} ops per sequence`]];
  for (const strategy of CONCURRENT_STRATEGIES) {
    const c = await benchConformConcurrent(strategy);
    rows.push([`concurrent, ${strategy}`, `${f(c.median)} points/s`, `${f(c.min)} .. ${f(c.max)}`, `${c.pointsPerSchedule} points per schedule`]);
  }
  console.log(renderTable(['mode', 'median', 'min .. max', ''], rows));
  console.log('');
  console.log('compare: both designs on the random workload family (issue 12; goal >= 100,000 reader calls/s per design; 5 rounds of 2 s)');
  const cmp = benchCompare();
  console.log(
    renderTable(
      ['design', 'median', 'min .. max'],
      (['rmap-id', 'mm-id'] as const).map((d) => [d, `${f(cmp[d].median)} reader calls/s`, `${f(cmp[d].min)} .. ${f(cmp[d].max)}`]),
    ),
  );
  console.log('');
  console.log('LKMM checker (issue 13; goal < 1 s per protocol litmus program)');
  console.log(benchLitmus().text);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
