/**
 * `prove`: decide every order of a scheme set, write a trace for each refutation, and render
 * the result as the documented JSON shape or as tables for a person.
 */
import { SchemeSet, WIP_V1 } from '../model/scheme';
import { hexWord } from '../model/word';
import { proveSchemeSet, OrderProof } from '../proofs/prove';
import { checkClaims, minimalValues } from '../proofs/claims';
import { buildSubIdTrace, MappingStep } from '../checker/subid-trace';
import { fileName, writeTrace } from './files';
import { renderTable } from './table';

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

/** Runs the proofs; with `outDir`, writes one trace per refuted order and records its path. */
export function runProve(set: SchemeSet, orders: number[] | undefined, outDir: string | null, force: boolean): ProveReport {
  const proofs = proveSchemeSet(set, orders);
  return {
    scheme: set.name,
    wordBits: common(set.schemes.map((s) => s.wordBits)),
    idBits: common(set.schemes.map((s) => s.idBits)),
    orders: proofs.map((p) => {
      let counterexample = null;
      if (p.counterexample) {
        const cx = p.counterexample;
        const trace = outDir
          ? writeTrace(outDir, fileName(['subid', p.scheme.name, `order${p.order}`]), buildSubIdTrace(p.scheme, p.order, counterexampleSteps(p), { mm: 'q', rmapId: cx.query }), force)
          : null;
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
  };
}

export function proveExitCode(r: ProveReport): number {
  return r.orders.some((o) => o.verdict === 'refuted') ? 1 : 0;
}

/** The report as a person reads it. */
export function renderProve(r: ProveReport): string {
  const out: string[] = [];
  out.push(`Sub-ID soundness, scheme ${r.scheme} (W=${r.wordBits ?? 'mixed'}, ${r.idBits ?? 'mixed'}-bit rmap IDs)`);
  out.push('');
  out.push(
    renderTable(
      ['order', 'P', 'V', 'c', 'N', 'verdict', 'method', 'evidence'],
      r.orders.map((o) => [
        String(o.order),
        String(o.pages),
        String(o.values),
        String(o.chunkBits),
        String(o.bound),
        o.verdict,
        o.method,
        o.counterexample ? (o.counterexample.trace ?? 'counterexample (no --out)') : 'certificate verified',
      ]),
    ),
  );
  for (const o of r.orders.filter((x) => x.counterexample)) {
    const cx = o.counterexample!;
    out.push('');
    out.push(`order ${o.order}: the reader answers "exclusive" for rmap ID ${cx.query}, but ${cx.mappings.length - 1} other MM(s) map the folio:`);
    out.push(
      renderTable(
        ['MM', 'rmap ID', 'mappings'],
        cx.mappings.map((m) => [m.rmapId === cx.query ? 'query' : 'other', String(m.rmapId), String(m.count)]),
      ),
    );
    out.push(`mapcount ${cx.mapcount} <= P ${o.pages}; values ${cx.values.join(' ')}`);
    if (cx.trace) out.push(`replay: npx rmapcheck replay ${cx.trace}`);
  }
  if (r.claims.length > 0) {
    out.push('');
    out.push('Claims of the series (about wip-v1)');
    out.push(renderTable(['holds', 'claim', 'why'], r.claims.map((c) => [c.holds ? 'yes' : 'NO', c.claim, c.why])));
  }
  return out.join('\n');
}
