/**
 * `replay`, `view` and `minimize` of a conformance trace (kind "conformance", written by
 * `rmapcheck conform`). The commands route here by the file's kind (isConformanceTraceFile).
 *
 * - replay rebuilds the recorded C code (refused, exit 2, when its sources changed since), runs
 *   the sequence again and checks every recorded C and reference state: exit 1 when the
 *   divergence reproduces, 0 when it does not, 2 when the recorded reference states are not what
 *   this rmapcheck's reference computes.
 * - view writes the page from the recorded states (no C is run, so a trace stays viewable after
 *   its code is fixed); the reference states are checked first.
 * - minimize rebuilds and confirms the divergence, then delta-debugs the operations
 *   (checker/conform/minimize.ts) and writes the smaller trace.
 */
import { readFileSync } from 'fs';
import { UsageError } from '../model/errors';
import { parseUserJson } from '../model/json-input';
import { checkCase } from '../checker/conform/compare';
import { minimizeConformCase } from '../checker/conform/minimize';
import {
  buildConformTrace,
  checkConformReference,
  isConformTraceData,
  parseConformTrace,
  replayConformTrace,
  reproducesRecorded,
  serializeConformTrace,
  startRecorded,
  type ConformTrace,
} from '../checker/conform/trace';
import { renderTraceHtml } from '../viewer/html';
import { renderConformSteps } from './conform';
import type { ConformOutcome } from './conform-options';
import { checkOutputFile, readUserFile, writeFileAtomic } from '../checker/files';
import { replayLine } from './shell';
import { defaultViewPath } from './view';
import { runConcurrentReplay } from './conform-concurrent';
import { parseConcurrentTrace, type ConcurrentTrace } from '../checker/conform/concurrent-trace';

/** Is `file` a conformance trace (by its format and kind)? False when it cannot be read or parsed:
 *  the command's usual path then says what is wrong with it. */
export function isConformanceTraceFile(file: string): boolean {
  try {
    return isConformTraceData(parseUserJson(readFileSync(file, 'utf8'), file));
  } catch {
    return false;
  }
}

/** A conformance trace's mode (`sequential` or `concurrent`), from the file (null if unreadable). */
function modeOf(file: string): unknown {
  try {
    return (parseUserJson(readFileSync(file, 'utf8'), file) as { mode?: unknown }).mode;
  } catch {
    return null;
  }
}

/** minimize cuts down a sequence of operations: not a schedule (yet). */
function sequentialOnly(file: string, what: string): void {
  if (modeOf(file) === 'concurrent') throw new UsageError(`${file}: ${what} of a concurrent conformance trace is not available yet ('rmapcheck replay ${file}' re-runs its schedule)`);
}

/** A conformance trace of either mode, for pages (view, the audit's report). */
export function loadConformTrace(file: string): ConformTrace | ConcurrentTrace {
  const text = readUserFile(file);
  return modeOf(file) === 'concurrent' ? parseConcurrentTrace(text, file) : parseConformTrace(text, file);
}

function loadSequentialTrace(file: string): ConformTrace {
  return parseConformTrace(readUserFile(file), file);
}

/** The first few differences, for one line. */
function summary(list: readonly string[]): string {
  return `${list.slice(0, 5).join('; ')}${list.length > 5 ? ` (+${list.length - 5} more)` : ''}`;
}

function header(t: ConformTrace): string {
  const c = t.case;
  return `${t.adapter.name} (${t.adapter.impl.join(', ')}), seqcount ${t.adapter.layout}, folio order ${c.order}, rmap IDs ${c.rmapIds.map((id, i) => `MM${i}=${id}`).join(' ')}, seed ${t.seed}`;
}

/** The recorded divergence in one line, as `conform` printed it. */
function divergenceLine(t: ConformTrace): string {
  const d = t.divergence;
  return `${d.op >= 0 ? `step ${d.op + 1} (${d.operation})` : 'at set-up'}: ${d.field}: expected ${d.expected}, C has ${d.actual}`;
}

export async function runConformReplay(file: string): Promise<ConformOutcome> {
  if (modeOf(file) === 'concurrent') return runConcurrentReplay(file);
  const t = loadSequentialTrace(file);
  const r = await replayConformTrace(t, file);
  const d = r.divergence;
  const check = (i: number): string => {
    const mine = r.mismatches.filter((m) => m.startsWith(`step ${i + 1}: `)).map((m) => m.slice(`step ${i + 1}: `.length));
    if (d && d.op === i) return `DIVERGES: ${d.field}${mine.length ? `; differs from the recorded ${mine.join(', ')}` : ''}`;
    return mine.length ? `differs from the recorded: ${mine.join(', ')}` : 'ok';
  };
  const lines = [
    `Replay of ${file}: conformance trace of ${header(t)}`,
    `rebuilt from the recorded sources (content hash ${t.adapter.hash.slice(0, 12)}, unchanged${r.rebuilt ? '' : '; binary from the cache'}): ${t.adapter.cc} ${t.adapter.flags.join(' ')}`,
    '',
    renderConformSteps(r.steps, check),
    '',
    `recorded: ${divergenceLine(t)}`,
    `now:      ${d ? `${d.op >= 0 ? `step ${d.op + 1}` : 'at set-up'}: ${d.field}: expected ${d.expected}, C has ${d.actual}` : 'no divergence: the C code and the reference agree on every operation'}`,
  ];
  if (r.referenceMismatches.length) lines.push(`recorded reference states differ from this rmapcheck's reference: ${summary(r.referenceMismatches)}`);
  if (r.mismatches.length) lines.push(`C states differ from the recorded ones (the same sources): ${summary(r.mismatches)}`);
  lines.push(`divergence reproduces: ${r.reproduced ? 'yes' : 'no'}`);
  return {
    json: {
      trace: file,
      kind: 'conformance',
      adapter: t.adapter.name,
      property: t.property.name,
      reproduced: r.reproduced,
      divergence: d,
      recordedDivergence: { op: t.divergence.op, kind: t.divergence.kind, field: t.divergence.field, expected: t.divergence.expected, actual: t.divergence.actual },
      referenceMismatches: r.referenceMismatches,
      mismatches: r.mismatches,
      steps: r.steps.length,
    },
    text: lines.join('\n'),
    // 2: this rmapcheck's reference is not the one the trace was judged by (as for the other kinds)
    exitCode: r.referenceMismatches.length > 0 ? 2 : r.reproduced ? 1 : 0,
  };
}

/** Refuses (one line) a trace whose recorded reference states this rmapcheck does not compute. */
function checkedTrace(file: string): ConformTrace {
  const t = loadSequentialTrace(file);
  const differ = checkConformReference(t);
  if (differ.length) throw new UsageError(`${file}: recorded reference states differ from what the reference computes now: ${summary(differ)} ('rmapcheck replay' shows every step)`);
  return t;
}

export function runConformView(file: string, out: string | undefined, force: boolean): ConformOutcome {
  const target = out ?? defaultViewPath(file);
  checkOutputFile(target, [file]);
  if (modeOf(file) === 'concurrent') {
    // a schedule: the thread layout, from the recorded steps
    const c = loadConformTrace(file);
    writeFileAtomic(target, renderTraceHtml(c, { source: file }), force);
    return {
      json: { trace: file, out: target, kind: 'conformance', steps: c.steps.length, property: c.property.name },
      text: `wrote ${target} (${c.steps.length} scheduling decisions, a column per thread); open it in a browser: j/k step, f the failing step`,
      exitCode: 0,
    };
  }
  const t = checkedTrace(file);
  writeFileAtomic(target, renderTraceHtml(t, { source: file }), force);
  // the operations up to the divergent one (a crash records no state for it, the page shows it)
  const shown = Math.max(t.steps.length, t.divergence.op + 1);
  return {
    json: { trace: file, out: target, kind: 'conformance', steps: shown, property: t.property.name },
    text: `wrote ${target} (${shown} operation${shown === 1 ? '' : 's'}, C beside the reference; the diverging field framed); open it in a browser: j/k step, f the failing step`,
    exitCode: 0,
  };
}

export async function runConformMinimize(file: string, out: string, force: boolean, signal?: { aborted: boolean }): Promise<ConformOutcome> {
  checkOutputFile(out, [file]);
  sequentialOnly(file, 'minimize');
  const t = checkedTrace(file);
  const bin = await startRecorded(t, file);
  let min;
  try {
    // the divergence must reproduce before the operations are cut down around it
    const first = await checkCase(bin.proc, bin.layout, t.case);
    if (!reproducesRecorded(t, first.divergence)) throw new UsageError(`${file}: the recorded divergence does not reproduce ('rmapcheck replay' shows every step)`);
    min = await minimizeConformCase(bin.proc, bin.layout, t.case, t.divergence, signal);
  } finally {
    bin.proc.close();
  }
  const a = t.adapter;
  const trace = buildConformTrace(
    { adapter: bin.info, layout: bin.layout, counterexample: min.case, divergence: min.divergence, steps: min.steps },
    { impl: a.impl, includeDirs: a.includeDirs, defines: a.defines, cc: a.cc, flags: a.flags, hash: a.hash, inputs: a.inputs },
    t.seed,
    t.stepLimitMs,
  );
  writeFileAtomic(out, serializeConformTrace(trace), force);
  const from = t.case.ops.length;
  const to = min.case.ops.length;
  const log = [
    `delta debugging of the operations: ${from} -> ${to}${to === from ? ' (already 1-minimal: removing any one operation loses the divergence)' : ''}; ` +
      `${min.tried} subsequence(s) run on the C side, ${min.invalid} skipped as not valid on a fresh folio`,
  ];
  const text = [
    `minimized ${file}: ${from} -> ${to} operations, property ${trace.property.name}`,
    ...log.map((l) => `  ${l}`),
    `written: ${out}`,
    '',
    renderConformSteps(min.steps),
    '',
    divergenceLine(trace),
    replayLine(out),
  ].join('\n');
  return {
    // minimize's fields (docs/json.md), then the conformance extras
    json: { input: file, trace: out, property: trace.property.name, rawTraceLength: from, minimizedTraceLength: to, log, kind: 'conformance', tried: min.tried, invalid: min.invalid },
    text,
    // the minimized trace is a divergence still
    exitCode: 1,
  };
}
