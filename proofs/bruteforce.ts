/**
 * The slow obvious method, for small parameters only: every query ID, every multiset of the other
 * MMs' mappings, every query count, each state built and judged by the reference model. No algebra
 * of decide.ts is used, so agreement between the two is evidence for both.
 */
import { Scheme, pagesOf } from '../model/scheme';
import { FolioState, newFolio, mapPages, readerDecision, oracle } from '../model/folio';
import { chunkOf } from '../model/subid';
import { UsageError } from '../model/errors';
import type { ProofCounterexample } from './counterexample';

/** Multisets of other mappings at most; brute force is for small schemes only. */
export const BRUTE_FORCE_LIMIT = 5_000_000;

export interface BruteForceResult {
  /** No state makes the reader answer "exclusive" wrongly. */
  sound: boolean;
  /** The first false "exclusive" found (the enumeration stops there). */
  counterexample?: ProofCounterexample;
  /** Non-empty multisets of other mappings enumerated (per query ID, summed). */
  multisets: number;
}

function counterexampleOf(state: FolioState, query: bigint): ProofCounterexample {
  const s = state.scheme;
  // The lowest chunk where some other MM differs from the query.
  let chunk = 0;
  while (state.mappings.every((m) => chunkOf(m.rmapId, chunk, s.chunkBits) === chunkOf(query, chunk, s.chunkBits))) chunk++;
  return {
    query,
    mappings: state.mappings.map((m) => ({ rmapId: m.rmapId, count: m.count })),
    mapcount: state.mapcount,
    values: [...state.values],
    chunk,
  };
}

/**
 * Enumerates every state with a query MM holding 1..P-t mappings and t >= 1 mappings of other
 * MMs (any IDs, any counts), and compares the reader with the oracle.
 */
export function bruteForce(scheme: Scheme, order: number): BruteForceResult {
  const P = pagesOf(order);
  const idCount = 2 ** scheme.idBits - 1;
  // Multisets of size 1..P-1 over idCount-1 other IDs: C(idCount - 1 + P - 1, P - 1) - 1 per query.
  let perQuery = 1;
  for (let i = 1; i <= P - 1; i++) perQuery = (perQuery * (idCount - 1 + i)) / i;
  if (perQuery * idCount > BRUTE_FORCE_LIMIT)
    throw new UsageError(`brute force over ${scheme.name} order ${order} needs ~${Math.round(perQuery * idCount)} multisets (limit ${BRUTE_FORCE_LIMIT})`);
  const empty = newFolio(scheme, order);
  let multisets = 0;
  let found: ProofCounterexample | undefined;

  for (let q = 1n; q <= BigInt(idCount) && !found; q++) {
    const query = q;
    const others: bigint[] = [];
    for (let id = 1n; id <= BigInt(idCount); id++) if (id !== query) others.push(id);
    // Multisets as non-decreasing index sequences; `state` holds exactly the other mappings.
    const walk = (state: FolioState, from: number, t: number): boolean => {
      if (t >= 1) {
        multisets++;
        let s = state;
        for (let c = 1; c <= P - t; c++) {
          s = mapPages(s, query, 1);
          if (readerDecision(s, query).verdict === 'exclusive' && oracle(s, query) === 'shared') {
            found = counterexampleOf(s, query);
            return true;
          }
        }
      }
      if (t === P - 1) return false;
      for (let i = from; i < others.length; i++) if (walk(mapPages(state, others[i], 1), i, t + 1)) return true;
      return false;
    };
    walk(empty, 0, 0);
  }
  return found ? { sound: false, counterexample: found, multisets } : { sound: true, multisets };
}
