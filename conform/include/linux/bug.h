/* SPDX-License-Identifier: MIT */
/*
 * rmapcheck stand-in for <linux/bug.h> (and asm-generic/bug.h). A WARN that fires is reported to
 * the runtime with the condition's text, file and line: a property violation, not an abort. A
 * BUG that fires is reported and abandons the operation (rmc_report_fatal does not return).
 * The _ONCE forms report every time: each run of the checker must see the same findings.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>

#define __RMC_WARN(what, cond, text)						\
({										\
	int __ret_warn_on = !!(cond);						\
	if (unlikely(__ret_warn_on))						\
		rmc_report(what, text, __FILE__, __LINE__);			\
	unlikely(__ret_warn_on);						\
})

#define WARN_ON(condition)		__RMC_WARN("WARN_ON", condition, #condition)
#define WARN_ON_ONCE(condition)		__RMC_WARN("WARN_ON_ONCE", condition, #condition)
#define WARN(condition, format...)	__RMC_WARN("WARN", condition, #condition)
#define WARN_ONCE(condition, format...)	__RMC_WARN("WARN_ONCE", condition, #condition)

#define BUG()	rmc_report_fatal("BUG", "BUG()", __FILE__, __LINE__)
#define BUG_ON(condition)							\
	do {									\
		if (unlikely(condition))					\
			rmc_report_fatal("BUG_ON", #condition, __FILE__, __LINE__); \
	} while (0)

#endif /* _LINUX_BUG_H */
