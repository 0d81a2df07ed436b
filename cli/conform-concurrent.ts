/**
 * `conform --mode concurrent` as a command: builds the adapter for concurrent mode, runs
 * checker/conform/concurrent.ts `runConformConcurrent`, writes its trace and prints the result in
 * the same contract as the sequential mode (cli/conform.ts). And `replay` of a concurrent
 * conformance trace (the schedule re-run on the rebuilt code).
 */
import { dirname, join } from 'path';
import { UsageError } from '../model/errors';
import { buildConformBinary, type ConformBuild } from '../checker/conform/build';
import { propertyOf } from '../checker/conform/compare';
import { runConformConcurrent } from '../checker/conform/concurrent';
import { buildConcurrentTrace, parseConcurrentTrace, replayConcurrentTrace, serializeConcurrentTrace } from '../checker/conform/concurrent-trace';
import { CONCURRENT_STRATEGIES, type ConcurrentStrategyName } from '../checker/conform/concurrent-strategy';
import { ensureOutDir, readUserFile, writeFileAtomic } from '../checker/files';
import { exitCodeWith } from './files';
import { fileName } from '../checker/trace-name';
import { renderTable } from '../text/table';
import { replayLine, shellCommand } from './shell';
import type { ConformCliOptions, ConformOutcome } from './conform-options';
import { describeBuild } from './conform-build';
import type { BuildOptions } from '../checker/conform/build';

export interface ConcurrentRunSettings {
  readonly build: BuildOptions;
  readonly seed: bigint;
  readonly foldedSeed: number;
  readonly runs?: number;
  readonly time?: number;
  readonly orders?: number[];
  readonly stepLimitMs: number;
  readonly out: string;
  /** Ctrl-C / SIGTERM: the run stops with verdict incomplete. */
  readonly signal?: { readonly aborted: boolean };
}

/** The command that repeats a concurrent run (its budget as given). */
function repeatLine(o: ConformCliOptions, s: ConcurrentRunSettings, strategy: string): string {
  const args = ['rmapcheck', 'conform'];
  for (const f of o.impl ?? []) args.push('--impl', f);
  for (const d of o.include ?? []) args.push('-I', d);
  for (const d of o.define ?? []) args.push('-D', d);
  if (o.cc !== undefined) args.push('--cc', o.cc);
  args.push('--mode', 'concurrent', '--strategy', strategy);
  if (o.order !== undefined) args.push('--order', String(o.order));
  if (s.time !== undefined) args.push('--time', String(s.time));
  else if (s.runs !== undefined) args.push('--runs', String(s.runs));
  args.push('--seed', String(s.seed));
  if (o.stepLimit !== undefined) args.push('--step-limit', String(o.stepLimit));
  return 'npx ' + shellCommand(args);
}

export async function runConcurrentMode(o: ConformCliOptions, s: ConcurrentRunSettings): Promise<ConformOutcome> {
  const strategy = (o.strategy ?? 'random') as ConcurrentStrategyName;
  if (!CONCURRENT_STRATEGIES.includes(strategy)) throw new UsageError(`--strategy ${o.strategy}: expected ${CONCURRENT_STRATEGIES.join(', ')}`);
  const build: ConformBuild = buildConformBinary({ ...s.build, mode: 'concurrent' });
  const r = await runConformConcurrent({
    binary: build.binary,
    seed: s.foldedSeed,
    runs: s.time === undefined ? s.runs : undefined,
    timeSeconds: s.time,
    strategy,
    orders: s.orders,
    stepLimitMs: s.stepLimitMs,
    sourceRoot: dirname(build.impl[0]),
    signal: s.signal,
  });
  const d = r.divergence;
  const property = r.finding?.property ?? (d ? propertyOf(d) : null);
  let tracePath: string | null = null;
  const writeErrors: string[] = [];
  if (r.verdict === 'violation' && r.trace) {
    const identity = { impl: build.impl, includeDirs: s.build.includeDirs ?? [], defines: s.build.defines ?? [], cc: build.cc, flags: build.userFlags, hash: build.hash, inputs: build.inputs };
    const trace = buildConcurrentTrace(r, identity, s.foldedSeed);
    const path = join(s.out, fileName(['conform', r.adapter.name, 'concurrent', strategy, trace.property.name, build.hash.slice(0, 12), String(s.seed)]));
    try {
      ensureOutDir(s.out);
      writeFileAtomic(path, serializeConcurrentTrace(trace), !!o.force);
      tracePath = path;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      writeErrors.push(e.message);
    }
  }
  const repeat = repeatLine(o, s, strategy);
  const built = describeBuild(build);
  const json = {
    impl: build.impl,
    mode: 'concurrent',
    verdict: r.verdict,
    property,
    runs: r.runs,
    ops: r.ops,
    opsPerSecond: r.opsPerSecond,
    firstDivergence: d ? { op: d.op, field: d.field, expected: d.expected, actual: d.actual } : null,
    trace: tracePath,
    traceLength: r.traceLength,
    seed: String(s.seed),
    adapter: r.adapter.name,
    layout: r.layout.variant,
    strategy,
    schedules: r.schedules,
    points: r.points,
    pointsPerSecond: r.pointsPerSecond,
    dfs: r.dfs,
    originalLength: r.originalLength,
    seconds: Math.round(r.seconds * 1000) / 1000,
    processStarts: r.processStarts,
    build: built.json,
    repeat,
    ...(writeErrors.length ? { writeErrors } : {}),
  };
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `conform ${r.adapter.name} (${build.impl.join(', ')}), seqcount ${r.layout.variant}, concurrent, strategy ${strategy}, seed ${s.seed}`,
    ...built.lines,
    `${n(r.runs)} programs, ${n(r.schedules)} schedules, ${n(r.points)} scheduling points (${n(r.pointsPerSecond)} points/s), ${n(r.ops)} operations`,
  ];
  if (d) {
    lines.push(`verdict: violation of ${property}`);
    if (r.trace) lines.push(`after ${r.traceLength} scheduling decisions (${r.trace.finding.thread >= 0 ? `thread T${r.trace.finding.thread}` : 'at a quiescent moment'}):`);
    lines.push(`${d.field}: expected ${d.expected}, C has ${d.actual}`);
    if (tracePath) lines.push(`trace: ${tracePath}`, replayLine(tracePath));
    else if (writeErrors.length) lines.push(`trace not written: ${writeErrors[0]}`);
  } else lines.push('verdict: ok');
  lines.push(`repeat: ${repeat}`);
  return { json, text: lines.join('\n'), exitCode: exitCodeWith(d ? 1 : 0, writeErrors), writeErrors };
}

/** `replay` of a concurrent conformance trace: the recorded schedule on the rebuilt code. */
export async function runConcurrentReplay(file: string): Promise<ConformOutcome> {
  const t = parseConcurrentTrace(readUserFile(file), file);
  const r = await replayConcurrentTrace(t);
  if (r.sourcesChanged) throw new UsageError(`${file}: the sources changed since the trace was written (their content hash is not ${t.adapter.hash.slice(0, 12)}); run 'rmapcheck conform --mode concurrent' on them again`);
  const rows = r.steps.map((x) => [String(x.step), `T${x.thread}`, x.operation, x.point, x.word ?? '-', x.location ?? '-', x.events.join('; ')]);
  const text = [
    `Replay of ${file}: concurrent conformance trace of ${t.adapter.name}, strategy ${t.strategy}, ${t.schedule.length} decisions`,
    '',
    renderTable(['step', 'thread', 'operation', 'point', 'word', 'location', 'events'], rows),
    '',
    `recorded: ${t.divergence.field}: expected ${t.divergence.expected}, C has ${t.divergence.actual} (step ${t.divergence.step})`,
    ...(r.mismatches.length ? [`differs from the recorded execution: ${r.mismatches.slice(0, 5).join('; ')}`] : []),
    `divergence reproduces: ${r.reproduced ? 'yes' : 'no'}`,
  ].join('\n');
  return {
    json: { trace: file, kind: 'conformance', mode: 'concurrent', adapter: t.adapter.name, property: t.property.name, reproduced: r.reproduced, divergence: r.divergence, referenceMismatches: r.referenceMismatches, mismatches: r.mismatches, steps: r.steps.length },
    text,
    exitCode: r.reproduced ? 1 : 0,
  };
}
