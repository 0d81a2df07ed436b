/**
 * Speed of the exhaustive checker on the canonical seqcount (issue 3's goal: >= 1,000,000
 * states/s on one core and <= 16 bytes per stored state in fingerprint mode, for V1 with
 * W=3 x 1 op, R=2, K=2). Uses the packed fast path (model/seqcount/packed.ts, cross-checked
 * against the BigInt reference by test/seqcount-packed.test.ts), BFS, fingerprint store, no
 * reduction, no liveness pass (the figures are those of the safety pass).
 * Never asserted in tests: `npm run bench` prints what `benchCheck` returns.
 */
import { check, checkAsync, type CheckResult } from '../checker/check';
import { MAX_EXPECTED_STATES } from '../checker/visited';
import { intOption } from '../cli/options';
import { seqcountModel } from '../model/seqcount/model';

export interface CheckBenchRow {
  /** e.g. `seqcount v1 W=3 R=2 K=2 OPS=1 (packed)` */
  readonly config: string;
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  /** Median over `runs` in-process runs (this VM's speed drifts up to 2x between runs). */
  readonly statesPerSecond: number;
  readonly statesPerSecondMin: number;
  readonly statesPerSecondMax: number;
  readonly runs: number;
  readonly bytesPerState: number;
}

export interface CheckBenchOptions {
  /** Also run W=4 R=2 K=3 OPS=1. Default false: it has 2,875,371,510 distinct states
   *  (1,438,568,913 under reader symmetry: `--large-full`, 55 minutes here), > 40 GB of
   *  fingerprints and links unreduced, so `npm run bench` only times a prefix of it. */
  readonly large?: boolean;
  /** Also time the BigInt reference model on the first configuration, for comparison. */
  readonly reference?: boolean;
  /** Also time the first configuration as `check` runs it by default: reader symmetry on and
   *  the liveness (lasso) pass after the safety pass (seconds are the whole check's). */
  readonly asDefault?: boolean;
  /** Runs of the first configuration (the median is reported); default 1. */
  readonly runs?: number;
  /** Bound on states per run (verdict `incomplete` beyond it); default none. */
  readonly maxStates?: number;
  /** Bound on the large configuration's states (default: none); `npm run bench` runs it to
   *  20 million states and reports the rate and bytes per state of that prefix. */
  readonly largeMaxStates?: number;
}

/** The run with the median states/s, with the spread of all of them. */
function row(config: string, rs: readonly CheckResult[]): CheckBenchRow {
  const sorted = [...rs].sort((a, b) => a.statesPerSecond - b.statesPerSecond);
  const r = sorted[(sorted.length - 1) >> 1];
  return {
    config,
    verdict: r.verdict,
    states: r.states,
    transitions: r.transitions,
    seconds: r.seconds,
    statesPerSecond: r.statesPerSecond,
    statesPerSecondMin: sorted[0].statesPerSecond,
    statesPerSecondMax: sorted[sorted.length - 1].statesPerSecond,
    runs: rs.length,
    // all the store's memory per state, its fixed cost included (the figure the README quotes;
    // the check's own bytesPerState leaves the fixed cost out)
    bytesPerState: r.memoryBytes / Math.max(r.states, 1),
  };
}

function repeat(runs: number, f: () => CheckResult): CheckResult[] {
  return Array.from({ length: Math.max(1, runs) }, f);
}

export function benchCheck(options: CheckBenchOptions = {}): CheckBenchRow[] {
  const configs = [{ variant: 'v1', writers: 3, readers: 2, counters: 2, ops: 1 }];
  if (options.large) configs.push({ variant: 'v1', writers: 4, readers: 2, counters: 3, ops: 1 });
  const rows: CheckBenchRow[] = [];
  const run = { reduction: false, liveness: false, store: 'fingerprint' as const, maxStates: options.maxStates };
  for (const c of configs) {
    const name = `seqcount v1 W=${c.writers} R=${c.readers} K=${c.counters} OPS=${c.ops}`;
    // The large one runs DFS: its BFS frontier (millions of JS arrays) would not fit in memory,
    // while the DFS stack stays ~100 states and only the 15-byte fingerprints grow.
    const strategy = c === configs[0] ? 'bfs' : 'dfs';
    const maxStates = c === configs[0] ? options.maxStates : (options.largeMaxStates ?? options.maxStates);
    const runs = c === configs[0] ? (options.runs ?? 1) : 1;
    rows.push(row(`${name} (seqcount engine, ${strategy})`, repeat(runs, () => check(seqcountModel(c), { ...run, strategy, maxStates }))));
    if (options.reference && c === configs[0]) rows.push(row(`${name} (BigInt reference, bfs)`, [check(seqcountModel(c), run)]));
    if (options.asDefault && c === configs[0])
      rows.push(row(`${name} (packed, bfs, as check runs it: symmetry + liveness)`, [check(seqcountModel(c), { maxStates: options.maxStates })]));
  }
  return rows;
}

/**
 * The whole W=4 R=2 K=3 OPS=1 state space, as far as this machine allows: reader symmetry on
 * (the unreduced count is the sum of the orbit sizes), DFS, the fingerprint table sized up front
 * for `expectedStates` and the links in a temporary file (`--large-full`; an hour or more, about
 * 9 bytes per expected state of memory). Progress goes to stderr every minute.
 */
export async function benchLargeFull(expectedStates: number): Promise<CheckResult> {
  const c = { variant: 'v1', writers: 4, readers: 2, counters: 3, ops: 1 };
  return checkAsync(seqcountModel(c), {
    strategy: 'dfs',
    reduction: true,
    liveness: false,
    store: 'fingerprint',
    expectedStates,
    linksOnDisk: true,
    progressIntervalMs: 60_000,
    onProgress: (p) =>
      process.stderr.write(`${new Date().toISOString()} ${p.states.toLocaleString('en-US')} states, ${Math.round(p.statesPerSecond).toLocaleString('en-US')} states/s, depth ${p.maxDepth}\n`),
  });
}

/** `--name N` from the command line, checked (one-line error, exit 2), or `fallback`. */
function intArg(name: string, fallback: number, min: number, max: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  try {
    return intOption(name, process.argv[at + 1] ?? '', min, max);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exit(2);
  }
}

if (require.main === module && process.argv.includes('--large-full')) {
  void benchLargeFull(intArg('expect', 1_750_000_000, 1, MAX_EXPECTED_STATES)).then((r) =>
    console.log(
      JSON.stringify({ ...r, path: r.path ? r.path.length - 1 : null, config: 'seqcount v1 W=4 R=2 K=3 OPS=1 (packed, dfs, reader symmetry)' }, null, 2),
    ),
  );
} else if (require.main === module) {
  const large = process.argv.includes('--large');
  const runs = intArg('runs', 1, 1, 1000);
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  for (const r of benchCheck({ large, runs, reference: process.argv.includes('--reference'), asDefault: process.argv.includes('--default') }))
    console.log(
      `${r.config}: ${r.verdict}, ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transitions, ` +
        `${r.seconds.toFixed(2)} s, ${f(r.statesPerSecond)} states/s` +
        (r.runs > 1 ? ` (median of ${r.runs}; ${f(r.statesPerSecondMin)} .. ${f(r.statesPerSecondMax)})` : '') +
        `, ${r.bytesPerState.toFixed(1)} bytes/state`,
    );
}
