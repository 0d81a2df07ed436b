/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Atomic seqcount: a seqcount that allows concurrent writers (rmapcheck's own implementation of
 * the design of patches 06, 16 and 18, written from rmapcheck's spec, not from the patches).
 *
 * One word: the low bits count writers in progress, the high bits are a sequence number that
 * every finished write section advances by one STEP. Readers spin while any writer is active
 * and retry if the word changed while they read. Writers update the protected words with atomic
 * RMW adds (shared writers) or, when they are the only writer, with plain load-then-store
 * (the exclusive writer, V2/V3).
 *
 * CONFIG_ATOMIC_SEQCOUNT_VARIANT selects the layout and the exclusive protocol:
 *   1: shared writers only (P06)
 *   2: one exclusive writer, won by cmpxchg when no writer is active (P16)
 *   3: exclusive writers counted in a 16-bit field, won by add-return (P18, 64-bit only)
 */
#ifndef _LINUX_ATOMIC_SEQCOUNT_H
#define _LINUX_ATOMIC_SEQCOUNT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/preempt.h>
#include <linux/build_bug.h>
#include <linux/processor.h>

#ifndef CONFIG_ATOMIC_SEQCOUNT_VARIANT
#define CONFIG_ATOMIC_SEQCOUNT_VARIANT 3
#endif

typedef struct raw_atomic_seqcount {
	atomic_long_t sequence;
} raw_atomic_seqcount_t;

#define ATOMIC_SEQCOUNT_SHARED_WRITER		0x0000000000000001ul
#define ATOMIC_SEQCOUNT_SHARED_WRITERS_MASK	0x000000000000fffful

#if CONFIG_ATOMIC_SEQCOUNT_VARIANT == 1
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER	0x0000000000000000ul
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITERS_MASK	0x0000000000000000ul
#define ATOMIC_SEQCOUNT_WRITERS_MASK		0x000000000000fffful
#define ATOMIC_SEQCOUNT_SEQUENCE_STEP		0x0000000000010000ul
#elif CONFIG_ATOMIC_SEQCOUNT_VARIANT == 2
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER	0x0000000000010000ul
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITERS_MASK	0x0000000000010000ul
#define ATOMIC_SEQCOUNT_WRITERS_MASK		0x000000000001fffful
#define ATOMIC_SEQCOUNT_SEQUENCE_STEP		0x0000000000020000ul
#elif CONFIG_ATOMIC_SEQCOUNT_VARIANT == 3
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER	0x0000000000010000ul
#define ATOMIC_SEQCOUNT_EXCLUSIVE_WRITERS_MASK	0x00000000ffff0000ul
#define ATOMIC_SEQCOUNT_WRITERS_MASK		0x00000000fffffffful
#define ATOMIC_SEQCOUNT_SEQUENCE_STEP		0x0000000100000000ul
#else
#error "CONFIG_ATOMIC_SEQCOUNT_VARIANT must be 1, 2 or 3"
#endif

static inline void raw_atomic_seqcount_init(raw_atomic_seqcount_t *s)
{
	atomic_long_set(&s->sequence, 0);
}

/* The sequence as it is, writer bits included; the caller decides what active writers mean. */
static inline unsigned long raw_read_atomic_seqcount(raw_atomic_seqcount_t *s)
{
	unsigned long seq = atomic_long_read(&s->sequence);

	/* order the sequence read before the reads of the protected words */
	smp_rmb();
	return seq;
}

/* Wait until no writer is active; return the sequence to pass to the retry check. */
static inline unsigned long raw_read_atomic_seqcount_begin(raw_atomic_seqcount_t *s)
{
	unsigned long seq;

	while ((seq = atomic_long_read(&s->sequence)) & ATOMIC_SEQCOUNT_WRITERS_MASK)
		cpu_relax();
	smp_rmb();
	return seq;
}

/* True if a writer started (or finished) since `start`: what was read must be discarded. */
static inline bool raw_read_atomic_seqcount_retry(raw_atomic_seqcount_t *s, unsigned long start)
{
	/* order the reads of the protected words before the sequence re-read */
	smp_rmb();
	return atomic_long_read(&s->sequence) != (long)start;
}

static inline void __raw_write_atomic_seqcount_wait_exclusive(raw_atomic_seqcount_t *s)
{
	while (atomic_long_read(&s->sequence) & ATOMIC_SEQCOUNT_EXCLUSIVE_WRITERS_MASK)
		cpu_relax();
}

/*
 * Start a write section. Returns true if this writer is the exclusive one: no other writer is
 * active and none can start until raw_write_atomic_seqcount_end(), so the protected words may
 * be updated with plain accesses. Otherwise the writer is a shared one and must use atomic
 * RMW updates. Preemption stays disabled until the end: at most one writer per CPU, so the
 * 16-bit shared-writer field cannot overflow.
 */
static inline bool raw_write_atomic_seqcount_begin(raw_atomic_seqcount_t *s, bool try_exclusive)
{
	unsigned long seq __maybe_unused;

	preempt_disable();
#if CONFIG_ATOMIC_SEQCOUNT_VARIANT == 1
	(void)try_exclusive;
	atomic_long_add(ATOMIC_SEQCOUNT_SHARED_WRITER, &s->sequence);
	/* order the writer count before the updates of the protected words */
	smp_mb__after_atomic();
	return false;
#elif CONFIG_ATOMIC_SEQCOUNT_VARIANT == 2
	if (try_exclusive) {
		long old = atomic_long_read(&s->sequence);

		/* a successful cmpxchg is a full barrier */
		if (!(old & ATOMIC_SEQCOUNT_WRITERS_MASK) &&
		    atomic_long_try_cmpxchg(&s->sequence, &old,
					    old | ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER))
			return true;
	}
	seq = atomic_long_add_return(ATOMIC_SEQCOUNT_SHARED_WRITER, &s->sequence);
	if (unlikely(seq & ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER))
		__raw_write_atomic_seqcount_wait_exclusive(s);
	return false;
#else
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_64BIT));
	if (try_exclusive &&
	    !(atomic_long_read(&s->sequence) & ATOMIC_SEQCOUNT_WRITERS_MASK)) {
		seq = atomic_long_add_return(ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER, &s->sequence);
		if (likely((seq & ATOMIC_SEQCOUNT_WRITERS_MASK) == ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER))
			return true;
		/* lost the race: become a shared writer, wait for the exclusive one */
		atomic_long_add(ATOMIC_SEQCOUNT_SHARED_WRITER - ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER,
				&s->sequence);
		__raw_write_atomic_seqcount_wait_exclusive(s);
		return false;
	}
	seq = atomic_long_add_return(ATOMIC_SEQCOUNT_SHARED_WRITER, &s->sequence);
	if (unlikely(seq & ATOMIC_SEQCOUNT_EXCLUSIVE_WRITERS_MASK))
		__raw_write_atomic_seqcount_wait_exclusive(s);
	return false;
#endif
}

/* End a write section started by raw_write_atomic_seqcount_begin(s, ...) == exclusive. */
static inline void raw_write_atomic_seqcount_end(raw_atomic_seqcount_t *s, bool exclusive)
{
	unsigned long unit = exclusive ? ATOMIC_SEQCOUNT_EXCLUSIVE_WRITER :
					 ATOMIC_SEQCOUNT_SHARED_WRITER;

	/* order the updates of the protected words before the sequence update */
	smp_mb__before_atomic();
	atomic_long_add(ATOMIC_SEQCOUNT_SEQUENCE_STEP - unit, &s->sequence);
	preempt_enable();
}

#endif /* _LINUX_ATOMIC_SEQCOUNT_H */
