/* SPDX-License-Identifier: MIT */
/* rmapcheck stand-in for <linux/kconfig.h>: IS_ENABLED() and the configuration every
 * conformance build has (64-bit, CONFIG_DEBUG_VM so that VM_WARN_ON/VM_BUG_ON are checked).
 * A user passes further CONFIG_* options with -D. */
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H

#ifndef CONFIG_64BIT
#define CONFIG_64BIT 1
#endif
#ifndef CONFIG_DEBUG_VM
#define CONFIG_DEBUG_VM 1
#endif
#ifndef CONFIG_SMP
#define CONFIG_SMP 1
#endif

/* The kernel's trick: IS_ENABLED(CONFIG_X) is 1 if CONFIG_X is defined to 1 (or to 1 as _MODULE). */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)
#define IS_BUILTIN(option) __is_defined(option)
#define IS_MODULE(option) __is_defined(option##_MODULE)
#define IS_ENABLED(option) (IS_BUILTIN(option) || IS_MODULE(option))

#endif /* _LINUX_KCONFIG_H */
