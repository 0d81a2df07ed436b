/**
 * `prove`: decide every order of a scheme set, write a trace for each refutation, and render
 * the result as the documented JSON shape or as tables for a person.
 */
import { SchemeSet, WIP_V1 } from '../model/scheme';
import { hexWord } from '../model/word';
import { proveSchemeSet, OrderProof } from '../proofs/prove';
import { checkClaims, minimalValues } from '../proofs/claims';
import { join } from 'path';
import { buildSubIdTrace, MappingStep } from '../checker/subid-trace';
import { serializeTrace } from '../checker/trace';
import { checkOutDir, writeAllOrNone } from '../checker/files';
import { fileName } from '../checker/trace-name';
import { replayLine } from './shell';
import { renderTable, wrapCell } from '../text/table';

export interface ProveReport {
  scheme: string;
  wordBits: number | null;
  idBits: number | null;
  orders: Array<{
    order: number;
    pages: number;
    values: number;
    chunkBits: number;
    bound: number;
    verdict: 'proved' | 'refuted';
    method: string;
    certificate: unknown;
    counterexample: null | {
      query: number;
      mappings: Array<{ rmapId: number; count: number }>;
      mapcount: number;
      values: string[];
      trace: string | null;
    };
  }>;
  minimalValues: Array<{ order: number; values: number; chunkBits: number }>;
  claims: Array<{ claim: string; holds: boolean; why: string }>;
  /** Only when some trace could not be written: why (then no trace of this run was written). */
  writeErrors?: string[];
}

/** The same value for every scheme of the set, or null when they differ. */
function common<T>(xs: T[]): T | null {
  return xs.every((x) => x === xs[0]) ? xs[0] : null;
}

/** The writer steps that build a counterexample's folio: the query MM first, then the others. */
export function counterexampleSteps(p: OrderProof): MappingStep[] {
  const cx = p.counterexample!;
  const named = [...cx.mappings].sort((a, b) => (a.rmapId === cx.query ? -1 : b.rmapId === cx.query ? 1 : 0));
  let other = 0;
  return named.map((m) => ({ mm: m.rmapId === cx.query ? 'q' : `m${++other}`, rmapId: m.rmapId, delta: m.count }));
}

/**
 * Runs the proofs; with `outDir`, writes one trace per refuted order and records its path. The
 * directory is checked before the proofs; the traces are written only once all are known, and
 * none of them if one would replace a file with other content (`writeErrors` says which).
 */
export function runProve(set: SchemeSet, orders: number[] | undefined, outDir: string | null, force: boolean): ProveReport {
  if (outDir !== null) checkOutDir(outDir);
  const proofs = proveSchemeSet(set, orders);
  const files = new Map<OrderProof, { path: string; text: string }>();
  if (outDir !== null)
    for (const p of proofs)
      if (p.counterexample) {
        const trace = buildSubIdTrace(p.scheme, p.order, counterexampleSteps(p), { mm: 'q', rmapId: p.counterexample.query });
        files.set(p, { path: join(outDir, fileName(['subid', p.scheme.name, `order${p.order}`])), text: serializeTrace(trace) });
      }
  const { written, errors } = writeAllOrNone([...files.values()], force);
  return {
    scheme: set.name,
    wordBits: common(set.schemes.map((s) => s.wordBits)),
    idBits: common(set.schemes.map((s) => s.idBits)),
    orders: proofs.map((p) => {
      let counterexample = null;
      if (p.counterexample) {
        const cx = p.counterexample;
        const path = files.get(p)?.path;
        const trace = path !== undefined && written.has(path) ? path : null;
        counterexample = {
          query: Number(cx.query),
          mappings: cx.mappings.map((m) => ({ rmapId: Number(m.rmapId), count: m.count })),
          mapcount: Number(cx.mapcount),
          values: cx.values.map((v) => hexWord(v, p.scheme.wordBits)),
          trace,
        };
      }
      return {
        order: p.order,
        pages: p.pages,
        values: p.scheme.values,
        chunkBits: p.scheme.chunkBits,
        bound: Number(p.scheme.bound),
        verdict: p.verdict,
        method: p.method,
        certificate: p.certificate,
        counterexample,
      };
    }),
    minimalValues: minimalValues(2, 30),
    // the series' claims are about wip-v1: another scheme gets none
    claims: set === WIP_V1 ? checkClaims() : [],
    ...(errors.length ? { writeErrors: errors } : {}),
  };
}

export function proveExitCode(r: ProveReport): number {
  return r.orders.some((o) => o.verdict === 'refuted') ? 1 : 0;
}

/** Columns of the text report in a pipe (a terminal gets its own width; --json the full text). */
export const PIPE_WIDTH = 100;

/** Consecutive orders with the same answer as one row, e.g. `3..5  2  12`. */
function minimalValueRows(rows: ProveReport['minimalValues']): string[][] {
  const out: { lo: number; hi: number; values: number; chunkBits: number }[] = [];
  for (const m of rows) {
    const last = out[out.length - 1];
    if (last && last.hi === m.order - 1 && last.values === m.values && last.chunkBits === m.chunkBits) last.hi = m.order;
    else out.push({ lo: m.order, hi: m.order, values: m.values, chunkBits: m.chunkBits });
  }
  return out.map((g) => [g.lo === g.hi ? String(g.lo) : `${g.lo}..${g.hi}`, String(g.values), String(g.chunkBits)]);
}

/**
 * The report as a person reads it, every line at most `maxWidth` columns (default PIPE_WIDTH):
 * long table cells wrap inside their column, prose wraps at spaces. A `replay:` line stays whole,
 * since it is pasted into a shell.
 */
export function renderProve(r: ProveReport, opts: { maxWidth?: number } = {}): string {
  const maxWidth = opts.maxWidth ?? PIPE_WIDTH;
  const out: string[] = [];
  const say = (text: string) => out.push(...wrapCell(text, maxWidth));
  const table = (headers: string[], rows: string[][]) => out.push(renderTable(headers, rows, { maxWidth }));
  say(`Sub-ID soundness, scheme ${r.scheme} (W=${r.wordBits ?? 'mixed'}, ${r.idBits ?? 'mixed'}-bit rmap IDs)`);
  out.push('');
  table(
    ['order', 'P', 'V', 'c', 'N', 'verdict', 'method', 'evidence'],
    r.orders.map((o) => [
      String(o.order),
      String(o.pages),
      String(o.values),
      String(o.chunkBits),
      String(o.bound),
      o.verdict,
      o.method,
      // the trace's path is on the order's replay line below, whole
      o.counterexample ? (o.counterexample.trace ? 'counterexample below' : r.writeErrors ? 'counterexample (not saved)' : 'counterexample (no --out)') : 'certificate verified',
    ]),
  );
  for (const o of r.orders.filter((x) => x.counterexample)) {
    const cx = o.counterexample!;
    out.push('');
    say(`order ${o.order}: the reader answers "exclusive" for rmap ID ${cx.query}, but ${cx.mappings.length - 1} other MM(s) map the folio:`);
    table(
      ['MM', 'rmap ID', 'mappings'],
      cx.mappings.map((m) => [m.rmapId === cx.query ? 'query' : 'other', String(m.rmapId), String(m.count)]),
    );
    say(`mapcount ${cx.mapcount} <= P ${o.pages}; values ${cx.values.join(' ')}`);
    if (cx.trace) out.push(replayLine(cx.trace));
  }
  if (r.minimalValues.length > 0) {
    const lo = r.minimalValues[0].order;
    const hi = r.minimalValues[r.minimalValues.length - 1].order;
    out.push('');
    say(`Fewest 64-bit values per order ${lo}..${hi} (24-bit rmap IDs, c = ceil(24 / V), N = P: every sum of up to P sub-IDs stays below 2^64)`);
    table(['orders', 'values V', 'chunk bits c'], minimalValueRows(r.minimalValues));
  }
  if (r.claims.length > 0) {
    out.push('');
    say('Claims of the series (about wip-v1)');
    table(['holds', 'claim', 'why'], r.claims.map((c) => [c.holds ? 'yes' : 'NO', c.claim, c.why]));
  }
  // whole lines, like replay lines: each names a path
  if (r.writeErrors) out.push('', 'traces not written:', ...r.writeErrors.map((e) => `  ${e}`));
  return out.join('\n');
}
