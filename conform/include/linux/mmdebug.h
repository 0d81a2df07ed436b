/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/mmdebug.h>, always as with CONFIG_DEBUG_VM (the checks are what
 * a conformance run wants to see). The folio/page/mm argument is accepted and not printed. */
#ifndef _LINUX_MMDEBUG_H
#define _LINUX_MMDEBUG_H

#include <linux/bug.h>

#define VM_WARN_ON(cond)		(void)__RMC_WARN("VM_WARN_ON", cond, #cond)
#define VM_WARN_ON_ONCE(cond)		(void)__RMC_WARN("VM_WARN_ON_ONCE", cond, #cond)
#define VM_WARN_ONCE(cond, format...)	(void)__RMC_WARN("VM_WARN_ONCE", cond, #cond)
#define VM_WARN(cond, format...)	(void)__RMC_WARN("VM_WARN", cond, #cond)
#define VM_WARN_ON_FOLIO(cond, folio)	(void)__RMC_WARN("VM_WARN_ON_FOLIO", cond, #cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) (void)__RMC_WARN("VM_WARN_ON_ONCE_FOLIO", cond, #cond)
#define VM_WARN_ON_ONCE_PAGE(cond, page) (void)__RMC_WARN("VM_WARN_ON_ONCE_PAGE", cond, #cond)
#define VM_WARN_ON_ONCE_MM(cond, mm)	(void)__RMC_WARN("VM_WARN_ON_ONCE_MM", cond, #cond)

#define __RMC_VM_BUG(what, cond, text)						\
	do {									\
		if (unlikely(cond))						\
			rmc_report_fatal(what, text, __FILE__, __LINE__);	\
	} while (0)
#define VM_BUG_ON(cond)			__RMC_VM_BUG("VM_BUG_ON", cond, #cond)
#define VM_BUG_ON_PAGE(cond, page)	__RMC_VM_BUG("VM_BUG_ON_PAGE", cond, #cond)
#define VM_BUG_ON_FOLIO(cond, folio)	__RMC_VM_BUG("VM_BUG_ON_FOLIO", cond, #cond)
#define VM_BUG_ON_VMA(cond, vma)	__RMC_VM_BUG("VM_BUG_ON_VMA", cond, #cond)
#define VM_BUG_ON_MM(cond, mm)		__RMC_VM_BUG("VM_BUG_ON_MM", cond, #cond)
#define VM_WARN_ON_IRQS_ENABLED()	do { } while (0)

#endif /* _LINUX_MMDEBUG_H */
