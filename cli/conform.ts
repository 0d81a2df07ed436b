/**
 * `conform`: compile a C implementation of the series (the user's adapter, which includes their
 * kernel sources; by default rmapcheck's own, conform/kernel/) and check it against the
 * reference model, operation by operation (checker/conform/). A divergence is shrunk, written
 * as a conformance trace, and re-run to confirm it. Ctrl-C (the signal) stops the run with what
 * it found (verdict `incomplete` if nothing diverged).
 *
 * `--mode concurrent` goes to checker/conform/concurrent.ts's `runConformConcurrent`, by way of
 * cli/conform-concurrent.ts (which prints its result in this contract).
 */
import { join } from 'path';
import { UsageError } from '../model/errors';
import { buildConformBinary, ownImplementation, type BuildOptions, type ConformBuild } from '../checker/conform/build';
import { describeOp } from '../checker/conform/ops';
import { propertyOf, type FolioSnapshot, type StepRecord } from '../checker/conform/compare';
import { runSequential, type SequentialProgress } from '../checker/conform/sequential';
import { buildConformTrace, serializeConformTrace, type ConformFinding } from '../checker/conform/trace';
import { checkOutDir, ensureOutDir, writeFileAtomic } from '../checker/files';
import { exitCodeWith } from './files';
import { fileName } from '../checker/trace-name';
import { intOption, optionalIntOption } from './options';
import { renderTable } from '../text/table';
import { clockSeed, parseSeed } from './explore';
import { replayLine, shellCommand } from './shell';
import { runConcurrentMode } from './conform-concurrent';
import { describeBuild } from './conform-build';
import type { ConformCliOptions, ConformOutcome } from './conform-options';

/** What a run gets besides its options: the stop signal, a progress sink. */
export interface ConformRunContext {
  readonly signal?: { readonly aborted: boolean };
  readonly onProgress?: (p: SequentialProgress) => void;
}

/** Sequences when neither --runs nor --time is given. */
export const DEFAULT_CONFORM_RUNS = 200;
/** The runtime's per-operation limit when --step-limit is not given (ms). */
export const DEFAULT_STEP_LIMIT_MS = 1000;

/** The 32-bit fast-check seed of a 64-bit run seed (both halves count). */
export function foldSeed(seed: bigint): number {
  return Number((seed ^ (seed >> 32n)) & 0xffffffffn) | 0;
}


/** The build the options name: the user's files, or rmapcheck's own implementation by default. */
export function resolveConformBuild(o: Pick<ConformCliOptions, 'impl' | 'include' | 'define' | 'cc'>, mode: 'sequential' | 'concurrent' = 'sequential'): BuildOptions {
  const own = ownImplementation();
  const user = o.impl !== undefined && o.impl.length > 0;
  return {
    impl: user ? o.impl! : [own.impl],
    includeDirs: user ? (o.include ?? []) : [...(o.include ?? []), own.includeDir],
    defines: o.define ?? [],
    cc: o.cc,
    mode,
  };
}

/** The command that repeats a run exactly (its sequences: `--runs` the number it generated). */
export function conformRepeatLine(o: ConformCliOptions, seed: bigint, runs: number, extra: readonly string[] = []): string {
  const args = ['rmapcheck', 'conform'];
  for (const f of o.impl ?? []) args.push('--impl', f);
  for (const d of o.include ?? []) args.push('-I', d);
  for (const d of o.define ?? []) args.push('-D', d);
  if (o.cc !== undefined) args.push('--cc', o.cc);
  if (o.order !== undefined) args.push('--order', String(o.order));
  args.push(...extra, '--runs', String(runs), '--seed', String(seed));
  if (o.stepLimit !== undefined) args.push('--step-limit', String(o.stepLimit));
  return 'npx ' + shellCommand(args);
}

function snapshotCells(s: FolioSnapshot | null): string[] {
  if (!s) return ['-', '-', '-', '-'];
  const values = s.values.flatMap((v, j) => (/^0x0+$/.test(v) ? [] : [`val${j}=0x${v.slice(2).replace(/^0+(?=.)/, '')}`])).join(' ') || '0';
  return [s.mapcount, s.refcount, values, s.answer ?? ''];
}

/** The recorded steps as a table: a C row and a reference row per operation. */
export function renderConformSteps(steps: readonly Pick<StepRecord, 'op' | 'c' | 'reference'>[], check?: (i: number) => string): string {
  const rows: string[][] = [];
  steps.forEach((s, i) => {
    const mark = check ? [check(i)] : [];
    rows.push([String(i + 1), describeOp(s.op), 'C', ...snapshotCells(s.c), ...mark]);
    rows.push(['', '', 'reference', ...snapshotCells(s.reference), ...(check ? [''] : [])]);
  });
  return renderTable(['step', 'operation', 'side', 'mapcount', 'refcount', 'values (non-zero)', 'answer', ...(check ? ['check'] : [])], rows);
}

export async function runConform(o: ConformCliOptions, ctx: ConformRunContext = {}): Promise<ConformOutcome> {
  const mode = o.mode ?? 'sequential';
  if (mode !== 'sequential' && mode !== 'concurrent') throw new UsageError(`--mode ${mode}: expected sequential or concurrent`);
  if (o.runs !== undefined && o.time !== undefined) throw new UsageError('give --runs or --time, not both');
  if (mode === 'sequential' && o.strategy !== undefined) throw new UsageError(`--strategy ${o.strategy}: schedule strategies are for --mode concurrent; the sequential mode runs one operation at a time`);
  const runs = optionalIntOption('runs', o.runs, 1, 1_000_000);
  const time = optionalIntOption('time', o.time, 1, 86_400);
  const order = optionalIntOption('order', o.order, 2, 15);
  const stepLimitMs = intOption('step-limit', o.stepLimit ?? DEFAULT_STEP_LIMIT_MS, 10, 600_000);
  const seed = o.seed !== undefined ? parseSeed(o.seed) : clockSeed();
  const out = o.out ?? 'rmapcheck-out';
  // the output location before the compiler and the run
  checkOutDir(out);

  const wanted = resolveConformBuild(o);
  if (mode === 'concurrent')
    return runConcurrentMode(o, { build: wanted, seed, foldedSeed: foldSeed(seed), runs, time, orders: order !== undefined ? [order] : undefined, stepLimitMs, out, signal: ctx.signal });
  const build: ConformBuild = buildConformBinary(wanted);
  const r = await runSequential({
    binary: build.binary,
    seed: foldSeed(seed),
    runs: time === undefined ? (runs ?? DEFAULT_CONFORM_RUNS) : undefined,
    timeSeconds: time,
    orders: order !== undefined ? [order] : undefined,
    stepLimitMs,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });

  let tracePath: string | null = null;
  const writeErrors: string[] = [];
  const d = r.divergence;
  if (r.verdict === 'violation' && d && r.counterexample) {
    const identity = { impl: build.impl, includeDirs: wanted.includeDirs ?? [], defines: wanted.defines ?? [], cc: build.cc, flags: build.userFlags, hash: build.hash, inputs: build.inputs };
    const trace = buildConformTrace(r as ConformFinding, identity, String(seed), stepLimitMs);
    // the sources' hash in the name: traces of two versions of the code do not collide
    const path = join(out, fileName(['conform', r.adapter.name, trace.property.name, build.hash.slice(0, 12), String(seed)]));
    try {
      ensureOutDir(out);
      writeFileAtomic(path, serializeConformTrace(trace), !!o.force);
      tracePath = path;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      writeErrors.push(e.message);
    }
  }
  const property = d ? propertyOf(d) : null;
  const built = describeBuild(build);
  const operation = d && d.op >= 0 && r.counterexample ? describeOp(r.counterexample.ops[d.op]) : d ? 'setup' : null;
  const repeat = conformRepeatLine(o, seed, r.runs);
  const json = {
    // the contract of issue #10, in its order
    impl: build.impl,
    mode,
    verdict: r.verdict,
    property,
    runs: r.runs,
    ops: r.ops,
    opsPerSecond: r.opsPerSecond,
    firstDivergence: d ? { op: d.op, field: d.field, expected: d.expected, actual: d.actual } : null,
    trace: tracePath,
    traceLength: r.counterexample ? r.counterexample.ops.length : null,
    // extras (docs/json.md)
    seed: String(seed),
    adapter: r.adapter.name,
    layout: r.layout.variant,
    orders: order !== undefined ? [order] : null,
    stepLimitMs,
    divergenceKind: d ? d.kind : null,
    operation,
    originalLength: r.originalLength,
    shrinkRuns: r.shrinkRuns,
    seconds: Math.round(r.seconds * 1000) / 1000,
    processStarts: r.processStarts,
    build: built.json,
    repeat,
    ...(writeErrors.length ? { writeErrors } : {}),
  };
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `conform ${r.adapter.name} (${build.impl.join(', ')}), seqcount ${r.layout.variant}, ${mode}, seed ${seed}`,
    ...built.lines,
  ];
  lines.push(`${n(r.runs)} sequences${r.shrinkRuns ? ` (and ${n(r.shrinkRuns)} while shrinking)` : ''}, ${n(r.ops)} operations compared with the reference (${n(r.opsPerSecond)} ops/s)`);
  if (d) {
    lines.push(`verdict: violation of ${property}`);
    if (r.counterexample && r.steps) {
      lines.push(
        `first divergence, shrunk from ${r.originalLength ?? '?'} to ${r.counterexample.ops.length} operations (folio order ${r.counterexample.order}, rmap IDs ${r.counterexample.rmapIds.map((id, i) => `MM${i}=${id}`).join(' ')}):`,
        '',
        renderConformSteps(r.steps),
        '',
      );
    }
    const where = d.op >= 0 && r.counterexample ? `step ${d.op + 1} (${operation})` : 'at start-up';
    lines.push(`${where}: ${d.field}: expected ${d.expected}, C has ${d.actual}`);
    if (tracePath) lines.push(`trace: ${tracePath}`, replayLine(tracePath));
    else if (writeErrors.length) lines.push(`trace not written: ${writeErrors[0]}`);
  } else if (r.verdict === 'incomplete') {
    lines.push(`verdict: incomplete (interrupted: no divergence in the ${n(r.runs)} sequences that ran${time === undefined ? ` of ${n(runs ?? DEFAULT_CONFORM_RUNS)}` : ''})`);
  } else {
    lines.push('verdict: ok');
  }
  lines.push(`repeat: ${repeat}`);
  return { json, text: lines.join('\n'), exitCode: exitCodeWith(d ? 1 : 0, writeErrors), writeErrors };
}

/**
 * The progress display of a run: sequences, operations and ops/s, with a bar of sequences (a
 * `--runs` budget) or of whole seconds (a `--time` budget); redrawn at most 10 times a second.
 */
export function conformProgress(
  line: { update(text: string, count?: { value: number; total: number }): void },
  budget: { runs?: number; seconds?: number },
): (p: SequentialProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const rate = p.seconds > 0 ? Math.round(p.ops / p.seconds) : 0;
    const text = `conform: ${p.shrinking ? 'shrinking a divergence, ' : ''}${p.runs.toLocaleString('en-US')} sequences, ${p.ops.toLocaleString('en-US')} ops (${rate.toLocaleString('en-US')} ops/s)`;
    if (p.shrinking) line.update(text);
    else if (budget.seconds !== undefined) line.update(text, { value: Math.min(budget.seconds, Math.floor(p.seconds)), total: budget.seconds });
    else line.update(text, { value: p.runs, total: budget.runs ?? DEFAULT_CONFORM_RUNS });
  };
}
