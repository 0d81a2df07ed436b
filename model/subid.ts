/**
 * Sub-IDs (patch 07): the binary digits of `i` read back in base `bound + 1`.
 * A sum of at most `bound` sub-IDs has, as its base-(bound+1) digit b, the number of summands
 * with bit b set, because no digit can carry; that is what the reader's comparison relies on.
 */

/** subid_N(i) = sum over the set bits b of i of (N + 1)^b. Exact, for any i >= 0. */
export function subId(i: bigint, bound: bigint): bigint {
  if (i < 0n) throw new RangeError(`[internal bug] subId of a negative number ${i}`);
  const base = bound + 1n;
  let result = 0n;
  let digit = 1n;
  for (let rest = i; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result += digit;
    digit *= base;
  }
  return result;
}

/** The largest sub-ID of a `chunkBits`-bit chunk: all bits set, i.e. ((N+1)^c - 1) / N. */
export function maxSubId(chunkBits: number, bound: bigint): bigint {
  return subId((1n << BigInt(chunkBits)) - 1n, bound);
}

/** Every sub-ID of a `chunkBits`-bit chunk, index = chunk value (the patch's lookup table). */
export function subIdTable(chunkBits: number, bound: bigint): bigint[] {
  const size = 1 << chunkBits;
  const table: bigint[] = new Array(size);
  for (let i = 0; i < size; i++) table[i] = subId(BigInt(i), bound);
  return table;
}

/**
 * The same table built the way patch 07 describes it, as "generations": generation 0 is {0};
 * generation g appends `(N+1)^(g-1)` added to every number of the earlier generations.
 * Kept separate from `subId` so the two constructions can be checked against each other.
 */
export function subIdTableByGenerations(chunkBits: number, bound: bigint): bigint[] {
  let table: bigint[] = [0n];
  let power = 1n;
  for (let g = 1; g <= chunkBits; g++) {
    table = table.concat(table.map((x) => x + power));
    power *= bound + 1n;
  }
  return table;
}

/** Chunk `j` of an rmap ID: `(id >> (j * c)) & (2^c - 1)`. */
export function chunkOf(rmapId: bigint, j: number, chunkBits: number): bigint {
  return (rmapId >> BigInt(j * chunkBits)) & ((1n << BigInt(chunkBits)) - 1n);
}

/** The per-MM sub-ID vector: `subid[j] = subid_N(chunk j of the rmap ID)` for j < values. */
export function subIdVector(rmapId: bigint, values: number, chunkBits: number, bound: bigint): bigint[] {
  const out: bigint[] = new Array(values);
  for (let j = 0; j < values; j++) out[j] = subId(chunkOf(rmapId, j, chunkBits), bound);
  return out;
}
