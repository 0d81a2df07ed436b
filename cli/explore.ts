/**
 * `explore`, `minimize` and `merge`: the randomized explorer's commands, as functions returning
 * `{ json, text, exitCode }` (like cli/replay.ts); cli/main.ts wires them to the command line.
 * Exit codes: 0 nothing found, 1 a violation found, 2 bad input (a UsageError, thrown).
 *
 * Ctrl-C: pass `signal` (e.g. `{ aborted: false }`, set to true by a SIGINT handler); the run ends
 * after the current execution and the report (and the trace, if a violation was found) is
 * printed and saved as usual, with `"stopped": "aborted"` and, without a violation, verdict
 * `incomplete`.
 *
 * The JSON of every command here is documented field by field in docs/json.md: `trace` is the
 * path of the trace file (or null), as in `check`.
 */
import { buildModel, parseSets } from '../model/registry';
import { UsageError } from '../model/errors';
import { parseUserJson } from '../model/json-input';
import type { AnyModel } from '../model/core';
import { mergeReports, MAX_RUNS, type ExploreReport, type Shard } from '../checker/random/run';
import { explore } from '../checker/random/explore';
import { STRATEGY_NAMES, mix64, type StrategyName } from '../checker/random/scheduler';
import { minimizeCounterexample, minimizeLasso } from '../checker/minimize';
import { buildModelTrace, modelOfTrace, pathOfTrace } from '../checker/model-trace';
import { serializeTrace, type ModelTrace } from '../checker/trace';
import { checkOutDir, checkOutputFile, readUserFile, saveTrace, writeFileAtomic } from '../checker/files';
import { exitCodeWith } from './files';
import { loadReproducedTrace } from './replay';
import { renderTable } from '../text/table';
import { renderModelTrace, formatParams } from '../text/steps';
import { optionalIntOption } from './options';
import type { ExploreProgress } from '../checker/random/run';
import { modelTraceName } from './check';
import { SKETCH_REGISTERS } from '../checker/random/sketch';
import { replayLine, shellCommand } from './shell';

export interface CliOutcome {
  json: unknown;
  text: string;
  exitCode: number;
  /** Files that could not be written (the verdict stands; cli/main.ts prints each as an error). */
  writeErrors?: readonly string[];
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
  /** Also put the counterexample trace itself into the JSON (`traceData`). */
  embedTrace?: boolean;
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

/** Most shards of one run (run.ts `validateOptions` holds the library to the same bound). */
const MAX_SHARDS = 1_000_000;

/** `--shard i/N` */
export function parseShard(raw: string): Shard {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(raw);
  if (!m) throw new UsageError(`--shard ${raw}: expected i/N, e.g. 0/4`);
  // judged on the digits: a number beyond 2^53 would be rounded (and echoed rounded)
  if (m[2].replace(/^0+/, '').length > String(MAX_SHARDS).length || Number(m[2]) > MAX_SHARDS)
    throw new UsageError(`--shard ${raw.trim()}: the shard count must be at most ${MAX_SHARDS}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard ${raw}: the shard count must be at least 1`);
  if (!Number.isSafeInteger(index)) throw new UsageError(`--shard ${raw.trim()}: shard index out of range 0..${count - 1}`);
  if (index >= count) throw new UsageError(`--shard ${raw}: shard index out of range 0..${count - 1}`);
  return { index, count };
}

/** A seed from the clock, taken once per command (and printed, so the run can be repeated). */
export function clockSeed(): bigint {
  return mix64(BigInt(Date.now()) * 1_000_003n + process.hrtime.bigint());
}

/** The options that choose the model configuration, as arguments (explore and check share them). */
function modelArgs(o: Pick<ExploreCliOptions, 'model' | 'variant' | 'bug' | 'set' | 'scenario'>): string[] {
  const args = ['--model', o.model];
  if (o.variant) args.push('--variant', o.variant);
  if (o.bug) args.push('--bug', o.bug);
  for (const s of o.set ?? []) args.push('--set', s);
  if (o.scenario) args.push('--scenario', o.scenario);
  return args;
}

/** The command line that repeats a run exactly (printed with each report, and by the audit),
 *  shell-quoted. */
export function repeatLine(o: ExploreCliOptions, seed: bigint, strategy: string): string {
  const args = ['rmapcheck', 'explore', ...modelArgs(o), '--strategy', strategy, '--seed', String(seed)];
  if (o.depth !== undefined) args.push('--depth', String(o.depth));
  if (o.runs !== undefined) args.push('--runs', String(o.runs));
  if (o.time !== undefined) args.push('--time', String(o.time));
  if (o.shard !== undefined) args.push('--shard', o.shard);
  if (o.pctDepth !== undefined) args.push('--pct-depth', String(o.pctDepth));
  if (o.noMinimize) args.push('--no-minimize');
  return shellCommand(args);
}

/**
 * The progress display of a run: executions and steps/s, with a bar of executions (a `--runs`
 * budget) or of whole seconds (a `--time` budget).
 */
export function exploreProgress(line: { update(text: string, count?: { value: number; total: number }): void }): (p: ExploreProgress) => void {
  return (p) => {
    const text = `explore: ${p.executions.toLocaleString('en-US')} executions, ${Math.round(p.stepsPerSecond).toLocaleString('en-US')} steps/s`;
    if (p.total !== null) return line.update(text, { value: p.executions, total: p.total });
    if (p.timeSeconds === null) return line.update(text);
    const total = Math.max(1, Math.round(p.timeSeconds));
    line.update(text, { value: Math.min(Math.floor(p.seconds), total), total });
  };
}

function fmtRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

/** What the text of a report reads: a run's report or a merged one, in either form. */
type ReportFigures = Omit<ExploreReport, 'trace' | 'raceWindows' | 'pctBound'> & Partial<Pick<Nullable<ExploreReport>, 'raceWindows' | 'pctBound'>>;
type Nullable<T> = { [K in keyof T]: T[K] | null };

/** The report's figures and verdict for a person; `trace` (when at hand) is shown step by step,
 *  `decide` is a command that decides what the run left undecided (`check`). */
export function renderReport(r: ReportFigures, trace: ModelTrace | null = null, decide: string | null = null): string {
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  const count = r.shardCount ?? r.shard?.count ?? 1;
  const shard = r.shardsMerged ? ` (merged: shard${r.shardsMerged.length > 1 ? 's' : ''} ${r.shardsMerged.join(',')} of ${count})` : r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
  lines.push(`explore ${r.model}, strategy ${r.strategy}, seed ${r.seed}${shard}`);
  lines.push(`params: ${formatParams(r.params, 60)}`);
  const where = r.shards
    ? ` over ${r.shards.length} shard(s) (${r.workers} worker thread(s) in all; the longest shard ran ${r.seconds.toFixed(2)} s)`
    : ` in ${r.seconds.toFixed(2)} s on ${r.workers} worker(s)`;
  lines.push(
    `executions ${n(r.executions)}, steps ${n(r.steps)}${where}: ` +
      `${fmtRate(r.executionsPerSecond)} executions/s, ${fmtRate(r.stepsPerSecond)} steps/s; ` +
      `distinct states ~${r.distinctStates === null ? 'n/a' : n(r.distinctStates)}`,
  );
  if (r.pctBound)
    lines.push(
      `PCT: n=${r.pctBound.threads} threads, k=${r.pctBound.steps} steps, depth d=${r.pctBound.depth}: ` +
        `a depth-${r.pctBound.depth} bug is found per execution with probability >= ${r.pctBound.probability.toExponential(3)}; ` +
        `${n(r.pctBound.runsFor99)} executions give 99%`,
    );
  if (r.raceWindows && r.raceWindows.length > 0) {
    lines.push('race windows:');
    lines.push(renderTable(['window', 'executions', 'hits'], r.raceWindows.map((w) => [w.name, String(w.executions), String(w.hits)])));
  }
  if (r.unreachedSometimes.length) lines.push(`sometimes properties never reached: ${r.unreachedSometimes.join(', ')}`);
  if (r.shardsMerged && r.shardsMerged.length < count) lines.push(`warning: only shards ${r.shardsMerged.join(',')} of ${count} were merged`);
  const notChecked = r.notChecked ?? [];
  if (r.verdict !== 'violation')
    for (const x of notChecked)
      lines.push(
        `not checked: ${x.property} (eventually): ${n(x.executions)} execution(s) reached the depth bound ${r.depth} before it held, without a repeated state` +
          (x.stepping > 0 ? `; its thread was still stepping in ${n(x.stepping)} of them: suspected livelock (first: execution ${x.firstExecution})` : ` (first: execution ${x.firstExecution})`),
      );
  if (r.verdict !== 'violation' && notChecked.length > 0)
    lines.push(`  decide ${notChecked.length > 1 ? 'them' : 'it'} with a larger --depth, or exhaustively${decide ? `: npx ${decide}` : " with 'rmapcheck check'"}`);
  const scope = notChecked.length > 0 && r.verdict !== 'violation' ? ` for the properties checked; not checked: ${notChecked.map((x) => x.property).join(', ')}` : '';
  if (r.verdict === 'ok') {
    lines.push(`verdict: ok (no violation in ${n(r.executions)} executions of depth <= ${r.depth})${scope}`);
  } else if (r.verdict === 'incomplete') {
    lines.push(`verdict: incomplete (interrupted: no violation in the ${n(r.executions)} executions that ran${r.runs !== null ? ` of ${n(r.runs)}` : ''})${scope}`);
  } else {
    const found = `verdict: VIOLATION of ${r.property} in execution ${r.violationExecution} after ${r.timeToFirstViolation?.toFixed(3)} s; `;
    if (r.loopStart !== null && r.loopStart !== undefined)
      lines.push(
        found +
          `a livelock: a lasso of ${r.rawTraceLength} steps, minimized to ${r.minimizedTraceLength}, whose steps ${r.loopStart + 1}..${r.minimizedTraceLength} repeat forever without the property ever holding`,
      );
    else lines.push(found + `counterexample ${r.rawTraceLength} steps, minimized to ${r.minimizedTraceLength}`);
    if (trace) {
      lines.push(`property ${trace.property.name}: ${trace.property.description}`);
      lines.push('');
      lines.push(renderModelTrace(trace));
    }
  }
  return lines.join('\n');
}

/**
 * The JSON of an explore report: `trace` is the trace file's path (or null); the trace itself
 * only on request (`traceData`), the coverage sketch only where a merge needs it (shard runs).
 */
function exploreJson(r: ExploreReport, trace: string | null, o: { sketch: boolean; embedTrace: boolean }) {
  const { coverageSketch, raceWindows, pctBound, ...figures } = r;
  return {
    ...figures,
    trace,
    coverageSketch: o.sketch ? coverageSketch : null,
    raceWindows: raceWindows ?? null,
    pctBound: pctBound ?? null,
    ...(o.embedTrace ? { traceData: r.trace } : {}),
  };
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
  if (pctDepth !== undefined && strategy !== 'pct') throw new UsageError(`--pct-depth is PCT's bug depth: it applies to --strategy pct, not ${strategy}`);
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  // every shard must run the same executions: a seed from each machine's clock would not
  if (shard !== undefined && o.seed === undefined) throw new UsageError(`--shard ${o.shard} needs --seed: give every shard of the run the same seed`);
  const seed = o.seed !== undefined ? parseSeed(o.seed) : clockSeed();
  const out = o.out ?? 'rmapcheck-out';
  checkOutDir(out); // before the work: a run must not end in "cannot write"
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
  const decide = shellCommand(['rmapcheck', 'check', ...modelArgs(o)]);
  const lines = [renderReport(report, report.trace, decide)];
  let traceFile: string | null = null;
  const writeErrors: string[] = [];
  if (report.trace) {
    const name = modelTraceName(model, report.property!, { kind: 'explore', strategy, seed, shard, depth, pctDepth, minimized: !o.noMinimize });
    traceFile = saveTrace(out, name, report.trace, !!o.force, writeErrors);
    lines.push('', ...(traceFile ? [`trace: ${traceFile}`, replayLine(traceFile)] : [`trace not written: ${writeErrors[0]}`]));
  }
  lines.push(`repeat: npx ${repeatLine(o, seed, strategy)}`);
  return {
    // a trace not written leaves `trace` null and says why (the key only then)
    json: { ...exploreJson(report, traceFile, { sketch: shard !== undefined, embedTrace: !!o.embedTrace }), ...(writeErrors.length ? { writeErrors } : {}) },
    text: lines.join('\n'),
    exitCode: exitCodeWith(report.verdict === 'violation' ? 1 : 0, writeErrors),
    writeErrors,
  };
}

/** `rmapcheck minimize TRACE --out MIN`: writes the minimized trace (atomic; no overwrite without force). */
export function runMinimize(file: string, out: string, force: boolean): CliOutcome {
  checkOutputFile(out, [file]);
  const trace = loadReproducedTrace(file);
  if (trace.kind !== 'model') throw new UsageError(`${file}: only schedule traces of the concurrent models (kind "model") are minimized, not "${trace.kind}"`);
  const model = modelOfTrace(trace, file);
  const path = pathOfTrace(trace);
  let min;
  try {
    min = trace.loopStart === null ? minimizeCounterexample(model, path, trace.property.name) : minimizeLasso(model, path, trace.loopStart, trace.property.name);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${file}: ${e.message}`);
    if ((e as Error).name === 'ReplayDivergence' || (e as Error).message.startsWith('replay:')) throw new UsageError(`${file}: ${(e as Error).message}`);
    throw e;
  }
  const minimized = buildModelTrace(min.model, min.path, trace.property.name, { seed: trace.seed === null ? null : BigInt(trace.seed), loopStart: min.loopStart ?? null });
  writeFileAtomic(out, serializeTrace(minimized), force);
  const text = [
    `minimized ${file}: ${trace.steps.length} -> ${minimized.steps.length} steps, property ${trace.property.name}`,
    ...min.log.map((l) => `  ${l}`),
    `written: ${out}`,
    '',
    renderModelTrace(minimized),
    '',
    replayLine(out),
  ].join('\n');
  return {
    // `trace`: the trace this command wrote, as everywhere; `input`: the trace it read
    json: { input: file, trace: out, property: trace.property.name, rawTraceLength: trace.steps.length, minimizedTraceLength: minimized.steps.length, log: min.log },
    text,
    // The minimized trace is a counterexample that still violates the property.
    exitCode: 1,
  };
}

/** An explore report as `explore --json` prints it (docs/json.md). */
type ExploreJson = ReturnType<typeof exploreJson>;

function loadReport(file: string): ExploreJson {
  const r = parseUserJson(readUserFile(file), file) as Partial<ExploreReport>;
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
  // `trace` is the path of the shard's trace file; reports of rmapcheck <= 0.1.0 carried the
  // trace itself there and the path in `traceFile`
  const old = r as unknown as { trace: unknown; traceFile?: unknown };
  if (old.trace !== null && typeof old.trace === 'object' && (typeof old.traceFile === 'string' || old.traceFile === null)) old.trace = old.traceFile;
  delete old.traceFile;
  // a shard's own write problems are not the merged report's (its `trace` is then null)
  delete (r as { writeErrors?: unknown }).writeErrors;
  if (old.trace !== null && typeof old.trace !== 'string') throw new UsageError(`${notReport}: a field is missing or of the wrong type (trace)`);
  return r as unknown as ExploreJson;
}

/** `rmapcheck merge REPORT...`: combines the JSON reports of the shards of one run. */
export function runMerge(files: readonly string[]): CliOutcome {
  if (files.length === 0) throw new UsageError('merge: give the JSON reports of the shards');
  const reports = files.map(loadReport);
  // the reports' form (CLI JSON) passes through the merge: `trace` is the winning shard's path
  const merged = mergeReports(reports as unknown as ExploreReport[]) as unknown as ExploreJson;
  const lines = [renderReport(merged)];
  if (merged.distinctStates === null && reports.some((r) => r.coverageSketch === null) && reports.some((r) => r.distinctStates !== null))
    lines.push('distinct states: not merged (a report without coverageSketch: reports of --shard runs carry it)');
  if (merged.verdict === 'violation') {
    const from = merged.shards?.find((x) => x.violationExecution === merged.violationExecution);
    if (merged.trace) lines.push('', `trace: ${merged.trace}${from ? ` (written by shard ${from.index})` : ''}`, replayLine(merged.trace));
    else lines.push('', `trace: none recorded (the report of shard ${from?.index ?? '?'} names no trace file)`);
  }
  return { json: merged, text: lines.join('\n'), exitCode: merged.verdict === 'violation' ? 1 : 0 };
}
