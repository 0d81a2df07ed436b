/**
 * `rmapcheck litmus FILE.litmus... [--json]`: judges C-litmus files under the LKMM with
 * rmapcheck's own checker (lkmm/check.ts) and prints what herd7 prints (the states, the
 * Positive/Negative counts, the Observation line), the candidates and allowed executions, one
 * witnessing execution as a step table, and the data-race flag. A verdict is a result, not a
 * failure: the exit code is 0 whatever the verdict, 2 for bad input.
 *
 * `rmapcheck litmus --export --model M [--variant V] [--bug B] --out DIR [--force]` writes the
 * protocol's litmus programs (lkmm/generate/, helper G's) as DIR/<name>.litmus for herd7.
 */
import { join } from 'path';
import { UsageError } from '../model/errors';
import { checkOutDir, checkOutputFile, ensureOutDir, readUserFile, writeAllOrNone, writeConflict, writeFileAtomic } from '../checker/files';
import { renderLitmusHtml } from '../viewer/litmus-view';
import { parseLitmus } from '../lkmm/parse';
import { checkLitmus, type LitmusResult, type Witness } from '../lkmm/check';
import { exportLitmus } from '../lkmm/export';
import { litmusProgramsFor } from '../lkmm/generate/index';
import { renderTable } from '../text/table';
import { outputWidth } from '../text/term';

/** The `--json` object of one file (docs/json.md, `litmus`): the fields first. */
export function litmusJson(file: string, r: LitmusResult) {
  return {
    name: r.name,
    verdict: r.verdict,
    dataRace: r.dataRace,
    candidates: r.candidates,
    allowed: r.allowed,
    witness: r.witness,
    file,
    condition: r.condition,
    positive: r.positive,
    negative: r.negative,
    clauseHolds: r.clauseHolds,
    states: r.states,
    races: r.races,
  };
}

const OBSERVATION = { never: 'Never', sometimes: 'Sometimes', always: 'Always' } as const;
const TEST_KIND = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' } as const;

/** The witness as a step table (one row per event, threads in order) and its rf / co edges. */
export function renderWitness(w: Witness, maxWidth?: number): string {
  const rfOf = new Map(w.rf.map((e) => [e.to, e.from]));
  const rows = w.threads.flatMap((t) =>
    t.events.map((e) => [e.id, t.name, `${e.kind}[${e.tags.join(',')}] ${e.loc}=${e.value}`, e.instr, e.kind === 'R' ? `rf from ${rfOf.get(e.id)}` : '']),
  );
  const lines = [renderTable(['event', 'thread', 'access', 'instruction', 'reads from'], rows, { maxWidth })];
  lines.push('', 'rf:', ...w.rf.map((e) => `  ${e.from} -> ${e.to}`));
  lines.push('co:', ...w.co.map((c) => `  ${c.loc}: ${c.order.join(' -> ')}`));
  const regs = Object.entries(w.registers).map(([k, v]) => `${k}=${v};`);
  const mem = Object.entries(w.memory).map(([k, v]) => `${k}=${v};`);
  lines.push(`final: ${[...regs, ...mem].join(' ')}`);
  return lines.join('\n');
}

/** herd7's report of one test, with rmapcheck's counts and witness after it. */
export function renderLitmus(r: LitmusResult, quantifier: keyof typeof TEST_KIND, maxWidth?: number): string {
  const lines = [`Test ${r.name} ${TEST_KIND[quantifier]}`, `States ${r.states.length}`, ...r.states, r.clauseHolds ? 'Ok' : 'No', 'Witnesses', `Positive: ${r.positive} Negative: ${r.negative}`];
  if (r.dataRace) lines.push('Flag data-race');
  lines.push(`Condition ${r.condition}`, `Observation ${r.name} ${OBSERVATION[r.verdict]} ${r.positive} ${r.negative}`);
  lines.push(`Candidates ${r.candidates} (coherent and atomic), allowed ${r.allowed}`);
  lines.push(r.dataRace ? 'data race: yes, the outcome is undefined (LKMM data-race flag)' : 'data race: none flagged');
  for (const x of r.races) lines.push(`  ${x.kind} race on ${x.loc}: ${x.a} ${x.instrs[0]}  vs  ${x.b} ${x.instrs[1]}`);
  if (r.witness) {
    const what = quantifier === 'forall' ? 'an allowed execution where the condition fails' : 'an allowed execution where the condition holds';
    lines.push('', `witness (${what}):`, renderWitness(r.witness, maxWidth));
  }
  return lines.join('\n');
}

/** Judges each file; one JSON object for one file, an array for several. With `view`, also
 *  writes the witness page of the (one) file there (checked before the work). */
export function runLitmus(files: readonly string[], opts: { view?: string; force?: boolean } = {}) {
  if (files.length === 0) throw new UsageError('litmus: give one or more FILE.litmus (or --export --model M --out DIR)');
  if (opts.view !== undefined) {
    if (files.length !== 1) throw new UsageError('litmus --view takes exactly one FILE.litmus');
    checkOutputFile(opts.view, files);
  }
  // every file read and parsed before any is judged: bad input fails at once, with nothing printed
  const programs = files.map((f) => ({ file: f, program: parseLitmus(readUserFile(f), f) }));
  const results = programs.map(({ file, program }) => ({ file, program, result: checkLitmus(program) }));
  const width = outputWidth();
  const objects = results.map((x) => litmusJson(x.file, x.result));
  let viewLine = '';
  if (opts.view !== undefined) {
    writeFileAtomic(opts.view, renderLitmusHtml(results[0].result, results[0].file), !!opts.force);
    viewLine = `\n\nwrote ${opts.view} (the witness, a column per thread); open it in a browser`;
  }
  return {
    json: objects.length === 1 ? (opts.view !== undefined ? { ...objects[0], view: opts.view } : objects[0]) : objects,
    text: results.map((x) => renderLitmus(x.result, x.program.condition.quantifier, width)).join('\n\n') + viewLine,
    exitCode: 0,
  };
}

/**
 * `--export`: the model's litmus programs written to `out` as `<name>.litmus` — the directory
 * checked before the work, every file checked before any is written (nothing overwritten with
 * other content without `force`).
 */
export function runLitmusExport(req: { model?: string; variant?: string; bug?: string; out?: string; force: boolean }) {
  if (!req.model) throw new UsageError('litmus --export needs --model (seqcount or rmap)');
  if (!req.out) throw new UsageError('litmus --export needs --out DIR');
  checkOutDir(req.out);
  const programs = litmusProgramsFor({ model: req.model, variant: req.variant, bug: req.bug });
  const files = programs.map((p) => {
    if (!/^[A-Za-z0-9_.+-]+$/.test(p.name)) throw new UsageError(`[internal bug] litmus program name ${JSON.stringify(p.name)} is not a file name`);
    return { path: join(req.out!, `${p.name}.litmus`), text: exportLitmus(p) };
  });
  const conflicts = files.map((f) => writeConflict(f.path, f.text, req.force)).filter((c): c is string => c !== null);
  if (conflicts.length) throw new UsageError(conflicts.length === 1 ? conflicts[0] : `${conflicts.length} files already exist with other content (use --force to overwrite): ${files.filter((f) => writeConflict(f.path, f.text, req.force)).map((f) => f.path).join(', ')}`);
  ensureOutDir(req.out);
  const { written, errors } = writeAllOrNone(files, req.force);
  return {
    json: { out: req.out, files: files.map((f) => f.path), ...(errors.length ? { writeErrors: errors } : {}) },
    text: [`wrote ${written.size} litmus file${written.size === 1 ? '' : 's'} to ${req.out} (run them with herd7: herd7 -conf linux-kernel.cfg FILE.litmus, in the kernel's tools/memory-model):`, ...files.map((f) => `  ${f.path}`)].join('\n'),
    exitCode: errors.length ? 2 : 0,
    writeErrors: errors,
  };
}
