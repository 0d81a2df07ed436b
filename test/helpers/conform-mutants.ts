// The one-line mutants of rmapcheck's own C implementation that `conform` must catch, by id; the
// outcome each is pinned to (verdict, property, field, shrunk length) is in test/manifest.json
// "conform". Used by test/checker/conform/mutants.test.ts and test/cli/conform.test.ts.
import { join } from 'path';
import { conformPins } from './manifest';
import { kernelCopy, type Edit } from './conform';

export interface PinnedMutant {
  readonly id: string;
  readonly description: string;
  readonly mode: string;
  readonly seed: number;
  readonly expected: 'counterexample';
  readonly property: string;
  readonly field: string;
  readonly traceLength: number;
}

export const MUTANT_EDITS: Readonly<Record<string, Edit>> = {
  'shared-missing-count-5': { file: 'mm/rmap_id.c', from: 'atomic_long_add(get_rmap_subid_5(mm, 2) * c, &folio->_rmap_val2);', to: 'atomic_long_add(get_rmap_subid_5(mm, 2), &folio->_rmap_val2);' },
  'unmap-adds': {
    file: 'include/linux/rmap.h',
    from: '\tatomic_dec(&folio->_total_mapcount);\n\t__folio_add_large_rmap_val(folio, -1, vma->vm_mm);',
    to: '\tatomic_dec(&folio->_total_mapcount);\n\t__folio_add_large_rmap_val(folio, 1, vma->vm_mm);',
  },
  'new-anon-wrong-index-4': { file: 'mm/rmap_id.c', from: 'atomic_long_set(&folio->_rmap_val3, get_rmap_subid_4(mm, 3) * c);', to: 'atomic_long_set(&folio->_rmap_val3, get_rmap_subid_4(mm, 2) * c);' },
  'exclusive-order-range-3': {
    file: 'mm/rmap_id.c',
    from: '\tcase RMAP_SUBID_3_MIN_ORDER ... RMAP_SUBID_3_MAX_ORDER:\n\t\tfolio->_rmap_val0.counter',
    to: '\tcase RMAP_SUBID_3_MIN_ORDER + 1 ... RMAP_SUBID_3_MAX_ORDER:\n\t\tfolio->_rmap_val0.counter',
  },
};

/** The pinned sequential mutants, in the manifest's order. */
export function pinnedMutants(): PinnedMutant[] {
  return conformPins('sequential').map((p) => ({ id: p.id, description: p.description!, mode: p.mode, seed: p.seed, expected: p.expected, property: p.property, field: p.field, traceLength: p.traceLength }));
}

/** A mutant's kernel copy: its adapter and include directory, as --impl and -I take them. */
export function mutantKernel(id: string): { dir: string; impl: string; include: string } {
  const edit = MUTANT_EDITS[id];
  if (!edit) throw new Error(`no mutant ${id} in test/helpers/conform-mutants.ts`);
  const dir = kernelCopy([edit]);
  return { dir, impl: join(dir, 'adapter.c'), include: join(dir, 'include') };
}
