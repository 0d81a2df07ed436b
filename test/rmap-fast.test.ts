/**
 * The rmap model's fast paths for the checkers (checker/fast.ts) against the
 * reference behaviour: `firstViolated` == the first `always` property (in order) that does not
 * hold, on every reachable state of several presets and bug scenarios (both orders of asking, so
 * the memos of either cannot mislead the other) and on order-3 / order-9 walks; `pteExclusive`
 * (per-MM PTE counts derived in next()) == a direct scan of the page tables; the `sometimes`
 * properties (read from the scan) == their definitions; `describe` (cached)
 * and `actionThread` == a fresh model's answer.
 */
import { join } from 'path';
import { RMAP_CROSS_CHECK_CONFIGS } from './helpers/rmap-configs';
import { describe, expect, it } from 'vitest';
import { rmapModel, type RmapModel, type RmapState } from '../model/rmap';
import { Prng } from '../model/prng';
import { ANS_REUSE, G_RETRIED } from '../model/rmap/model';
import { fastAlways } from '../checker/fast';

function reference(m: RmapModel, s: RmapState): string | null {
  for (const p of m.properties) if (p.expectation === 'always' && !p.holds(s)) return p.name;
  return null;
}

/** No other MM than mm has a PTE or PMD of the folio, by a full scan of `s`. */
function pteExclusiveRef(s: RmapState, mm: number): boolean {
  for (let o = 0; o < s.pmds.length; o++) {
    if (o === mm) continue;
    if (s.pmds[o] > 0) return false;
    if (s.ptes[o].some((c) => c > 0)) return false;
  }
  return true;
}

function checkState(m: RmapModel, s: RmapState, fastFirst: boolean, out: { bad: string[]; violations: number }): void {
  let fast: string | null;
  let ref: string | null;
  if (fastFirst) {
    fast = m.firstViolated(s);
    ref = reference(m, s);
  } else {
    ref = reference(m, s);
    fast = m.firstViolated(s);
  }
  if (fast !== ref && out.bad.length < 5) out.bad.push(`${m.key(s)}: fast ${fast}, reference ${ref}`);
  if (ref !== null) out.violations++;
  // the `sometimes` properties read from the memoized scan == their definitions
  const P = s.pageMap.length;
  const defs: Record<string, boolean> = {
    'reader-retried': s.th.some((x) => (x.g & G_RETRIED) !== 0),
    'exclusive-writer': s.th.some((x, k) => m.programs[k].ins[x.pc]?.excl ?? false),
    'mapcount-P+1': s.mapcount === BigInt(P + 1),
    'cow-reused': s.th.some((x) => x.ans === ANS_REUSE),
  };
  for (const p of m.properties)
    if (p.expectation === 'sometimes' && p.name in defs && p.holds(s) !== defs[p.name] && out.bad.length < 5) out.bad.push(`${m.key(s)}: ${p.name}`);
  for (let mm = 0; mm < s.pmds.length; mm++)
    if (m.pteExclusive(s, mm) !== pteExclusiveRef(s, mm) && out.bad.length < 5) out.bad.push(`${m.key(s)}: pteExclusive(${mm})`);
}

function checkActions(m: RmapModel, fresh: RmapModel, s: RmapState, out: { bad: string[] }): void {
  for (const a of m.actions(s)) {
    const d = m.describe(a);
    if (JSON.stringify(d) !== JSON.stringify(fresh.describe({ thread: a.thread, pc: a.pc })) || m.actionThread(a) !== d.thread)
      if (out.bad.length < 5) out.bad.push(`describe ${a.thread}@${a.pc}`);
  }
}

describe('rmap fast paths', () => {
  it.each(RMAP_CROSS_CHECK_CONFIGS)('firstViolated == the properties in order, on every reachable state of %j', (params) => {
    const m = rmapModel(params);
    const fresh = rmapModel(params);
    expect(fastAlways(m, m.properties.filter((p) => p.expectation === 'always').map((p) => p.name))).toBe(m);
    const out = { bad: [] as string[], violations: 0 };
    const seen = new Set<string>();
    const queue: RmapState[] = [];
    const see = (s: RmapState): void => {
      const k = m.key(s);
      if (seen.has(k)) return;
      seen.add(k);
      queue.push(s);
    };
    for (const s of m.initStates()) see(s);
    for (let h = 0; h < queue.length && h < 60_000; h++) {
      const s = queue[h];
      checkState(m, s, h % 2 === 0, out);
      checkActions(m, fresh, s, out);
      if (reference(m, s) !== null) continue; // the explorer stops at a violation
      for (const a of m.actions(s)) see(m.next(s, a));
    }
    expect(out.bad).toEqual([]);
    expect(seen.size).toBeGreaterThan(10);
    if (params.bug) expect(out.violations).toBeGreaterThan(0);
  });

  it('firstViolated and pteExclusive agree with the reference on order-3 and order-9 walks', () => {
    for (const sc of ['large-mixed', 'large-order9']) {
      const scenario = join(__dirname, '..', 'scenarios', `${sc}.json`);
      const m = rmapModel({ scenario });
      const fresh = rmapModel({ scenario });
      const rng = new Prng(11n);
      const out = { bad: [] as string[], violations: 0 };
      let states = 0;
      for (let run = 0; run < 20; run++) {
        let s = m.initStates()[0];
        for (let step = 0; step < 400; step++) {
          checkState(m, s, (run + step) % 2 === 0, out);
          checkActions(m, fresh, s, out);
          // a cold model on the same state: nothing derived from a parent
          if (step % 50 === 0) expect(fresh.firstViolated(structuredClone(s))).toBe(reference(m, s));
          states++;
          const acts = m.actions(s);
          if (acts.length === 0) break;
          s = m.next(s, acts[rng.below(acts.length)]);
        }
      }
      expect(out.bad).toEqual([]);
      expect(states).toBeGreaterThan(1000);
    }
  });
});
