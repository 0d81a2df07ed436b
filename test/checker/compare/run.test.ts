/**
 * The comparison's counts: the fast rmap-ID design against the reference model (model/folio.ts)
 * call by call, every count against a slow obvious recount, and the figures on a fixed seed
 * pinned (each preset's, with why, and the random family's totals).
 */
import { describe, expect, it } from 'vitest';
import { WIP_V1 } from '../../../model/scheme';
import { applyMappings, newFolio, oracle, type FolioState } from '../../../model/folio';
import { addMappings, maybeMappedShared, newFolioTracking, removeMappings, UNMAPPED, type MmOwnerState } from '../../../model/mmid/tracking';
import { workloadPresets } from '../../../model/workload/presets';
import { randomWorkload } from '../../../model/workload/generate';
import { History, runHistory } from '../../../model/workload/history';
import type { Workload } from '../../../model/workload/workload';
import { MmIdDesign, RmapIdDesign, RmapIdReference } from '../../../checker/compare/designs';
import { compareOne, runDesign, schemeFor } from '../../../checker/compare/run';

/** [readerCalls, falseShared, falseExclusive, cowDecisions, lostReuse, wrongReuse, warnings] */
type Row = number[];
const row = (p: { readerCalls: number; falseShared: number; falseExclusive: number; cowDecisions: number; lostReuse: number; wrongReuse: number; warnings: number }): Row => [
  p.readerCalls, p.falseShared, p.falseExclusive, p.cowDecisions, p.lostReuse, p.wrongReuse, p.warnings,
];

/**
 * The slow obvious recount of the reader counts: the truth from the reference folio's own list
 * of mappings (`oracle`), rmap-ID from `RmapIdReference`, mm-id's reader from its tracking state
 * rebuilt from scratch (every tracking event since the start) at each call.
 */
function slowReaderCounts(w: Workload): { rmap: number[]; mm: number[] } {
  const scheme = schemeFor(WIP_V1, w.order);
  const h = new History(w.order, w.folio);
  const ref = new RmapIdReference(scheme, w.order);
  let folio: FolioState = newFolio(scheme, w.order);
  const tracking: Parameters<RmapIdReference['track']>[0][] = [];
  const rmap = [0, 0, 0];
  const mm = [0, 0, 0];
  let seen = 0;
  for (const op of w.ops) {
    h.apply(op);
    for (const ev of h.events.slice(seen)) {
      if (ev.e === 'new') folio = applyMappings(newFolio(scheme, w.order), BigInt(ev.id), ev.n);
      else if (ev.e === 'add') folio = applyMappings(folio, BigInt(ev.id), ev.n);
      else if (ev.e === 'remove') folio = applyMappings(folio, BigInt(ev.id), -ev.n);
      if (ev.e === 'read') {
        const shared = oracle(folio, BigInt(ev.id)) === 'shared';
        let s: MmOwnerState = UNMAPPED;
        for (const t of tracking)
          if (t.e === 'new') s = newFolioTracking(t.id, t.n);
          else if (t.e === 'add') s = addMappings(s, t.id, t.n);
          else if (t.e === 'remove') s = removeMappings(s, t.id, t.n);
          else if (t.e === 'rebuild') {
            s = UNMAPPED;
            for (const [id, n] of t.adds) s = addMappings(s, id, n);
          }
        const answers = [ref.read(ev).shared, maybeMappedShared(s.total, s.shared)];
        [rmap, mm].forEach((c, d) => {
          c[0]++;
          if (answers[d] && !shared) c[1]++;
          if (!answers[d] && shared) c[2]++;
        });
      } else if (ev.e !== 'cow') {
        ref.track(ev);
        tracking.push(ev);
      }
    }
    seen = h.events.length;
  }
  return { rmap, mm };
}

describe('compare: counts', () => {
  it('the fast rmap-ID design answers as the reference model at every call, with the same state', () => {
    for (let run = 0; run < 40; run++) {
      const { workload: w } = randomWorkload(3n, run);
      const scheme = schemeFor(WIP_V1, w.order);
      const fast = new RmapIdDesign(scheme, w.order);
      const ref = new RmapIdReference(scheme, w.order);
      for (const ev of runHistory(w).events) {
        if (ev.e === 'read') expect(fast.read(ev)).toEqual(ref.read(ev));
        else if (ev.e === 'cow') expect(fast.cow(ev)).toEqual(ref.cow(ev));
        else {
          fast.track(ev);
          ref.track(ev);
          expect(fast.snapshot()).toEqual(ref.snapshot());
        }
      }
    }
  });

  it('reader counts agree with the slow obvious recount; the disagreement lists agree with the counts', () => {
    const ws = [...workloadPresets(), ...Array.from({ length: 12 }, (_, i) => randomWorkload(11n, i).workload)];
    for (const w of ws) {
      const { passes } = compareOne(w, WIP_V1);
      const slow = slowReaderCounts(w);
      expect(row(passes[0]).slice(0, 3), w.name).toEqual(slow.rmap);
      expect(row(passes[1]).slice(0, 3), w.name).toEqual(slow.mm);
      for (const p of passes) {
        const by = (k: string) => p.disagreements.filter((d) => d.kind === k).length;
        expect([by('falseShared'), by('falseExclusive'), by('lostReuse'), by('wrongReuse'), by('warning')]).toEqual([p.falseShared, p.falseExclusive, p.lostReuse, p.wrongReuse, p.warnings]);
      }
    }
  });

  it('COW counts agree with a recount from the oracle and each decision', () => {
    for (let run = 0; run < 20; run++) {
      const { workload: w } = randomWorkload(13n, run);
      const scheme = schemeFor(WIP_V1, w.order);
      const events = runHistory(w).events;
      for (const d of [new RmapIdReference(scheme, w.order), new MmIdDesign(2 ** w.order)]) {
        let lost = 0;
        let wrong = 0;
        let cows = 0;
        for (const ev of events)
          if (ev.e === 'cow') {
            cows++;
            const reuse = d.cow(ev).reuse;
            if (!reuse && ev.oracleReuse) lost++;
            if (reuse && !ev.oracleReuse) wrong++;
          } else if (ev.e !== 'read') d.track(ev);
        const fresh = d.name === 'rmap-id' ? new RmapIdDesign(scheme, w.order) : new MmIdDesign(2 ** w.order);
        const p = runDesign(fresh, events);
        expect([p.cowDecisions, p.lostReuse, p.wrongReuse]).toEqual([cows, lost, wrong]);
      }
    }
  });

  it('pinned figures (scheme wip-v1; the random family at seed 7, 20 histories)', () => {
    const got: Record<string, Row[]> = {};
    for (const w of workloadPresets()) got[w.name] = compareOne(w, WIP_V1).passes.map(row);
    const tot = [0, 1].map(() => [0, 0, 0, 0, 0, 0, 0]);
    for (let i = 0; i < 20; i++) compareOne(randomWorkload(7n, i).workload, WIP_V1).passes.forEach((p, d) => row(p).forEach((v, k) => (tot[d][k] += v)));
    got['random seed 7 x20'] = tot;
    expect(got).toEqual({
      // C2 outlives both slot holders untracked: SHARED stays set (3 reads, 3 COW copies); rmap-ID exact
      'double-fork': [[7, 0, 0, 3, 0, 0, 0], [7, 3, 0, 3, 3, 0, 0]],
      // the parent stays tracked in slot 0: the last worker's exit clears SHARED; both exact
      'worker-pool': [[15, 0, 0, 7, 0, 0, 0], [15, 0, 0, 7, 0, 0, 0]],
      // A (slot 0) and B (slot 1) unmap, C was untracked: 3 false "maybe shared"
      'file-three-mms': [[8, 0, 0, 0, 0, 0, 0], [8, 3, 0, 0, 0, 0, 0]],
      // mapcount > P ("obviously shared") while one MM maps 32 or 48 times: rmap-ID's 3 false "shared"
      'file-several-vmas': [[7, 3, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0, 0]],
      'fork-child-exit': [[6, 0, 0, 3, 0, 0, 0], [6, 0, 0, 3, 0, 0, 0]],
      'pmd-remap': [[7, 0, 0, 2, 0, 0, 0], [7, 0, 0, 2, 0, 0, 0]],
      // rmap-ID gives up on the swap cache's references (refcount != mapcount); mm-id frees it and reuses
      'swapcache-cow': [[1, 0, 0, 4, 1, 0, 0], [1, 0, 0, 4, 0, 0, 0]],
      // a false "maybe shared" until the migration rebuilds the slots
      'migrate-after-shared': [[2, 0, 0, 2, 0, 0, 0], [2, 1, 0, 2, 1, 0, 0]],
      'partial-unmap': [[6, 0, 0, 2, 0, 0, 0], [6, 0, 0, 2, 0, 0, 0]],
      'random seed 7 x20': [[868, 18, 0, 301, 8, 0, 0], [868, 90, 0, 301, 82, 0, 0]],
    });
  });
});
