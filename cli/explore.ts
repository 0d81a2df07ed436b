/**
 * `explore`, `minimize` and `merge`: the randomized explorer's commands, as functions returning
 * `{ json, text, exitCode }` (like cli/replay.ts); cli/main.ts wires them to the command line.
 * Exit codes: 0 nothing found, 1 a violation found, 2 bad input (a UsageError, thrown).
 *
 * Ctrl-C: pass `signal` (e.g. `{ aborted: false }`, set to true by a SIGINT handler); the run ends
 * after the current execution and the report (and the trace, if a violation was found) is
 * printed and saved as usual, with `"stopped": "aborted"`.
 */
import { buildModel, parseSets } from '../model/registry';
import { UsageError } from '../model/errors';
import type { AnyModel } from '../model/core';
import { explore, mergeReports, MAX_RUNS, type ExploreReport, type Shard } from '../checker/random/run';
import { STRATEGY_NAMES, mix64, type StrategyName } from '../checker/random/scheduler';
import { minimizeCounterexample } from '../checker/minimize';
import { buildModelTrace, modelOfTrace, pathOfTrace } from '../checker/model-trace';
import { serializeTrace } from '../checker/trace';
import { readUserFile, writeFileAtomic, writeTrace } from './files';
import { loadTrace } from './replay';
import { renderTable } from './table';
import { renderModelTrace, formatParams } from './steps';
import { optionalIntOption } from './options';
import type { ExploreProgress } from '../checker/random/run';
import { modelTraceName } from './check';
import { SKETCH_REGISTERS } from '../checker/random/sketch';

export interface CliOutcome {
  json: unknown;
  text: string;
  exitCode: number;
}

/** Options of `rmapcheck explore`, as the command line gives them (strings) or as numbers. */
export interface ExploreCliOptions {
  model: string;
  variant?: string;
  bug?: string;
  set?: readonly string[];
  scenario?: string;
  strategy?: string;
  depth?: string | number;
  seed?: string | number | bigint;
  runs?: string | number;
  time?: string | number;
  workers?: string | number;
  /** `i/N` */
  shard?: string;
  /** PCT's bug depth d (default 3). */
  pctDepth?: string | number;
  noMinimize?: boolean;
  /** Directory for the counterexample trace (default `rmapcheck-out`). */
  out?: string;
  force?: boolean;
  signal?: { readonly aborted: boolean };
  /** Progress of the run, about every 2 s (the CLI shows it on a terminal). */
  onProgress?: (p: ExploreProgress) => void;
}


/** `--seed`: a decimal or 0x-hex integer below 2^64. */
export function parseSeed(raw: string | number | bigint): bigint {
  const s = String(raw).trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(s)) throw new UsageError(`--seed ${s}: not a non-negative integer (decimal or 0x hex)`);
  const v = BigInt(s);
  if (v >= 1n << 64n) throw new UsageError(`--seed ${s}: must be below 2^64`);
  return v;
}

/** `--shard i/N` */
export function parseShard(raw: string): Shard {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(raw);
  if (!m) throw new UsageError(`--shard ${raw}: expected i/N, e.g. 0/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard ${raw}: the shard count must be at least 1`);
  if (index >= count) throw new UsageError(`--shard ${raw}: shard index out of range 0..${count - 1}`);
  return { index, count };
}

/** A seed from the clock, taken once per command (and printed, so the run can be repeated). */
export function clockSeed(): bigint {
  return mix64(BigInt(Date.now()) * 1_000_003n + process.hrtime.bigint());
}

/** The command line that repeats this run (the seed included). */
/** The command line that repeats a run exactly (printed with each report, and by the audit). */
export function repeatLine(o: ExploreCliOptions, seed: bigint, strategy: string): string {
  const parts = ['rmapcheck explore', `--model ${o.model}`];
  if (o.variant) parts.push(`--variant ${o.variant}`);
  if (o.bug) parts.push(`--bug ${o.bug}`);
  for (const s of o.set ?? []) parts.push(`--set ${s}`);
  if (o.scenario) parts.push(`--scenario ${o.scenario}`);
  parts.push(`--strategy ${strategy}`, `--seed ${seed}`);
  if (o.depth !== undefined) parts.push(`--depth ${o.depth}`);
  if (o.runs !== undefined) parts.push(`--runs ${o.runs}`);
  if (o.time !== undefined) parts.push(`--time ${o.time}`);
  if (o.shard !== undefined) parts.push(`--shard ${o.shard}`);
  if (o.pctDepth !== undefined) parts.push(`--pct-depth ${o.pctDepth}`);
  return parts.join(' ');
}

function fmtRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

export function renderReport(r: ExploreReport): string {
  const lines: string[] = [];
  const shard = r.shardsMerged && r.shardsMerged.length > 1 ? ` (shards ${r.shardsMerged.join(',')} of ${r.shard?.count})` : r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
  lines.push(`explore ${r.model}, strategy ${r.strategy}, seed ${r.seed}${shard}`);
  lines.push(`params: ${formatParams(r.params, 60)}`);
  lines.push(
    `executions ${r.executions.toLocaleString('en-US')}, steps ${r.steps.toLocaleString('en-US')} in ${r.seconds.toFixed(2)} s on ${r.workers} worker(s): ` +
      `${fmtRate(r.executionsPerSecond)} executions/s, ${fmtRate(r.stepsPerSecond)} steps/s; ` +
      `distinct states ~${r.distinctStates === null ? 'n/a' : r.distinctStates.toLocaleString('en-US')}`,
  );
  if (r.pctBound)
    lines.push(
      `PCT: n=${r.pctBound.threads} threads, k=${r.pctBound.steps} steps, depth d=${r.pctBound.depth}: ` +
        `a depth-${r.pctBound.depth} bug is found per execution with probability >= ${r.pctBound.probability.toExponential(3)}; ` +
        `${r.pctBound.runsFor99.toLocaleString('en-US')} executions give 99%`,
    );
  if (r.raceWindows && r.raceWindows.length > 0) {
    lines.push('race windows:');
    lines.push(renderTable(['window', 'executions', 'hits'], r.raceWindows.map((w) => [w.name, String(w.executions), String(w.hits)])));
  }
  if (r.unreachedSometimes.length) lines.push(`sometimes properties never reached: ${r.unreachedSometimes.join(', ')}`);
  if (r.stopped === 'aborted') lines.push('stopped early (interrupted): the figures cover the executions that ran');
  if (r.shardsMerged && r.shard && r.shardsMerged.length < r.shard.count)
    lines.push(`warning: only shards ${r.shardsMerged.join(',')} of ${r.shard.count} were merged`);
  if (r.verdict === 'ok') {
    lines.push(`verdict: ok (no violation in ${r.executions.toLocaleString('en-US')} executions of depth <= ${r.depth})`);
  } else {
    lines.push(
      `verdict: VIOLATION of ${r.property} in execution ${r.violationExecution} after ${r.timeToFirstViolation?.toFixed(3)} s; ` +
        `counterexample ${r.rawTraceLength} steps, minimized to ${r.minimizedTraceLength}`,
    );
    if (r.trace) {
      lines.push(`property ${r.trace.property.name}: ${r.trace.property.description}`);
      lines.push('');
      lines.push(renderModelTrace(r.trace));
    }
  }
  return lines.join('\n');
}

/** `rmapcheck explore ...` (see the file comment). */
export async function runExplore(o: ExploreCliOptions): Promise<CliOutcome> {
  const strategy = (o.strategy ?? 'random') as StrategyName;
  if (!STRATEGY_NAMES.includes(strategy) || strategy === 'replay')
    throw new UsageError(`unknown strategy '${o.strategy}' (strategies: random, pct, race; replay a trace with 'rmapcheck replay')`);
  if (o.runs !== undefined && o.time !== undefined) throw new UsageError('--runs and --time exclude each other');
  const runs = optionalIntOption('runs', o.runs, 1, MAX_RUNS);
  let time: number | undefined;
  if (o.time !== undefined) {
    time = Number(o.time);
    if (!(Number.isFinite(time) && time > 0)) throw new UsageError(`--time ${o.time}: must be a positive number of seconds`);
  }
  const depth = optionalIntOption('depth', o.depth, 1, 1_000_000);
  const workers = optionalIntOption('workers', o.workers, 1, 256);
  const pctDepth = optionalIntOption('pct-depth', o.pctDepth, 1, 16);
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  const seed = o.seed !== undefined ? parseSeed(o.seed) : clockSeed();
  const model: AnyModel = buildModel(o.model, { variant: o.variant, bug: o.bug, set: parseSets(o.set ?? []), scenario: o.scenario });
  const report = await explore(model, {
    strategy,
    seed,
    depth,
    runs,
    timeSeconds: time,
    workers,
    shard,
    pctDepth,
    minimize: !o.noMinimize,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  const lines = [renderReport(report)];
  let traceFile: string | null = null;
  if (report.trace) {
    const name = modelTraceName(model, report.property!, [], [strategy, `seed${seed}`, ...(shard ? [`shard${shard.index}of${shard.count}`] : [])]);
    traceFile = writeTrace(o.out ?? 'rmapcheck-out', name, report.trace, !!o.force);
    lines.push('', `trace: ${traceFile}`, `replay: npx rmapcheck replay ${traceFile}`);
  }
  lines.push(`repeat: npx ${repeatLine(o, seed, strategy)}`);
  return { json: { ...report, traceFile }, text: lines.join('\n'), exitCode: report.verdict === 'violation' ? 1 : 0 };
}

/** `rmapcheck minimize TRACE --out MIN`: writes the minimized trace (atomic; no overwrite without force). */
export function runMinimize(file: string, out: string, force: boolean): CliOutcome {
  const trace = loadTrace(file);
  if (trace.kind !== 'model') throw new UsageError(`${file}: only schedule traces of the concurrent models (kind "model") are minimized, not "${trace.kind}"`);
  if (trace.loopStart !== null) throw new UsageError(`${file}: a liveness (lasso) trace is not minimized; minimize handles always properties and deadlock`);
  const model = modelOfTrace(trace, file);
  const path = pathOfTrace(trace);
  let min;
  try {
    min = minimizeCounterexample(model, path, trace.property.name);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${file}: ${e.message}`);
    if ((e as Error).name === 'ReplayDivergence' || (e as Error).message.startsWith('replay:')) throw new UsageError(`${file}: ${(e as Error).message}`);
    throw e;
  }
  const minimized = buildModelTrace(min.model, min.path, trace.property.name, { seed: trace.seed === null ? null : BigInt(trace.seed) });
  writeFileAtomic(out, serializeTrace(minimized), force);
  const text = [
    `minimized ${file}: ${trace.steps.length} -> ${minimized.steps.length} steps, property ${trace.property.name}`,
    ...min.log.map((l) => `  ${l}`),
    `written: ${out}`,
    '',
    renderModelTrace(minimized),
    '',
    `replay: npx rmapcheck replay ${out}`,
  ].join('\n');
  return {
    json: { trace: file, out, property: trace.property.name, rawTraceLength: trace.steps.length, minimizedTraceLength: minimized.steps.length, log: min.log },
    text,
    // The minimized trace is a counterexample that still violates the property.
    exitCode: 1,
  };
}

function loadReport(file: string): ExploreReport {
  const text = readUserFile(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = data as Partial<ExploreReport>;
  const notReport = `${file}: not an explore report (run 'rmapcheck explore --json' and save its output)`;
  if (typeof r !== 'object' || r === null || typeof r.model !== 'string' || typeof r.seed !== 'string' || typeof r.strategy !== 'string' || typeof r.executions !== 'number')
    throw new UsageError(notReport);
  // the fields the merge reads beyond those: a hand-edited or truncated report is bad input
  const strings = (x: unknown) => Array.isArray(x) && x.every((y) => typeof y === 'string');
  if (typeof r.steps !== 'number' || typeof r.seconds !== 'number' || !strings(r.reachedSometimes) || !strings(r.unreachedSometimes) || (r.violationExecution !== null && typeof r.violationExecution !== 'number'))
    throw new UsageError(`${notReport}: a field is missing or of the wrong type`);
  if (r.coverageSketch !== null) {
    const b = typeof r.coverageSketch === 'string' ? Buffer.from(r.coverageSketch, 'base64') : null;
    if (b === null || b.length !== SKETCH_REGISTERS) throw new UsageError(`${file}: coverageSketch is not a ${SKETCH_REGISTERS}-register sketch (base64)`);
  }
  return r as ExploreReport;
}

/** `rmapcheck merge REPORT...`: combines the JSON reports of the shards of one run. */
export function runMerge(files: readonly string[]): CliOutcome {
  if (files.length === 0) throw new UsageError('merge: give the JSON reports of the shards');
  const merged = mergeReports(files.map(loadReport));
  return { json: merged, text: renderReport(merged), exitCode: merged.verdict === 'violation' ? 1 : 0 };
}
