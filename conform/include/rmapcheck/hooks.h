/* SPDX-License-Identifier: MIT */
/*
 * rmapcheck runtime hooks called by the kernel-compatibility headers (conform/include/linux/).
 *
 * Every shared access made through a header primitive (atomic_*, atomic_long_*, READ_ONCE,
 * WRITE_ONCE), every barrier and every cpu_relax() calls rmc_sched_point(tag, addr, kind).
 * In sequential mode that is one predictable branch on rmc_concurrent; in concurrent mode the
 * runtime's scheduler may switch to another cooperative thread there. Plain C accesses (e.g.
 * `folio->_rmap_val0.counter += d`) do not pass through any macro: in concurrent mode the
 * adapter's translation unit is compiled with -fsanitize=thread and the runtime defines the
 * __tsan_read* / __tsan_write* hooks itself (no libtsan), which report RMC_T_PLAIN points.
 * The header primitives access memory through volatile lvalues and the concurrent build passes
 * --param=tsan-distinguish-volatile=1, so their own accesses reach __tsan_volatile_* (ignored:
 * the primitive already made its scheduling point) and never count as plain accesses.
 *
 * A VM_WARN_ON / WARN_ON / BUG_ON that fires calls rmc_report(): the runtime records the
 * condition's text, file and line as a finding. BUG_ON's report does not return: the runtime
 * abandons the operation (the state after a BUG is not meaningful) and reports it.
 */
#ifndef _RMAPCHECK_HOOKS_H
#define _RMAPCHECK_HOOKS_H

/* What a scheduling point is: which primitive (tag) and how it touches memory (kind). */
enum rmc_tag {
	RMC_T_READ = 1,		/* atomic_read, atomic_long_read, READ_ONCE */
	RMC_T_SET,		/* atomic_set, atomic_long_set, WRITE_ONCE */
	RMC_T_RMW,		/* non-returning atomic RMW: atomic_add, atomic_inc, ... */
	RMC_T_RMW_RETURN,	/* value-returning RMW (full barrier): atomic_add_return, ... */
	RMC_T_RMW_RELAXED,	/* value-returning RMW without ordering: *_relaxed */
	RMC_T_CMPXCHG,		/* atomic_*_cmpxchg, atomic_*_try_cmpxchg */
	RMC_T_BARRIER,		/* smp_mb, smp_rmb, smp_wmb, smp_mb__before/after_atomic */
	RMC_T_SPIN,		/* cpu_relax(): a spinning thread yields */
	RMC_T_PLAIN,		/* a plain C access, seen through the -fsanitize=thread hooks */
	RMC_T_OP,		/* (runtime) a thread starts its next operation */
};

enum rmc_kind {
	RMC_LOAD = 1,
	RMC_STORE = 2,
	RMC_FULL = 4,		/* implies a full barrier (value-returning RMW, successful cmpxchg, smp_mb) */
	RMC_RMB = 8,
	RMC_WMB = 16,
	RMC_BEFORE_ATOMIC = 32,
	RMC_AFTER_ATOMIC = 64,
};

/* Non-zero while the runtime runs cooperative threads (concurrent mode). */
extern int rmc_concurrent;

void rmc_sched_point_slow(unsigned int tag, const volatile void *addr, unsigned int kind);
/* cpu_relax(): in sequential mode a spin can never end (no other thread), so the runtime
 * reports a livelock after a bounded number of iterations; in concurrent mode it yields. */
void rmc_cpu_relax(void);
/* A fired VM_WARN_ON / WARN_ON (the operation goes on) or BUG_ON / BUG / VM_BUG_ON (fatal: the
 * runtime abandons the operation). `what` names the macro, `cond` is the condition's text. */
void rmc_report(const char *what, const char *cond, const char *file, int line);
void rmc_report_fatal(const char *what, const char *cond, const char *file, int line)
	__attribute__((noreturn));
/* preempt_disable/enable bookkeeping: an unbalanced count at the end of an operation is a finding. */
extern int rmc_preempt_count;

static inline __attribute__((always_inline)) void
rmc_sched_point(unsigned int tag, const volatile void *addr, unsigned int kind)
{
	if (__builtin_expect(*(volatile int *)&rmc_concurrent, 0))
		rmc_sched_point_slow(tag, addr, kind);
}

#endif /* _RMAPCHECK_HOOKS_H */
