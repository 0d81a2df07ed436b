/**
 * The comparison itself: every planned workload (presets, files) and `runs` random histories of
 * the family, each through its ground truth (model/workload/history.ts) and both designs; the
 * counts per workload and design, the totals, and one trace per workload, design and kind of
 * disagreement (as file contents: the caller checks and writes them, all or none). The command
 * line (cli/compare.ts) parses the options and writes the files; this is the library's runner.
 */
import { join } from 'path';
import { UsageError } from '../../model/errors';
import type { SchemeSet } from '../../model/scheme';
import { randomWorkload, type FamilyParams } from '../../model/workload/generate';
import { runHistory } from '../../model/workload/history';
import type { Workload } from '../../model/workload/workload';
import type { CompareResult, CompareWorkload, DesignCounts, DesignName, WorkloadSource } from './result';
import { makeDesign, runDesign, schemeFor, type DesignPass } from './run';
import { buildCompareTrace, compareTraceName, serializeCompareTrace } from './trace';

/** A workload to run, with where it came from. */
export interface Planned {
  workload: Workload;
  source: WorkloadSource;
  /** The label for errors (preset name or path). */
  label: string;
  run: number | null;
  runSeed: string | null;
  family: FamilyParams | null;
}

export interface CompareProgress {
  done: number;
  total: number;
  workload: string;
}

export interface CompareOptions {
  /** The named workloads, in order (each a valid history: see `runHistory`). */
  planned: readonly Planned[];
  schemes: SchemeSet;
  /** The random family's seed (also recorded in the result). */
  seed: bigint;
  /** Random histories after the planned ones (0: none). */
  runs: number;
  /** The orders the random family draws from. */
  familyOrders: readonly number[];
  /** `--order`, recorded in the result (null: every order). */
  order: number | null;
  /** Where the traces are to go (their paths are named in the counts). */
  outDir: string;
  /** The command that repeats the run, recorded in the result. */
  repeat: string;
  signal?: { readonly aborted: boolean };
  onProgress?: (p: CompareProgress) => void;
}

export function counts(p: DesignPass): DesignCounts {
  return {
    design: p.design,
    readerCalls: p.readerCalls,
    falseShared: p.falseShared,
    falseExclusive: p.falseExclusive,
    cowDecisions: p.cowDecisions,
    lostReuse: p.lostReuse,
    traces: [],
    wrongReuse: p.wrongReuse,
    warnings: p.warnings,
    cowReuses: p.cowReuses,
    falseSharedRate: p.readerCalls ? p.falseShared / p.readerCalls : 0,
  };
}

export function sum(name: DesignName, rows: readonly DesignCounts[]): DesignCounts {
  const t: DesignCounts = { design: name, readerCalls: 0, falseShared: 0, falseExclusive: 0, cowDecisions: 0, lostReuse: 0, traces: [], wrongReuse: 0, warnings: 0, cowReuses: 0, falseSharedRate: 0 };
  for (const r of rows) {
    t.readerCalls += r.readerCalls;
    t.falseShared += r.falseShared;
    t.falseExclusive += r.falseExclusive;
    t.cowDecisions += r.cowDecisions;
    t.lostReuse += r.lostReuse;
    t.wrongReuse += r.wrongReuse;
    t.warnings += r.warnings;
    t.cowReuses += r.cowReuses;
    t.traces.push(...r.traces);
  }
  t.falseSharedRate = t.readerCalls ? t.falseShared / t.readerCalls : 0;
  return t;
}

/**
 * Runs the comparison; an interrupt (`signal`) ends it between workloads with verdict
 * `incomplete` (or `violation`, when one was found). `bad`: a false "exclusive", a reuse the
 * oracle forbids, or a warning.
 */
export async function compareWorkloads(opts: CompareOptions): Promise<{ result: CompareResult; files: { path: string; text: string }[]; bad: boolean }> {
  const { planned, schemes, seed, runs, familyOrders } = opts;
  const total = planned.length + runs;
  const workloads: CompareWorkload[] = [];
  const files: { path: string; text: string }[] = [];
  const designSeconds = { 'rmap-id': 0, 'mm-id': 0 };
  const started = Date.now();
  let aborted = false;
  for (let i = 0; i < total; i++) {
    opts.onProgress?.({ done: i, total, workload: i < planned.length ? planned[i].label : `random-${i - planned.length}` });
    // a signal is seen between workloads: the loop gives the event loop its turn
    await new Promise((r) => setImmediate(r));
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    let p: Planned;
    if (i < planned.length) p = planned[i];
    else {
      const run = i - planned.length;
      const r = randomWorkload(seed, run, familyOrders);
      p = { workload: r.workload, source: 'random', label: r.workload.name, run, runSeed: String(r.seed), family: r.family };
    }
    const w = p.workload;
    const scheme = schemeFor(schemes, w.order);
    const history = runHistory(w, p.label);
    const passes = (['rmap-id', 'mm-id'] as const).map((d) => {
      try {
        return runDesign(makeDesign(d, scheme, w.order), history.events);
      } catch (e) {
        if (e instanceof UsageError) throw new UsageError(`${p.label}: ${e.message}`);
        throw e;
      }
    });
    const fig = history.figures();
    const entry: CompareWorkload = {
      name: w.name,
      params: {
        mms: fig.mms,
        operations: w.ops.length,
        pages: 2 ** w.order,
        order: w.order,
        folio: w.folio,
        source: p.source,
        maxConcurrentMms: fig.maxConcurrentMms,
        forkDepth: fig.forkDepth,
        run: p.run,
        runSeed: p.runSeed,
      },
      designs: passes.map(counts),
      trulyShared: history.events.reduce((a, ev) => a + (ev.e === 'read' && ev.shared ? 1 : 0), 0),
      oracleReuses: history.events.reduce((a, ev) => a + (ev.e === 'cow' && ev.oracleReuse ? 1 : 0), 0),
    };
    passes.forEach((pass, d) => {
      designSeconds[pass.design] += pass.seconds;
      for (const kind of ['falseShared', 'falseExclusive', 'lostReuse', 'wrongReuse', 'warning'] as const) {
        const calls = pass.disagreements.filter((x) => x.kind === kind);
        if (calls.length === 0) continue;
        const t = buildCompareTrace(w, pass.design, scheme, p.source, p.source === 'random' ? String(seed) : null, calls);
        const path = join(opts.outDir, compareTraceName(t));
        files.push({ path, text: serializeCompareTrace(t) });
        entry.designs[d].traces.push(path);
      }
    });
    workloads.push(entry);
  }
  opts.onProgress?.({ done: workloads.length, total, workload: '' });
  const seconds = (Date.now() - started) / 1000;
  const totals = (['rmap-id', 'mm-id'] as const).map((d, i) => sum(d, workloads.map((w) => w.designs[i])));
  const bad = totals.some((t) => t.falseExclusive + t.wrongReuse + t.warnings > 0);
  const result: CompareResult = {
    seed: String(seed),
    workloads,
    verdict: aborted ? (bad ? 'violation' : 'incomplete') : bad ? 'violation' : 'ok',
    scheme: schemes.name,
    order: opts.order,
    runs,
    totals,
    seconds,
    readerCallsPerSecond: {
      'rmap-id': designSeconds['rmap-id'] > 0 ? totals[0].readerCalls / designSeconds['rmap-id'] : 0,
      'mm-id': designSeconds['mm-id'] > 0 ? totals[1].readerCalls / designSeconds['mm-id'] : 0,
    },
    repeat: opts.repeat,
  };
  return { result, files, bad };
}
