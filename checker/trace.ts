/**
 * Counterexample traces: a versioned JSON format (docs/trace-format.md, schemas/trace.schema.json)
 * that `rmapcheck replay` re-executes on the reference model.
 * Version 1: sub-ID math counterexamples (kind "subid"). Version 2 adds thread-schedule traces
 * of the concurrent models (kind "model"); a version-2 reader still reads version-1 files.
 * Version 3 adds conformance traces of C code (kind "conformance", checker/conform/trace.ts
 * reads them: `parseTrace` refuses them with a pointer there).
 */
import Ajv from 'ajv';
import { readFileSync } from 'fs';
import { join } from 'path';
import { UsageError } from '../model/errors';
import { parseUserJson } from '../model/json-input';
import { TOOL_VERSION } from '../model/version';
import type { Expectation } from '../model/core';

export const TRACE_FORMAT = 'rmapcheck-trace';
/** The newest format version this build reads and writes. */
export const TRACE_FORMAT_VERSION = 3;

export interface TraceProperty {
  name: string;
  expectation: Expectation;
  description: string;
}

interface TraceBase {
  format: typeof TRACE_FORMAT;
  formatVersion: number;
  toolVersion: string;
  model: string;
  /** Seed of the run that found it, as a decimal string, or null for a deterministic search. */
  seed: string | null;
  property: TraceProperty;
  /** The true answer (ground truth) and the answer the checked code gave. */
  expected: string;
  observed: string;
}

/** One writer step of a sub-ID counterexample: an MM maps or unmaps `count` pages. */
export interface SubIdTraceStep {
  step: number;
  mm: string;
  rmapId: string;
  action: 'map' | 'unmap';
  count: number;
  /** The folio after this step: mapcount (decimal) and every value in hex, full width. */
  state: { mapcount: string; values: string[] };
}

export interface SubIdTrace extends TraceBase {
  kind: 'subid';
  model: 'subid';
  params: { scheme: Record<string, unknown>; order: number };
  steps: SubIdTraceStep[];
  query: { mm: string; rmapId: string };
  expected: 'exclusive' | 'shared';
  observed: 'exclusive' | 'shared';
}

/** One scheduled action of a concurrent model: which thread, which enabled action, the state after. */
export interface ModelTraceStep {
  step: number;
  thread: string;
  /** Index into the model's enabled actions at this point: the schedule replays from these alone. */
  choice: number;
  action: string;
  state: Record<string, string>;
}

export interface ModelTrace extends TraceBase {
  kind: 'model';
  params: Record<string, unknown>;
  threads: string[];
  initial: { choice: number; state: Record<string, string> };
  steps: ModelTraceStep[];
  /** For a liveness counterexample (lasso): the step index where the repeated loop starts. */
  loopStart: number | null;
}

export type Trace = SubIdTrace | ModelTrace;

let validator: ReturnType<Ajv['compile']> | undefined;

function schemaValidator() {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'trace.schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: false, strict: false }).compile(schema);
  }
  return validator;
}

/** Checks `data` against schemas/trace.schema.json (every kind); a one-line UsageError otherwise. */
export function checkTraceSchema(data: unknown, source: string): void {
  const validate = schemaValidator();
  if (!validate(data)) {
    const err = validate.errors?.[0];
    const where = err?.instancePath || '(top level)';
    throw new UsageError(`${source}: trace does not match the schema at ${where}: ${err?.message ?? 'invalid'}`);
  }
}

/** Common header for a new trace. */
export function traceHeader(formatVersion: 1 | 2) {
  return { format: TRACE_FORMAT, formatVersion, toolVersion: TOOL_VERSION } as const;
}

/**
 * Parses and validates a trace file's text. Every problem is a UsageError with one line naming
 * the file and the cause (not JSON, truncated, nested too deep, wrong format, newer version, schema violation).
 */
export function parseTrace(text: string, source: string): Trace {
  const data = parseUserJson(text, source);
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== TRACE_FORMAT) {
    // An explore (or merged) report names its trace: say which file to replay instead.
    const named = (data as { trace?: unknown; executions?: unknown } | null)?.trace;
    if (typeof named === 'string' && typeof (data as { executions?: unknown }).executions === 'number')
      throw new UsageError(`${source}: an explore report, not a trace; its counterexample is ${named} (rmapcheck replay ${named})`);
    throw new UsageError(`${source}: not an rmapcheck trace (no "format": "${TRACE_FORMAT}")`);
  }
  if ((data as { kind?: unknown }).kind === 'conformance')
    throw new UsageError(`${source}: a conformance trace of C code (rmapcheck conform): parseConformTrace reads it, not parseTrace`);
  const version = (data as { formatVersion?: unknown }).formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new UsageError(`${source}: invalid formatVersion ${JSON.stringify(version)}`);
  if (version > TRACE_FORMAT_VERSION)
    throw new UsageError(
      `${source}: trace format version ${version} is newer than this rmapcheck ${TOOL_VERSION} reads (up to ${TRACE_FORMAT_VERSION}); upgrade rmapcheck`,
    );
  checkTraceSchema(data, source);
  const trace = data as Trace;
  // a person reads the steps by their numbers: a wrong number would point at the wrong step
  trace.steps.forEach((s, i) => {
    if (s.step !== i + 1) throw new UsageError(`${source}: step ${i + 1} is numbered ${s.step} (steps are numbered 1, 2, 3, ...)`);
  });
  return trace;
}

/** The trace as the file's text (stable key order, one trailing newline). */
export function serializeTrace(trace: Trace): string {
  return JSON.stringify(trace, null, 2) + '\n';
}
