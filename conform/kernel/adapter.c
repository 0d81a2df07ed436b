// SPDX-License-Identifier: MIT
/*
 * The rmapcheck adapter (conform/include/rmapcheck/adapter.h) for rmapcheck's own kernel-style
 * implementation: every operation as the series' rmap code does it, P20 style (the caller opens
 * the write section; the exclusive writer uses the *_exclusive helpers). Build with
 * -I conform/kernel/include; -DCONFIG_ATOMIC_SEQCOUNT_VARIANT=1|2|3 picks the seqcount.
 */
#include <rmapcheck/adapter.h>
#include "mm/rmap_id.c"
#include "mm/memory.c"

static struct folio folio;
static struct mm_struct mms[RMC_MAX_MMS];
static struct vm_area_struct vmas[RMC_MAX_MMS];

void rmc_adapter_info(struct rmc_adapter_info *info)
{
	info->name = "rmapcheck-own/v" __stringify(CONFIG_ATOMIC_SEQCOUNT_VARIANT);
	info->seq_shared_writer = ATOMIC_SEQCOUNT_SHARED_WRITER;
	info->seq_exclusive_writer = ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER;
	info->seq_writers_mask = ATOMIC_SEQCOUNT_WRITERS_MASK;
	info->seq_sequence_step = ATOMIC_SEQCOUNT_SEQUENCE_STEP;
	info->min_order = 2;
	info->max_order = MAX_ORDER;
	rmap_id_verify_subid_tables();
}

/* A new, unmapped folio of the same order (mapcounts -1 biased). */
static void fresh_folio(unsigned int order)
{
	folio = (struct folio){ ._folio_order = order };
	atomic_set(&folio._total_mapcount, -1);
	atomic_set(&folio._entire_mapcount, -1);
}

int rmc_adapter_setup(unsigned int order, unsigned int nr_mms, const int *rmap_ids)
{
	unsigned int i;

	if (order < 2 || order > MAX_ORDER || nr_mms > RMC_MAX_MMS)
		return -1;
	fresh_folio(order);
	for (i = 0; i < nr_mms; i++) {
		mm_set_rmap_id(&mms[i], rmap_ids[i]);
		vmas[i].vm_mm = &mms[i];
	}
	rmc_register_word(&folio._rmap_atomic_seqcount, 8, "seq");
	rmc_register_word(&folio._total_mapcount, 4, "mapcount");
	rmc_register_word(&folio._entire_mapcount, 4, "entire");
	rmc_register_word(&folio._refcount, 4, "refcount");
	rmc_register_word(&folio._rmap_val0, 8 * RMC_MAX_VALUES, "values");
	return 0;
}

/* One write section: `count` mappings of `mm` (negative: removed), `entire` PMD mappings. */
static void section(unsigned int mm, int count, int entire, enum rmc_path path)
{
	struct vm_area_struct *vma = &vmas[mm];
	bool exclusive = path == RMC_PATH_SHARED ? __folio_write_large_rmap_begin_shared(&folio) :
						   __folio_write_large_rmap_begin(&folio);

	if (exclusive) {
		folio._entire_mapcount.counter += entire;
		if (count == 1)
			folio_inc_large_mapcount_exclusive(&folio, vma);
		else if (count == -1)
			folio_dec_large_mapcount_exclusive(&folio, vma);
		else
			folio_add_large_mapcount_exclusive(&folio, count, vma);
	} else {
		if (entire)
			atomic_add(entire, &folio._entire_mapcount);
		if (count == 1)
			folio_inc_large_mapcount(&folio, vma);
		else if (count == -1)
			folio_dec_large_mapcount(&folio, vma);
		else
			folio_add_large_mapcount(&folio, count, vma);
	}
	__folio_write_large_rmap_end(&folio, exclusive);
}

/* Mapping: the references first. Unmapping: the references last. */
static void map(unsigned int mm, int nr, int entire, enum rmc_path path)
{
	folio_ref_add(&folio, nr);
	section(mm, nr, entire, path);
}

static void unmap(unsigned int mm, int nr, int entire, enum rmc_path path)
{
	section(mm, -nr, -entire, path);
	folio_put_refs(&folio, nr);
}

void rmc_adapter_new_anon_folio(unsigned int mm, unsigned int nr)
{
	fresh_folio(folio_order(&folio));
	folio_ref_add(&folio, nr);
	folio_set_large_mapcount(&folio, nr, &vmas[mm]);
}

void rmc_adapter_map_ptes(unsigned int mm, unsigned int page, unsigned int nr, enum rmc_path path)
{ map(mm, nr, 0, path); }
void rmc_adapter_unmap_ptes(unsigned int mm, unsigned int page, unsigned int nr, enum rmc_path path)
{ unmap(mm, nr, 0, path); }
void rmc_adapter_dup_ptes(unsigned int parent, unsigned int child, unsigned int page,
			  unsigned int nr, enum rmc_path path)
{ map(child, nr, 0, path); }
void rmc_adapter_map_pmd(unsigned int mm, enum rmc_path path) { map(mm, 1, 1, path); }
void rmc_adapter_unmap_pmd(unsigned int mm, enum rmc_path path) { unmap(mm, 1, 1, path); }
void rmc_adapter_dup_pmd(unsigned int parent, unsigned int child, enum rmc_path path)
{ map(child, 1, 1, path); }

void rmc_adapter_remap_pmd(unsigned int mm, enum rmc_path path)
{
	/* P14: the PTEs' references first, so refcount >= mapcount at the P + 1 moment too */
	map(mm, folio_nr_pages(&folio), 0, path);
	unmap(mm, 1, 1, path);
}

void rmc_adapter_ref(int delta) { folio_ref_add(&folio, delta); }

bool rmc_adapter_mapped_shared(unsigned int mm) { return folio_mapped_shared(&folio, &mms[mm]); }

bool rmc_adapter_cow_reuse(unsigned int mm, unsigned int page)
{ return wp_can_reuse_anon_folio(&folio, &vmas[mm]); }

void rmc_adapter_observe(struct rmc_observation *o)
{
	const atomic_long_t *vals = &folio._rmap_val0;	/* _rmap_val0 .. 5 are consecutive */
	int i;

	o->mapcount = folio._total_mapcount.counter + 1;
	o->entire_mapcount = folio._entire_mapcount.counter + 1;
	o->refcount = folio._refcount.counter;
	o->seq = folio._rmap_atomic_seqcount.sequence.counter;
	for (i = 0; i < RMC_MAX_VALUES; i++)
		o->values[i] = vals[i].counter;
}
