/**
 * Sub-ID counterexamples as traces (format v1): the writer steps that build the folio, and the
 * query whose answer is wrong. Replay re-executes them on the BigInt reference model.
 */
import { Scheme, schemeToJson, schemeProblems } from '../model/scheme';
import { FolioState, newFolio, applyMappings, readerDecision, oracle, ReaderVerdict } from '../model/folio';
import { hexWord } from '../model/word';
import { UsageError } from '../model/errors';
import { SubIdTrace, SubIdTraceStep, traceHeader } from './trace';

/** The property a sub-ID counterexample violates (rmap-ops.md, I4). */
export const SOUNDNESS_PROPERTY = {
  name: 'I4-soundness',
  expectation: 'always' as const,
  description: 'with mapcount <= P, the values matching the query MM means no other MM maps the folio',
};

/** A folio's mapping changes in order: who, how many (negative: unmap). */
export interface MappingStep {
  mm: string;
  rmapId: bigint;
  delta: number;
}

function stateOf(f: FolioState): SubIdTraceStep['state'] {
  return { mapcount: f.mapcount.toString(), values: f.values.map((v) => hexWord(v, f.scheme.wordBits)) };
}

/** Builds the trace of `steps` on a fresh folio and the query's decision (expected = oracle). */
export function buildSubIdTrace(scheme: Scheme, order: number, steps: MappingStep[], query: { mm: string; rmapId: bigint }): SubIdTrace {
  let folio = newFolio(scheme, order);
  const traceSteps: SubIdTraceStep[] = steps.map((s, i) => {
    folio = applyMappings(folio, s.rmapId, s.delta);
    return {
      step: i + 1,
      mm: s.mm,
      rmapId: s.rmapId.toString(),
      action: s.delta > 0 ? 'map' : 'unmap',
      count: Math.abs(s.delta),
      state: stateOf(folio),
    };
  });
  return {
    ...traceHeader(1),
    kind: 'subid',
    model: 'subid',
    params: { scheme: schemeToJson(scheme), order },
    seed: null,
    property: SOUNDNESS_PROPERTY,
    steps: traceSteps,
    query: { mm: query.mm, rmapId: query.rmapId.toString() },
    expected: oracle(folio, query.rmapId),
    observed: readerDecision(folio, query.rmapId).verdict,
  };
}

/** The scheme recorded in a trace, re-validated (a hand-edited trace must not smuggle in nonsense). */
export function schemeFromTrace(trace: SubIdTrace, source: string): Scheme {
  const s = trace.params.scheme as Record<string, unknown>;
  const scheme: Scheme = {
    name: String(s.name),
    orders: s.orders as [number, number],
    values: s.values as number,
    chunkBits: s.chunkBits as number,
    bound: BigInt(s.bound as string),
    wordBits: s.wordBits as number,
    idBits: s.idBits as number,
  };
  const problems = schemeProblems(scheme);
  if (problems.length > 0) throw new UsageError(`${source}: invalid scheme in trace: ${problems.join('; ')}`);
  return scheme;
}

export interface SubIdReplayRow {
  step: number;
  mm: string;
  rmapId: string;
  action: string;
  mapcount: string;
  values: string[];
  /** The reader's decision for the query MM after this step, and the truth. */
  verdict: ReaderVerdict;
  truth: ReaderVerdict;
  /** Differences between the recorded state and the re-executed one (empty when equal). */
  mismatch: string[];
}

export interface SubIdReplay {
  rows: SubIdReplayRow[];
  expected: ReaderVerdict;
  observed: ReaderVerdict;
  /** Every recorded state matched and the recorded wrong answer happened again. */
  reproduced: boolean;
  mismatches: string[];
}

/**
 * The header fields that replay does not re-derive: the property (there is one), and the MM
 * names, which a person reads as the rmap ID they stand for (one ID per name).
 */
function checkHeader(trace: SubIdTrace, source: string): void {
  const p = trace.property;
  if (p.name !== SOUNDNESS_PROPERTY.name || p.expectation !== SOUNDNESS_PROPERTY.expectation)
    throw new UsageError(`${source}: a sub-ID trace is a counterexample of ${SOUNDNESS_PROPERTY.name} (${SOUNDNESS_PROPERTY.expectation}), not ${p.name} (${p.expectation})`);
  const idOf = new Map<string, { id: string; where: string }>();
  const uses = [...trace.steps.map((s) => [s.mm, s.rmapId, `step ${s.step}`]), [trace.query.mm, trace.query.rmapId, 'the query']];
  for (const [mm, decimal, where] of uses) {
    const id = BigInt(decimal).toString();
    const seen = idOf.get(mm);
    if (seen && seen.id !== id) throw new UsageError(`${source}: MM "${mm}" has rmap ID ${id} at ${where} but ${seen.id} at ${seen.where}`);
    if (!seen) idOf.set(mm, { id, where });
  }
}

/** Re-executes a sub-ID trace on the reference model, checking every recorded state. */
export function replaySubIdTrace(trace: SubIdTrace, source = 'trace'): SubIdReplay {
  checkHeader(trace, source);
  const scheme = schemeFromTrace(trace, source);
  const order = trace.params.order;
  if (order < scheme.orders[0] || order > scheme.orders[1])
    throw new UsageError(`${source}: order ${order} is outside the scheme's orders ${scheme.orders.join('..')}`);
  const queryId = BigInt(trace.query.rmapId);
  let folio = newFolio(scheme, order);
  const mismatches: string[] = [];
  const rows = trace.steps.map((s) => {
    try {
      folio = applyMappings(folio, BigInt(s.rmapId), s.action === 'map' ? s.count : -s.count);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${source}: step ${s.step}: ${e.message}`);
      throw e;
    }
    const now = stateOf(folio);
    const mismatch: string[] = [];
    if (now.mapcount !== s.state.mapcount) mismatch.push(`mapcount ${now.mapcount} (recorded ${s.state.mapcount})`);
    now.values.forEach((v, j) => {
      if (v !== s.state.values[j]) mismatch.push(`val[${j}] ${v} (recorded ${s.state.values[j] ?? 'none'})`);
    });
    if (s.state.values.length !== now.values.length) mismatch.push(`${now.values.length} values (recorded ${s.state.values.length})`);
    mismatch.forEach((m) => mismatches.push(`step ${s.step}: ${m}`));
    return {
      step: s.step,
      mm: s.mm,
      rmapId: s.rmapId,
      action: `${s.action} ${s.count}`,
      mapcount: now.mapcount,
      values: now.values,
      verdict: readerDecision(folio, queryId).verdict,
      truth: oracle(folio, queryId),
      mismatch,
    };
  });
  const expected = oracle(folio, queryId);
  const observed = readerDecision(folio, queryId).verdict;
  if (expected !== trace.expected) mismatches.push(`expected answer ${expected} (recorded ${trace.expected})`);
  if (observed !== trace.observed) mismatches.push(`reader's answer ${observed} (recorded ${trace.observed})`);
  return { rows, expected, observed, reproduced: mismatches.length === 0 && observed !== expected, mismatches };
}
