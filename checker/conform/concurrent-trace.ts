/**
 * Conformance traces of concurrent mode (kind "conformance", mode "concurrent", format version 3
 * of rmapcheck-trace): the adapter's identity and content hash, how it was built, the program
 * (setup and threads; also flattened as `case`, the sequential trace's field), the schedule —
 * the thread that ran at every decision, up to the finding — and each decision's scheduling
 * point (primitive, word, source location and line, the action tags), the operations that
 * started and finished in it (with readers' answers), the folio at quiescent moments, and the
 * finding. `replayConcurrentTrace` rebuilds the recorded sources and re-runs the schedule.
 *
 * Source locations come from the binary's debug information (`addr2line`, binutils): the first
 * frame of the inline chain that is not one of rmapcheck's compatibility headers, as a path
 * relative to the adapter's directory; without addr2line a location is the code offset.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import { TOOL_VERSION } from '../../model/version';
import { UsageError } from '../../model/errors';
import { parseUserJson } from '../../model/json-input';
import { hexWord } from '../../model/word';
import type { Layout } from '../../model/seqcount/layout';
import { flattenConcurrentCase, type ConcurrentCase } from '../../generators/conform-concurrent';
import { TRACE_FORMAT } from '../trace';
import { buildConformBinary, conformRoot, SourcesChangedError, type BuildInput } from './build';
import { layoutOfAdapter } from './compare';
import { PROPERTY_DESCRIPTIONS, ProgramChecker, type ConcurrentFinding } from './concurrent-check';
import { tagsOf } from './concurrent-strategy';
import { describeOp, WRITER_PATHS, type ConformCase } from './ops';
import { ConformProcess } from './process';
import { runThreadsRequest, type ExecEvent, type ExecutionRecord, type Observation, type SchedulerKind } from './threads';
import { traceAdapter, type BuildIdentity, type TraceAdapter } from './trace';
import type { Divergence } from './compare';
import type { AdapterInfo } from './protocol';

/** How to run one execution again: a fixed schedule, or a strategy's execution by index and seed. */
export interface ExecutionSpec {
  readonly strategy: SchedulerKind;
  readonly index: number;
  readonly seed: bigint;
  readonly params: readonly number[];
  /** fixed / dfs: the decisions to follow. */
  readonly decisions: readonly number[];
}

/** What a trace is built from (concurrent.ts ConcurrentResult has these fields). */
export interface ConcurrentOutcome {
  readonly strategy: string;
  readonly adapter: AdapterInfo;
  readonly layout: Layout;
  readonly program: ConcurrentCase | null;
  readonly finding: ConcurrentFinding | null;
  readonly divergence: Divergence | null;
  readonly trace: ConcurrentTraceBody | null;
}

export const CONCURRENT_TRACE_FORMAT_VERSION = 3;

/** One decision of the schedule, as the trace shows it. */
export interface ScheduleStep {
  step: number;
  thread: number;
  /** The thread's operation at this point, e.g. `T1 op 0: map 1 PTE of MM0, page 0`. */
  operation: string;
  /** The scheduling point it ran from: the primitive's kind (rmw, read, plain, spin, op, ...). */
  point: string;
  /** load / store / load+store, with the barrier it implies. */
  access: string;
  /** The registered word it touches, or null. */
  word: string | null;
  /** file:line in the code under test, or null (a thread's first operation). */
  location: string | null;
  /** That source line, trimmed. */
  code: string | null;
  /** What the action did, in the strategies' vocabulary (write-begin, read-retry, ...). */
  tags: string[];
  /** The threads that could run. */
  enabled: number[];
  /** Operations that started / finished in this step, warnings that fired. */
  events: string[];
  /** The folio after this step, when it was quiescent (no operation in flight). */
  folio: { mapcount: number; entire: number; refcount: number; seq: string; values: string[] } | null;
}

/** The recorded failing execution: what `runConformConcurrent` returns for the trace. */
export interface ConcurrentTraceBody {
  readonly finding: ConcurrentFinding;
  /** The thread of every decision, up to the finding. */
  readonly schedule: number[];
  readonly maxPoints: number;
  readonly steps: ScheduleStep[];
  /** The execution this schedule came from (strategy, index, seed). */
  readonly origin: { strategy: string; index: number; seed: string };
  /** The fixed schedule, re-run, did not show the finding again (the C code is not a function
   *  of the schedule: uninitialized memory, state kept across executions). */
  readonly nondeterministic: boolean;
}

export interface ConcurrentTrace {
  format: typeof TRACE_FORMAT;
  formatVersion: typeof CONCURRENT_TRACE_FORMAT_VERSION;
  toolVersion: string;
  kind: 'conformance';
  model: 'conform';
  mode: 'concurrent';
  seed: string;
  strategy: string;
  property: { name: string; expectation: 'always'; description: string };
  expected: string;
  observed: string;
  /** The runtime's per-step time limit the run used (replay uses it too). */
  stepLimitMs: number;
  adapter: TraceAdapter;
  /** The program flattened: the setup's operations, then each thread's (the sequential trace's field). */
  case: ConformCase;
  program: ConcurrentCase;
  maxPoints: number;
  schedule: number[];
  divergence: { op: number; kind: string; field: string; expected: string; actual: string; operation: string; thread: number; threadOp: number; step: number };
  steps: ScheduleStep[];
}

const ACCESS = (k: number): string => {
  const rw = ['', 'load', 'store', 'load+store'][k & 3];
  const bar = k & 4 ? 'full barrier' : k & 8 ? 'read barrier' : k & 16 ? 'write barrier' : k & 32 ? 'before atomic' : k & 64 ? 'after atomic' : '';
  return [rw, bar].filter(Boolean).join(', ');
};

/** addr2line's answer for each code offset: the first frame outside rmapcheck's headers. */
function resolveLocations(binary: string, offsets: readonly bigint[], base: string): Map<bigint, { location: string; code: string | null }> {
  const out = new Map<bigint, { location: string; code: string | null }>();
  const uniq = [...new Set(offsets.filter((o) => o > 0n))].sort((a, b) => (a < b ? -1 : 1));
  if (uniq.length === 0) return out;
  const r = spawnSync('addr2line', ['-e', binary, '-i', '-a', ...uniq.map((o) => `0x${(o - 1n).toString(16)}`)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const ours = [join(conformRoot(), 'include'), join(conformRoot(), 'runtime')].map((d) => d + sep);
  const fallback = (o: bigint) => ({ location: `+0x${o.toString(16)}`, code: null });
  if (r.status !== 0 || r.error) {
    for (const o of uniq) out.set(o, fallback(o));
    return out;
  }
  const groups: string[][] = [];
  for (const line of r.stdout.split('\n')) {
    if (/^0x[0-9a-f]+$/.test(line.trim())) groups.push([]);
    else if (line.trim() && groups.length) groups[groups.length - 1].push(line.trim());
  }
  uniq.forEach((o, i) => {
    const frames = (groups[i] ?? []).map((f) => f.replace(/ \(discriminator \d+\)$/, '')).filter((f) => !f.startsWith('??'));
    const pick = frames.find((f) => !ours.some((d) => resolve(f).startsWith(d))) ?? frames[0];
    const m = pick ? /^(.*):(\d+)$/.exec(pick) : null;
    if (!m) return out.set(o, fallback(o));
    const file = resolve(m[1]);
    const rel = relative(base, file);
    const shown = rel.startsWith('..') ? relative(process.cwd(), file) : rel;
    let code: string | null = null;
    if (existsSync(file)) code = readFileSync(file, 'utf8').split('\n')[Number(m[2]) - 1]?.trim() ?? null;
    out.set(o, { location: `${shown}:${m[2]}`, code });
  });
  return out;
}

function folioOf(o: Observation): ScheduleStep['folio'] {
  return { mapcount: o.mapcount, entire: o.entire, refcount: o.refcount, seq: hexWord(o.seq, 64), values: o.values.map((v) => hexWord(v, 64)) };
}

/** The steps of a recorded execution, up to `length` decisions. */
function stepsOf(program: ConcurrentCase, exec: ExecutionRecord, words: readonly string[], length: number, where: { binary: string; base: string } | null): ScheduleStep[] {
  const decisions = exec.events.filter((e): e is Extract<ExecEvent, { kind: 'decision' }> => e.kind === 'decision');
  const locs = where ? resolveLocations(where.binary, decisions.slice(0, length).map((d) => d.loc), where.base) : new Map<bigint, { location: string; code: string | null }>();
  const steps: ScheduleStep[] = [];
  const current = program.threads.map(() => -1);
  let pending: string[] = [];
  const opName = (t: number, k: number) => `T${t} op ${k}: ${describeOp(program.threads[t][k])}`;
  for (const e of exec.events) {
    // after the last step, only the folio it left
    if (steps.length >= length && e.kind !== 'quiescent') break;
    if (e.kind === 'start') {
      current[e.thread] = e.op;
      pending.push(`${opName(e.thread, e.op)} starts`);
    } else if (e.kind === 'end') {
      const o = program.threads[e.thread][e.op];
      const answer = o.op === 'mapped-shared' ? ['exclusive', 'shared'][e.answer] : o.op === 'cow-reuse' ? ['copy', 'reuse'][e.answer] : undefined;
      pending.push(`${opName(e.thread, e.op)} ends${answer ? `: ${answer}` : ''}`);
    } else if (e.kind === 'warning') {
      pending.push(`${e.fatal ? 'BUG' : 'WARN'}: ${e.text}`);
    } else if (e.kind === 'abandoned') {
      pending.push(`T${e.thread} op ${e.op} abandoned`);
    } else if (e.kind === 'quiescent' && steps.length > 0) {
      steps[steps.length - 1].folio = folioOf(e.obs);
    } else if (e.kind === 'decision') {
      const loc = locs.get(e.loc);
      const op = current[e.thread];
      steps.push({
        step: e.step + 1,
        thread: e.thread,
        operation: op >= 0 ? opName(e.thread, op) : `T${e.thread} before its first operation`,
        point: e.tag,
        access: ACCESS(e.access),
        word: e.word > 0 ? (words[e.word - 1] ?? `word ${e.word}`) : null,
        location: loc?.location ?? null,
        code: loc?.code ?? null,
        tags: tagsOf(e.tags),
        enabled: program.threads.map((_, t) => t).filter((t) => e.enabled & (1 << t)),
        events: pending,
        folio: null,
      });
      pending = [];
    }
  }
  return steps;
}

/**
 * Runs `spec` with every decision recorded, then its schedule (cut at the finding) once more as a
 * fixed schedule — what replay does — and returns that execution for the trace.
 */
export async function recordSchedule(proc: ConformProcess, program: ConcurrentCase, maxPoints: number, spec: ExecutionSpec, checker: ProgramChecker, sourceRoot: string): Promise<ConcurrentTraceBody> {
  const base = { order: program.order, rmapIds: program.rmapIds, setup: program.setup, threads: program.threads, maxPoints, record: true };
  const first = await runThreadsRequest(proc, {
    ...base,
    strategy: spec.strategy,
    executions: 1,
    firstIndex: spec.index,
    seeds: spec.strategy === 'fixed' || spec.strategy === 'dfs' ? [] : [spec.seed],
    params: [...spec.params],
    decisions: spec.decisions,
  });
  const e0 = first.executions[0];
  const f0 = checker.check(e0, maxPoints);
  if (!f0) throw new Error('[internal bug] a failing execution did not fail when recorded');
  const schedule = e0.events.flatMap((e) => (e.kind === 'decision' ? [e.thread] : [])).slice(0, f0.length);
  const again = await runThreadsRequest(proc, { ...base, strategy: 'fixed', executions: 1, decisions: schedule });
  const e1 = again.executions[0];
  const f1 = checker.check(e1, maxPoints);
  const same = f1 !== null && f1.property === f0.property && f1.field === f0.field && f1.actual === f0.actual && f1.length === f0.length;
  const finding = same ? f1 : f0;
  const exec = same ? e1 : e0;
  return {
    finding,
    schedule,
    maxPoints,
    steps: stepsOf(program, exec, again.words.length ? again.words : first.words, finding.length, { binary: proc.binary, base: sourceRoot }),
    origin: { strategy: spec.strategy, index: spec.index, seed: spec.seed.toString() },
    nondeterministic: !same,
  };
}

export function buildConcurrentTrace(r: ConcurrentOutcome, build: BuildIdentity, seed: number | string, stepLimitMs = 1000): ConcurrentTrace {
  if (!r.trace || !r.program || !r.finding || !r.divergence) throw new Error('[internal bug] a concurrent trace needs a recorded failing execution');
  const f = r.finding;
  const p = r.program;
  const d = r.divergence!;
  return {
    format: TRACE_FORMAT,
    formatVersion: CONCURRENT_TRACE_FORMAT_VERSION,
    toolVersion: TOOL_VERSION,
    kind: 'conformance',
    model: 'conform',
    mode: 'concurrent',
    seed: String(seed),
    stepLimitMs,
    strategy: r.strategy,
    property: { name: f.property, expectation: 'always', description: PROPERTY_DESCRIPTIONS[f.property] ?? `no ${f.kind === 'bug' ? 'BUG' : 'WARN'} fires (${f.property})` },
    expected: f.expected,
    observed: f.actual,
    adapter: traceAdapter(r.adapter.name, r.layout.variant, build),
    case: { order: p.order, rmapIds: [...p.rmapIds], ops: flattenConcurrentCase(p) },
    program: p,
    maxPoints: r.trace.maxPoints,
    schedule: [...r.trace.schedule],
    divergence: {
      ...d,
      operation: f.thread >= 0 && f.op >= 0 ? `T${f.thread} op ${f.op}: ${describeOp(p.threads[f.thread][f.op])}` : f.thread < 0 && f.op >= 0 && f.kind !== 'livelock' ? `setup op ${f.op}: ${describeOp(p.setup[f.op])}` : 'quiescent moment',
      thread: f.thread,
      threadOp: f.op,
      step: f.length,
    },
    steps: r.trace.steps,
  };
}

export function serializeConcurrentTrace(t: ConcurrentTrace): string {
  return JSON.stringify(t, null, 2) + '\n';
}

function opProblems(ops: unknown, where: string, M: number): string[] {
  if (!Array.isArray(ops)) return [`"${where}" is not a list`];
  const p: string[] = [];
  ops.forEach((op: unknown, i: number) => {
    const x = op as Record<string, unknown>;
    if (typeof x !== 'object' || x === null || typeof x.op !== 'string') return p.push(`${where}[${i}]: not an operation`);
    for (const f of ['mm', 'from']) if (f in x && !(Number.isInteger(x[f]) && (x[f] as number) >= 0 && (x[f] as number) < M)) p.push(`${where}[${i}]: bad "${f}"`);
    if ('path' in x && !WRITER_PATHS.includes(x.path as never)) p.push(`${where}[${i}]: bad "path"`);
  });
  return p;
}

/** Parses a concurrent conformance trace's text; every problem is a one-line UsageError. */
export function parseConcurrentTrace(text: string, source: string): ConcurrentTrace {
  const data = parseUserJson(text, source) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || data.format !== TRACE_FORMAT) throw new UsageError(`${source}: not an rmapcheck trace (no "format": "${TRACE_FORMAT}")`);
  if (data.kind !== 'conformance' || data.mode !== 'concurrent') throw new UsageError(`${source}: not a concurrent conformance trace (kind ${JSON.stringify(data.kind)}, mode ${JSON.stringify(data.mode)})`);
  if (data.formatVersion !== CONCURRENT_TRACE_FORMAT_VERSION) throw new UsageError(`${source}: conformance trace format version ${JSON.stringify(data.formatVersion)} is not ${CONCURRENT_TRACE_FORMAT_VERSION}`);
  const a = data.adapter as Record<string, unknown> | undefined;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (!a || !strings(a.impl) || !strings(a.includeDirs) || !strings(a.defines) || typeof a.cc !== 'string' || typeof a.hash !== 'string')
    throw new UsageError(`${source}: "adapter" must name impl, includeDirs, defines, cc and hash`);
  const p = data.program as Record<string, unknown> | undefined;
  if (!p || !Number.isInteger(p.order) || (p.order as number) < 2 || (p.order as number) > 30) throw new UsageError(`${source}: "program.order" must be an integer in 2..30`);
  const ids = p.rmapIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 8 || !ids.every((x) => Number.isInteger(x) && x >= 1 && x < 1 << 24)) throw new UsageError(`${source}: "program.rmapIds" must be 1..8 integers in 1..2^24-1`);
  if (!Array.isArray(p.threads) || p.threads.length < 1 || p.threads.length > 8) throw new UsageError(`${source}: "program.threads" must be 1..8 lists of operations`);
  const problems = [...opProblems(p.setup, 'program.setup', ids.length), ...p.threads.flatMap((t: unknown, i: number) => opProblems(t, `program.threads[${i}]`, ids.length))];
  if (problems.length) throw new UsageError(`${source}: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
  const n = p.threads.length;
  if (!Array.isArray(data.schedule) || !data.schedule.every((t) => Number.isInteger(t) && t >= 0 && t < n)) throw new UsageError(`${source}: "schedule" must list thread indices 0..${n - 1}`);
  if (!Number.isInteger(data.maxPoints) || (data.maxPoints as number) < 1) throw new UsageError(`${source}: "maxPoints" must be a positive integer`);
  const d = data.divergence as Record<string, unknown> | undefined;
  if (!d || typeof d.field !== 'string' || typeof d.actual !== 'string' || !Number.isInteger(d.step)) throw new UsageError(`${source}: "divergence" must have field, actual and step`);
  return data as unknown as ConcurrentTrace;
}

/** What a replay shows (the fields of trace.ts ConformReplay, with the schedule's steps). */
export interface ConcurrentReplay {
  /** The recorded finding happens again (same property, field, C value and step). */
  readonly reproduced: boolean;
  readonly divergence: Divergence | null;
  /** Always empty: a concurrent trace records no reference states of its own to re-check. */
  readonly referenceMismatches: string[];
  /** Steps that differ from the recorded ones (thread, point, word, events, folio). */
  readonly mismatches: string[];
  /** The replayed steps, up to the finding. */
  readonly steps: ScheduleStep[];
  /** The binary was rebuilt (false: taken from the cache). */
  readonly rebuilt: boolean;
  /** The sources hash to something else than when the trace was written. */
  readonly sourcesChanged: boolean;
}

/** The recorded inputs whose content differs now (or that are new or gone), by path. */
function changedFiles(recorded: readonly BuildInput[], now: readonly BuildInput[]): string[] {
  const was = new Map(recorded.map((f) => [f.path, f.sha256]));
  const is = new Map(now.map((f) => [f.path, f.sha256]));
  return [...new Set([...was.keys(), ...is.keys()])].sort().filter((p) => was.get(p) !== is.get(p)).map((p) => (was.has(p) ? (is.has(p) ? p : `${p} (gone)`) : `${p} (new)`));
}

/**
 * Rebuilds the recorded implementation (concurrent mode) and re-runs the recorded schedule. The
 * sources must hash to the recorded hash: otherwise this is other code, and a one-line
 * UsageError names the files that changed, before anything compiles (as the sequential replay).
 */
export async function replayConcurrentTrace(t: ConcurrentTrace, source: string | number = 'trace'): Promise<ConcurrentReplay> {
  const where = typeof source === 'string' ? source : 'trace';
  let build;
  try {
    build = buildConformBinary({ impl: t.adapter.impl, includeDirs: t.adapter.includeDirs, defines: t.adapter.defines, cc: t.adapter.cc, mode: 'concurrent', expectHash: t.adapter.hash });
  } catch (e) {
    if (!(e instanceof SourcesChangedError)) throw e;
    const files = changedFiles(t.adapter.inputs ?? [], e.inputs);
    const what = files.length ? `${files.slice(0, 3).join(', ')}${files.length > 3 ? ` (+${files.length - 3} more)` : ''} changed` : "the compiler, the flags or rmapcheck's headers and runtime changed";
    throw new UsageError(`${where}: the sources changed since the trace was written (${what}); run 'rmapcheck conform --mode concurrent' on them again`);
  }
  const proc = new ConformProcess(build.binary, typeof source === 'number' ? source : (t.stepLimitMs ?? 1000));
  try {
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    const layout = layoutOfAdapter(proc.info!);
    const program = t.program;
    const checker = new ProgramChecker(program, layout);
    const r = await runThreadsRequest(proc, { order: program.order, rmapIds: program.rmapIds, setup: program.setup, threads: program.threads, maxPoints: t.maxPoints, strategy: 'fixed', executions: 1, decisions: t.schedule, record: true });
    const exec = r.executions[0];
    const f = exec ? checker.check(exec, t.maxPoints) : null;
    const mismatches: string[] = [];
    let steps: ScheduleStep[] = [];
    if (exec?.events.some((e) => e.kind === 'mismatch')) mismatches.push('the schedule names a thread that cannot run at some decision: the code takes another path than when the trace was written');
    if (exec && f) {
      steps = stepsOf(program, exec, r.words, f.length, { binary: build.binary, base: dirname(resolve(t.adapter.impl[0])) });
      steps.forEach((s, i) => {
        const rec = t.steps[i];
        if (rec && (rec.thread !== s.thread || rec.point !== s.point || rec.word !== s.word || JSON.stringify(rec.events) !== JSON.stringify(s.events) || JSON.stringify(rec.folio) !== JSON.stringify(s.folio)))
          mismatches.push(`step ${i + 1}: the execution differs from the recorded one`);
      });
      if (steps.length !== t.steps.length) mismatches.push(`${steps.length} steps, the trace has ${t.steps.length}`);
    }
    const reproduced = f !== null && f.field === t.divergence.field && f.actual === t.divergence.actual && f.length === t.divergence.step;
    return {
      reproduced,
      divergence: f ? { op: t.divergence.op, kind: f.kind === 'invariant' ? 'state' : (f.kind as never), field: f.field, expected: f.expected, actual: f.actual } : null,
      referenceMismatches: [],
      mismatches,
      steps,
      rebuilt: !build.cached,
      sourcesChanged: build.hash !== t.adapter.hash,
    };
  } finally {
    proc.close();
  }
}
