/**
 * Conformance traces (kind "conformance", format version 3 of rmapcheck-trace): the adapter's
 * identity and content hash (and each of its files' hashes), how it was built, the shrunk
 * operation sequence, the first divergence, and the C and reference state after every
 * operation. `replayConformTrace` rebuilds the binary from the recorded sources (refusing when
 * they changed since) and re-runs the sequence; `checkConformReference` re-derives the recorded
 * reference states without any C.
 */
import { TOOL_VERSION } from '../../model/version';
import { UsageError } from '../../model/errors';
import { parseUserJson } from '../../model/json-input';
import { pagesOf } from '../../model/scheme';
import { TRACE_FORMAT, checkTraceSchema } from '../trace';
import { buildConformBinary, SourcesChangedError, type BuildInput } from './build';
import { checkCase, layoutOfAdapter, propertyOf, referenceSnapshots, type Divergence, type FolioSnapshot, type StepRecord } from './compare';
import { describeOp, sequenceProblem, WRITER_PATHS, type ConformCase, type ConformOp } from './ops';
import { ConformProcess } from './process';
import type { AdapterInfo } from './protocol';
import type { Layout } from '../../model/seqcount/layout';

export const CONFORM_TRACE_FORMAT_VERSION = 3;

export interface ConformTraceStep {
  step: number;
  operation: string;
  op: ConformOp;
  c: FolioSnapshot | null;
  reference: FolioSnapshot;
}

export interface ConformTrace {
  format: typeof TRACE_FORMAT;
  formatVersion: typeof CONFORM_TRACE_FORMAT_VERSION;
  toolVersion: string;
  kind: 'conformance';
  model: 'conform';
  mode: 'sequential';
  /** The run's seed (decimal), as given to `conform --seed`. */
  seed: string;
  /** The runtime's per-operation time limit the run used (replay uses it too). */
  stepLimitMs: number;
  property: { name: string; expectation: 'always'; description: string };
  expected: string;
  observed: string;
  adapter: TraceAdapter;
  case: ConformCase;
  divergence: Divergence & { operation: string };
  steps: ConformTraceStep[];
}

/** The adapter a conformance trace was found in, as recorded: enough to rebuild it and to tell
 *  which of its files changed since (both modes' traces). */
export interface TraceAdapter {
  name: string;
  layout: string;
  impl: string[];
  includeDirs: string[];
  defines: string[];
  cc: string;
  flags: string[];
  hash: string;
  /** Every file of the user's the build read, by content (which one changed, on replay). */
  inputs: BuildInput[];
}

/** The recorded adapter of a build (`name`, `layout`: what the runtime reported of it). */
export function traceAdapter(name: string, layout: string, build: BuildIdentity): TraceAdapter {
  return {
    name,
    layout,
    impl: [...build.impl],
    includeDirs: [...build.includeDirs],
    defines: [...build.defines],
    cc: build.cc,
    flags: [...build.flags],
    hash: build.hash,
    inputs: build.inputs.map((f) => ({ ...f })),
  };
}

export interface BuildIdentity {
  readonly impl: readonly string[];
  readonly includeDirs: readonly string[];
  readonly defines: readonly string[];
  readonly cc: string;
  readonly flags: readonly string[];
  readonly hash: string;
  readonly inputs: readonly BuildInput[];
}

/** What a trace records of a run: the adapter, the confirmed divergence and its recorded steps. */
export interface ConformFinding {
  readonly adapter: AdapterInfo;
  readonly layout: Layout;
  readonly counterexample: ConformCase | null;
  readonly divergence: Divergence | null;
  readonly steps: readonly StepRecord[] | null;
}

export function buildConformTrace(r: ConformFinding, build: BuildIdentity, seed: string, stepLimitMs: number): ConformTrace {
  if (!r.divergence || !r.counterexample) throw new Error('[internal bug] a conformance trace needs a confirmed divergence');
  const d = r.divergence;
  const c = r.counterexample;
  return {
    format: TRACE_FORMAT,
    formatVersion: CONFORM_TRACE_FORMAT_VERSION,
    toolVersion: TOOL_VERSION,
    kind: 'conformance',
    model: 'conform',
    mode: 'sequential',
    seed,
    stepLimitMs,
    property: { name: propertyOf(d), expectation: 'always', description: `after every operation the C folio equals the reference model's, and every reader answer is right (${d.kind})` },
    expected: d.expected,
    observed: d.actual,
    adapter: traceAdapter(r.adapter.name, r.layout.variant, build),
    case: c,
    divergence: { ...d, operation: d.op >= 0 ? describeOp(c.ops[d.op]) : 'setup' },
    steps: (r.steps ?? []).map((s, i) => ({ step: i + 1, operation: describeOp(s.op), op: s.op, c: s.c, reference: s.reference })),
  };
}

export function serializeConformTrace(t: ConformTrace): string {
  return JSON.stringify(t, null, 2) + '\n';
}

const OP_FIELDS: Record<ConformOp['op'], readonly string[]> = {
  'new-anon': ['mm', 'nr'],
  map: ['mm', 'page', 'nr', 'path'],
  unmap: ['mm', 'page', 'nr', 'path'],
  dup: ['from', 'mm', 'page', 'nr', 'path'],
  'map-pmd': ['mm', 'path'],
  'unmap-pmd': ['mm', 'path'],
  'dup-pmd': ['from', 'mm', 'path'],
  'remap-pmd': ['mm', 'path'],
  pin: [],
  unpin: [],
  'mapped-shared': ['mm'],
  'cow-reuse': ['mm', 'page'],
};

/** The case's problems: unknown operations, fields missing or out of range. */
function caseProblems(c: unknown): string[] {
  if (typeof c !== 'object' || c === null) return ['"case" is not an object'];
  const o = c as Record<string, unknown>;
  if (!Number.isInteger(o.order) || (o.order as number) < 2 || (o.order as number) > 30) return ['"case.order" must be an integer in 2..30'];
  const ids = o.rmapIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 8 || !ids.every((x) => Number.isInteger(x) && x >= 1 && x < 1 << 24) || new Set(ids).size !== ids.length)
    return ['"case.rmapIds" must be 1..8 distinct integers in 1..2^24-1'];
  if (!Array.isArray(o.ops)) return ['"case.ops" is not a list'];
  const P = pagesOf(o.order as number);
  const p: string[] = [];
  o.ops.forEach((op: unknown, i: number) => {
    const x = op as Record<string, unknown>;
    const fields = typeof x === 'object' && x !== null ? OP_FIELDS[x.op as ConformOp['op']] : undefined;
    if (!fields) return p.push(`case.ops[${i}]: unknown operation ${JSON.stringify(x?.op)}`);
    for (const f of fields) {
      const v = x[f];
      const ok =
        f === 'path'
          ? WRITER_PATHS.includes(v as never)
          : f === 'mm' || f === 'from'
            ? Number.isInteger(v) && (v as number) >= 0 && (v as number) < ids.length
            : f === 'nr'
              ? Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4 * P
              : Number.isInteger(v) && (v as number) >= 0 && (v as number) < P;
      if (!ok) p.push(`case.ops[${i}] (${x.op}): bad "${f}" ${JSON.stringify(v)}`);
    }
  });
  return p;
}

/** Is this parsed JSON a conformance trace (by its `format` and `kind`, any version)? */
export function isConformTraceData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === TRACE_FORMAT && (data as { kind?: unknown }).kind === 'conformance';
}

/**
 * Parses a conformance trace's text; every problem is a one-line UsageError: not a trace, not a
 * conformance trace, another format version, the schema (schemas/trace.schema.json), an
 * operation unknown or out of range, a sequence that is not valid on a fresh folio
 * (ops.ts sequenceProblem), steps not numbered 1, 2, 3, ... or not ending at the divergence.
 */
export function parseConformTrace(text: string, source: string): ConformTrace {
  const data = parseUserJson(text, source) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || data.format !== TRACE_FORMAT) throw new UsageError(`${source}: not an rmapcheck trace (no "format": "${TRACE_FORMAT}")`);
  if (data.kind !== 'conformance') throw new UsageError(`${source}: not a conformance trace (kind ${JSON.stringify(data.kind)})`);
  if (data.formatVersion !== CONFORM_TRACE_FORMAT_VERSION)
    throw new UsageError(`${source}: conformance trace of format version ${JSON.stringify(data.formatVersion)}; this rmapcheck ${TOOL_VERSION} reads conformance traces of version ${CONFORM_TRACE_FORMAT_VERSION} only`);
  if (data.mode !== 'sequential') throw new UsageError(`${source}: a conformance trace of mode ${JSON.stringify(data.mode)}, not sequential (concurrent-trace.ts parseConcurrentTrace reads concurrent ones)`);
  checkTraceSchema(data, source);
  const problems = caseProblems(data.case);
  if (problems.length) throw new UsageError(`${source}: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
  const t = data as unknown as ConformTrace;
  const invalid = sequenceProblem(t.case);
  if (invalid) throw new UsageError(`${source}: case.ops is not a valid sequence: ${invalid}`);
  t.steps.forEach((s, i) => {
    if (s.step !== i + 1) throw new UsageError(`${source}: step ${i + 1} is numbered ${s.step} (steps are numbered 1, 2, 3, ...)`);
  });
  const d = t.divergence;
  if (d.op >= t.case.ops.length) throw new UsageError(`${source}: divergence.op ${d.op} is beyond the ${t.case.ops.length} operations`);
  // the steps are the operations up to the divergent one (a crash or hang records none for it)
  if (t.steps.length > Math.max(0, d.op + 1)) throw new UsageError(`${source}: ${t.steps.length} steps recorded, but the divergence is at operation ${d.op + 1}`);
  return t;
}

/** The fields of two snapshots that differ, e.g. `mapcount 3 (recorded 2)`. */
function snapshotDifferences(now: FolioSnapshot | null, recorded: FolioSnapshot | null): string[] {
  if (now === null || recorded === null) return now === recorded ? [] : [`${now === null ? 'no state now' : 'a state now'}, ${recorded === null ? 'none' : 'one'} recorded`];
  const out: string[] = [];
  for (const k of ['mapcount', 'entire', 'refcount', 'seq', 'answer'] as const) if (now[k] !== recorded[k]) out.push(`${k} ${now[k]} (recorded ${recorded[k]})`);
  now.values.forEach((v, j) => {
    if (v !== recorded.values[j]) out.push(`_rmap_val${j} ${v} (recorded ${recorded.values[j] ?? 'none'})`);
  });
  return out;
}

/**
 * The recorded reference states against what this rmapcheck's reference computes for the
 * recorded sequence (no C involved): the differences, e.g. `step 2: mapcount 3 (recorded 2)`.
 * Empty for a trace of this rmapcheck's reference.
 */
export function checkConformReference(t: ConformTrace): string[] {
  const now = referenceSnapshots(t.case, t.steps.length);
  const out: string[] = [];
  t.steps.forEach((s, i) => {
    if (describeOp(s.op) !== describeOp(t.case.ops[i]) || JSON.stringify(s.op) !== JSON.stringify(t.case.ops[i])) out.push(`step ${i + 1}: the operation is not case.ops[${i}]`);
    for (const d of snapshotDifferences(now[i], s.reference)) out.push(`step ${i + 1}: reference ${d}`);
  });
  return out;
}

export interface ConformReplay {
  /** The recorded divergence happens again (same operation, field, expected and C value). */
  readonly reproduced: boolean;
  readonly divergence: Divergence | null;
  /** Recorded reference states this rmapcheck's reference does not compute (checkConformReference). */
  readonly referenceMismatches: string[];
  /** Steps whose C state differs from the recorded one (the same sources: the C code is not a
   *  function of the operations). */
  readonly mismatches: string[];
  /** The replayed steps (C and reference state after each operation, up to the divergence). */
  readonly steps: StepRecord[];
  /** The binary was rebuilt (false: taken from the cache). */
  readonly rebuilt: boolean;
}

/**
 * The files of `recorded` whose content differs from `now` (or that are new or gone), by path.
 */
function changedInputs(recorded: readonly BuildInput[], now: readonly BuildInput[]): string[] {
  const was = new Map(recorded.map((f) => [f.path, f.sha256]));
  const is = new Map(now.map((f) => [f.path, f.sha256]));
  return [...new Set([...was.keys(), ...is.keys()])].sort().filter((p) => was.get(p) !== is.get(p)).map((p) => (was.has(p) ? (is.has(p) ? p : `${p} (gone)`) : `${p} (new)`));
}

/** The recorded implementation, rebuilt, running, with its layout: for replay and minimize. */
export interface RecordedBinary {
  readonly proc: ConformProcess;
  readonly layout: Layout;
  readonly info: AdapterInfo;
  /** The binary was rebuilt (false: taken from the cache). */
  readonly rebuilt: boolean;
}

/**
 * Rebuilds the recorded implementation and starts it. The sources must hash to the recorded
 * hash: otherwise this is other code, and a one-line UsageError names the files that changed
 * (or says the compiler, flags or rmapcheck's headers did) before anything compiles. The caller
 * closes `proc`.
 */
export async function startRecorded(t: ConformTrace, source = 'trace'): Promise<RecordedBinary> {
  let build;
  try {
    build = buildConformBinary({ impl: t.adapter.impl, includeDirs: t.adapter.includeDirs, defines: t.adapter.defines, cc: t.adapter.cc, expectHash: t.adapter.hash });
  } catch (e) {
    if (!(e instanceof SourcesChangedError)) throw e;
    const files = changedInputs(t.adapter.inputs, e.inputs);
    const what = files.length ? `${files.slice(0, 3).join(', ')}${files.length > 3 ? ` (+${files.length - 3} more)` : ''} changed` : "the compiler, the flags or rmapcheck's headers and runtime changed";
    throw new UsageError(`${source}: the sources changed since the trace was written (${what}); run 'rmapcheck conform' on them again`);
  }
  const proc = new ConformProcess(build.binary, t.stepLimitMs);
  try {
    await proc.request(Buffer.from([0x42, 0, 0, 0, 0, 0, 0, 0]), 0);
    const info = proc.info!;
    return { proc, layout: layoutOfAdapter(info), info, rebuilt: !build.cached };
  } catch (e) {
    proc.close();
    throw e;
  }
}

/** Does `d` reproduce the recorded divergence exactly (operation, kind, field, expected, actual)? */
export function reproducesRecorded(t: ConformTrace, d: Divergence | null): boolean {
  const r = t.divergence;
  return d !== null && d.op === r.op && d.kind === r.kind && d.field === r.field && d.expected === r.expected && d.actual === r.actual;
}

/** Rebuilds the recorded implementation (startRecorded) and re-runs the recorded sequence. */
export async function replayConformTrace(t: ConformTrace, source = 'trace'): Promise<ConformReplay> {
  const { proc, layout, rebuilt } = await startRecorded(t, source);
  try {
    const out = await checkCase(proc, layout, t.case, true);
    const d = out.divergence;
    const steps = out.steps ?? [];
    const mismatches: string[] = [];
    steps.forEach((s, i) => {
      const rec = t.steps[i];
      if (rec) for (const diff of snapshotDifferences(s.c, rec.c)) mismatches.push(`step ${i + 1}: C ${diff}`);
    });
    return { reproduced: reproducesRecorded(t, d), divergence: d, referenceMismatches: checkConformReference(t), mismatches, steps, rebuilt };
  } finally {
    proc.close();
  }
}
