/**
 * Compare traces (kind "compare", format version 4 of rmapcheck-trace): one design's
 * disagreements of one kind on one workload, with the workload itself (its operations up to the
 * last disagreement) and the rmap-ID scheme, so that the file replays on its own. `replayCompare`
 * re-runs the history and the design (rmap-ID on the reference model/folio.ts) and confirms every
 * recorded call; `compareSteps` gives the step table of the viewer. Read with every field
 * checked: a bad, truncated or other-version file is a one-line UsageError.
 */
import { createHash } from 'crypto';
import { TOOL_VERSION } from '../../model/version';
import { UsageError } from '../../model/errors';
import { parseUserJson } from '../../model/json-input';
import { schemeToJson, type Scheme } from '../../model/scheme';
import { parseSchemeFile } from '../../model/scheme-file';
import { History, runHistory, type HistoryEvent } from '../../model/workload/history';
import { describeOp, toWorkload, type Workload } from '../../model/workload/workload';
import { TRACE_FORMAT } from '../trace';
import { fileName } from '../trace-name';
import { MmIdDesign, RmapIdReference, type Design } from './designs';
import { runDesign, type Disagreement } from './run';
import type { DesignName, DisagreementKind, WorkloadSource } from './result';

export const COMPARE_TRACE_FORMAT_VERSION = 4;

const KINDS: readonly DisagreementKind[] = ['falseShared', 'falseExclusive', 'lostReuse', 'wrongReuse', 'warning'];
const DESIGNS: readonly DesignName[] = ['rmap-id', 'mm-id'];

export interface CompareTrace {
  format: typeof TRACE_FORMAT;
  formatVersion: typeof COMPARE_TRACE_FORMAT_VERSION;
  toolVersion: string;
  kind: 'compare';
  design: DesignName;
  disagreement: DisagreementKind;
  /** The rmap-ID scheme of the workload's order (a scheme-file entry), also for mm-id traces. */
  scheme: Record<string, unknown>;
  /** Where the workload came from, and the family seed of a random one (decimal), else null. */
  source: WorkloadSource;
  seed: string | null;
  /** The workload, its operations cut after the last recorded call's. */
  workload: Workload;
  /** Every call of this kind, in order. */
  calls: Disagreement[];
}

/** Builds the trace of `calls` (all of one kind, non-empty). */
export function buildCompareTrace(w: Workload, design: DesignName, scheme: Scheme, source: WorkloadSource, seed: string | null, calls: readonly Disagreement[]): CompareTrace {
  const last = Math.max(...calls.map((c) => c.op));
  return {
    format: TRACE_FORMAT,
    formatVersion: COMPARE_TRACE_FORMAT_VERSION,
    toolVersion: TOOL_VERSION,
    kind: 'compare',
    design,
    disagreement: calls[0].kind,
    scheme: schemeToJson(scheme),
    source,
    seed,
    workload: { ...w, ops: w.ops.slice(0, last + 1) },
    calls: calls.map((c) => ({ ...c })),
  };
}

export function serializeCompareTrace(t: CompareTrace): string {
  return JSON.stringify(t, null, 2) + '\n';
}

/** The trace's file name: workload, design, kind and a hash of the content (two different
 *  traces never claim one file; a rerun finds its own). */
export function compareTraceName(t: CompareTrace): string {
  const hash = createHash('sha256').update(serializeCompareTrace(t)).digest('hex').slice(0, 12);
  return fileName(['compare', t.workload.name, t.design, t.disagreement, hash]);
}

export function isCompareTraceData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === TRACE_FORMAT && (data as { kind?: unknown }).kind === 'compare';
}

const FIELDS = ['format', 'formatVersion', 'toolVersion', 'kind', 'design', 'disagreement', 'scheme', 'source', 'seed', 'workload', 'calls'];
const CALL_FIELDS = ['kind', 'op', 'call', 'mm', 'answer', 'truth', 'rule'];

/** Parses a compare trace's text, every field checked; problems are one-line UsageErrors. */
export function parseCompareTrace(text: string, source: string): { trace: CompareTrace; scheme: Scheme } {
  const data = parseUserJson(text, source);
  if (!isCompareTraceData(data)) throw new UsageError(`${source}: not a compare trace (no "format": "${TRACE_FORMAT}" with "kind": "compare")`);
  const o = data as Record<string, unknown>;
  if (o.formatVersion !== COMPARE_TRACE_FORMAT_VERSION)
    throw new UsageError(`${source}: a compare trace of format version ${JSON.stringify(o.formatVersion)}; this rmapcheck ${TOOL_VERSION} reads version ${COMPARE_TRACE_FORMAT_VERSION} only`);
  const bad = (why: string): never => {
    throw new UsageError(`${source}: compare trace ${why}`);
  };
  for (const f of FIELDS) if (!(f in o)) bad(`has no "${f}" (truncated?)`);
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) bad(`has an unknown field "${k}"`);
  if (typeof o.toolVersion !== 'string') bad('"toolVersion" must be a string');
  if (!DESIGNS.includes(o.design as DesignName)) bad(`"design" must be one of ${DESIGNS.join(', ')}`);
  if (!KINDS.includes(o.disagreement as DisagreementKind)) bad(`"disagreement" must be one of ${KINDS.join(', ')}`);
  if (!['preset', 'file', 'random'].includes(o.source as string)) bad('"source" must be preset, file or random');
  if (!(o.seed === null || (typeof o.seed === 'string' && /^[0-9]+$/.test(o.seed)))) bad('"seed" must be a decimal string or null');
  const scheme = parseSchemeFile(JSON.stringify([o.scheme]), `${source}: "scheme"`).schemes[0];
  const workload = toWorkload(o.workload, `${source}: "workload"`);
  if (!Array.isArray(o.calls) || o.calls.length === 0) bad('"calls" must be a non-empty list');
  (o.calls as unknown[]).forEach((c, i) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) bad(`call ${i} is not an object`);
    const r = c as Record<string, unknown>;
    for (const f of CALL_FIELDS) if (!(f in r)) bad(`call ${i} has no "${f}"`);
    for (const k of Object.keys(r)) if (!CALL_FIELDS.includes(k)) bad(`call ${i} has an unknown field "${k}"`);
    if (r.kind !== o.disagreement) bad(`call ${i} is a ${JSON.stringify(r.kind)}, not a ${o.disagreement}`);
    for (const f of ['op', 'call']) if (!(Number.isInteger(r[f]) && (r[f] as number) >= 0)) bad(`call ${i}: "${f}" must be a non-negative integer`);
    if ((r.op as number) >= workload.ops.length) bad(`call ${i}: op ${r.op} is beyond the workload's ${workload.ops.length} operations`);
    for (const f of ['mm', 'answer', 'truth', 'rule']) if (typeof r[f] !== 'string') bad(`call ${i}: "${f}" must be a string`);
  });
  return { trace: data as CompareTrace, scheme };
}

/** The design a trace is replayed on: rmap-ID on the reference model (model/folio.ts). */
export function replayDesign(design: DesignName, scheme: Scheme, order: number): Design {
  return design === 'rmap-id' ? new RmapIdReference(scheme, order) : new MmIdDesign(2 ** order);
}

export interface CompareReplay {
  /** Every recorded call happens again, with the same answer and truth. */
  reproduced: boolean;
  /** Per recorded call: does it happen again as recorded? */
  confirmed: boolean[];
  /** The calls of this kind the re-run finds. */
  found: Disagreement[];
}

/** Re-runs the workload (UsageError when the history is not valid) and the design. */
export function replayCompare(t: CompareTrace, scheme: Scheme, source: string): CompareReplay {
  const h = runHistory(t.workload, source);
  const found = runDesign(replayDesign(t.design, scheme, t.workload.order), h.events).disagreements.filter((d) => d.kind === t.disagreement);
  const same = (a: Disagreement, b: Disagreement) => a.op === b.op && a.call === b.call && a.mm === b.mm && a.answer === b.answer && a.truth === b.truth;
  const confirmed = t.calls.map((c) => found.some((f) => same(f, c)));
  return { reproduced: confirmed.every(Boolean), confirmed, found };
}

/** One row of the step table: an operation, the truth and the design's state after it, its calls. */
export interface CompareStep {
  op: number;
  operation: string;
  truth: string;
  state: Record<string, string>;
  calls: { mm: string; answer: string; truth: string; rule: string; warnings: readonly string[] }[];
}

/** The step table of a trace: the workload run op by op on the replay design. */
export function compareSteps(t: CompareTrace, scheme: Scheme, source: string): CompareStep[] {
  const design = replayDesign(t.design, scheme, t.workload.order);
  const h = new History(t.workload.order, t.workload.folio);
  const rows: CompareStep[] = [];
  let seen = 0;
  try {
    for (const op of t.workload.ops) {
      h.apply(op);
      const calls: CompareStep['calls'] = [];
      const fresh = h.events.slice(seen) as HistoryEvent[];
      seen = h.events.length;
      runDesign(design, fresh, (ev, answer, rule, warnings) => {
        if (answer !== null && (ev.e === 'read' || ev.e === 'cow'))
          calls.push({ mm: ev.mm, answer, truth: ev.e === 'read' ? (ev.shared ? 'shared' : 'exclusive') : ev.oracleReuse ? 'reuse' : 'copy', rule: rule ?? '', warnings });
      });
      rows.push({ op: h.opIndex, operation: describeOp(op), truth: h.describeTruth(), state: design.snapshot(), calls });
    }
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${source}: workload ${t.workload.name}: ${e.message}`);
    throw e;
  }
  return rows;
}
