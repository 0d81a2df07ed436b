/* SPDX-License-Identifier: MIT */
/*
 * rmapcheck stand-in for <linux/atomic.h>: atomic_t, atomic_long_t and atomic64_t operations
 * with the kernel's names and argument orders (Documentation/atomic_t.txt).
 *
 * Threads are cooperative (one CPU), so every operation is atomic by construction: the
 * scheduling point comes first, then the access runs without interruption. Arithmetic is done
 * on the unsigned type so that wrap-around is defined (the kernel builds with
 * -fno-strict-overflow; atomic_long_t arithmetic wraps modulo 2^64).
 *
 * Ordering as documented: value-returning RMWs and a successful cmpxchg are full barriers
 * (RMC_FULL), the non-returning RMWs and the _relaxed forms order nothing; _acquire/_release
 * forms are recorded as full barriers (stronger than the kernel's, never weaker).
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <asm/barrier.h>

#define __RMC_ATOMIC_OPS(pfx, atype, T, UT)							\
static __always_inline T pfx##_read(const atype *v)						\
{												\
	rmc_sched_point(RMC_T_READ, &v->counter, RMC_LOAD);					\
	return *(const volatile T *)&v->counter;						\
}												\
static __always_inline void pfx##_set(atype *v, T i)						\
{												\
	rmc_sched_point(RMC_T_SET, &v->counter, RMC_STORE);					\
	*(volatile T *)&v->counter = i;								\
}												\
/* one atomic read-modify-write: returns the old value */					\
static __always_inline T __##pfx##_fetch_add_point(atype *v, T i, unsigned int tag,		\
						   unsigned int kind)				\
{												\
	T old;											\
	rmc_sched_point(tag, &v->counter, RMC_LOAD | RMC_STORE | kind);			\
	old = *(volatile T *)&v->counter;							\
	*(volatile T *)&v->counter = (T)((UT)old + (UT)i);					\
	return old;										\
}												\
static __always_inline void pfx##_add(T i, atype *v)						\
{ (void)__##pfx##_fetch_add_point(v, i, RMC_T_RMW, 0); }					\
static __always_inline void pfx##_sub(T i, atype *v)						\
{ (void)__##pfx##_fetch_add_point(v, (T)(0 - (UT)i), RMC_T_RMW, 0); }				\
static __always_inline void pfx##_inc(atype *v) { pfx##_add(1, v); }				\
static __always_inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }				\
static __always_inline T pfx##_fetch_add(T i, atype *v)					\
{ return __##pfx##_fetch_add_point(v, i, RMC_T_RMW_RETURN, RMC_FULL); }				\
static __always_inline T pfx##_fetch_add_relaxed(T i, atype *v)				\
{ return __##pfx##_fetch_add_point(v, i, RMC_T_RMW_RELAXED, 0); }				\
static __always_inline T pfx##_fetch_sub(T i, atype *v)					\
{ return pfx##_fetch_add((T)(0 - (UT)i), v); }							\
static __always_inline T pfx##_fetch_sub_relaxed(T i, atype *v)				\
{ return pfx##_fetch_add_relaxed((T)(0 - (UT)i), v); }						\
static __always_inline T pfx##_add_return(T i, atype *v)					\
{ return (T)((UT)pfx##_fetch_add(i, v) + (UT)i); }						\
static __always_inline T pfx##_add_return_relaxed(T i, atype *v)				\
{ return (T)((UT)pfx##_fetch_add_relaxed(i, v) + (UT)i); }					\
static __always_inline T pfx##_add_return_acquire(T i, atype *v) { return pfx##_add_return(i, v); } \
static __always_inline T pfx##_add_return_release(T i, atype *v) { return pfx##_add_return(i, v); } \
static __always_inline T pfx##_sub_return(T i, atype *v)					\
{ return pfx##_add_return((T)(0 - (UT)i), v); }						\
static __always_inline T pfx##_sub_return_relaxed(T i, atype *v)				\
{ return pfx##_add_return_relaxed((T)(0 - (UT)i), v); }					\
static __always_inline T pfx##_inc_return(atype *v) { return pfx##_add_return(1, v); }	\
static __always_inline T pfx##_dec_return(atype *v) { return pfx##_sub_return(1, v); }	\
static __always_inline T pfx##_inc_return_relaxed(atype *v)					\
{ return pfx##_add_return_relaxed(1, v); }							\
static __always_inline T pfx##_dec_return_relaxed(atype *v)					\
{ return pfx##_sub_return_relaxed(1, v); }							\
static __always_inline bool pfx##_inc_and_test(atype *v) { return pfx##_inc_return(v) == 0; } \
static __always_inline bool pfx##_dec_and_test(atype *v) { return pfx##_dec_return(v) == 0; } \
static __always_inline bool pfx##_sub_and_test(T i, atype *v) { return pfx##_sub_return(i, v) == 0; } \
static __always_inline bool pfx##_add_negative(T i, atype *v) { return pfx##_add_return(i, v) < 0; } \
static __always_inline T pfx##_xchg(atype *v, T new)						\
{												\
	T old;											\
	rmc_sched_point(RMC_T_RMW_RETURN, &v->counter, RMC_LOAD | RMC_STORE | RMC_FULL);	\
	old = *(volatile T *)&v->counter;							\
	*(volatile T *)&v->counter = new;							\
	return old;										\
}												\
/* cmpxchg: full barrier on success only; the point cannot know the outcome beforehand */	\
static __always_inline T pfx##_cmpxchg(atype *v, T old, T new)				\
{												\
	T cur;											\
	rmc_sched_point(RMC_T_CMPXCHG, &v->counter, RMC_LOAD | RMC_STORE | RMC_FULL);	\
	cur = *(volatile T *)&v->counter;							\
	if (cur == old)										\
		*(volatile T *)&v->counter = new;						\
	return cur;										\
}												\
static __always_inline T pfx##_cmpxchg_relaxed(atype *v, T old, T new)			\
{ return pfx##_cmpxchg(v, old, new); }								\
static __always_inline bool pfx##_try_cmpxchg(atype *v, T *old, T new)			\
{												\
	T cur = pfx##_cmpxchg(v, *old, new);							\
	if (likely(cur == *old))								\
		return true;									\
	*old = cur;										\
	return false;										\
}												\
static __always_inline bool pfx##_try_cmpxchg_relaxed(atype *v, T *old, T new)		\
{ return pfx##_try_cmpxchg(v, old, new); }							\
static __always_inline bool pfx##_add_unless(atype *v, T a, T u)				\
{												\
	T c = pfx##_read(v);									\
	do {											\
		if (unlikely(c == u))								\
			return false;								\
	} while (!pfx##_try_cmpxchg(v, &c, (T)((UT)c + (UT)a)));				\
	return true;										\
}												\
static __always_inline bool pfx##_inc_not_zero(atype *v) { return pfx##_add_unless(v, 1, 0); }

__RMC_ATOMIC_OPS(atomic, atomic_t, int, unsigned int)
__RMC_ATOMIC_OPS(atomic_long, atomic_long_t, long, unsigned long)
__RMC_ATOMIC_OPS(atomic64, atomic64_t, s64, u64)

#undef __RMC_ATOMIC_OPS

#endif /* _LINUX_ATOMIC_H */
