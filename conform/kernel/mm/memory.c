// SPDX-License-Identifier: GPL-2.0
/*
 * P10: may a write fault reuse a page of a PTE-mapped anonymous large folio in place instead
 * of copying it? Only if, at one instant the seqcount validates, every reference is from a
 * mapping and every mapping belongs to the faulting MM. Called under the page-table lock, so
 * it does not wait for writers: a writer in progress means copy.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rmap.h>

static bool __wp_can_reuse_large_anon_folio(struct folio *folio, struct vm_area_struct *vma)
{
	unsigned long start;
	int mapcount;

	start = raw_read_atomic_seqcount(&folio->_rmap_atomic_seqcount);
	if (start & ATOMIC_SEQCOUNT_WRITERS_MASK)
		return false;

	mapcount = folio_mapcount(folio);
	if (mapcount > folio_nr_pages(folio) || folio_entire_mapcount(folio))
		return false;
	/* refcount rises before mapcount on map and falls after it on unmap (P10, P14) */
	if (folio_ref_count(folio) != mapcount)
		return false;
	if (!__folio_has_large_matching_rmap_val(folio, mapcount, vma->vm_mm))
		return false;

	return !raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start);
}

bool wp_can_reuse_anon_folio(struct folio *folio, struct vm_area_struct *vma)
{
	if (folio_test_large(folio))
		return __wp_can_reuse_large_anon_folio(folio, vma);
	/* small folio: exclusive iff the only reference is the one mapping */
	return folio_ref_count(folio) == 1 && folio_mapcount(folio) == 1;
}
