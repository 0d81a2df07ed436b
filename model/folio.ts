/**
 * The folio as the sub-ID math sees it (subid-math.md): total mapcount, the V rmap values modulo
 * 2^W, and the mappings actually present. Pure functions: every operation returns a new state.
 */
import { Scheme, pagesOf } from './scheme';
import { subIdVector } from './subid';
import { wrap } from './word';
import { UsageError } from './errors';

/** One MM's mappings of the folio. */
export interface Mapping {
  readonly rmapId: bigint;
  readonly count: number;
}

export interface FolioState {
  readonly scheme: Scheme;
  readonly order: number;
  /** The folio's total mapcount (the true count; the kernel stores it biased by -1). */
  readonly mapcount: bigint;
  /** `folio->_rmap_valX`, each modulo 2^W. */
  readonly values: readonly bigint[];
  /** Ground truth: who maps the folio how often. Sorted by rmap ID, counts > 0. */
  readonly mappings: readonly Mapping[];
}

export type ReaderVerdict = 'exclusive' | 'shared';

/** An unmapped folio of `order` tracked with `scheme`. */
export function newFolio(scheme: Scheme, order: number): FolioState {
  if (order < scheme.orders[0] || order > scheme.orders[1])
    throw new UsageError(`order ${order} is outside scheme ${scheme.name}'s orders ${scheme.orders[0]}..${scheme.orders[1]}`);
  return { scheme, order, mapcount: 0n, values: new Array(scheme.values).fill(0n), mappings: [] };
}

/** The MM's sub-ID vector under the scheme. */
export function subIdsOf(scheme: Scheme, rmapId: bigint): bigint[] {
  return subIdVector(rmapId, scheme.values, scheme.chunkBits, scheme.bound);
}

export function isValidRmapId(scheme: Scheme, rmapId: bigint): boolean {
  return rmapId >= 1n && rmapId < 1n << BigInt(scheme.idBits);
}

/**
 * The writer math for `delta` mappings of one MM (positive: map, negative: unmap):
 * `mapcount += delta; val[j] += delta * subid[j] (mod 2^W)`.
 */
export function applyMappings(state: FolioState, rmapId: bigint, delta: number): FolioState {
  if (!isValidRmapId(state.scheme, rmapId))
    throw new UsageError(`rmap ID ${rmapId} is outside 1..${(1n << BigInt(state.scheme.idBits)) - 1n}`);
  if (!Number.isInteger(delta) || delta === 0) throw new UsageError(`mapping change ${delta} must be a non-zero integer`);
  const held = state.mappings.find((m) => m.rmapId === rmapId)?.count ?? 0;
  if (held + delta < 0) throw new UsageError(`MM with rmap ID ${rmapId} holds ${held} mappings, cannot unmap ${-delta}`);
  const subIds = subIdsOf(state.scheme, rmapId);
  const d = BigInt(delta);
  const values = state.values.map((v, j) => wrap(v + d * subIds[j], state.scheme.wordBits));
  const others = state.mappings.filter((m) => m.rmapId !== rmapId);
  const mappings = held + delta > 0 ? [...others, { rmapId, count: held + delta }] : others;
  mappings.sort((a, b) => (a.rmapId < b.rmapId ? -1 : a.rmapId > b.rmapId ? 1 : 0));
  return { ...state, mapcount: state.mapcount + d, values, mappings };
}

export function mapPages(state: FolioState, rmapId: bigint, n: number): FolioState {
  return applyMappings(state, rmapId, n);
}

/** Why the reader decided as it did (subid-math.md, "The decision"). */
export type DecisionRule = 'mapcount > P' | 'values match' | 'values differ';

/** The reader's decision for query MM `q`: "is the folio mapped exclusively by q?". */
export function readerDecision(state: FolioState, queryId: bigint): { verdict: ReaderVerdict; rule: DecisionRule } {
  if (state.mapcount > BigInt(pagesOf(state.order))) return { verdict: 'shared', rule: 'mapcount > P' };
  const subIds = subIdsOf(state.scheme, queryId);
  const match = state.values.every((v, j) => v === wrap(state.mapcount * subIds[j], state.scheme.wordBits));
  return match ? { verdict: 'exclusive', rule: 'values match' } : { verdict: 'shared', rule: 'values differ' };
}

/** Ground truth: exclusive iff every current mapping belongs to `q` (and there is one). */
export function oracle(state: FolioState, queryId: bigint): ReaderVerdict {
  return state.mappings.length > 0 && state.mappings.every((m) => m.rmapId === queryId) ? 'exclusive' : 'shared';
}
