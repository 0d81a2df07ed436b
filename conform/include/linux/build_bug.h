/* SPDX-License-Identifier: MIT */
/*
 * rmapcheck stand-in for <linux/build_bug.h>. As in the kernel, BUILD_BUG_ON(cond) fails the
 * build when `cond` is true after optimization (a call to an error-attributed function that the
 * optimizer must remove), and BUILD_BUG() marks a branch the optimizer must prove unreachable
 * (the series' `switch (folio_order(folio))` default cases). This needs -O1 or higher, which
 * the conformance build uses; without optimization both become run-time findings instead.
 */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#include <linux/compiler.h>

#ifdef __OPTIMIZE__
extern void __rmc_build_bug_failed(void) __attribute__((__error__("BUILD_BUG_ON failed")));
#define BUILD_BUG_ON_MSG(cond, msg)	do { if (cond) __rmc_build_bug_failed(); } while (0)
#else
#define BUILD_BUG_ON_MSG(cond, msg)						\
	do { if (cond) rmc_report_fatal("BUILD_BUG_ON", msg, __FILE__, __LINE__); } while (0)
#endif

#define BUILD_BUG_ON(cond)		BUILD_BUG_ON_MSG(cond, "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG()			BUILD_BUG_ON_MSG(1, "BUILD_BUG()")
#define BUILD_BUG_ON_ZERO(e)		((int)(sizeof(struct { int:(-!!(e)); })))
#define static_assert(expr, ...)	_Static_assert(expr, #expr)

#endif /* _LINUX_BUILD_BUG_H */
