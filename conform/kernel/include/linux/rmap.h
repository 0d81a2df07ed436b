/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The large-folio mapcount helpers with rmap-ID tracking (P05, P07, P17, P20 shapes).
 *
 * Every change of the total mapcount and the rmap values happens inside one write section of
 * folio->_rmap_atomic_seqcount. As after P20, the callers open and close the section; inside
 * it, the exclusive writer uses the *_exclusive helpers (plain load-then-store), a shared
 * writer the plain-named ones (atomic RMWs).
 */
#ifndef _LINUX_RMAP_H
#define _LINUX_RMAP_H

#include <linux/kernel.h>
#include <linux/mm.h>

/* mm/rmap_id.c */
unsigned long calc_rmap_subid(unsigned int n, unsigned int i);
void mm_set_rmap_id(struct mm_struct *mm, int id);
void rmap_id_verify_subid_tables(void);
int alloc_rmap_id(void);
void free_rmap_id(int id);
void __folio_set_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm);
void __folio_add_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm);
void __folio_add_large_rmap_val_exclusive(struct folio *folio, int count, struct mm_struct *mm);
bool __folio_has_large_matching_rmap_val(struct folio *folio, int count, struct mm_struct *mm);

/* Open a write section, trying to be the exclusive writer (the code decides). */
static inline bool __folio_write_large_rmap_begin(struct folio *folio)
{
	return raw_write_atomic_seqcount_begin(&folio->_rmap_atomic_seqcount, true);
}

/* Open a write section as a shared writer, for callers that expect concurrent writers. */
static inline bool __folio_write_large_rmap_begin_shared(struct folio *folio)
{
	return raw_write_atomic_seqcount_begin(&folio->_rmap_atomic_seqcount, false);
}

static inline void __folio_write_large_rmap_end(struct folio *folio, bool exclusive)
{
	raw_write_atomic_seqcount_end(&folio->_rmap_atomic_seqcount, exclusive);
}

/* A new folio, not visible to anybody else yet: set, no write section. */
static inline void folio_set_large_mapcount(struct folio *folio, int count,
					    struct vm_area_struct *vma)
{
	__folio_set_large_rmap_val(folio, count, vma->vm_mm);
	atomic_set(&folio->_total_mapcount, count - 1);
}

/* Shared writer: a negative count removes mappings. */
static inline void folio_add_large_mapcount(struct folio *folio, int count,
					    struct vm_area_struct *vma)
{
	atomic_add(count, &folio->_total_mapcount);
	__folio_add_large_rmap_val(folio, count, vma->vm_mm);
}

static inline void folio_inc_large_mapcount(struct folio *folio, struct vm_area_struct *vma)
{
	atomic_inc(&folio->_total_mapcount);
	__folio_add_large_rmap_val(folio, 1, vma->vm_mm);
}

static inline void folio_dec_large_mapcount(struct folio *folio, struct vm_area_struct *vma)
{
	atomic_dec(&folio->_total_mapcount);
	__folio_add_large_rmap_val(folio, -1, vma->vm_mm);
}

/* Exclusive writer: nobody else writes until the section ends (P17, P20). */
static inline void folio_add_large_mapcount_exclusive(struct folio *folio, int count,
						      struct vm_area_struct *vma)
{
	atomic_set(&folio->_total_mapcount, atomic_read(&folio->_total_mapcount) + count);
	__folio_add_large_rmap_val_exclusive(folio, count, vma->vm_mm);
}

static inline void folio_inc_large_mapcount_exclusive(struct folio *folio,
						      struct vm_area_struct *vma)
{
	folio_add_large_mapcount_exclusive(folio, 1, vma);
}

static inline void folio_dec_large_mapcount_exclusive(struct folio *folio,
						      struct vm_area_struct *vma)
{
	folio_add_large_mapcount_exclusive(folio, -1, vma);
}

#endif /* _LINUX_RMAP_H */
