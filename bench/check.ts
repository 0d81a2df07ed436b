/**
 * Speed of the exhaustive checker on the canonical seqcount (issue 3's goal: >= 1,000,000
 * states/s on one core and <= 16 bytes per stored state in fingerprint mode, for V1 with
 * W=3 x 1 op, R=2, K=2). Uses the packed fast path (model/seqcount/packed.ts, cross-checked
 * against the BigInt reference by test/seqcount-packed.test.ts), BFS, fingerprint store, no
 * reduction, no liveness pass (the figures are those of the safety pass).
 * Never asserted in tests: `npm run bench` prints what `benchCheck` returns.
 */
import { check, type CheckResult } from '../checker/explore';
import { seqcountModel } from '../model/seqcount/model';
import { seqcountPackedModel } from '../model/seqcount/packed';

export interface CheckBenchRow {
  /** e.g. `seqcount v1 W=3 R=2 K=2 OPS=1 (packed)` */
  readonly config: string;
  readonly verdict: string;
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly bytesPerState: number;
}

export interface CheckBenchOptions {
  /** Also run W=4 R=2 K=3 OPS=1. Default false: it has more than 390 million distinct states
   *  (a DFS run stopped after 15 minutes at 390M, ~440K states/s, ~15 bytes/state, i.e. > 6 GB
   *  of fingerprints), so it is a long run, not part of `npm run bench`. */
  readonly large?: boolean;
  /** Also time the BigInt reference model on the first configuration, for comparison. */
  readonly reference?: boolean;
  /** Bound on states per run (verdict `incomplete` beyond it); default none. */
  readonly maxStates?: number;
  /** Bound on the large configuration's states (default: none); `npm run bench` runs it to
   *  20 million states and reports the rate and bytes per state of that prefix. */
  readonly largeMaxStates?: number;
}

function row(config: string, r: CheckResult): CheckBenchRow {
  return {
    config,
    verdict: r.verdict,
    states: r.states,
    transitions: r.transitions,
    seconds: r.seconds,
    statesPerSecond: r.statesPerSecond,
    bytesPerState: r.bytesPerState,
  };
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
    rows.push(row(`${name} (packed, ${strategy})`, check(seqcountPackedModel(c), { ...run, strategy, maxStates })));
    if (options.reference && c === configs[0]) rows.push(row(`${name} (BigInt reference, bfs)`, check(seqcountModel(c), run)));
  }
  return rows;
}

if (require.main === module) {
  const large = process.argv.includes('--large');
  for (const r of benchCheck({ large, reference: process.argv.includes('--reference') }))
    console.log(
      `${r.config}: ${r.verdict}, ${r.states.toLocaleString('en-US')} states, ${r.transitions.toLocaleString('en-US')} transitions, ` +
        `${r.seconds.toFixed(2)} s, ${Math.round(r.statesPerSecond).toLocaleString('en-US')} states/s, ${r.bytesPerState.toFixed(1)} bytes/state`,
    );
}
