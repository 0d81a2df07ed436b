/**
 * Concurrent mode of `rmapcheck conform`: programs of 2..3 threads of operations
 * (generators/conform-concurrent.ts), each run in the C process (compiled with
 * `buildConformBinary({ mode: 'concurrent' })`: -fsanitize=thread hooks make every plain access
 * to a registered word a scheduling point) as cooperative threads under many schedules, every
 * execution judged by concurrent-check.ts (readers linearizable against the ghost set of
 * mappings, no lost update and I1..I6 at every quiescent moment, WARN/BUG, crash, hang,
 * livelock).
 *
 * API (what cli/conform.ts dispatches `--mode concurrent` to):
 *
 *   runConformConcurrent(opts: ConcurrentOptions): Promise<ConcurrentResult>
 *     `opts.binary` is a concurrent-mode build. The result has every field of the sequential
 *     runner's SequentialResult with the same meaning — verdict, adapter, layout, runs (programs,
 *     shrinking included), ops (operations run over all executions), seconds, opsPerSecond,
 *     counterexample (the program as ONE ConformCase: the setup's operations, then thread 0's,
 *     thread 1's, ...; `divergence.op` indexes it, -1 for a finding at a quiescent moment),
 *     divergence, steps (null: the schedule is in `trace`), originalLength, startWarnings,
 *     processStarts — plus mode 'concurrent', the strategy, schedules (executions), points
 *     (scheduling points, i.e. decisions) and pointsPerSecond, dfs (schedules explored and
 *     whether the preemption bound was exhausted), program (the shrunk ConcurrentCase),
 *     finding, traceLength (decisions up to the finding, after minimizing), and `trace`: the
 *     conformance trace's concurrent body, ready for concurrent-trace.ts `buildConcurrentTrace`.
 *   replayConcurrentTrace(trace, stepLimitMs?): Promise<ConformReplay>   (concurrent-trace.ts,
 *     re-exported here) rebuilds the recorded sources and re-runs the recorded schedule.
 *
 * How a program is explored: a probe (each thread first, without preemption; concurrent-strategy.ts)
 * gives the strategies their profile, then `schedules` executions of the
 * strategy (random, pct, race), or dfs: every schedule within the preemption bound, up to
 * `schedules` of them. The first violation stops the search; fast-check shrinks the program
 * (a fixed number of attempts, so that the result does not depend on timing), then the schedule
 * is minimized — the first preemption bound 0, 1, 2, 3 under which DFS finds the same violation,
 * and among those schedules the shortest — and the final execution is recorded decision by
 * decision. Everything depends on the seed only: same seed, same schedule, same trace.
 */
import fc from 'fast-check';
import { concurrentCaseArb, flattenConcurrentCase, type ConcurrentCase } from '../../generators/conform-concurrent';
import type { Layout } from '../../model/seqcount/layout';
import { executionSeed } from '../random/scheduler';
import { layoutOfAdapter, type Divergence } from './compare';
import { ProgramChecker, type ConcurrentFinding } from './concurrent-check';
import { CONCURRENT_STRATEGIES, profileOf, strategyPlan, type ConcurrentStrategyName } from './concurrent-strategy';
import { recordSchedule, type ConcurrentTraceBody, type ExecutionSpec } from './concurrent-trace';
import type { ConformCase } from './ops';
import { ConformProcess } from './process';
import type { AdapterInfo } from './protocol';
import { runThreadsRequest, type ExecutionRecord, type ThreadsRequest, type ThreadsResponse } from './threads';

export { buildConcurrentTrace, parseConcurrentTrace, replayConcurrentTrace, serializeConcurrentTrace, type ConcurrentTrace } from './concurrent-trace';

export interface ConcurrentOptions {
  /** A concurrent-mode build (buildConformBinary with mode 'concurrent'). */
  readonly binary: string;
  readonly seed: number;
  /** Programs to generate (default 100), unless `timeSeconds` is given. */
  readonly runs?: number;
  /** Generate programs for this long instead of a fixed number. */
  readonly timeSeconds?: number;
  /** race (default: race insertion), random, pct or dfs. */
  readonly strategy?: ConcurrentStrategyName;
  /** Executions per program after the probe (default 64; dfs: at most this many, default 400). */
  readonly schedules?: number;
  /** dfs: preemption bound (default 2). */
  readonly preemptionBound?: number;
  /** pct: the bug depth (default 3). */
  readonly pctDepth?: number;
  /** Orders to draw from (default: 2..15 within what the adapter handles). */
  readonly orders?: readonly number[];
  /** Threads per program (default 2..3). */
  readonly minThreads?: number;
  readonly maxThreads?: number;
  /** Decisions per execution before it counts as a livelock (default 10,000). */
  readonly maxPoints?: number;
  /** The runtime's per-step time limit (default 1000 ms). */
  readonly stepLimitMs?: number;
  /** Source locations in the trace are shown relative to this directory (default: the current one;
   *  the CLI passes the adapter's directory). */
  readonly sourceRoot?: string;
  /** Set (e.g. by Ctrl-C) to stop between programs: the programs so far are the result (verdict
   *  `incomplete` if none failed; a violation already found is still shrunk and recorded). */
  readonly signal?: { readonly aborted: boolean };
}

export interface ConcurrentResult {
  readonly mode: 'concurrent';
  /** `incomplete`: stopped by the signal before the planned programs ran, none failing. */
  readonly verdict: 'ok' | 'violation' | 'incomplete';
  readonly adapter: AdapterInfo;
  readonly layout: Layout;
  readonly strategy: ConcurrentStrategyName;
  /** Programs explored, shrinking included. */
  readonly runs: number;
  /** Operations run, over every execution. */
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /** Executions (schedules) run. */
  readonly schedules: number;
  /** Scheduling points run (decisions), over every execution. */
  readonly points: number;
  readonly pointsPerSecond: number;
  /** dfs: the bound, and programs whose every schedule within it was explored (exhausted) or
   *  that reached `schedules` first (cut). */
  readonly dfs: { readonly bound: number; readonly exhausted: number; readonly cut: number } | null;
  readonly counterexample: ConformCase | null;
  readonly program: ConcurrentCase | null;
  readonly divergence: Divergence | null;
  readonly finding: ConcurrentFinding | null;
  readonly steps: null;
  /** Decisions of the final (minimized) schedule up to the finding. */
  readonly traceLength: number | null;
  /** Decisions up to the finding as the strategy first met it (before shrinking and minimizing). */
  readonly originalLength: number | null;
  /** Who found the (shrunk) program's violation: the probe (each thread first, no preemption)
   *  or the strategy, which of its executions; and the program (1-based) that first failed. */
  readonly foundBy: { readonly by: 'probe' | 'strategy'; readonly strategy: string; readonly execution: number; readonly program: number } | null;
  /** The recorded failing execution (concurrent-trace.ts). */
  readonly trace: ConcurrentTraceBody | null;
  readonly startWarnings: readonly string[];
  readonly processStarts: number;
}

interface Found {
  readonly finding: ConcurrentFinding;
  readonly spec: ExecutionSpec;
  /** What found it: the probe (each thread first, no preemption) or the strategy. */
  readonly by?: 'probe' | 'strategy';
}

const DEFAULTS = { runs: 100, schedules: 64, dfsSchedules: 400, bound: 2, maxPoints: 10_000 };
/** Requests hold at most this many executions (the answer stays small; a violation stops early). */
const BATCH = 64;
/** Program candidates fast-check may try while shrinking; beyond it every candidate passes. */
const SHRINK_ATTEMPTS = 150;
/** DFS schedules per preemption bound when minimizing a failing schedule. */
const MINIMIZE_SCHEDULES = 300;

/** Statistics over every execution. */
export class Tally {
  schedules = 0;
  points = 0;
  ops = 0;
  add(execs: readonly ExecutionRecord[], opsPerExec: number): void {
    this.schedules += execs.length;
    this.ops += execs.length * opsPerExec;
    for (const e of execs) this.points += e.steps;
  }
}

/** Runs executions of one program; returns the first finding, in execution order. */
export class ProgramExplorer {
  readonly checker: ProgramChecker;
  private readonly opsPerExec: number;

  constructor(
    private readonly proc: ConformProcess,
    readonly program: ConcurrentCase,
    layout: Layout,
    private readonly maxPoints: number,
    private readonly tally: Tally,
  ) {
    this.checker = new ProgramChecker(program, layout);
    this.opsPerExec = program.setup.length + program.threads.reduce((n, t) => n + t.length, 0);
  }

  private request(r: Omit<ThreadsRequest, 'order' | 'rmapIds' | 'setup' | 'threads' | 'maxPoints'>): Promise<ThreadsResponse> {
    const p = this.program;
    return runThreadsRequest(this.proc, { order: p.order, rmapIds: p.rmapIds, setup: p.setup, threads: p.threads, maxPoints: this.maxPoints, ...r });
  }

  /** The first failing execution of `execs`, the i-th run by `spec(i)`. */
  private firstFinding(execs: readonly ExecutionRecord[], spec: (i: number) => ExecutionSpec): Found | null {
    this.tally.add(execs, this.opsPerExec);
    for (let i = 0; i < execs.length; i++) {
      const f = this.checker.check(execs[i], this.maxPoints);
      if (f) return { finding: f, spec: spec(i) };
    }
    return null;
  }

  /** The probe: each thread first (the lowest, then the highest), without preemption; returns
   *  its executions (for the profile) or a finding. */
  async probe(): Promise<{ execs: ExecutionRecord[]; found: Found | null }> {
    const n = this.program.threads.length;
    const execs: ExecutionRecord[] = [];
    for (const first of [[], [n - 1]]) {
      const r = await this.request({ strategy: 'fixed', executions: 1, decisions: first, profile: true });
      const found = this.firstFinding(r.executions, () => ({ strategy: 'fixed', index: 0, seed: 0n, params: [], decisions: first }));
      if (found) return { execs, found: { ...found, by: 'probe' } };
      execs.push(...r.executions);
    }
    return { execs, found: null };
  }

  /** `count` executions of a randomized strategy from `runSeed`. */
  async randomized(kind: 'random' | 'pct' | 'race', params: number[], runSeed: bigint, count: number): Promise<Found | null> {
    for (let first = 0; first < count; first += BATCH) {
      const k = Math.min(BATCH, count - first);
      const seeds = Array.from({ length: k }, (_, i) => executionSeed(runSeed, first + i));
      const r = await this.request({ strategy: kind, executions: k, firstIndex: first, seeds, params });
      const found = this.firstFinding(r.executions, (i) => ({ strategy: kind, index: first + i, seed: seeds[i], params, decisions: [] }));
      if (found) return found;
    }
    return null;
  }

  /** DFS within `bound` preemptions, at most `budget` schedules; every failing execution's finding
   *  if `all`, else the first. */
  async dfs(bound: number, budget: number, all = false): Promise<{ found: Found[]; schedules: number; exhausted: boolean }> {
    const found: Found[] = [];
    let path: readonly number[] = [];
    let schedules = 0;
    while (schedules < budget) {
      const r = await this.request({ strategy: 'dfs', executions: Math.min(BATCH, budget - schedules), decisions: path, params: [bound] });
      this.tally.add(r.executions, this.opsPerExec);
      for (const e of r.executions) {
        schedules++;
        const f = this.checker.check(e, this.maxPoints);
        if (f) {
          found.push({ finding: f, spec: { strategy: 'fixed', index: schedules - 1, seed: 0n, params: [], decisions: e.prefix } });
          if (!all) return { found, schedules, exhausted: false };
        }
      }
      // a crash ends the request early (no 'F'): the next path is unknown, stop
      if (!r.dfs) return { found, schedules, exhausted: false };
      if (r.dfs.exhausted) return { found, schedules, exhausted: true };
      path = r.dfs.next;
    }
    return { found, schedules, exhausted: false };
  }
}

const sameFinding = (a: ConcurrentFinding, b: ConcurrentFinding) => a.property === b.property && a.field === b.field;

/** The divergence of a finding, in the sequential runner's terms (op: index into the flattened program). */
export function divergenceOf(p: ConcurrentCase, f: ConcurrentFinding): Divergence {
  let op = -1;
  if (f.thread >= 0 && f.op >= 0) op = p.setup.length + p.threads.slice(0, f.thread).reduce((n, t) => n + t.length, 0) + f.op;
  else if (f.kind === 'setup' || (f.thread < 0 && f.op >= 0 && f.kind !== 'livelock')) op = f.op;
  const kind = f.kind === 'invariant' ? 'state' : f.kind === 'setup' ? 'setup' : f.kind;
  return { op, kind, field: f.field, expected: f.expected, actual: f.actual };
}

export async function runConformConcurrent(opts: ConcurrentOptions): Promise<ConcurrentResult> {
  const strategy = opts.strategy ?? 'race';
  if (!CONCURRENT_STRATEGIES.includes(strategy)) throw new Error(`[internal bug] unknown strategy ${strategy}`);
  const maxPoints = opts.maxPoints ?? DEFAULTS.maxPoints;
  const bound = opts.preemptionBound ?? DEFAULTS.bound;
  const schedules = opts.schedules ?? (strategy === 'dfs' ? DEFAULTS.dfsSchedules : DEFAULTS.schedules);
  const proc = new ConformProcess(opts.binary, opts.stepLimitMs ?? 1000);
  const tally = new Tally();
  const t0 = process.hrtime.bigint();
  try {
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    const info = proc.info!;
    const layout = layoutOfAdapter(info);
    const base = {
      mode: 'concurrent' as const,
      adapter: info,
      layout,
      strategy,
      steps: null,
      startWarnings: proc.startWarnings,
    };
    if (proc.startWarnings.length > 0) {
      const divergence: Divergence = { op: -1, kind: 'warning', field: 'WARN', expected: 'no warning', actual: proc.startWarnings[0] };
      return { ...base, verdict: 'violation', runs: 0, ops: 0, seconds: 0, opsPerSecond: 0, schedules: 0, points: 0, pointsPerSecond: 0, dfs: null, counterexample: null, program: null, divergence, finding: null, traceLength: null, originalLength: null, foundBy: null, trace: null, processStarts: proc.starts };
    }
    const orders = (opts.orders ?? Array.from({ length: 14 }, (_, i) => i + 2)).filter((k) => k >= info.minOrder && k <= info.maxOrder);
    const arb = concurrentCaseArb({ orders: orders.length ? orders : [info.minOrder], minThreads: opts.minThreads, maxThreads: opts.maxThreads });
    const runSeed = BigInt(opts.seed >>> 0);
    let runs = 0;
    let firstLength: number | null = null;
    /** Programs explored when the first violation was found (0: none yet). */
    let firstFailure = 0;
    const dfsStats = { exhausted: 0, cut: 0 };
    let internal: unknown = null;
    let last: { program: ConcurrentCase; found: Found } | null = null;

    /** Explores one program with the strategy; the first finding or null. */
    const explore = async (program: ConcurrentCase): Promise<Found | null> => {
      const ex = new ProgramExplorer(proc, program, layout, maxPoints, tally);
      if (strategy === 'dfs') {
        // iterative context bounding (as CHESS): every schedule with 0 preemptions, then 1, ...
        let left = schedules;
        let d = { found: [] as Found[], schedules: 0, exhausted: false };
        for (let b = 0; b <= bound && left > 0; b++) {
          d = await ex.dfs(b, left);
          if (d.found.length) return d.found[0];
          left -= d.schedules;
        }
        if (d.exhausted) dfsStats.exhausted++;
        else dfsStats.cut++;
        return null;
      }
      const probe = await ex.probe();
      if (probe.found) return probe.found;
      const plan = strategyPlan(strategy, program.threads.length, profileOf(probe.execs, program.threads.length), { pctDepth: opts.pctDepth });
      return ex.randomized(plan.kind as 'random' | 'pct' | 'race', plan.params, runSeed, schedules);
    };

    const aborted = () => opts.signal?.aborted === true;
    const property = fc.asyncProperty(arb, async (program) => {
      if (internal !== null || (aborted() && firstFailure === 0)) return true;
      // shrinking is cut after a fixed number of attempts: every further candidate "passes"
      if (firstFailure > 0 && runs >= firstFailure + SHRINK_ATTEMPTS) return true;
      try {
        runs++;
        const found = await explore(program);
        if (!found) return true;
        if (firstFailure === 0) {
          firstFailure = runs;
          firstLength = found.finding.length;
        }
        last = { program, found };
        return false;
      } catch (e) {
        internal = e;
        return true;
      }
    });
    const deadline = opts.timeSeconds !== undefined ? Date.now() + opts.timeSeconds * 1000 : null;
    for (let round = 0; !aborted(); round++) {
      const numRuns = deadline === null ? (opts.runs ?? DEFAULTS.runs) : 10;
      const r = await fc.check(property, { seed: (opts.seed + round * 0x9e3779b1) | 0, numRuns });
      if (internal !== null) throw internal;
      if (r.failed || last) break;
      if (deadline === null || Date.now() >= deadline) break;
    }
    const searchSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const stats = () => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      return {
        runs,
        ops: tally.ops,
        seconds,
        opsPerSecond: seconds > 0 ? Math.round(tally.ops / seconds) : 0,
        schedules: tally.schedules,
        points: tally.points,
        // the speed of the search itself (minimizing and recording re-run few, small executions)
        pointsPerSecond: searchSeconds > 0 ? Math.round(tally.points / searchSeconds) : 0,
        dfs: strategy === 'dfs' ? { bound, ...dfsStats } : null,
        processStarts: proc.starts,
      };
    };
    const failed = last as { program: ConcurrentCase; found: Found } | null;
    if (!failed) return { ...base, verdict: aborted() ? 'incomplete' : 'ok', ...stats(), counterexample: null, program: null, divergence: null, finding: null, traceLength: null, originalLength: null, foundBy: null, trace: null };

    // minimize the schedule: the smallest preemption bound that shows the same violation, the shortest there
    const program = failed.program;
    const ex = new ProgramExplorer(proc, program, layout, maxPoints, tally);
    let best: Found = failed.found;
    for (let b = 0; b <= 3; b++) {
      const d = await ex.dfs(b, MINIMIZE_SCHEDULES, true);
      const same = d.found.filter((f) => sameFinding(f.finding, failed.found.finding));
      if (same.length > 0) {
        best = same.reduce((a, f) => (f.finding.length < a.finding.length ? f : a));
        break;
      }
    }
    const trace = await recordSchedule(proc, program, maxPoints, best.spec, ex.checker, opts.sourceRoot ?? process.cwd());
    const finding = trace.finding;
    return {
      ...base,
      verdict: 'violation',
      ...stats(),
      counterexample: { order: program.order, rmapIds: program.rmapIds, ops: flattenConcurrentCase(program) },
      program,
      divergence: divergenceOf(program, finding),
      finding,
      traceLength: finding.length,
      originalLength: firstLength,
      foundBy: { by: failed.found.by ?? 'strategy', strategy: failed.found.by === 'probe' ? 'fixed' : strategy, execution: failed.found.spec.index, program: firstFailure },
      trace,
    };
  } finally {
    proc.close();
  }
}
