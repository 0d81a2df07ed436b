/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <asm/barrier.h>. The cooperative runtime runs every thread on one CPU,
 * so a barrier is a compiler barrier plus a scheduling point that records which barrier it was
 * (what a weak-memory analysis of the recorded execution needs). */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H

#include <linux/compiler.h>

#define __rmc_barrier(kind)	do { rmc_sched_point(RMC_T_BARRIER, 0, (kind)); barrier(); } while (0)

#define mb()			__rmc_barrier(RMC_FULL)
#define rmb()			__rmc_barrier(RMC_RMB)
#define wmb()			__rmc_barrier(RMC_WMB)
#define smp_mb()		__rmc_barrier(RMC_FULL)
#define smp_rmb()		__rmc_barrier(RMC_RMB)
#define smp_wmb()		__rmc_barrier(RMC_WMB)
#define smp_mb__before_atomic()	__rmc_barrier(RMC_BEFORE_ATOMIC)
#define smp_mb__after_atomic()	__rmc_barrier(RMC_AFTER_ATOMIC)

#define smp_load_acquire(p)						\
({									\
	__typeof__(*(p)) ___v = READ_ONCE(*(p));			\
	__rmc_barrier(RMC_FULL);					\
	___v;								\
})
#define smp_store_release(p, v)						\
do {									\
	__rmc_barrier(RMC_FULL);					\
	WRITE_ONCE(*(p), (v));						\
} while (0)

#endif /* _ASM_BARRIER_H */
