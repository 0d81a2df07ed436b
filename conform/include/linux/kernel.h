/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/kernel.h>: everything the other stand-ins provide. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H
#include <linux/kconfig.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bits.h>
#include <linux/stringify.h>
#include <linux/build_bug.h>
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/atomic.h>
#include <linux/preempt.h>
#include <linux/processor.h>
#include <linux/mmdebug.h>
#include <asm/barrier.h>
#endif
