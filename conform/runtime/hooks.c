// SPDX-License-Identifier: MIT
/*
 * The hooks the kernel-compatibility headers call (rmapcheck/hooks.h), the registered words,
 * and the -fsanitize=thread entry points. The runtime defines the __tsan_* functions itself
 * (as the kernel's KCSAN does), so an instrumented adapter links without libtsan: gcc emits a
 * call before every plain load and store, and a plain access to a registered word becomes a
 * scheduling point (RMC_T_PLAIN) in concurrent mode.
 */
#include <stdio.h>
#include <string.h>

#include <rmapcheck/adapter.h>
#include <rmapcheck/hooks.h>
#include "runtime.h"

int rmc_concurrent;
int rmc_preempt_count;

/* Spinning this often in one sequential operation means forever: nobody else runs. */
#define RMC_SEQUENTIAL_SPIN_LIMIT 100000

/* noinline: the return address is the instrumented access in the code under test */
__attribute__((noinline)) void rmc_sched_point_slow(unsigned int tag, const volatile void *addr, unsigned int kind)
{
	rmc_scheduler_point(tag, addr, kind, __builtin_return_address(0));
}

__attribute__((noinline)) void rmc_cpu_relax(void)
{
	if (rmc_concurrent) {
		rmc_scheduler_point(RMC_T_SPIN, NULL, 0, __builtin_return_address(0));
		return;
	}
	if (++rmc_spins > RMC_SEQUENTIAL_SPIN_LIMIT) {
		rmc_out_rec('L', 0, rmc_cur_index, NULL, 0);
		siglongjmp(rmc_abandon_jmp, 1);
	}
}

static void report(const char *what, const char *cond, const char *file, int line, int fatal)
{
	char text[512];
	const char *base = strrchr(file, '/');
	int n = snprintf(text, sizeof(text), "%s(%s) at %s:%d", what, cond, base ? base + 1 : file, line);

	if (n < 0)
		n = 0;
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;
	rmc_out_rec('W', (uint8_t)fatal, rmc_cur_index, text, (uint32_t)n);
}

void rmc_report(const char *what, const char *cond, const char *file, int line)
{
	report(what, cond, file, line, 0);
}

void rmc_report_fatal(const char *what, const char *cond, const char *file, int line)
{
	report(what, cond, file, line, 1);
	if (rmc_concurrent)
		rmc_sched_abandon();
	siglongjmp(rmc_abandon_jmp, 1);
}

#define RMC_MAX_WORDS 16
static struct { uintptr_t lo, hi; const char *name; } words[RMC_MAX_WORDS];
static unsigned int nr_words, seq_word;

void rmc_register_word(const volatile void *addr, unsigned int size, const char *name)
{
	if (nr_words == RMC_MAX_WORDS)
		return;
	words[nr_words].lo = (uintptr_t)addr;
	words[nr_words].hi = (uintptr_t)addr + size;
	words[nr_words].name = name ? name : "";
	nr_words++;
	if (name && !strcmp(name, "seq") && !seq_word)
		seq_word = nr_words;
}

void rmc_words_reset(void)
{
	nr_words = 0;
	seq_word = 0;
}

const char *rmc_word_name(unsigned int i)
{
	return i < nr_words ? words[i].name : "";
}

unsigned int rmc_nr_words(void)
{
	return nr_words;
}

unsigned int rmc_seq_word(void)
{
	return seq_word;
}

const volatile void *rmc_word_addr(unsigned int i)
{
	return (const volatile void *)words[i].lo;
}

unsigned int rmc_word_of(const volatile void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned int i;

	for (i = 0; i < nr_words; i++)
		if (a >= words[i].lo && a < words[i].hi)
			return i + 1;
	return 0;
}

/* -fsanitize=thread hooks: plain accesses. Only registered words matter. */
#define plain(addr, kind)								\
	do {										\
		if (rmc_concurrent && rmc_word_of(addr))				\
			rmc_scheduler_point(RMC_T_PLAIN, (addr), (kind), __builtin_return_address(0)); \
	} while (0)

#define RMC_TSAN_SIZE(n)								\
	void __tsan_read##n(void *a) { plain(a, RMC_LOAD); }				\
	void __tsan_write##n(void *a) { plain(a, RMC_STORE); }				\
	void __tsan_unaligned_read##n(void *a) { plain(a, RMC_LOAD); }			\
	void __tsan_unaligned_write##n(void *a) { plain(a, RMC_STORE); }		\
	void __tsan_volatile_read##n(void *a) { (void)a; }				\
	void __tsan_volatile_write##n(void *a) { (void)a; }
RMC_TSAN_SIZE(1)
RMC_TSAN_SIZE(2)
RMC_TSAN_SIZE(4)
RMC_TSAN_SIZE(8)
RMC_TSAN_SIZE(16)

void __tsan_read_range(void *a, unsigned long n) { (void)n; plain(a, RMC_LOAD); }
void __tsan_write_range(void *a, unsigned long n) { (void)n; plain(a, RMC_STORE); }
void __tsan_init(void) { }
void __tsan_func_entry(void *pc) { (void)pc; }
void __tsan_func_exit(void) { }
void __tsan_vptr_update(void **p, void *v) { (void)p; (void)v; }
void __tsan_vptr_read(void **p) { (void)p; }

/* __atomic builtins in instrumented code (the headers do not use them; user code might). */
#define RMC_TSAN_ATOMIC(n, T)								\
	T __tsan_atomic##n##_load(const volatile T *a, int mo)				\
	{ (void)mo; rmc_sched_point(RMC_T_READ, a, RMC_LOAD); return *a; }		\
	void __tsan_atomic##n##_store(volatile T *a, T v, int mo)			\
	{ (void)mo; rmc_sched_point(RMC_T_SET, a, RMC_STORE); *a = v; }			\
	T __tsan_atomic##n##_exchange(volatile T *a, T v, int mo)			\
	{ T o; (void)mo; rmc_sched_point(RMC_T_RMW_RETURN, a, RMC_LOAD | RMC_STORE | RMC_FULL); \
	  o = *a; *a = v; return o; }							\
	T __tsan_atomic##n##_fetch_add(volatile T *a, T v, int mo)			\
	{ T o; (void)mo; rmc_sched_point(RMC_T_RMW_RETURN, a, RMC_LOAD | RMC_STORE | RMC_FULL); \
	  o = *a; *a = (T)(o + v); return o; }						\
	T __tsan_atomic##n##_fetch_sub(volatile T *a, T v, int mo)			\
	{ T o; (void)mo; rmc_sched_point(RMC_T_RMW_RETURN, a, RMC_LOAD | RMC_STORE | RMC_FULL); \
	  o = *a; *a = (T)(o - v); return o; }						\
	int __tsan_atomic##n##_compare_exchange_strong(volatile T *a, T *c, T v, int mo, int fmo) \
	{ (void)mo; (void)fmo; rmc_sched_point(RMC_T_CMPXCHG, a, RMC_LOAD | RMC_STORE | RMC_FULL); \
	  if (*a == *c) { *a = v; return 1; } *c = *a; return 0; }			\
	int __tsan_atomic##n##_compare_exchange_weak(volatile T *a, T *c, T v, int mo, int fmo) \
	{ return __tsan_atomic##n##_compare_exchange_strong(a, c, v, mo, fmo); }	\
	T __tsan_atomic##n##_compare_exchange_val(volatile T *a, T c, T v, int mo, int fmo) \
	{ __tsan_atomic##n##_compare_exchange_strong(a, &c, v, mo, fmo); return c; }
RMC_TSAN_ATOMIC(8, uint8_t)
RMC_TSAN_ATOMIC(16, uint16_t)
RMC_TSAN_ATOMIC(32, uint32_t)
RMC_TSAN_ATOMIC(64, uint64_t)

void __tsan_atomic_thread_fence(int mo) { (void)mo; rmc_sched_point(RMC_T_BARRIER, NULL, RMC_FULL); }
void __tsan_atomic_signal_fence(int mo) { (void)mo; }
