/**
 * What a refuted order comes with, found by the decision (decide.ts) or by brute force
 * (bruteforce.ts) and reported by prove.ts.
 */

/** A false "exclusive": the reader says q maps the folio alone, yet other MMs map it too. */
export interface ProofCounterexample {
  query: bigint;
  /** Every MM that maps the folio, the query included, sorted by rmap ID. */
  mappings: { rmapId: bigint; count: number }[];
  mapcount: bigint;
  /** The folio's rmap values, each modulo 2^W. */
  values: bigint[];
  /** The chunk where the other MMs differ from the query. */
  chunk: number;
}
