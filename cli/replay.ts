/** `replay FILE`: re-execute a trace on the reference model and say whether it reproduces. */
import { parseTrace, Trace } from '../checker/trace';
import { replaySubIdTrace } from '../checker/subid-trace';
import { readUserFile } from '../checker/files';
import { renderTable } from '../text/table';
import { ModelTrace } from '../checker/trace';
import { replayModelTrace } from '../checker/model-trace';
import { renderModelTrace, formatParams } from '../text/steps';
import { UsageError } from '../model/errors';

export interface ReplayOutcome {
  json: unknown;
  text: string;
  exitCode: number;
}

export function loadTrace(file: string): Trace {
  return parseTrace(readUserFile(file), file);
}

/** The first few differences, for one line. */
function mismatchSummary(mismatches: readonly string[]): string {
  return `${mismatches.slice(0, 5).join('; ')}${mismatches.length > 5 ? ` (+${mismatches.length - 5} more)` : ''}`;
}

/**
 * A trace that commands other than replay build on (minimize, view): it must replay as `replay`
 * judges it, every recorded state matching and the violation reproducing, else a one-line UsageError.
 */
export function loadReproducedTrace(file: string): Trace {
  const trace = loadTrace(file);
  const r = trace.kind === 'model' ? replayModelTrace(trace, file) : replaySubIdTrace(trace, file);
  if (r.mismatches.length > 0)
    throw new UsageError(`${file}: recorded states differ from what the model does now: ${mismatchSummary(r.mismatches)} ('rmapcheck replay' shows every step)`);
  if (!r.reproduced)
    throw new UsageError(`${file}: the recorded violation of ${trace.property.name} does not reproduce ('rmapcheck replay' shows every step)`);
  return trace;
}

function replayModel(file: string, trace: ModelTrace): ReplayOutcome {
  const r = replayModelTrace(trace, file);
  const text = [
    `Replay of ${file}: ${trace.model} ${formatParams(trace.params)}${trace.seed !== null ? ` (seed ${trace.seed})` : ''}`,
    '',
    renderModelTrace(r.replayed),
    '',
    r.mismatches.length ? `recorded states differ: ${mismatchSummary(r.mismatches)}` : 'every recorded step and state matches',
    `violation reproduces: ${r.reproduced ? 'yes' : 'no'}`,
  ].join('\n');
  return {
    json: { trace: file, kind: trace.kind, model: trace.model, property: trace.property.name, reproduced: r.reproduced, mismatches: r.mismatches, steps: r.replayed.steps.length, loopStart: trace.loopStart },
    text,
    exitCode: r.mismatches.length > 0 ? 2 : r.reproduced ? 1 : 0,
  };
}

export function runReplay(file: string): ReplayOutcome {
  const trace = loadTrace(file);
  if (trace.kind === 'model') return replayModel(file, trace);
  const r = replaySubIdTrace(trace, file);
  const text = [
    `Replay of ${file}: sub-ID counterexample, scheme ${String(trace.params.scheme.name)}, order ${trace.params.order}, query MM ${trace.query.mm} (rmap ID ${trace.query.rmapId})`,
    '',
    renderTable(
      ['step', 'MM', 'rmap ID', 'action', 'mapcount', 'values', 'reader', 'truth', 'state check'],
      r.rows.map((row) => [
        String(row.step),
        row.mm,
        row.rmapId,
        row.action,
        row.mapcount,
        row.values.join(' '),
        row.verdict,
        row.truth,
        row.mismatch.length === 0 ? 'ok' : 'MISMATCH: ' + row.mismatch.join(', '),
      ]),
    ),
    '',
    `property ${trace.property.name}: the reader answers "${r.observed}", the truth is "${r.expected}"`,
    r.reproduced
      ? 'violation reproduces: yes'
      : `violation reproduces: no${r.mismatches.length ? ' (' + r.mismatches.join('; ') + ')' : ''}`,
  ].join('\n');
  return {
    json: {
      trace: file,
      kind: trace.kind,
      property: trace.property.name,
      reproduced: r.reproduced,
      expected: r.expected,
      observed: r.observed,
      mismatches: r.mismatches,
      steps: r.rows,
    },
    text,
    // 1: the violation was reproduced; 0: replay is clean (no violation); a trace whose recorded
    // states do not match what the model does now is bad input for this version: 2.
    exitCode: r.mismatches.length > 0 ? 2 : r.reproduced ? 1 : 0,
  };
}
