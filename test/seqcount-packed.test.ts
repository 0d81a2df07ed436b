import { describe, expect, it } from 'vitest';
import manifest from './manifest.json';
import { seqcountPackedModel, type Packed } from '../model/seqcount/packed';
import type { Property } from '../model/core';
import { findLasso } from '../checker/liveness';
import type { SeqState } from '../model/seqcount/model';
import { check, replayPath } from '../checker/explore';

const pinned = manifest.seqcount as unknown as Array<{ name: string; params: Record<string, string | number>; verdict: string; property: string | null; states: number; maxDepth: number; counterexampleLength: number | null }>;

/**
 * The packed fast path against the BigInt reference on every reachable reference state: same
 * key after a round trip, same enabled actions (as the reference's action objects), same
 * successors (by reference key), same property values, same `finished`, same canonical key
 * classes under symmetry.
 */
function crossCheck(params: Record<string, unknown>): { states: number; mismatches: string[] } {
  const pm = seqcountPackedModel(params);
  const ref = pm.reference;
  const init = ref.initStates()[0];
  const seen = new Map<string, SeqState>([[ref.key(init), init]]);
  const queue: SeqState[] = [init];
  const fp1 = new Uint32Array(2);
  const fp2 = new Uint32Array(2);
  // the flat codec and nextInto (checker fast path), with reused scratch states as the checker uses them
  const flat = pm.flat!;
  const row = new Int32Array(flat.words + 1);
  const cur = flat.scratch();
  const succ = flat.scratch();
  const mismatches: string[] = [];
  const same = (what: string, a: unknown, b: unknown, s: SeqState): void => {
    const x = JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    const y = JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    if (x !== y && mismatches.length < 5) mismatches.push(`${what} in ${ref.key(s)}: packed ${x}, reference ${y}`);
  };
  for (let h = 0; h < queue.length; h++) {
    const s = queue[h];
    const p = pm.pack(s);
    same('round trip', ref.key(pm.unpack(p)), ref.key(s), s);
    same('packed round trip', pm.key(pm.pack(pm.unpack(p))), pm.key(p), s);
    flat.encode(p, row, 1);
    same('flat round trip', pm.key(flat.decode(row, 1, cur)), pm.key(p), s);
    const ra = ref.actions(s);
    const pa = pm.actions(p);
    same('actions', pa.map((a) => pm.describe(a)), ra.map((a) => ref.describe(a)), s);
    same('actionThread', pa.map((a) => pm.actionThread(a)), pa.map((a) => pm.describe(a).thread), s);
    // the checker's allocation-free form, into a reused array longer than needed
    const reused = Array.from({ length: 12 }, () => -1);
    same('actionsInto', reused.slice(0, flat.actionsInto!(p, reused)), pa, s);
    for (let i = 0; i < ra.length && i < pa.length; i++) {
      const rs = ref.next(s, ra[i]);
      const ps = pm.next(p, pa[i]);
      same(`successor ${i}`, ref.key(pm.unpack(ps)), ref.key(rs), s);
      flat.nextInto(cur, pa[i], succ);
      same(`nextInto ${i}`, pm.key(succ), pm.key(ps), s);
      // in place: the incremental fingerprint is the successor's from-scratch one, and undo
      // restores the state exactly
      pm.fingerprint!(cur, fp1);
      flat.stepInPlace!(cur, pa[i], fp1[0], fp1[1], fp2);
      same(`stepInPlace ${i}`, pm.key(cur), pm.key(ps), s);
      // the stepped state's row from its parent's row, as a fresh encoding
      const stepped2 = new Int32Array(flat.words + 2).fill(-7);
      flat.encodeStepped!(cur, row.subarray(1, 1 + flat.words), stepped2, 2);
      const fresh = new Int32Array(flat.words + 2).fill(-7);
      flat.encode(cur, fresh, 2);
      same(`encodeStepped ${i}`, [...stepped2], [...fresh], s);
      const stepped = [...fp2];
      pm.fingerprint!(ps, fp2);
      same(`incremental fingerprint ${i}`, stepped, [...fp2], s);
      flat.undo!(cur);
      same(`undo ${i}`, [...cur], [...p], s);
      // The fingerprint is a function of the key.
      pm.fingerprint!(ps, fp1);
      pm.fingerprint!(pm.pack(rs), fp2);
      same(`fingerprint ${i}`, [...fp1], [...fp2], s);
      if (!seen.has(ref.key(rs))) {
        seen.set(ref.key(rs), rs);
        queue.push(rs);
      }
    }
    same('properties', pm.properties.map((q) => [q.name, q.holds(p)]), ref.properties.map((q) => [q.name, q.holds(s)]), s);
    same('finished', pm.finished!(p), ref.finished!(s), s);
    // the one-call form of the always properties the checkers use
    same('firstViolated', pm.firstViolated(p), ref.properties.find((q) => q.expectation === 'always' && !q.holds(s))?.name ?? null, s);
    if (h % 7 === 0) same('view', pm.view(p), ref.view(s), s);
    if (ref.symmetry) {
      same('orbit', pm.symmetry!.orbitSize(p), ref.symmetry.orbitSize(s), s);
      // the symmetric fingerprint: equal for the readers permuted (a canonical-key class) ...
      const sym = pm.symmetry!;
      const perm = pm.pack({ ...s, readers: [...s.readers].reverse() });
      same('permuted canonical key', sym.canonicalKey(perm), sym.canonicalKey(p), s);
      sym.fingerprint!(p, fp1);
      sym.fingerprint!(perm, fp2);
      same('symmetric fingerprint of a permutation', [...fp2], [...fp1], s);
      // ... and stepped in place like the plain one
      for (let i = 0; i < pa.length; i++) {
        sym.fingerprint!(cur, fp1);
        flat.stepInPlaceSymmetric!(cur, pa[i], fp1[0], fp1[1], fp2);
        const stepped = [...fp2];
        sym.fingerprint!(cur, fp2);
        same(`stepInPlaceSymmetric ${i}`, stepped, [...fp2], s);
        flat.undo!(cur);
      }
    }
  }
  return { states: seen.size, mismatches };
}

describe('seqcount packed fast path', () => {
  it.each([
    [{ variant: 'v1', readers: 2 }],
    [{ variant: 'v1', counters: 3 }],
    [{ variant: 'v2', readers: 2 }],
    [{ variant: 'v3', writers: 3 }],
    [{ variant: 'v2', word: 32, counters: 2 }],
    [{ variant: 'v1', ops: 2, seqBits: 2 }],
    [{ bug: 'no-retry', variant: 'v2' }],
    [{ bug: 'no-begin-wait' }],
    [{ bug: 'no-seqcount', readers: 2 }],
    [{ bug: 'no-exclusive-wait' }],
    [{ bug: 'shared-plain-update', variant: 'v3', writers: 3, readers: 0 }],
    [{ bug: 'aba', variant: 'v2' }],
  ])('agrees with the BigInt reference on every reachable state of %j', (params) => {
    const r = crossCheck(params);
    expect(r.mismatches).toEqual([]);
    expect(r.states).toBeGreaterThan(20);
  });

  it('lasso search: stepping in place with incremental fingerprints agrees with plain successors', () => {
    for (const params of [{ variant: 'v2', readers: 2 }, { variant: 'v1', writers: 3, counters: 1 }]) {
      const m = seqcountPackedModel(params);
      const plain = { ...m, flat: undefined }; // the same model without the in-place path
      const props: Property<Packed>[] = [
        ...m.properties.filter((p) => p.expectation === 'eventually'),
        // violated: every path ends without it (the lasso is a path to an end state)
        { name: 'never', expectation: 'eventually', description: '', holds: () => false },
        { name: 'seq-2', expectation: 'eventually', description: '', holds: (s) => s[2] === 2 },
      ];
      for (const p of props) {
        const fast = findLasso(m, p);
        expect([p.name, fast]).toEqual([p.name, findLasso(plain, p)]);
        if (fast.kind === 'violation') expect(p.holds(replayPath(m, fast.path).at(-1)!)).toBe(false);
      }
    }
  });

  it('gives the pinned verdicts, counts and counterexample lengths', () => {
    for (const p of pinned) {
      const m = seqcountPackedModel(p.params);
      for (const store of ['full', 'fingerprint'] as const) {
        const r = check(m, { store, reduction: false });
        expect([p.name, r.verdict, r.property, r.states, r.maxDepth, r.path ? r.path.length - 1 : null]).toEqual([
          p.name, p.verdict, p.property, p.states, p.maxDepth, p.counterexampleLength,
        ]);
        if (r.path) {
          // A packed path replays on the reference model too (same action order).
          const states = replayPath(m.reference, r.path);
          expect(m.reference.properties.find((x) => x.name === r.property)!.holds(states[states.length - 1])).toBe(false);
        }
      }
      const reduced = check(m, { reduction: true });
      expect(reduced.verdict).toBe(p.verdict);
      if (m.symmetry && p.verdict === 'ok') expect(reduced.reduction.statesWithout).toBe(p.states);
      // the reduced fast path (symmetric fingerprints stepped in place) against the reduced
      // exact one (canonical key strings)
      const reducedExact = check(m, { reduction: true, store: 'full' });
      const summary = (r: typeof reduced) => [r.verdict, r.property, r.states, r.reduction.statesWithout, r.maxDepth, r.path ? r.path.length - 1 : null];
      expect([p.name, ...summary(reduced)]).toEqual([p.name, ...summary(reducedExact)]);
    }
  });
});
