/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few fields of struct folio, struct mm_struct and struct vm_area_struct that the rmap-ID
 * code uses (rmapcheck's own minimal stand-ins; the kernel keeps the large-folio fields in the
 * tail pages). Mapcounts are stored biased by -1, as in the kernel.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/atomic_seqcount.h>

/* Largest folio order handled (inclusive); the 6-value scheme covers orders 13..15. */
#ifndef MAX_ORDER
#define MAX_ORDER 15
#endif

struct folio {
	unsigned int _folio_order;
	atomic_t _refcount;
	atomic_t _entire_mapcount;		/* PMD mappings, -1 biased */
	atomic_t _nr_pages_mapped;
	atomic_t _total_mapcount;		/* every mapping, -1 biased */
	raw_atomic_seqcount_t _rmap_atomic_seqcount;
	atomic_long_t _rmap_val0;
	atomic_long_t _rmap_val1;
	atomic_long_t _rmap_val2;
	atomic_long_t _rmap_val3;
	atomic_long_t _rmap_val4;
	atomic_long_t _rmap_val5;
};

struct mm_struct {
	int mm_rmap_id;
	/* sub-IDs for the 1-, 2- and 3-value schemes, computed once per MM (P11) */
	unsigned long mm_rmap_subid_1;
	unsigned long mm_rmap_subid_2[2];
	unsigned long mm_rmap_subid_3[3];
};

struct vm_area_struct {
	struct mm_struct *vm_mm;
};

#endif /* _LINUX_MM_TYPES_H */
