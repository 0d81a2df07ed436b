/**
 * `rmapcheck compare`: both designs (rmap-ID under a scheme set, MM owner tracking) through the
 * same workloads (presets, files, randomized families from a seed) against one ground truth;
 * counts per workload and design (checker/compare/result.ts), a trace per design and kind of
 * disagreement (checker/compare/trace.ts), an optional HTML report (viewer/compare-report.ts).
 * Every input and output location is checked before the work; traces are written all or none.
 */
import { existsSync } from 'fs';
import { join, relative, dirname, resolve } from 'path';
import { UsageError } from '../model/errors';
import { loadSchemeSet } from '../model/scheme-file';
import { schemeForOrder, type SchemeSet } from '../model/scheme';
import { findWorkloadPreset, presetNames, workloadPresets } from '../model/workload/presets';
import { parseWorkloadText, type Workload } from '../model/workload/workload';
import { FAMILY_ORDERS } from '../model/workload/generate';
import { runHistory } from '../model/workload/history';
import { checkOutDir, readUserFile, writeAllOrNone } from '../checker/files';
import { schemeFor } from '../checker/compare/run';
import { compareWorkloads, type CompareProgress, type Planned } from '../checker/compare/compare';
import type { CompareResult, DesignCounts, WorkloadSource } from '../checker/compare/result';
import { pathHref, renderCompareReport } from '../viewer/compare-report';
import { renderTable } from '../text/table';
import { intOption, optionalIntOption } from './options';
import { clockSeed, parseSeed } from './explore';
import { exitCodeWith } from './files';
import { shellCommand } from './shell';
import type { ProgressLine } from './progress';

export type { CompareProgress } from '../checker/compare/compare';

export interface CompareCliOptions {
  /** Preset names, workload file paths, or `random` (the randomized family). */
  workload: string[];
  order?: string;
  scheme?: string;
  runs?: string;
  seed?: string;
  json?: boolean;
  out: string;
  report?: string;
  force?: boolean;
}

/** Random histories drawn when `--runs` is not given. */
export const DEFAULT_COMPARE_RUNS = 20;
const MAX_RUNS = 1_000_000;

/** The named workloads (`--workload`), each checked; `random` stands for the family. */
function namedWorkloads(args: readonly string[], order: number | undefined): { named: Planned[]; random: boolean } {
  const named: Planned[] = [];
  let random = false;
  for (const a of args) {
    if (a === 'random') {
      random = true;
      continue;
    }
    const preset = findWorkloadPreset(a);
    let w: Workload;
    let source: WorkloadSource;
    if (preset) {
      w = preset;
      source = 'preset';
    } else if (existsSync(a)) {
      w = parseWorkloadText(readUserFile(a), a);
      source = 'file';
    } else throw new UsageError(`unknown workload '${a}' (presets: ${presetNames().join(', ')}, random; or the path of a JSON workload file)`);
    if (order !== undefined && w.order !== order) throw new UsageError(`workload ${a} is of order ${w.order}, not --order ${order}`);
    named.push({ workload: w, source, label: a, run: null, runSeed: null, family: null });
  }
  return { named, random };
}

/** The repeat line: the same workloads, scheme, runs and seed. */
function repeatLine(o: CompareCliOptions, seed: bigint, runs: number, withRandom: boolean): string {
  const args = ['npx', 'rmapcheck', 'compare'];
  for (const w of o.workload) args.push('--workload', w);
  if (o.order !== undefined) args.push('--order', String(intOption('order', o.order, 2, 9)));
  if (o.scheme !== undefined) args.push('--scheme', o.scheme);
  if (withRandom) args.push('--runs', String(runs));
  args.push('--seed', String(seed));
  return shellCommand(args);
}

/** The text report: one aligned row per workload, both designs side by side. */
export function renderCompareText(r: CompareResult, writeErrors: readonly string[]): string {
  const cell = (w: { designs: DesignCounts[] }, f: keyof DesignCounts) => w.designs.map((d) => String(d[f])).join(' / ');
  const rows = r.workloads.map((w) => [
    w.name,
    String(w.params.pages),
    w.params.folio,
    String(w.params.mms),
    String(w.params.operations),
    String(w.designs[0].readerCalls),
    cell(w, 'falseShared'),
    cell(w, 'falseExclusive'),
    String(w.designs[0].cowDecisions),
    cell(w, 'lostReuse'),
    cell(w, 'wrongReuse'),
    cell(w, 'warnings'),
  ]);
  const all = { designs: r.totals };
  rows.push(['total', '', '', '', String(r.workloads.reduce((a, w) => a + w.params.operations, 0)), String(r.totals[0]?.readerCalls ?? 0), cell(all, 'falseShared'), cell(all, 'falseExclusive'), String(r.totals[0]?.cowDecisions ?? 0), cell(all, 'lostReuse'), cell(all, 'wrongReuse'), cell(all, 'warnings')]);
  const traces = r.totals.flatMap((t) => t.traces);
  const lines = [
    `compare: rmap-ID (scheme ${r.scheme}) and MM owner tracking on ${r.workloads.length} workload${r.workloads.length === 1 ? '' : 's'}, seed ${r.seed}`,
    'each cell "A / B": A = rmap-id, B = mm-id; calls = reader calls; lost reuse = COW copies a perfect oracle reuses',
    '',
    renderTable(['workload', 'P', 'folio', 'MMs', 'ops', 'calls', 'false shared', 'false exclusive', 'COW', 'lost reuse', 'wrong reuse', 'warnings'], rows),
    '',
    `reader calls per second: rmap-id ${Math.round(r.readerCallsPerSecond['rmap-id'])}, mm-id ${Math.round(r.readerCallsPerSecond['mm-id'])} (${r.seconds.toFixed(2)} s)`,
    `verdict: ${r.verdict}${r.verdict === 'violation' ? ' (a false "exclusive", an unsafe COW reuse or a sanity-check warning: see the traces)' : r.verdict === 'incomplete' ? ' (interrupted: the workloads above finished)' : ''}`,
  ];
  if (traces.length) lines.push(`${traces.length} disagreement trace${traces.length === 1 ? '' : 's'} (replay: npx rmapcheck replay TRACE; view: npx rmapcheck view TRACE):`, ...traces.map((t) => `  ${t}`));
  for (const e of writeErrors) lines.push(`trace not written: ${e}`);
  lines.push(`repeat: ${r.repeat}`);
  return lines.join('\n');
}

/** Runs the comparison: everything is checked before the work, files are written all or none. */
export async function runCompare(
  o: CompareCliOptions,
  ctx: { signal?: { readonly aborted: boolean }; onProgress?: (p: CompareProgress) => void } = {},
): Promise<{ json: CompareResult & { writeErrors?: string[] }; text: string; exitCode: number; writeErrors: string[] }> {
  const order = optionalIntOption('order', o.order, 2, 9);
  const schemes: SchemeSet = loadSchemeSet(o.scheme ?? 'wip-v1');
  const seed = o.seed !== undefined ? parseSeed(o.seed) : clockSeed();
  const { named, random: randomAsked } = namedWorkloads(o.workload, order);
  const withRandom = o.workload.length === 0 || randomAsked;
  const runs = withRandom ? (o.runs !== undefined ? intOption('runs', o.runs, 1, MAX_RUNS) : DEFAULT_COMPARE_RUNS) : 0;
  if (!withRandom && o.runs !== undefined) throw new UsageError('--runs counts random histories: give --workload random too (or no --workload)');
  if (order !== undefined && !schemeForOrder(schemes, order)) throw new UsageError(`scheme set ${schemes.name} has no scheme for --order ${order}`);
  // the random family and the presets keep to the orders the scheme set covers
  const familyOrders = order !== undefined ? [order] : FAMILY_ORDERS.filter((k) => schemeForOrder(schemes, k));
  if (withRandom && familyOrders.length === 0) throw new UsageError(`scheme set ${schemes.name} covers none of the random family's orders ${FAMILY_ORDERS.join(', ')}: give --order`);
  checkOutDir(o.out);
  if (o.report !== undefined) checkOutDir(o.report);

  const planned: Planned[] = o.workload.length === 0 ? workloadPresets().filter((w) => (order === undefined || w.order === order) && schemeForOrder(schemes, w.order)).map((w) => ({ workload: w, source: 'preset' as const, label: w.name, run: null, runSeed: null, family: null })) : named;
  // every named history is judged before any work: a bad one is bad input, nothing is run
  for (const p of planned) {
    runHistory(p.workload, p.label);
    schemeFor(schemes, p.workload.order);
  }
  const { result, files, bad } = await compareWorkloads({
    planned,
    schemes,
    seed,
    runs,
    familyOrders,
    order: order ?? null,
    outDir: o.out,
    repeat: repeatLine(o, seed, runs, withRandom),
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  const { workloads, totals } = result;
  if (o.report !== undefined) {
    const page = join(o.report, 'compare.html');
    const base = dirname(resolve(page));
    files.push({ path: page, text: renderCompareReport(result, { traceHref: (t) => pathHref(relative(base, resolve(t)).split('\\').join('/')) }) });
  }
  const { written, errors } = writeAllOrNone(files, !!o.force);
  if (errors.length) {
    // a trace that is not on disk is not named as one
    for (const w of workloads) for (const d of w.designs) d.traces = d.traces.filter((t) => written.has(t));
    for (const t of totals) t.traces = t.traces.filter((x) => written.has(x));
  }
  const json: CompareResult & { writeErrors?: string[] } = errors.length ? { ...result, writeErrors: errors } : result;
  return { json, text: renderCompareText(result, errors), exitCode: exitCodeWith(bad ? 1 : 0, errors), writeErrors: errors };
}

/** Progress on a terminal: a bar over the workloads. */
export function compareProgress(line: ProgressLine): (p: CompareProgress) => void {
  return (p) => line.update(p.workload ? `compare: ${p.workload}` : 'compare: done', { value: p.done, total: p.total });
}
