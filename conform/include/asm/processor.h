/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <asm/processor.h>: cpu_relax() is a spin point (see rmapcheck/hooks.h). */
#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#include <rmapcheck/hooks.h>

#define cpu_relax()	rmc_cpu_relax()

#endif /* _ASM_PROCESSOR_H */
