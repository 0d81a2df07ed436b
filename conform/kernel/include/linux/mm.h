/* SPDX-License-Identifier: GPL-2.0 */
/* The folio accessors the rmap-ID code needs, and folio_mapped_shared() (P03, P09). */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/kernel.h>
#include <linux/mm_types.h>

static inline unsigned int folio_order(const struct folio *folio)
{
	return folio->_folio_order;
}

static inline long folio_nr_pages(const struct folio *folio)
{
	return 1l << folio_order(folio);
}

static inline bool folio_test_large(const struct folio *folio)
{
	return folio_order(folio) > 0;
}

static inline int folio_mapcount(const struct folio *folio)
{
	return atomic_read(&folio->_total_mapcount) + 1;
}

static inline int folio_entire_mapcount(const struct folio *folio)
{
	return atomic_read(&folio->_entire_mapcount) + 1;
}

static inline int folio_ref_count(const struct folio *folio)
{
	return atomic_read(&folio->_refcount);
}

static inline void folio_ref_add(struct folio *folio, int nr)
{
	atomic_add(nr, &folio->_refcount);
}

static inline void folio_put_refs(struct folio *folio, int nr)
{
	/* the last reference frees the folio, which the harness never lets happen mid-check */
	VM_WARN_ON_FOLIO(atomic_sub_return(nr, &folio->_refcount) < 0, folio);
}

bool __folio_large_mapped_shared(struct folio *folio, struct mm_struct *mm);

/*
 * Is the folio mapped by an MM other than `mm`? For an `mm` that maps the folio. Precise for
 * PTE-mapped large folios with rmap IDs; a PMD-mapped folio with more than one mapping is
 * reported shared.
 */
static inline bool folio_mapped_shared(struct folio *folio, struct mm_struct *mm)
{
	int mapcount = folio_mapcount(folio);

	if (!folio_test_large(folio) || mapcount == 1)
		return mapcount != 1;
	if (folio_entire_mapcount(folio) || mapcount > folio_nr_pages(folio))
		return true;
	return __folio_large_mapped_shared(folio, mm);
}

bool wp_can_reuse_anon_folio(struct folio *folio, struct vm_area_struct *vma);

#endif /* _LINUX_MM_H */
