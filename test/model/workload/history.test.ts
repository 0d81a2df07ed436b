/** The ground truth of random histories against a slow obvious model: a plain list of
 *  (MM, page) mappings rebuilt from the tracking events; and the generator's determinism. */
import { describe, expect, it } from 'vitest';
import { History } from '../../../model/workload/history';
import { FAMILY_ORDERS, randomWorkload } from '../../../model/workload/generate';

describe('history and generator', () => {
  it('random histories are valid, deterministic, and the truth matches a recount from the events', () => {
    const orders = new Set<number>();
    for (let run = 0; run < 60; run++) {
      const { workload: w } = randomWorkload(5n, run);
      expect(randomWorkload(5n, run).workload).toEqual(w);
      orders.add(w.order);
      const h = new History(w.order, w.folio);
      // slow obvious recount: per MM id, mappings = sum of its adds minus removes since the last (re)set
      const per = new Map<number, number>();
      let seen = 0;
      for (const op of w.ops) {
        h.apply(op);
        for (const ev of h.events.slice(seen)) {
          if (ev.e === 'new') {
            per.clear();
            per.set(ev.id, ev.n);
          } else if (ev.e === 'add') per.set(ev.id, (per.get(ev.id) ?? 0) + ev.n);
          else if (ev.e === 'remove') per.set(ev.id, (per.get(ev.id) ?? 0) - ev.n);
          else if (ev.e === 'rebuild') {
            const again = new Map<number, number>();
            for (const [id, n] of ev.adds) {
              expect(n).toBeGreaterThanOrEqual(1);
              expect(n).toBeLessThanOrEqual(h.pages);
              again.set(id, (again.get(id) ?? 0) + n);
            }
            expect([...again].filter(([, n]) => n > 0).sort()).toEqual([...per].filter(([, n]) => n > 0).sort());
          } else {
            const mappers = [...per].filter(([, n]) => n > 0).map(([id]) => id);
            expect(mappers).toContain(ev.id);
            expect(ev.shared).toBe(mappers.length > 1);
            if (ev.e === 'cow') expect(ev.oracleReuse).toBe(mappers.length === 1 && ev.refcount - (ev.locked ? 0 : ev.swapRefs) === per.get(ev.id));
          }
          if (ev.e === 'add' || ev.e === 'remove') expect(ev.n).toBeLessThanOrEqual(h.pages);
        }
        seen = h.events.length;
        const total = [...per.values()].reduce((a, b) => a + b, 0);
        expect(total).toBe(h.total);
        expect([...per.values()].every((n) => n >= 0)).toBe(true);
        // a caller takes its reference before the add and drops it after the remove
        expect(h.refcount).toBeGreaterThanOrEqual(h.total);
      }
    }
    expect([...orders].sort((a, b) => a - b)).toEqual([...FAMILY_ORDERS]);
  });

  it('--order fixes the family order; another seed draws another history', () => {
    for (let run = 0; run < 10; run++) expect(randomWorkload(9n, run, [9]).workload.order).toBe(9);
    expect(randomWorkload(1n, 0).workload).not.toEqual(randomWorkload(2n, 0).workload);
  });
});
