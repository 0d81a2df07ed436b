/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/preempt.h>. Preemption does not constrain other CPUs, so it is
 * no scheduling constraint; the runtime only checks that every operation leaves the count at 0. */
#ifndef _LINUX_PREEMPT_H
#define _LINUX_PREEMPT_H

#include <linux/compiler.h>

#define preempt_count()		(rmc_preempt_count)
#define preempt_disable()	do { (*(volatile int *)&rmc_preempt_count)++; barrier(); } while (0)
#define preempt_enable()	do { barrier(); (*(volatile int *)&rmc_preempt_count)--; } while (0)
#define preempt_enable_no_resched()	preempt_enable()
#define preemptible()		(rmc_preempt_count == 0)

#endif /* _LINUX_PREEMPT_H */
