/**
 * A randomized run: many executions of one model under one strategy, on one core (on N worker
 * threads: parallel.ts; `explore`, which picks one of the two: explore.ts), or as one shard of a
 * run spread over machines; its report; and the merge of shard reports.
 *
 * Determinism: execution i uses the seed `executionSeed(seed, i)` and a scheduler that depends on
 * nothing else (scheduler.ts `Strategy`). Executions are grouped in chunks of `chunkSize`
 * consecutive indices; chunk c belongs to shard (c mod count). The first violation is the one
 * with the smallest execution index v; a run stops there, and its figures count exactly the
 * executions 0..v of its part (a chunk stops at its violation; chunks after v's are discarded).
 * So, with `runs`, a run gives the same report on 1 or N workers, and shard reports merge into
 * the unsharded figures (with a violation, each shard counts its own executions up to its first
 * violation; the merged violation is still the unsharded one, since every execution below it ran
 * in some shard without violation). With `timeSeconds` the amount of work depends on the clock.
 */
import type { AnyModel } from '../../model/core';
import { UsageError } from '../../model/errors';
import { engineFor } from '../../engine/registry';
import { buildModelTrace } from '../model-trace';
import type { ModelTrace } from '../trace';
import { minimizeCounterexample, minimizeLasso } from '../minimize';
import { ExecutionLoop, STRATEGY_NAMES, executionSeed, profileModel, type Strategy, type StrategyName } from './scheduler';
import { RandomWalk } from './random-walk';
import { Pct } from './pct';
import type { PctBound } from './pct-bound';
import { RaceInsertion } from './race';
import { PathReplay } from './replay';
import { CoverageSketch } from './sketch';
import { LivenessJudge } from './livelock';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface RandomOptions {
  readonly strategy: StrategyName;
  /** The run's seed: every execution is reproducible from it and its index. */
  readonly seed: bigint;
  /** Most actions per execution (default 1000). */
  readonly depth?: number;
  /** Executions to run (default 10,000 unless `timeSeconds` is given; not both). */
  readonly runs?: number;
  /** Run until this many seconds have passed (instead of `runs`). */
  readonly timeSeconds?: number;
  /** Worker threads (default 1: this thread). */
  readonly workers?: number;
  readonly shard?: Shard;
  /** Minimize the counterexample (default true). */
  readonly minimize?: boolean;
  /** Checked between executions: once `aborted`, the run ends and reports what it found. */
  readonly signal?: { readonly aborted: boolean };
  /** PCT: the bug depth d (default 3). */
  readonly pctDepth?: number;
  /** Replay: the path to follow. */
  readonly path?: readonly number[];
  /** Count distinct states (a fingerprint per state; default true). */
  readonly coverage?: boolean;
  /** Executions per chunk (default 64). */
  readonly chunkSize?: number;
  /** Called between chunks, at most every `progressIntervalMs` (default 2000), with the figures so far. */
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressIntervalMs?: number;
}

/** Figures of a run in progress (for a progress line). */
export interface ExploreProgress {
  readonly executions: number;
  readonly steps: number;
  readonly seconds: number;
  readonly executionsPerSecond: number;
  readonly stepsPerSecond: number;
  /** Executions planned (`runs`), or null for a time budget. */
  readonly total: number | null;
  /** Seconds of the time budget, or null. */
  readonly timeSeconds: number | null;
}

/**
 * Reports progress from the chunk results seen so far; `tick` is cheap when no report is due.
 * Both the one-thread loop and the worker pool call it as chunks finish.
 */
export class ProgressReporter {
  private executions = 0;
  private steps = 0;
  private next: number;

  constructor(
    private readonly options: RandomOptions,
    private readonly startMs: number,
    private readonly total: number | null,
  ) {
    this.next = startMs + (options.progressIntervalMs ?? 2000);
  }

  add(r: ChunkResult): void {
    this.executions += r.executions;
    this.steps += r.steps;
    if (!this.options.onProgress) return;
    const now = nowMs();
    if (now < this.next) return;
    this.next = now + (this.options.progressIntervalMs ?? 2000);
    const seconds = Math.max((now - this.startMs) / 1000, 1e-9);
    this.options.onProgress({
      executions: this.executions,
      steps: this.steps,
      seconds,
      executionsPerSecond: this.executions / seconds,
      stepsPerSecond: this.steps / seconds,
      total: this.total,
      timeSeconds: this.options.timeSeconds ?? null,
    });
  }
}

export interface RaceWindowReport {
  readonly name: string;
  /** Executions that aimed at this window. */
  readonly executions: number;
  /** Executions that realized it (every phase happened). */
  readonly hits: number;
}

/** An `eventually` property some executions left undecided (see livelock.ts). */
export interface NotChecked {
  readonly property: string;
  /** Executions cut at the depth bound before the property held, without a lasso in them. */
  readonly executions: number;
  /** Of those, the executions in which the property's thread still stepped in the second half
   *  (a suspected livelock). */
  readonly stepping: number;
  /** The smallest such execution index (replays from the seed alone). */
  readonly firstExecution: number;
}

/** One shard's part of a merged report. */
export interface ShardSummary {
  readonly index: number;
  readonly workers: number;
  readonly executions: number;
  readonly steps: number;
  readonly seconds: number;
  readonly stopped: ExploreReport['stopped'];
  readonly violationExecution: number | null;
}

/** The report of a run (the CLI's `explore --json` prints it with `trace` = the trace's path). */
export interface ExploreReport {
  model: string;
  params: Record<string, string | number | boolean>;
  strategy: StrategyName;
  seed: string;
  /** `incomplete`: interrupted (Ctrl-C) before the planned executions ran, no violation found. */
  verdict: 'ok' | 'violation' | 'incomplete';
  property: string | null;
  executions: number;
  steps: number;
  executionsPerSecond: number;
  stepsPerSecond: number;
  /** Estimated distinct states seen (HyperLogLog of state fingerprints, see sketch.ts), or null
   *  when coverage was off. */
  distinctStates: number | null;
  /** Seconds from the start of the run to the moment the reported violation was found. */
  timeToFirstViolation: number | null;
  trace: ModelTrace | null;
  /** Steps of the counterexample as found, and after minimization. */
  rawTraceLength: number | null;
  minimizedTraceLength: number | null;
  // ---- further fields
  /** Index of the execution that found the violation (replays from `seed` alone). */
  violationExecution: number | null;
  depth: number;
  runs: number | null;
  timeSeconds: number | null;
  /** Wall-clock seconds of the exploration (without worker start-up and minimization). */
  seconds: number;
  /** Worker threads of the run; of a merged report: of all its shards together. */
  workers: number;
  /** The shard this run is (null: the whole run, or a merged report). */
  shard: Shard | null;
  /** For a merged report: the number of shards of the run, the indices it combines, and each
   *  shard's figures. */
  shardCount?: number;
  shardsMerged?: number[];
  shards?: ShardSummary[];
  /** Why the run ended. */
  stopped: 'runs' | 'time' | 'violation' | 'aborted';
  reachedSometimes: string[];
  /** `sometimes` properties no execution reached. */
  unreachedSometimes: string[];
  /** For a livelock (a lasso of an `eventually` property): the step where the loop starts. */
  loopStart: number | null;
  /** `eventually` properties that executions cut at the depth bound left undecided. */
  notChecked: NotChecked[];
  raceWindows?: RaceWindowReport[];
  pctBound?: PctBound;
  /** The coverage sketch's registers, base64 (merged by `mergeReports`). */
  coverageSketch: string | null;
}

const DEFAULT_DEPTH = 1000;
const DEFAULT_RUNS = 10_000;
const DEFAULT_CHUNK = 64;
/** Largest execution index (the worker stop flag is an Int32). */
export const MAX_RUNS = 0x7fff_fff0;

/** Validates the options that do not depend on the model; UsageError (one line) otherwise. */
export function validateOptions(o: RandomOptions): void {
  if (!STRATEGY_NAMES.includes(o.strategy)) throw new UsageError(`unknown strategy '${String(o.strategy)}' (strategies: ${STRATEGY_NAMES.join(', ')})`);
  if (o.runs !== undefined && o.timeSeconds !== undefined) throw new UsageError('--runs and --time exclude each other');
  if (o.runs !== undefined && !(Number.isInteger(o.runs) && o.runs >= 1 && o.runs <= MAX_RUNS)) throw new UsageError(`--runs ${o.runs}: must be an integer in 1..${MAX_RUNS}`);
  if (o.timeSeconds !== undefined && !(o.timeSeconds > 0 && Number.isFinite(o.timeSeconds))) throw new UsageError(`--time ${o.timeSeconds}: must be a positive number of seconds`);
  if (o.depth !== undefined && !(Number.isInteger(o.depth) && o.depth >= 1 && o.depth <= 1_000_000)) throw new UsageError(`--depth ${o.depth}: must be an integer in 1..1000000`);
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && o.workers >= 1 && o.workers <= 256)) throw new UsageError(`--workers ${o.workers}: must be an integer in 1..256`);
  if (o.shard !== undefined) {
    const { index, count } = o.shard;
    if (!(Number.isInteger(count) && count >= 1 && count <= 1_000_000)) throw new UsageError(`--shard ${index}/${count}: the shard count must be an integer in 1..1000000`);
    if (!(Number.isInteger(index) && index >= 0 && index < count)) throw new UsageError(`--shard ${index}/${count}: shard index out of range 0..${count - 1}`);
  }
  if (o.pctDepth !== undefined && o.strategy !== 'pct') throw new UsageError(`--pct-depth is PCT's bug depth: it applies to --strategy pct, not ${o.strategy}`);
  if (o.chunkSize !== undefined && !(Number.isInteger(o.chunkSize) && o.chunkSize >= 1)) throw new UsageError(`chunk size ${o.chunkSize}: must be a positive integer`);
  if (o.strategy === 'replay' && (o.path === undefined || o.path.length === 0)) throw new UsageError('the replay strategy needs a recorded path');
}

/** The strategy object for a model (deterministic: workers rebuild the same one). */
export function makeStrategy(model: AnyModel, o: Pick<RandomOptions, 'strategy' | 'depth' | 'pctDepth' | 'path'>): Strategy {
  const depth = o.depth ?? DEFAULT_DEPTH;
  switch (o.strategy) {
    case 'random':
      return new RandomWalk();
    case 'pct':
      return new Pct(model, profileModel(model, depth), o.pctDepth ?? 3);
    case 'race':
      return new RaceInsertion(model, profileModel(model, depth));
    case 'replay':
      return new PathReplay(o.path ?? []);
  }
}

/** Wall-clock milliseconds comparable across worker threads. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** What one chunk of executions found. Transferable between threads (plain data). */
export interface ChunkResult {
  readonly chunk: number;
  /** Executions run (a chunk stops at its first violation, a deadline or an abort). */
  readonly executions: number;
  readonly steps: number;
  readonly sketch: Uint8Array | null;
  /** reached[i]: the model's i-th `sometimes` property held in some state of this chunk. */
  readonly reached: boolean[];
  /** Per race window: executions aiming at it, and hits. */
  readonly raceTargets: number[];
  readonly raceHits: number[];
  /** `loopStart`: the violation is a lasso of an `eventually` property (livelock.ts). */
  readonly violation: { readonly execution: number; readonly property: string; readonly path: number[]; readonly atMs: number; readonly loopStart?: number | null } | null;
  /** All the chunk's executions ran. */
  readonly complete: boolean;
  /** Per `eventually` property: executions that left it undecided, of those the ones whose
   *  thread was still stepping, and the first such execution (-1: none). */
  readonly undecided?: number[];
  readonly stepping?: number[];
  readonly firstUndecided?: number[];
}

/** Runs chunks of executions (in this thread or in a worker). */
export class ChunkRunner {
  private readonly loop: ExecutionLoop;
  private readonly fp = new Uint32Array(2);
  /** Null when the model has no `eventually` property. */
  private readonly liveness: LivenessJudge | null;

  constructor(
    readonly model: AnyModel,
    readonly strategy: Strategy,
    readonly seed: bigint,
    readonly depth: number,
    readonly coverage: boolean,
  ) {
    this.loop = new ExecutionLoop(model);
    const judge = new LivenessJudge(model);
    this.liveness = judge.eventually.length > 0 ? judge : null;
  }

  /** Executions first .. end-1; `stop(i)` is asked before execution i. */
  run(chunk: number, first: number, end: number, stop: (execution: number) => boolean): ChunkResult {
    const m = this.model;
    const nWindows = this.strategy.windows?.length ?? 0;
    const raceTargets = new Array<number>(nWindows).fill(0);
    const raceHits = new Array<number>(nWindows).fill(0);
    const sketch = this.coverage ? new CoverageSketch() : null;
    const fp = this.fp;
    // the engine's state fingerprint (a function of the key, engine/core.ts)
    const engine = sketch ? engineFor(m) : null;
    const onState = sketch
      ? (s: unknown) => {
          engine!.stateFingerprint(s, false, fp);
          sketch.add(fp[0], fp[1]);
        }
      : undefined;
    this.loop.resetReached();
    let steps = 0;
    let executions = 0;
    let violation: ChunkResult['violation'] = null;
    let complete = true;
    const nEventually = this.liveness?.eventually.length ?? 0;
    const undecided = new Array<number>(nEventually).fill(0);
    const stepping = new Array<number>(nEventually).fill(0);
    const firstUndecided = new Array<number>(nEventually).fill(-1);
    for (let i = first; i < end; i++) {
      if (stop(i)) {
        complete = false;
        break;
      }
      const sched = this.strategy.scheduler(i, executionSeed(this.seed, i));
      const ex = this.loop.run(sched, this.depth, onState);
      executions++;
      steps += ex.steps;
      const race = sched.race?.();
      if (race) {
        raceTargets[race.window]++;
        if (race.hit) raceHits[race.window]++;
      }
      if (ex.violation !== null) {
        violation = { execution: i, property: ex.violation, path: ex.path, atMs: nowMs(), loopStart: null };
        break;
      }
      if (ex.end === 'depth' && this.liveness) {
        // replayed (keeping every execution's states would slow down the executions that end)
        const j = this.liveness.judge(ex.path);
        if (j.lasso) {
          violation = { execution: i, property: j.lasso.property, path: j.lasso.path, atMs: nowMs(), loopStart: j.lasso.loopStart };
          break;
        }
        j.undecided.forEach((u, q) => {
          if (!u) return;
          undecided[q]++;
          if (j.stepping[q]) stepping[q]++;
          if (firstUndecided[q] < 0) firstUndecided[q] = i;
        });
      }
    }
    return { chunk, executions, steps, sketch: sketch?.registers ?? null, reached: [...this.loop.reached], raceTargets, raceHits, violation, complete, undecided, stepping, firstUndecided };
  }
}

/** The chunks of a run, in order: chunk c covers executions [c*size, (c+1)*size) ∩ [0, runs). */
export class ChunkPlan {
  constructor(
    readonly size: number,
    readonly runs: number | null,
    readonly shard: Shard,
  ) {}
  /** The k-th chunk of this shard, or null past the end. */
  chunk(k: number): { chunk: number; first: number; end: number } | null {
    const c = k * this.shard.count + this.shard.index;
    const first = c * this.size;
    if (this.runs !== null && first >= this.runs) return null;
    if (first > MAX_RUNS) return null;
    const end = this.runs === null ? first + this.size : Math.min(first + this.size, this.runs);
    return { chunk: c, first, end };
  }
}

/** Figures of merged chunks: exactly the executions up to the first violation (file comment). */
export interface Merged {
  executions: number;
  steps: number;
  sketch: CoverageSketch | null;
  reached: boolean[];
  raceTargets: number[];
  raceHits: number[];
  violation: ChunkResult['violation'];
  undecided: number[];
  stepping: number[];
  firstUndecided: number[];
}

/**
 * Merges chunk results as they arrive, in any order: the contiguous prefix of the plan's chunks
 * is folded into running figures at once and only chunks that arrive early are held, so a long
 * `--time` run keeps one coverage sketch, not one per chunk. Nothing after the first violation's
 * chunk counts (chunks are contiguous ranges of executions: see the file comment).
 */
export class ChunkFold {
  private readonly merged: Merged;
  /** Plan position (k) of the next chunk to fold. */
  private next = 0;
  private readonly early = new Map<number, ChunkResult>();

  constructor(
    private readonly plan: ChunkPlan,
    sometimes: number,
    windows: number,
    coverage: boolean,
    eventually = 0,
  ) {
    this.merged = {
      executions: 0,
      steps: 0,
      sketch: coverage ? new CoverageSketch() : null,
      reached: new Array<boolean>(sometimes).fill(false),
      raceTargets: new Array<number>(windows).fill(0),
      raceHits: new Array<number>(windows).fill(0),
      violation: null,
      undecided: new Array<number>(eventually).fill(0),
      stepping: new Array<number>(eventually).fill(0),
      firstUndecided: new Array<number>(eventually).fill(-1),
    };
  }

  add(r: ChunkResult): void {
    if (this.merged.violation !== null) return;
    this.early.set(r.chunk, r);
    for (let c = this.plan.chunk(this.next); c !== null && this.merged.violation === null; c = this.plan.chunk(this.next)) {
      const x = this.early.get(c.chunk);
      if (x === undefined) return;
      this.early.delete(c.chunk);
      this.next++;
      this.fold(x);
    }
    this.early.clear();
  }

  private fold(r: ChunkResult): void {
    const out = this.merged;
    out.executions += r.executions;
    out.steps += r.steps;
    if (out.sketch && r.sketch) out.sketch.merge(r.sketch);
    r.reached.forEach((x, i) => (out.reached[i] ||= x));
    r.raceTargets.forEach((x, i) => (out.raceTargets[i] += x));
    r.raceHits.forEach((x, i) => (out.raceHits[i] += x));
    // chunks fold in execution order: the first undecided execution is the first one seen
    (r.undecided ?? []).forEach((x, i) => (out.undecided[i] += x));
    (r.stepping ?? []).forEach((x, i) => (out.stepping[i] += x));
    (r.firstUndecided ?? []).forEach((x, i) => {
      if (out.firstUndecided[i] < 0) out.firstUndecided[i] = x;
    });
    out.violation = r.violation;
  }

  /** The figures; chunks still held (after a gap: a run cut short) are folded in chunk order. */
  result(): Merged {
    for (const c of [...this.early.keys()].sort((x, y) => x - y)) {
      if (this.merged.violation !== null) break;
      this.fold(this.early.get(c)!);
    }
    this.early.clear();
    return this.merged;
  }
}

/** Everything a run needs, resolved from the options. */
export interface RunContext {
  readonly model: AnyModel;
  readonly options: RandomOptions;
  readonly strategy: Strategy;
  readonly depth: number;
  readonly runs: number | null;
  readonly plan: ChunkPlan;
  readonly coverage: boolean;
  readonly deadlineMs: number;
  readonly startMs: number;
}

export function runContext(model: AnyModel, options: RandomOptions, startMs: number): RunContext {
  validateOptions(options);
  const depth = options.depth ?? DEFAULT_DEPTH;
  const runs = options.timeSeconds !== undefined ? null : options.strategy === 'replay' ? 1 : (options.runs ?? DEFAULT_RUNS);
  const size = options.chunkSize ?? DEFAULT_CHUNK;
  return {
    model,
    options,
    strategy: makeStrategy(model, options),
    depth,
    runs,
    plan: new ChunkPlan(size, runs, options.shard ?? { index: 0, count: 1 }),
    coverage: options.coverage ?? true,
    deadlineMs: options.timeSeconds !== undefined ? startMs + options.timeSeconds * 1000 : Infinity,
    startMs,
  };
}

/**
 * Runs a model's executions on this thread. A generator: it yields between chunks so that an
 * async caller can let a SIGINT handler run; `exploreSync` just drains it.
 */
export function* runHere(ctx: RunContext): Generator<void, Merged> {
  const runner = new ChunkRunner(ctx.model, ctx.strategy, ctx.options.seed, ctx.depth, ctx.coverage);
  const signal = ctx.options.signal;
  const stop = (): boolean => (signal?.aborted ?? false) || (ctx.deadlineMs !== Infinity && nowMs() >= ctx.deadlineMs);
  const fold = chunkFold(ctx);
  const progress = new ProgressReporter(ctx.options, ctx.startMs, ctx.runs);
  for (let k = 0; ; k++) {
    const c = ctx.plan.chunk(k);
    if (c === null) break;
    const r = runner.run(c.chunk, c.first, c.end, stop);
    fold.add(r);
    progress.add(r);
    if (r.violation || !r.complete) break;
    yield;
  }
  return fold.result();
}

/** The fold of a run's chunk results. */
export function chunkFold(ctx: RunContext): ChunkFold {
  const sometimes = ctx.model.properties.filter((p) => p.expectation === 'sometimes').length;
  const eventually = ctx.model.properties.filter((p) => p.expectation === 'eventually').length;
  return new ChunkFold(ctx.plan, sometimes, ctx.strategy.windows?.length ?? 0, ctx.coverage, eventually);
}

/** Builds the report from the merged chunks (minimizing the counterexample unless told not to). */
export function finishReport(ctx: RunContext, merged: Merged, timing: { startMs: number; endMs: number; workers: number }): ExploreReport {
  const { model, options } = ctx;
  const sometimes = model.properties.filter((p) => p.expectation === 'sometimes').map((p) => p.name);
  const seconds = Math.max((timing.endMs - timing.startMs) / 1000, 1e-9);
  const aborted = options.signal?.aborted ?? false;
  let trace: ModelTrace | null = null;
  let rawLen: number | null = null;
  let minLen: number | null = null;
  const v = merged.violation;
  if (v) {
    rawLen = v.path.length - 1;
    let m = model;
    let path = v.path;
    let loopStart = v.loopStart ?? null;
    if (options.minimize ?? true) {
      if (loopStart === null) ({ model: m, path } = minimizeCounterexample(model, v.path, v.property));
      else ({ model: m, path, loopStart } = minimizeLasso(model, v.path, loopStart, v.property));
    }
    trace = buildModelTrace(m, path, v.property, { seed: options.seed, loopStart });
    minLen = path.length - 1;
  }
  const eventually = model.properties.filter((p) => p.expectation === 'eventually').map((p) => p.name);
  const report: ExploreReport = {
    model: model.name,
    params: { ...model.params },
    strategy: options.strategy,
    seed: options.seed.toString(),
    verdict: v ? 'violation' : aborted ? 'incomplete' : 'ok',
    property: v?.property ?? null,
    executions: merged.executions,
    steps: merged.steps,
    executionsPerSecond: merged.executions / seconds,
    stepsPerSecond: merged.steps / seconds,
    distinctStates: merged.sketch ? merged.sketch.estimate() : null,
    timeToFirstViolation: v ? Math.max(0, (v.atMs - timing.startMs) / 1000) : null,
    trace,
    rawTraceLength: rawLen,
    minimizedTraceLength: minLen,
    violationExecution: v?.execution ?? null,
    depth: ctx.depth,
    runs: ctx.runs,
    timeSeconds: options.timeSeconds ?? null,
    seconds,
    workers: timing.workers,
    shard: options.shard ?? null,
    stopped: v ? 'violation' : aborted ? 'aborted' : ctx.runs === null ? 'time' : 'runs',
    reachedSometimes: sometimes.filter((_, i) => merged.reached[i]),
    unreachedSometimes: sometimes.filter((_, i) => !merged.reached[i]),
    loopStart: trace?.loopStart ?? null,
    notChecked: eventually.flatMap((property, i) =>
      merged.undecided[i] > 0 ? [{ property, executions: merged.undecided[i], stepping: merged.stepping[i], firstExecution: merged.firstUndecided[i] }] : [],
    ),
    coverageSketch: merged.sketch ? merged.sketch.toBase64() : null,
  };
  if (ctx.strategy.windows)
    report.raceWindows = ctx.strategy.windows.map((name, i) => ({ name, executions: merged.raceTargets[i], hits: merged.raceHits[i] }));
  if (ctx.strategy.pctBound) report.pctBound = ctx.strategy.pctBound;
  return report;
}

/** A whole run on this thread, synchronously (`workers` must be 1). */
export function exploreSync(model: AnyModel, options: RandomOptions): ExploreReport {
  if ((options.workers ?? 1) !== 1) throw new UsageError('exploreSync runs on one thread: use explore() for --workers');
  const startMs = nowMs();
  const ctx = runContext(model, options, startMs);
  const gen = runHere(ctx);
  let r = gen.next();
  while (!r.done) r = gen.next();
  return finishReport(ctx, r.value, { startMs, endMs: nowMs(), workers: 1 });
}

/** Keys that must agree for two reports to be parts of one run. */
function runIdentity(r: ExploreReport): string {
  return JSON.stringify([r.model, r.params, r.strategy, r.seed, r.depth, r.runs, r.timeSeconds, r.pctBound?.depth ?? null]);
}

/**
 * Combines the reports of the shards of one run (order-independent). Refuses reports of different
 * runs (model, params, seed, strategy, depth, runs) and duplicate shards with a one-line error.
 * The merged report is no one shard: `shard` is null, `shardCount`, `shardsMerged` and `shards`
 * say what it combines, `workers` counts the threads of all of them. `trace` is the trace of the
 * report whose violation has the smallest execution index, whatever form the reports carry it in.
 */
export function mergeReports<R extends ExploreReport>(reports: readonly R[]): R {
  if (reports.length === 0) throw new UsageError('merge: no reports given');
  const first = reports[0];
  for (const r of reports.slice(1))
    if (runIdentity(r) !== runIdentity(first))
      throw new UsageError(
        `merge: reports of different runs (model ${r.model} / ${first.model}, strategy ${r.strategy} / ${first.strategy}, seed ${r.seed} / ${first.seed}, or params, depth, runs differ)`,
      );
  const countOf = (r: ExploreReport) => r.shardCount ?? r.shard?.count ?? 1;
  const count = countOf(first);
  const indices: number[] = [];
  const shards: ShardSummary[] = [];
  for (const r of reports) {
    if (countOf(r) !== count) throw new UsageError(`merge: shard counts differ (${countOf(r)} and ${count})`);
    const parts = r.shardsMerged ?? [r.shard?.index ?? 0];
    for (const i of parts) {
      if (indices.includes(i)) throw new UsageError(`merge: shard ${i}/${count} is given twice`);
      indices.push(i);
    }
    shards.push(
      ...(r.shards ?? [
        { index: r.shard?.index ?? 0, workers: r.workers, executions: r.executions, steps: r.steps, seconds: r.seconds, stopped: r.stopped, violationExecution: r.violationExecution },
      ]),
    );
  }
  indices.sort((a, b) => a - b);
  shards.sort((a, b) => a.index - b.index);
  let best: R | null = null;
  for (const r of reports) if (r.violationExecution !== null && (best === null || r.violationExecution < best.violationExecution!)) best = r;
  const sum = (f: (r: ExploreReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  const seconds = Math.max(...reports.map((r) => r.seconds));
  let sketch: CoverageSketch | null = null;
  if (reports.every((r) => r.coverageSketch !== null)) {
    sketch = new CoverageSketch();
    for (const r of reports) sketch.merge(CoverageSketch.fromBase64(r.coverageSketch!));
  }
  const reached = new Set(reports.flatMap((r) => r.reachedSometimes));
  const allSometimes = [...new Set(reports.flatMap((r) => [...r.reachedSometimes, ...r.unreachedSometimes]))];
  const notChecked = new Map<string, NotChecked>();
  for (const n of reports.flatMap((r) => r.notChecked ?? [])) {
    const o = notChecked.get(n.property);
    notChecked.set(
      n.property,
      o ? { property: n.property, executions: o.executions + n.executions, stepping: o.stepping + n.stepping, firstExecution: Math.min(o.firstExecution, n.firstExecution) } : { ...n },
    );
  }
  const executions = sum((r) => r.executions);
  const steps = sum((r) => r.steps);
  const aborted = reports.some((r) => r.stopped === 'aborted');
  const stopped = best ? 'violation' : aborted ? 'aborted' : first.stopped;
  const out: ExploreReport = {
    model: first.model,
    params: first.params,
    strategy: first.strategy,
    seed: first.seed,
    verdict: best ? 'violation' : aborted ? 'incomplete' : 'ok',
    property: best?.property ?? null,
    executions,
    steps,
    executionsPerSecond: executions / seconds,
    stepsPerSecond: steps / seconds,
    distinctStates: sketch ? sketch.estimate() : null,
    timeToFirstViolation: best?.timeToFirstViolation ?? null,
    trace: best?.trace ?? null,
    rawTraceLength: best?.rawTraceLength ?? null,
    minimizedTraceLength: best?.minimizedTraceLength ?? null,
    violationExecution: best?.violationExecution ?? null,
    depth: first.depth,
    runs: first.runs,
    timeSeconds: first.timeSeconds,
    seconds,
    workers: sum((r) => r.workers),
    shard: null,
    shardCount: count,
    shardsMerged: indices,
    shards,
    stopped,
    reachedSometimes: allSometimes.filter((n) => reached.has(n)),
    unreachedSometimes: allSometimes.filter((n) => !reached.has(n)),
    loopStart: best?.loopStart ?? null,
    notChecked: [...notChecked.values()],
    coverageSketch: sketch ? sketch.toBase64() : null,
  };
  if (first.raceWindows)
    out.raceWindows = first.raceWindows.map((w, i) => ({
      name: w.name,
      executions: sum((r) => r.raceWindows?.[i]?.executions ?? 0),
      hits: sum((r) => r.raceWindows?.[i]?.hits ?? 0),
    }));
  if (first.pctBound) out.pctBound = first.pctBound;
  // the fields of the reports' own form (e.g. the CLI's), with the merged figures over them
  return { ...(best ?? first), ...out, trace: best?.trace ?? null } as R;
}
