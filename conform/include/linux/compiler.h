/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/compiler.h>: likely/unlikely, barrier(), READ_ONCE/WRITE_ONCE
 * (marked accesses: each one is a scheduling point) and the usual attributes. */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/kconfig.h>
#include <rmapcheck/hooks.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" : : : "memory")

#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __read_mostly
#define __init
#define __initdata
#define __ro_after_init
#define __user
#define __rcu
#define __force
#define __iomem
#define notrace
#define fallthrough		__attribute__((__fallthrough__))
#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#endif

/*
 * Marked accesses. The volatile lvalue keeps the compiler from tearing, fusing or omitting the
 * access (as in the kernel); in a -fsanitize=thread build it reaches __tsan_volatile_*, which the
 * runtime ignores because the scheduling point was already made here.
 */
#define READ_ONCE(x)							\
({									\
	rmc_sched_point(RMC_T_READ, &(x), RMC_LOAD);			\
	*(const volatile __typeof__(x) *)&(x);				\
})

#define WRITE_ONCE(x, val)						\
do {									\
	rmc_sched_point(RMC_T_SET, &(x), RMC_STORE);			\
	*(volatile __typeof__(x) *)&(x) = (val);			\
} while (0)

#endif /* _LINUX_COMPILER_H */
