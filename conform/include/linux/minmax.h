/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/minmax.h>: min/max evaluate each argument once and, like the
 * kernel's classic version, warn (-Wcompare-distinct-pointer-types) when the two types differ;
 * min_t/max_t cast first. */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#include <linux/build_bug.h>

#define __rmc_cmp(op, x, y)							\
({										\
	__typeof__(x) __x = (x);						\
	__typeof__(y) __y = (y);						\
	(void)(&__x == &__y);							\
	__x op __y ? __x : __y;							\
})
#define min(x, y)		__rmc_cmp(<, x, y)
#define max(x, y)		__rmc_cmp(>, x, y)
#define min_t(type, x, y)	__rmc_cmp(<, (type)(x), (type)(y))
#define max_t(type, x, y)	__rmc_cmp(>, (type)(x), (type)(y))
#define min3(x, y, z)		min((__typeof__(x))min(x, y), z)
#define max3(x, y, z)		max((__typeof__(x))max(x, y), z)
#define clamp(val, lo, hi)	min((__typeof__(val))max(val, lo), hi)

#endif /* _LINUX_MINMAX_H */
