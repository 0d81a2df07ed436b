import type { ScenarioJson } from '../../model/rmap';

/** The small order-2 scenario the validation tests edit: MM A maps two pages, a writer of B maps
 *  one more while a reader of A asks whether the folio is shared. `writerOps` replaces W0's ops. */
export function smallScenario(writerOps?: ScenarioJson['threads'][number]['ops']): ScenarioJson & Record<string, unknown> {
  return {
    order: 2,
    scheme: 'wip-v1',
    seqcount: 'v1',
    mms: [
      { name: 'A', rmapId: 1 },
      { name: 'B', rmapId: 2 },
    ],
    initial: [{ mm: 'A', ptes: 2, page: 0 }],
    threads: [
      { name: 'W0', ops: writerOps ?? [{ op: 'map', mm: 'B', n: 1, page: 2 }] },
      { name: 'R0', ops: [{ op: 'mapped-shared', mm: 'A' }] },
    ],
  };
}
