/* SPDX-License-Identifier: MIT */
/*
 * rmapcheck adapter ABI, version 1: how `rmapcheck conform` drives a C implementation of the
 * rmap-ID / atomic-seqcount design.
 *
 * The user writes ONE C file, the adapter, that #includes their kernel sources (e.g.
 * mm/rmap_id.c) and defines every rmc_adapter_* function below on top of them. rmapcheck
 * compiles it with gcc together with its runtime (conform/runtime/), with
 *     -I conform/include   (kernel-compatibility headers: <linux/atomic.h>, <linux/mmdebug.h>, ...)
 *     -I DIR ...           (the user's --include directories, searched first)
 * and drives the binary over a pipe. The runtime calls the adapter; the adapter never does I/O.
 * See conform/kernel/adapter.c for a complete adapter (rmapcheck's own implementation).
 *
 * The model: ONE large folio of 2^order pages, and nr_mms MMs numbered 0 .. nr_mms - 1, each
 * with an rmap ID. Every operation acts on that folio. rmapcheck only asks for operations that
 * are valid in the current state (it never unmaps what is not mapped, the MM asking a reader
 * maps the folio, a COW fault's MM maps the page), so the adapter need not check them.
 *
 * References: each mapping holds one folio reference. Writers take the references before they
 * add mappings and drop them after they remove mappings (rmap-ops.md), so after every operation
 *     refcount == mapcount + (the references of rmc_adapter_ref()).
 *
 * After every operation rmapcheck calls rmc_adapter_observe() and compares the folio with its
 * reference model: total mapcount, entire mapcount, refcount, every rmap value modulo 2^64
 * (values an order does not use must stay 0), and the seqcount word (no writer bits at rest;
 * every write operation advances the sequence, a reader never changes it). Reader answers are
 * compared with the reference model's answer and with the ground truth.
 */
#ifndef _RMAPCHECK_ADAPTER_H
#define _RMAPCHECK_ADAPTER_H

#include <stdbool.h>

#define RMC_ADAPTER_ABI_VERSION	1
#define RMC_MAX_MMS		8
#define RMC_MAX_VALUES		6

/* Which writer path an operation takes (meaningful for the V2/V3 seqcount; V1 has only one). */
enum rmc_path {
	RMC_PATH_AUTO = 0,	/* as the code decides (the kernel's own call) */
	RMC_PATH_SHARED = 1,	/* as a shared writer (atomic RMW updates) */
	RMC_PATH_EXCLUSIVE = 2,	/* try to be the exclusive writer (plain updates when it wins) */
};

/* What the implementation is; filled once at start. */
struct rmc_adapter_info {
	const char *name;			/* shown in reports and traces */
	unsigned long seq_shared_writer;	/* ATOMIC_SEQCOUNT_SHARED_WRITER */
	unsigned long seq_exclusive_writer;	/* ..._EXCLUSIVE_WRITER, 0 without one (V1) */
	unsigned long seq_writers_mask;		/* ..._WRITERS_MASK: every writer bit */
	unsigned long seq_sequence_step;	/* ..._SEQUENCE_STEP */
	unsigned int min_order, max_order;	/* the folio orders it handles */
};

/* The folio as the adapter reads it (plain reads, outside any operation). */
struct rmc_observation {
	long mapcount;				/* true total mapcount (the kernel stores it -1 biased) */
	long entire_mapcount;			/* true number of PMD mappings */
	long refcount;
	unsigned long seq;			/* the seqcount word */
	unsigned long values[RMC_MAX_VALUES];	/* _rmap_val0 .. _rmap_val5 */
};

void rmc_adapter_info(struct rmc_adapter_info *info);

/*
 * A fresh folio of `order`, unmapped and unreferenced (refcount 0, values 0, seq 0), and MMs
 * 0 .. nr_mms - 1 with rmap_ids[i] (1 .. 2^24 - 1, distinct). Called before every sequence, so
 * it must reset all state. Returns 0, or non-zero if the order is not supported.
 */
int rmc_adapter_setup(unsigned int order, unsigned int nr_mms, const int *rmap_ids);

/* Replace the folio by a new anonymous one of the same order mapped by `nr` PTEs of `mm`
 * (pages 0 .. nr - 1): values SET, not added, no seqcount; refcount nr. */
void rmc_adapter_new_anon_folio(unsigned int mm, unsigned int nr);

/* Map / unmap `nr` PTEs of `mm`, pages page .. page + nr - 1, as one batch (one write section). */
void rmc_adapter_map_ptes(unsigned int mm, unsigned int page, unsigned int nr, enum rmc_path path);
void rmc_adapter_unmap_ptes(unsigned int mm, unsigned int page, unsigned int nr, enum rmc_path path);

/* fork(): `child` duplicates `nr` of `parent`'s PTEs (pages page .. page + nr - 1), counted
 * with the CHILD's sub-IDs. */
void rmc_adapter_dup_ptes(unsigned int parent, unsigned int child, unsigned int page,
			  unsigned int nr, enum rmc_path path);

/* One PMD mapping of the whole folio (entire mapcount), its removal, and fork's duplicate. */
void rmc_adapter_map_pmd(unsigned int mm, enum rmc_path path);
void rmc_adapter_unmap_pmd(unsigned int mm, enum rmc_path path);
void rmc_adapter_dup_pmd(unsigned int parent, unsigned int child, enum rmc_path path);

/* PMD -> PTE remap (P13, P14): `mm`'s PMD mapping is replaced by 2^order PTEs. */
void rmc_adapter_remap_pmd(unsigned int mm, enum rmc_path path);

/* Other references (a GUP pin, the swap cache): refcount += delta. */
void rmc_adapter_ref(int delta);

/* Readers: folio_mapped_shared(folio, mm) and the COW reuse check (P10) of `mm`'s `page`. */
bool rmc_adapter_mapped_shared(unsigned int mm);
bool rmc_adapter_cow_reuse(unsigned int mm, unsigned int page);

void rmc_adapter_observe(struct rmc_observation *o);

/*
 * Provided by the runtime, for the adapter's rmc_adapter_setup(): the words plain accesses to
 * which are scheduling points in concurrent mode (the seqcount, mapcounts, values, refcount).
 * Name the seqcount word "seq": its updates tell the scheduler where write sections begin and
 * end (the race-insertion windows, the trace's tags). The names appear in traces.
 */
void rmc_register_word(const volatile void *addr, unsigned int size, const char *name);

#endif /* _RMAPCHECK_ADAPTER_H */
