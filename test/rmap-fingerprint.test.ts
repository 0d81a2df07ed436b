/**
 * The rmap model's `fingerprint` (a hash of the fields, with sub-hashes cached by object
 * identity) against its contract: a function of `key` (equal keys, equal fingerprints, also from
 * cold caches on structurally equal copies) and, on every reachable state of several presets,
 * distinct keys give distinct fingerprints.
 */
import { join } from 'path';
import { RMAP_CROSS_CHECK_CONFIGS } from './helpers/rmap-configs';
import { describe, expect, it } from 'vitest';
import { rmapModel, type RmapModel, type RmapState } from '../model/rmap';
import { Prng } from '../model/prng';

const fpOf = (m: RmapModel, s: RmapState): string => {
  const out = new Uint32Array(2);
  m.fingerprint(s, out);
  return `${out[0]}:${out[1]}`;
};

/** Full-state BFS: key -> fingerprint, checking every visit of a key gives the same fingerprint. */
function reachable(m: RmapModel): { keys: number; fps: number; mismatches: string[] } {
  const byKey = new Map<string, string>();
  const mismatches: string[] = [];
  const queue: RmapState[] = [];
  const see = (s: RmapState): void => {
    const k = m.key(s);
    const f = fpOf(m, s);
    const old = byKey.get(k);
    if (old === undefined) {
      byKey.set(k, f);
      queue.push(s);
    } else if (old !== f && mismatches.length < 5) mismatches.push(`key ${k}: ${old} vs ${f}`);
  };
  for (const s of m.initStates()) see(s);
  for (let h = 0; h < queue.length; h++) for (const a of m.actions(queue[h])) see(m.next(queue[h], a));
  return { keys: byKey.size, fps: new Set(byKey.values()).size, mismatches };
}

describe('rmap fingerprint', () => {
  it.each(RMAP_CROSS_CHECK_CONFIGS)('is a function of the key, injective on the reachable states of %j', (params) => {
    const r = reachable(rmapModel(params));
    expect(r.mismatches).toEqual([]);
    expect(r.fps).toBe(r.keys);
    expect(r.keys).toBeGreaterThan(10);
  });

  it('agrees on structurally equal states from cold caches, on order-3 and order-9 walks', () => {
    for (const sc of ['large-mixed', 'large-order9']) {
      const scenario = join(__dirname, '..', 'scenarios', `${sc}.json`);
      const m = rmapModel({ scenario });
      const byKey = new Map<string, string>();
      const rng = new Prng(7n);
      let checked = 0;
      for (let run = 0; run < 8; run++) {
        let s = m.initStates()[0];
        for (let step = 0; step < 250; step++) {
          const k = m.key(s);
          const f = fpOf(m, s);
          const old = byKey.get(k);
          if (old !== undefined) expect(f).toBe(old);
          else byKey.set(k, f);
          if (step % 25 === 0) {
            // a fresh model and a deep copy: no cached sub-hash can be reused
            expect(fpOf(rmapModel({ scenario }), structuredClone(s))).toBe(f);
            checked++;
          }
          const acts = m.actions(s);
          if (acts.length === 0) break;
          s = m.next(s, acts[rng.below(acts.length)]);
        }
      }
      expect(new Set(byKey.values()).size).toBe(byKey.size);
      expect(checked).toBeGreaterThan(10);
    }
  });
});
