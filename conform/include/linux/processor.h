/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_PROCESSOR_H
#define _LINUX_PROCESSOR_H
#include <asm/processor.h>
#endif
