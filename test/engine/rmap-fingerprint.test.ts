/**
 * The rmap state fingerprint (engine/rmap/fingerprint.ts) against the engine contract: a function
 * of `key` (equal keys, equal fingerprints, also from a fresh fingerprint on structurally equal
 * copies, so that no sub-hash kept by identity can mislead it) and, on every reachable state of
 * several scenarios, no two distinct keys with one fingerprint (64 bits: none expected). The
 * registry gives rmap models this fingerprint, and no other model.
 */
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { RMAP_CROSS_CHECK_CONFIGS } from '../helpers/rmap-configs';
import { rmapFingerprint } from '../../engine/rmap/fingerprint';
import { engineFor } from '../../engine/registry';
import type { StateFingerprint } from '../../engine/generic';
import { rmapModel, type RmapModel, type RmapState } from '../../model/rmap';
import { seqcountModel } from '../../model/seqcount/model';
import { Prng } from '../../model/prng';

const fpText = (f: StateFingerprint, s: RmapState): string => {
  const out = new Uint32Array(2);
  f(s, out);
  return `${out[0]}:${out[1]}`;
};

/** BFS over `actions`/`next` with a Map by key; every visit of a key is fingerprinted. */
function reachable(m: RmapModel): { keys: number; fps: number; mismatches: string[] } {
  const f = rmapFingerprint(m)!;
  const byKey = new Map<string, string>();
  const mismatches: string[] = [];
  const queue: RmapState[] = [];
  const see = (s: RmapState): void => {
    const k = m.key(s);
    const fp = fpText(f, s);
    const old = byKey.get(k);
    if (old === undefined) {
      byKey.set(k, fp);
      queue.push(s);
    } else if (old !== fp && mismatches.length < 5) mismatches.push(`key ${k}: ${old} vs ${fp}`);
  };
  for (const s of m.initStates()) see(s);
  for (let h = 0; h < queue.length; h++) for (const a of m.actions(queue[h])) see(m.next(queue[h], a));
  return { keys: byKey.size, fps: new Set(byKey.values()).size, mismatches };
}

describe('rmap state fingerprint', () => {
  it.each(RMAP_CROSS_CHECK_CONFIGS)('is a function of the key, without collisions, on the reachable states of %j', (params) => {
    const r = reachable(rmapModel(params));
    expect(r.mismatches).toEqual([]);
    expect(r.fps).toBe(r.keys);
    expect(r.keys).toBeGreaterThan(10);
  });

  it('agrees on structurally equal states from a fresh fingerprint, on order-3 and order-9 walks', () => {
    for (const sc of ['large-mixed', 'large-order9']) {
      const scenario = join(__dirname, '..', '..', 'scenarios', `${sc}.json`);
      const m = rmapModel({ scenario });
      const f = rmapFingerprint(m)!;
      const byKey = new Map<string, string>();
      const rng = new Prng(7n);
      let fresh = 0;
      for (let run = 0; run < 8; run++) {
        let s = m.initStates()[0];
        for (let step = 0; step < 250; step++) {
          const k = m.key(s);
          const fp = fpText(f, s);
          const old = byKey.get(k);
          if (old !== undefined) expect(fp).toBe(old);
          else byKey.set(k, fp);
          if (step % 25 === 0) {
            // a new fingerprint of a new model, on a deep copy: no sub-hash kept by identity
            expect(fpText(rmapFingerprint(rmapModel({ scenario }))!, structuredClone(s))).toBe(fp);
            fresh++;
          }
          const acts = m.actions(s);
          if (acts.length === 0) break;
          s = m.next(s, acts[rng.below(acts.length)]);
        }
      }
      expect(new Set(byKey.values()).size).toBe(byKey.size);
      expect(fresh).toBeGreaterThan(10);
    }
  });

  it('is what the registry gives rmap models, and only them', () => {
    const m = rmapModel({ scenario: 'exclusive-race', variant: 'v2' });
    const f = rmapFingerprint(m)!;
    const engine = engineFor(m);
    const out = new Uint32Array(2);
    let s = m.initStates()[0];
    for (let step = 0; step < 20 && m.actions(s).length > 0; step++) {
      engine.stateFingerprint(s, false, out);
      expect(`${out[0]}:${out[1]}`).toBe(fpText(f, s));
      s = m.next(s, m.actions(s)[0]);
    }
    expect(rmapFingerprint(seqcountModel({}))).toBeNull();
  });
});
