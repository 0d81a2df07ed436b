/**
 * Sequential differential mode of `rmapcheck conform`: fast-check generates operation sequences
 * (generators/conform.ts: orders 2..15, 2..4 MMs with small and random rmap IDs, batch sizes
 * 1..P, every writer path, forks, PMD maps and remaps, new folios, pins, both readers); each
 * sequence runs in the C process in one request and is compared operation by operation with
 * the reference (compare.ts). fast-check shrinks the first divergent sequence; the shrunk
 * sequence is then run once more to record every step (the trace) and to confirm that it
 * reproduces.
 *
 * Sequences are generated in rounds of ROUND_RUNS, round r from seed `seed + r * 0x9e3779b1`, for
 * a number of runs and for a time budget alike: so `--runs N`, with N the sequences a timed run
 * generated, repeats that run exactly (fast-check's first n values of a seed do not depend on how
 * many it is asked for).
 */
import fc from 'fast-check';
import { conformCaseArb } from '../../generators/conform';
import type { Layout } from '../../model/seqcount/layout';
import { checkCase, layoutOfAdapter, type CaseOutcome, type Divergence, type StepRecord } from './compare';
import type { ConformCase } from './ops';
import { ConformProcess } from './process';
import type { AdapterInfo } from './protocol';

export interface SequentialOptions {
  readonly binary: string;
  readonly seed: number;
  /** Sequences to generate (default 200), unless `timeSeconds` is given. */
  readonly runs?: number;
  /** Generate sequences for this long instead of a fixed number. */
  readonly timeSeconds?: number;
  /** Orders to draw from (default: 2..15 within what the adapter handles). */
  readonly orders?: readonly number[];
  /** Raw operations per sequence (default 200). */
  readonly maxOps?: number;
  /** The runtime's per-step time limit (default 1000 ms). */
  readonly stepLimitMs?: number;
  /** Set (e.g. by Ctrl-C) to stop: the sequences so far are the result (verdict `incomplete`
   *  unless one diverged already, whose shrinking then stops where it is). */
  readonly signal?: { readonly aborted: boolean };
  /** Called after every generated sequence. */
  readonly onProgress?: (p: SequentialProgress) => void;
}

export interface SequentialProgress {
  readonly runs: number;
  readonly ops: number;
  readonly seconds: number;
  /** Shrinking a divergence found. */
  readonly shrinking: boolean;
}

/** Sequences per fast-check round (see the file comment). */
export const ROUND_RUNS = 50;

export interface SequentialResult {
  /** `incomplete`: stopped by the signal before the planned sequences ran, none diverging. */
  readonly verdict: 'ok' | 'violation' | 'incomplete';
  readonly adapter: AdapterInfo;
  readonly layout: Layout;
  /** Sequences generated (not counting shrinking): `--runs` this many repeats the run. */
  readonly runs: number;
  /** Sequences run while shrinking. */
  readonly shrinkRuns: number;
  /** Operations compared with the reference, shrinking included. */
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /** The shrunk counterexample and its divergence (confirmed by a re-run), or null. */
  readonly counterexample: ConformCase | null;
  readonly divergence: Divergence | null;
  readonly steps: StepRecord[] | null;
  /** Length of the sequence that first diverged, before shrinking. */
  readonly originalLength: number | null;
  /** Warnings the adapter's start-up code fired (e.g. a lookup table that disagrees). */
  readonly startWarnings: readonly string[];
  /** C processes started: 1, plus one after every crash or hang. */
  readonly processStarts: number;
}

export async function runSequential(opts: SequentialOptions): Promise<SequentialResult> {
  const proc = new ConformProcess(opts.binary, opts.stepLimitMs ?? 1000);
  try {
    // the hello record tells which orders and which seqcount layout the adapter has
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    const info = proc.info!;
    const layout = layoutOfAdapter(info);
    if (proc.startWarnings.length > 0) {
      // e.g. P15's check that the sub-ID tables are what the formula gives
      const divergence: Divergence = { op: -1, kind: 'warning', field: 'WARN', expected: 'no warning', actual: proc.startWarnings[0] };
      return { verdict: 'violation', adapter: info, layout, runs: 0, shrinkRuns: 0, ops: 0, seconds: 0, opsPerSecond: 0, counterexample: null, divergence, steps: null, originalLength: null, startWarnings: proc.startWarnings, processStarts: proc.starts };
    }
    const orders = (opts.orders ?? Array.from({ length: 14 }, (_, i) => i + 2)).filter((k) => k >= info.minOrder && k <= info.maxOrder);
    const arb = conformCaseArb({ orders: orders.length ? orders : [info.minOrder], maxOps: opts.maxOps });
    let runs = 0;
    let shrinkRuns = 0;
    let ops = 0;
    let first: { length: number } | null = null;
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
    const aborted = () => opts.signal?.aborted === true;
    // an exception is rmapcheck's own failure, not a counterexample: stop at once and rethrow it
    let internal: unknown = null;
    const property = fc.asyncProperty(arb, async (c) => {
      // stopped: the remaining runs (or shrink steps) pass at once without running
      if (internal !== null || aborted()) return true;
      let out: CaseOutcome;
      try {
        out = await checkCase(proc, layout, c);
      } catch (e) {
        internal = e;
        return true;
      }
      if (first === null) runs++;
      else shrinkRuns++;
      ops += out.ops;
      if (out.divergence) first ??= { length: c.ops.length };
      opts.onProgress?.({ runs, ops, seconds: elapsed(), shrinking: first !== null });
      return out.divergence === null;
    });
    let failed: ConformCase | null = null;
    const deadline = opts.timeSeconds !== undefined ? Date.now() + opts.timeSeconds * 1000 : null;
    const planned = opts.runs ?? 200;
    for (let round = 0; !aborted(); round++) {
      const numRuns = deadline === null ? Math.min(ROUND_RUNS, planned - round * ROUND_RUNS) : ROUND_RUNS;
      if (numRuns <= 0) break;
      const r = await fc.check(property, { seed: (opts.seed + round * 0x9e3779b1) | 0, numRuns });
      if (internal !== null) throw internal;
      if (r.failed) {
        failed = r.counterexample![0];
        break;
      }
      if (deadline !== null && Date.now() >= deadline) break;
    }
    const seconds = elapsed();
    let confirm: CaseOutcome | null = null;
    if (failed) {
      confirm = await checkCase(proc, layout, failed, true);
      if (!confirm.divergence) {
        // fast-check saw this sequence diverge, a re-run does not: the C code is not a
        // function of the operations (uninitialized memory, state kept across setups)
        const divergence: Divergence = { op: -1, kind: 'nondeterministic', field: 'replay', expected: 'the same divergence when the sequence is run again', actual: 'no divergence on the re-run' };
        confirm = { ...confirm, divergence };
      }
    }
    return {
      verdict: failed ? 'violation' : aborted() ? 'incomplete' : 'ok',
      adapter: info,
      layout,
      runs,
      shrinkRuns,
      ops,
      seconds,
      opsPerSecond: seconds > 0 ? Math.round(ops / seconds) : 0,
      counterexample: failed,
      divergence: confirm?.divergence ?? null,
      steps: confirm?.steps ?? null,
      originalLength: (first as { length: number } | null)?.length ?? null,
      startWarnings: proc.startWarnings,
      processStarts: proc.starts,
    };
  } finally {
    proc.close();
  }
}
