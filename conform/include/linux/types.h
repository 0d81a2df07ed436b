/* SPDX-License-Identifier: MIT */
/* rmapcheck user-space stand-in for <linux/types.h>: the kernel's fixed-width types, bool, and
 * atomic_t / atomic_long_t (a struct around `counter`, as in the kernel, so that plain
 * `.counter` accesses in kernel code compile unchanged). 64-bit only, like the series. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__LP64__)
#error "rmapcheck's kernel-compatibility headers are for 64-bit builds (the series needs CONFIG_64BIT)"
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;

typedef unsigned long ulong;
typedef unsigned int uint;
typedef long long loff_t;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef uintptr_t phys_addr_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

typedef struct {
	s64 counter;
} atomic64_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

#endif /* _LINUX_TYPES_H */
