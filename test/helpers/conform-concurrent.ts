// The concurrency mutants of rmapcheck's own C implementation (conform/kernel/): one-line slips
// that only an interleaving shows. Used by test/checker/conform/concurrent-mutants.test.ts.
import type { Edit } from './conform';

export interface ConcurrencyMutant {
  readonly id: string;
  readonly description: string;
  readonly edit: Edit;
  /** -D definitions the mutant is built with (the seqcount variant it breaks). */
  readonly defines: readonly string[];
}

export const CONCURRENCY_MUTANTS: readonly ConcurrencyMutant[] = [
  {
    id: 'exclusive-while-writers',
    description: 'the exclusive path used while another writer is active (V2: no writers-mask check before the cmpxchg)',
    edit: { file: 'include/linux/atomic_seqcount.h', from: 'if (!(old & ATOMIC_SEQCOUNT_WRITERS_MASK) &&\n\t\t    atomic_long_try_cmpxchg(', to: 'if (atomic_long_try_cmpxchg(' },
    defines: ['CONFIG_ATOMIC_SEQCOUNT_VARIANT=2'],
  },
  {
    id: 'shared-plain-store',
    description: 'a plain store on the shared path (`.counter +=` instead of atomic_long_add in the 2-value case of __folio_add_large_rmap_val)',
    edit: { file: 'mm/rmap_id.c', from: 'atomic_long_add(get_rmap_subid_2(mm, 0) * c, &folio->_rmap_val0);', to: 'folio->_rmap_val0.counter += get_rmap_subid_2(mm, 0) * c;' },
    defines: [],
  },
  {
    id: 'reader-no-retry',
    description: 'a reader without the retry (__folio_large_mapped_shared never re-checks the seqcount)',
    edit: { file: 'mm/rmap_id.c', from: '} while (raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start));', to: '} while (0);' },
    defines: [],
  },
];
