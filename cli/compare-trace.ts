/**
 * `replay` and `view` of a compare trace (kind "compare", written by `rmapcheck compare`); the
 * commands route here by the file's kind (isCompareTraceFile). replay re-runs the workload on the
 * design (rmap-ID on the reference model) and confirms every recorded call: exit 1 when all
 * reproduce, 0 when some do not. view writes the step table page.
 */
import { readFileSync } from 'fs';
import { parseUserJson } from '../model/json-input';
import { UsageError } from '../model/errors';
import { checkOutputFile, readUserFile, writeFileAtomic } from '../checker/files';
import { compareSteps, isCompareTraceData, parseCompareTrace, replayCompare } from '../checker/compare/trace';
import { renderCompareTraceHtml } from '../viewer/compare-trace-view';
import { renderTable } from '../text/table';
import { replayLine } from './shell';
import { defaultViewPath } from './view';

/** Is `file` a compare trace (by its format and kind)? False when it cannot be read or parsed. */
export function isCompareTraceFile(file: string): boolean {
  try {
    return isCompareTraceData(parseUserJson(readFileSync(file, 'utf8'), file));
  } catch {
    return false;
  }
}

export function runCompareReplay(file: string) {
  const { trace: t, scheme } = parseCompareTrace(readUserFile(file), file);
  const r = replayCompare(t, scheme, file);
  const w = t.workload;
  const text = [
    `Replay of ${file}: compare trace, ${t.design} on workload ${w.name} (order ${w.order}, ${w.folio}, ${w.ops.length} operations, scheme ${String(t.scheme.name)}), ${t.disagreement}`,
    '',
    renderTable(
      ['op', 'call', 'MM', 'answer', 'truth', 'rule', 'now'],
      t.calls.map((c, i) => [String(c.op), String(c.call), c.mm, c.answer, c.truth, c.rule, r.confirmed[i] ? 'reproduces' : 'DOES NOT REPRODUCE']),
    ),
    '',
    `${t.disagreement} calls found now: ${r.found.length}, recorded: ${t.calls.length}`,
    `disagreement reproduces: ${r.reproduced ? 'yes' : 'no'}`,
  ].join('\n');
  return {
    json: { trace: file, kind: 'compare', design: t.design, disagreement: t.disagreement, workload: w.name, reproduced: r.reproduced, calls: t.calls.length, confirmed: r.confirmed.filter(Boolean).length, found: r.found.length },
    text,
    exitCode: r.reproduced ? 1 : 0,
  };
}

export function runCompareView(file: string, out: string | undefined, force: boolean) {
  const target = out ?? defaultViewPath(file);
  checkOutputFile(target, [file]);
  const { trace: t, scheme } = parseCompareTrace(readUserFile(file), file);
  // the page presents the calls as disagreements: they must be ones, as replay judges them
  if (!replayCompare(t, scheme, file).reproduced) throw new UsageError(`${file}: the recorded ${t.disagreement} calls do not reproduce ('rmapcheck replay ${file}' shows which)`);
  const steps = compareSteps(t, scheme, file);
  writeFileAtomic(target, renderCompareTraceHtml(t, steps, { source: file, replayLine: replayLine(file) }), force);
  return {
    json: { trace: file, out: target, kind: 'compare', steps: steps.length, property: t.disagreement },
    text: `wrote ${target} (${steps.length} operations of ${t.workload.name}, ${t.design}; the ${t.calls.length} ${t.disagreement} call${t.calls.length === 1 ? '' : 's'} framed); open it in a browser: j/k step, f the next disagreement`,
    exitCode: 0,
  };
}

/** minimize cuts down a schedule or an operation sequence to a violation; a compare trace holds
 *  every call of one kind on one workload, not one violation to keep. */
export function refuseCompareMinimize(file: string): never {
  throw new UsageError(`${file}: a compare trace lists every disagreement of one kind on a workload; minimize does not apply ('rmapcheck replay ${file}' re-runs it, 'rmapcheck view' shows its steps)`);
}
