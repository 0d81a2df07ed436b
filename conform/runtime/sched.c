// SPDX-License-Identifier: MIT
/*
 * Concurrent mode: the operations of several threads run as cooperative threads (ucontext) in
 * this one process, so every interleaving is chosen here, deterministically.
 *
 * Each scheduling point (rmapcheck/hooks.h: every marked access, barrier, cpu_relax() and plain
 * access to a registered word) comes BEFORE its access and returns to the scheduler; a thread
 * paused at a point is one enabled action, and running it runs the access and everything up to
 * the thread's next point. At every decision the strategy picks one enabled thread:
 *
 *   fixed   the harness's decision list (a recorded schedule), then the default: the current
 *           thread goes on, else the lowest enabled one;
 *   random, pct, race
 *           the decisions of checker/random/random-walk.ts, pct.ts and race.ts, made here with
 *           the same PRNG (model/prng.ts sfc32) from the same execution seed, the same draws in
 *           the same order, so that a TS scheduler fed this execution's enabled sets chooses
 *           what this one chose (test/conform-concurrent-strategies.test.ts checks it);
 *   dfs     every schedule with at most `bound` preemptions (a switch away from a thread that
 *           could go on), stateless: each execution replays a path, then takes the default;
 *           the next path is the deepest decision with an untried alternative within the bound.
 *
 * A thread that reaches a spin point (cpu_relax) is descheduled until another thread stores to
 * memory: re-running it before would re-read what it read. When every unfinished thread spins,
 * nobody can end the waits ('D'); an execution over max_points decisions is bounded ('L'): both
 * are livelocks to the harness. What each decision's action did is classified into the action
 * tags the strategies know (RMC_AT_*): seqcount updates by their effect on the thread's own
 * share of the seqcount word (write-begin, write-end, exclusive attempt), reads by the kind of
 * operation the thread runs (a reader's seqcount reads begin or retry, its other reads are the
 * body), plain accesses, spins.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include <rmapcheck/adapter.h>
#include <rmapcheck/hooks.h>
#include "runtime.h"

#define RMC_STACK_SIZE (256 * 1024)
#define RMC_NO_THREAD 0xff

struct rmc_thread {
	ucontext_t ctx;
	const struct rmc_req_op *ops;
	uint32_t nr_ops;
	int done;
	int blocked;		/* at a spin point: waits for another thread's store */
	int reader;		/* its current operation is a reader */
	int rstate;		/* reader: 0 before a read attempt, 1 begun, 2 read the body */
	int preempt;		/* its preempt_count() while switched out */
	uint64_t seq_share;	/* what it added to the seqcount word so far */
	/* the point it is paused at: its next action */
	uint8_t tag, kind, word;
	const void *loc;
	/* profile */
	uint32_t steps, tags[RMC_NR_AT];
};

static char *stacks[RMC_MAX_THREADS];
static struct rmc_thread threads[RMC_MAX_THREADS];
static uint32_t nr_threads, cur;
static ucontext_t sched_ctx;
static uint32_t in_flight, ended, cur_step;
static int names_sent;
static uintptr_t code_base;
uint64_t rmc_seq_step, rmc_seq_exclusive;

/* ---- the PRNG of model/prng.ts (sfc32), draw for draw ---- */

struct rmc_prng {
	uint32_t a, b, c, d;
};

static uint32_t next32(struct rmc_prng *r)
{
	uint32_t t = r->a + r->b + r->d;

	r->d++;
	r->a = r->b ^ (r->b >> 9);
	r->b = r->c + (r->c << 3);
	r->c = (r->c << 21) | (r->c >> 11);
	r->c += t;
	return t;
}

static void prng_seed(struct rmc_prng *r, uint64_t seed)
{
	int i;

	r->a = (uint32_t)seed;
	r->b = (uint32_t)(seed >> 32);
	r->c = 0x9e3779b9u;
	r->d = 1;
	for (i = 0; i < 15; i++)
		next32(r);
}

/* Uniform in 0 .. n-1 by rejection (Prng.below). */
static uint32_t below(struct rmc_prng *r, uint32_t n)
{
	uint64_t limit = 0x100000000ull - (0x100000000ull % n);

	for (;;) {
		uint32_t x = next32(r);

		if (x < limit)
			return x % n;
	}
}

/* ---- strategies ---- */

struct rmc_phase {
	uint32_t prefer, avoid;
	int steps;		/* until: steps taken (else: a tag) */
	int thread;		/* until tag: of this thread, -1 any */
	uint32_t tag;		/* RMC_AT_* bit */
	uint32_t need;
};

#define RMC_MAX_PHASES 8

static struct {
	uint32_t kind;
	struct rmc_prng rng;
	/* fixed, dfs */
	const uint8_t *decisions;
	uint32_t nr_decisions;
	int mismatch;
	/* pct */
	uint32_t depth, k, prio[RMC_MAX_THREADS], change_at[16];
	/* race */
	const uint32_t *windows;	/* params: budget, count, then each window */
	uint32_t nr_windows, budget;
	int uniform, abandoned, phased;
	uint32_t noise;
	struct rmc_phase phases[RMC_MAX_PHASES];
	uint32_t nr_phases, phase, seen, in_phase;
	/* dfs */
	uint32_t bound;
} st;

/* dfs: every decision of the current execution */
struct rmc_decision {
	uint32_t enabled;
	uint8_t cur, chosen;
	uint32_t pre;		/* preemptions before this decision */
};
static struct rmc_decision *path;
static uint32_t path_cap;
static uint32_t preemptions;

static uint32_t list_of(uint32_t mask, uint8_t *list)
{
	uint32_t n = 0, t;

	for (t = 0; t < nr_threads; t++)
		if (mask & (1u << t))
			list[n++] = (uint8_t)t;
	return n;
}

static uint32_t default_choice(uint32_t enabled, const uint8_t *list)
{
	return cur != RMC_NO_THREAD && (enabled & (1u << cur)) ? cur : list[0];
}

static uint32_t pct_pick(const uint8_t *list, uint32_t n)
{
	uint32_t i, best = list[0];

	for (i = 1; i < n; i++)
		if (st.prio[list[i]] > st.prio[best])
			best = list[i];
	return best;
}

/* A window's phases start at params offset `*off`; returns the offset after it. */
static uint32_t window_end(uint32_t off)
{
	return off + 1 + st.windows[off] * 7;
}

static void race_setup(uint32_t index)
{
	uint32_t w, off, i, systematic;

	st.uniform = st.nr_windows == 0;
	st.abandoned = 0;
	st.phase = st.seen = st.in_phase = 0;
	st.nr_phases = 0;
	if (st.uniform)
		return;
	systematic = index < st.nr_windows;
	if (!systematic && below(&st.rng, 2) == 0) {
		st.uniform = 1;
		return;
	}
	w = systematic ? index : below(&st.rng, st.nr_windows);
	st.noise = systematic ? 0 : 0x40000000u;
	for (off = 2, i = 0; i < w; i++)
		off = window_end(off);
	for (i = 0; i < st.windows[off]; i++) {
		const uint32_t *p = &st.windows[off + 1 + i * 7];
		uint32_t need = (p[2] >> 8) ? p[5] + below(&st.rng, p[6] - p[5] + 1) : p[5];

		if (need > 0 && st.nr_phases < RMC_MAX_PHASES) {
			struct rmc_phase *ph = &st.phases[st.nr_phases++];

			ph->prefer = p[0];
			ph->avoid = p[1];
			ph->steps = (p[2] & 0xff) == 1;
			ph->thread = (int32_t)p[3];
			ph->tag = 1u << p[4];
			ph->need = need;
		}
	}
}

static void strategy_setup(uint32_t index, uint64_t seed)
{
	uint32_t i;

	prng_seed(&st.rng, seed);
	st.mismatch = 0;
	if (st.kind == RMC_STRAT_PCT) {
		for (i = 0; i < nr_threads; i++)
			st.prio[i] = st.depth + i;
		for (i = nr_threads - 1; i > 0; i--) {
			uint32_t j = below(&st.rng, i + 1), x = st.prio[i];

			st.prio[i] = st.prio[j];
			st.prio[j] = x;
		}
		for (i = 0; i + 1 < st.depth; i++)
			st.change_at[i] = 1 + below(&st.rng, st.k);
	} else if (st.kind == RMC_STRAT_RACE) {
		race_setup(index);
	}
}

static uint32_t choose(uint32_t enabled, uint32_t step)
{
	uint8_t list[RMC_MAX_THREADS];
	uint32_t n = list_of(enabled, list), c, i;

	switch (st.kind) {
	case RMC_STRAT_RANDOM:
		return list[n == 1 ? 0 : below(&st.rng, n)];
	case RMC_STRAT_PCT:
		c = pct_pick(list, n);
		for (i = 0; i + 1 < st.depth; i++)
			if (st.change_at[i] == step + 1) {
				st.prio[c] = i + 1;
				c = pct_pick(list, n);
			}
		return c;
	case RMC_STRAT_RACE: {
		uint8_t pref[RMC_MAX_THREADS], allow[RMC_MAX_THREADS];
		uint32_t np = 0, na = 0;
		const struct rmc_phase *p;

		st.phased = !(st.uniform || st.abandoned || st.phase >= st.nr_phases);
		if (!st.phased)
			return list[n == 1 ? 0 : below(&st.rng, n)];
		p = &st.phases[st.phase];
		for (i = 0; i < n; i++) {
			if (p->prefer & (1u << list[i]))
				pref[np++] = list[i];
			if (!(p->avoid & (1u << list[i])))
				allow[na++] = list[i];
		}
		if (np > 0 && !(st.noise > 0 && next32(&st.rng) < st.noise && na > 0))
			return pref[np == 1 ? 0 : below(&st.rng, np)];
		if (na > 0)
			return allow[na == 1 ? 0 : below(&st.rng, na)];
		return list[below(&st.rng, n)];
	}
	case RMC_STRAT_DFS:
	case RMC_STRAT_FIXED:
	default:
		c = default_choice(enabled, list);
		if (step < st.nr_decisions) {
			uint32_t d = st.decisions[step];

			if (d < nr_threads && (enabled & (1u << d)))
				c = d;
			else if (!st.mismatch) {
				st.mismatch = 1;
				rmc_out_rec('M', 0, step, NULL, 0);
			}
		}
		if (st.kind == RMC_STRAT_DFS) {
			struct rmc_decision *dd = &path[step];

			dd->enabled = enabled;
			dd->cur = (uint8_t)cur;
			dd->chosen = (uint8_t)c;
			dd->pre = preemptions;
		}
		return c;
	}
}

/* Race insertion's phase bookkeeping, once the chosen action's tags are known. */
static void race_after(uint32_t c, uint32_t tags)
{
	const struct rmc_phase *p;

	if (st.kind != RMC_STRAT_RACE || !st.phased)
		return;
	p = &st.phases[st.phase];
	if (p->steps) {
		if (++st.seen >= p->need)
			st.phase++, st.seen = 0, st.in_phase = 0;
	} else if (p->thread < 0 || (uint32_t)p->thread == c) {
		if ((tags & p->tag) && ++st.seen >= p->need)
			st.phase++, st.seen = 0, st.in_phase = 0;
	}
	if (st.phase < st.nr_phases && ++st.in_phase > st.budget)
		st.abandoned = 1;
}

/*
 * dfs: the next path after the execution of `steps` decisions, or -1 when every schedule
 * within the bound has been explored. Alternatives at a decision: the default first, then the
 * other enabled threads in increasing order.
 */
static int dfs_next(uint32_t steps, uint8_t *next, uint32_t *len)
{
	uint32_t i;

	for (i = steps; i-- > 0;) {
		const struct rmc_decision *d = &path[i];
		uint8_t list[RMC_MAX_THREADS];
		uint32_t n = list_of(d->enabled, list), j;
		uint32_t def = d->cur != RMC_NO_THREAD && (d->enabled & (1u << d->cur)) ? d->cur : list[0];
		int cur_enabled = d->cur != RMC_NO_THREAD && (d->enabled & (1u << d->cur));

		for (j = 0; j < n; j++) {
			uint32_t e = list[j], cost = cur_enabled && e != d->cur;

			if (e == def || (d->chosen != def && e <= d->chosen))
				continue;
			if (d->pre + cost > st.bound)
				continue;
			for (n = 0; n < i; n++)
				next[n] = path[n].chosen;
			next[i] = (uint8_t)e;
			*len = i + 1;
			return 0;
		}
	}
	return -1;
}

/* ---- threads ---- */

void rmc_scheduler_point(unsigned int tag, const volatile void *addr, unsigned int kind, const void *loc)
{
	struct rmc_thread *t;

	if (!rmc_concurrent)
		return;
	t = &threads[cur];
	rmc_op_serial++;
	t->tag = (uint8_t)tag;
	t->kind = (uint8_t)kind;
	t->word = (uint8_t)rmc_word_of(addr);
	t->loc = loc;
	t->blocked = tag == RMC_T_SPIN;
	t->preempt = rmc_preempt_count;
	swapcontext(&t->ctx, &sched_ctx);
	rmc_preempt_count = threads[cur].preempt;
}

static int is_reader(const struct rmc_req_op *op)
{
	return op->code == RMC_OP_MAPPED_SHARED || op->code == RMC_OP_COW_REUSE;
}

static void thread_main(void)
{
	static const char preempt_msg[] = "preempt_count() != 0 after the operation";
	uint32_t me = cur, pc;

	rmc_preempt_count = 0;
	for (pc = 0; pc < threads[me].nr_ops; pc++) {
		const struct rmc_req_op *op = &threads[me].ops[pc];
		uint64_t answer;

		if (pc > 0)
			rmc_scheduler_point(RMC_T_OP, NULL, 0, NULL);
		rmc_cur_index = me << 16 | pc;
		threads[me].reader = is_reader(op);
		threads[me].rstate = 0;
		rmc_out_rec('S', (uint8_t)me, pc, &cur_step, sizeof(cur_step));
		in_flight++;
		answer = rmc_exec_op(op);
		in_flight--;
		ended++;
		if (rmc_preempt_count) {
			rmc_out_rec('W', 0, me << 16 | pc, preempt_msg, sizeof(preempt_msg) - 1);
			rmc_preempt_count = 0;
		}
		{
			uint64_t rec[2] = { answer, cur_step };

			rmc_out_rec('R', (uint8_t)me, pc, rec, sizeof(rec));
		}
	}
	threads[me].done = 1;
	/* uc_link returns to the scheduler */
}

/* The thread that fired a BUG stops (its operation stays in flight); the others go on. */
void rmc_sched_abandon(void)
{
	threads[cur].done = 1;
	rmc_out_rec('X', (uint8_t)cur, rmc_cur_index & 0xffff, NULL, 0);
	setcontext(&sched_ctx);
	abort();
}

/* Separate, because getcontext() returns twice. */
static __attribute__((noinline)) void init_context(struct rmc_thread *th, char *stack)
{
	getcontext(&th->ctx);
	th->ctx.uc_stack.ss_sp = stack;
	th->ctx.uc_stack.ss_size = RMC_STACK_SIZE;
	th->ctx.uc_link = &sched_ctx;
	makecontext(&th->ctx, thread_main, 0);
}

/* What the action a thread just ran (from its point `p`) did, as RMC_AT_* tags. */
static uint32_t classify(struct rmc_thread *t, uint8_t tag, uint8_t kind, uint8_t word, uint64_t seq_before,
			 uint64_t seq_after)
{
	uint32_t tags = 0;
	uint64_t mask = rmc_seq_step - 1;

	if (tag == RMC_T_SPIN)
		return RMC_AT_SPIN;
	if (tag == RMC_T_PLAIN)
		return kind & RMC_STORE ? RMC_AT_PLAIN_STORE : RMC_AT_PLAIN_LOAD;
	if (!word)
		return 0;
	if (word == rmc_seq_word()) {
		if (kind & RMC_STORE) {
			uint64_t d = seq_after - seq_before;
			uint64_t before = t->seq_share & mask, after;

			t->seq_share += d;
			after = t->seq_share & mask;
			if (tag == RMC_T_CMPXCHG)
				tags |= RMC_AT_EXCLUSIVE;
			if (!before && after) {
				tags |= RMC_AT_WRITE_BEGIN;
				if (d == rmc_seq_exclusive && d)
					tags |= RMC_AT_EXCLUSIVE;
			} else if (before && !after) {
				tags |= RMC_AT_WRITE_END;
			}
		} else if (t->reader) {
			if (t->rstate == 2) {
				tags |= RMC_AT_READ_RETRY;
				t->rstate = 0;
			} else {
				tags |= RMC_AT_READ_BEGIN;
				t->rstate = 1;
			}
		} else if (!(t->seq_share & mask)) {
			/* a writer looks at the seqcount before its section: whether to try exclusive */
			tags |= RMC_AT_EXCLUSIVE;
		}
	} else if (t->reader && (kind & RMC_LOAD)) {
		tags |= RMC_AT_READ_BODY;
		if (t->rstate == 1)
			t->rstate = 2;
	}
	return tags;
}

static uint64_t seq_value(void)
{
	unsigned int w = rmc_seq_word();

	return w ? *(const volatile uint64_t *)rmc_word_addr(w - 1) : 0;
}

static void observe(uint32_t step)
{
	rmc_concurrent = 0;
	rmc_emit_state('Q', 0, step);
	rmc_concurrent = 1;
}

/* The 'K' record: the registered words' names, once the adapter's setup registered them. */
static void word_names(void)
{
	char names[512];
	uint32_t n = 0, w;

	for (w = 0; w < rmc_nr_words(); w++) {
		size_t l = strlen(rmc_word_name(w));

		if (n + l + 1 > sizeof(names))
			break;
		memcpy(names + n, rmc_word_name(w), l + 1);
		n += (uint32_t)l + 1;
	}
	rmc_out_rec('K', 0, rmc_nr_words(), names, n);
}

/* One execution; returns the number of decisions. */
static uint32_t run_execution(const struct rmc_req_threads *req, const int32_t *rmap_ids,
			      const struct rmc_req_op *setup, const uint32_t *nr_ops,
			      const struct rmc_req_op *ops, int *end)
{
	uint32_t t, step = 0, first = 0, i;
	int record = req->flags & RMC_FLAG_RECORD;

	/* the setup, sequentially (as the sequential mode runs operations); a BUG or an endless
	 * spin in it ends the execution ('X', thread 0xff) */
	rmc_concurrent = 0;
	nr_threads = 0;
	preemptions = 0;
	if (sigsetjmp(rmc_abandon_jmp, 0)) {
		rmc_out_rec('X', RMC_NO_THREAD, rmc_cur_index & 0xffff, NULL, 0);
		*end = RMC_END_FINISHED;
		return 0;
	}
	for (i = 0; i < req->nr_mms; i++) {
		struct rmc_req_op o = { .code = RMC_OP_SET_ID, .mm = (uint8_t)i, .arg = rmap_ids[i] };

		rmc_exec_op(&o);
	}
	{
		struct rmc_req_op o = { .code = RMC_OP_SETUP, .mm = (uint8_t)req->nr_mms, .nr = req->order };

		rmc_cur_index = 0xffffu << 16;
		rmc_exec_op(&o);
	}
	for (i = 0; i < req->nr_setup; i++) {
		rmc_cur_index = 0xffffu << 16 | i;
		rmc_op_serial++;
		rmc_spins = 0;
		rmc_exec_op(&setup[i]);
	}
	rmc_preempt_count = 0;
	if (!names_sent) {
		/* once per request, now that the adapter's setup registered them */
		word_names();
		names_sent = 1;
	}

	nr_threads = req->nr_threads;
	for (t = 0; t < nr_threads; t++) {
		struct rmc_thread *th = &threads[t];

		memset(th, 0, sizeof(*th));
		th->ops = ops + first;
		th->nr_ops = nr_ops[t];
		th->done = th->nr_ops == 0;
		th->tag = RMC_T_OP;
		first += nr_ops[t];
		if (!th->done)
			init_context(th, stacks[t]);
	}
	in_flight = ended = 0;
	cur = RMC_NO_THREAD;
	rmc_concurrent = 1;
	observe(0);
	*end = RMC_END_FINISHED;
	for (;;) {
		uint32_t enabled = 0, alive = 0, c, tags, ended_before = ended;
		struct rmc_thread *th;
		uint8_t tag, kind, word;
		const void *loc;
		uint64_t seq_before;

		for (t = 0; t < nr_threads; t++) {
			if (threads[t].done)
				continue;
			alive |= 1u << t;
			if (!threads[t].blocked)
				enabled |= 1u << t;
		}
		if (!alive)
			break;
		if (!enabled) {
			rmc_out_rec('D', 0, step, NULL, 0);
			*end = RMC_END_DEADLOCK;
			break;
		}
		if (step >= req->max_points) {
			rmc_out_rec('L', 0, step, NULL, 0);
			*end = RMC_END_BOUNDED;
			break;
		}
		c = choose(enabled, step);
		if (cur != RMC_NO_THREAD && (enabled & (1u << cur)) && c != cur)
			preemptions++;
		th = &threads[c];
		tag = th->tag;
		kind = th->kind;
		word = th->word;
		loc = th->loc;
		seq_before = seq_value();
		if (record) {
			/* the decision before its action: a crash or hang inside it still names it */
			uint32_t rec[4] = { enabled, 0, 0, 0 };
			uint64_t off = loc ? (uint64_t)((uintptr_t)loc - code_base) : 0;

			memcpy(&rec[2], &off, sizeof(off));
			rmc_out_rec('A', (uint8_t)c, tag | kind << 8 | (uint32_t)word << 16, rec, sizeof(rec));
		}
		cur = c;
		cur_step = step;
		rmc_op_serial++;
		swapcontext(&sched_ctx, &th->ctx);
		tags = classify(th, tag, kind, word, seq_before, seq_value());
		th->steps++;
		for (i = 0; i < RMC_NR_AT; i++)
			th->tags[i] += (tags >> i) & 1;
		if (kind & RMC_STORE)
			for (t = 0; t < nr_threads; t++)
				if (t != c)
					threads[t].blocked = 0;
		race_after(c, tags);
		if (record) {
			uint32_t rec[4];
			uint64_t off = loc ? (uint64_t)((uintptr_t)loc - code_base) : 0;

			rec[0] = enabled;
			rec[1] = tags;
			memcpy(&rec[2], &off, sizeof(off));
			rmc_out_rec('P', (uint8_t)c, tag | kind << 8 | (uint32_t)word << 16, rec, sizeof(rec));
		}
		step++;
		if (ended != ended_before && in_flight == 0)
			observe(step);
	}
	rmc_concurrent = 0;
	rmc_preempt_count = 0;
	return step;
}

/* The 'N' record of an execution. */
static void end_record(const struct rmc_req_threads *req, int end, uint32_t steps)
{
	uint32_t buf[2 + RMC_MAX_THREADS * (1 + RMC_NR_AT)];
	uint32_t n = 0, t, i;

	buf[n++] = preemptions;
	buf[n++] = 0;
	if (req->flags & RMC_FLAG_PROFILE)
		for (t = 0; t < nr_threads; t++) {
			buf[n++] = threads[t].steps;
			for (i = 0; i < RMC_NR_AT; i++)
				buf[n++] = threads[t].tags[i];
		}
	rmc_out_rec('N', (uint8_t)end, steps, buf, n * 4);
}

void rmc_run_request(const struct rmc_req_threads *req, const uint64_t *seeds, const int32_t *rmap_ids,
		     const struct rmc_req_op *setup, const uint32_t *nr_ops, const struct rmc_req_op *ops,
		     const uint8_t *decisions, const uint32_t *params)
{
	uint32_t e, t, executions = 0;
	uint8_t *next = NULL;
	uint32_t next_len = 0;
	int exhausted = 0;

	if (!code_base) {
		Dl_info info;

		if (dladdr((void *)rmc_run_request, &info) && info.dli_fbase)
			code_base = (uintptr_t)info.dli_fbase;
	}
	for (t = 0; t < req->nr_threads && t < RMC_MAX_THREADS; t++)
		if (!stacks[t] && !(stacks[t] = malloc(RMC_STACK_SIZE)))
			_exit(5);
	if (req->max_points + 1 > path_cap) {
		path_cap = req->max_points + 1;
		path = realloc(path, path_cap * sizeof(*path));
		if (!path)
			_exit(5);
	}
	memset(&st, 0, sizeof(st));
	names_sent = 0;
	st.kind = req->strategy;
	st.decisions = decisions;
	st.nr_decisions = req->nr_decisions;
	if (st.kind == RMC_STRAT_PCT) {
		st.depth = req->nr_params > 0 ? params[0] : 3;
		st.k = req->nr_params > 1 && params[1] ? params[1] : 1;
		if (st.depth > 16)
			st.depth = 16;
	} else if (st.kind == RMC_STRAT_RACE) {
		st.windows = params;
		st.budget = req->nr_params > 0 ? params[0] : 0;
		st.nr_windows = req->nr_params > 1 ? params[1] : 0;
	} else if (st.kind == RMC_STRAT_DFS) {
		st.bound = req->nr_params > 0 ? params[0] : 0xffffffffu;
		next = malloc(req->max_points + 1);
		if (!next)
			_exit(5);
	}
	rmc_in_op = 1;
	for (e = 0; e < req->nr_exec; e++) {
		int end;
		uint32_t steps;

		strategy_setup(req->first_index + e, seeds ? seeds[e] : 0);
		if (st.kind == RMC_STRAT_DFS) {
			/* the path this execution follows, first: a crash in it still names it */
			uint32_t len = st.nr_decisions;
			uint8_t *rec = malloc(4 + len + 1);

			if (!rec)
				_exit(5);
			memcpy(rec, &len, 4);
			memcpy(rec + 4, st.decisions, len);
			rmc_out_rec('G', 0, e, rec, 4 + len);
			free(rec);
		}
		steps = run_execution(req, rmap_ids, setup, nr_ops, ops, &end);
		executions++;
		end_record(req, end, steps);
		if (st.kind == RMC_STRAT_DFS) {
			if (dfs_next(steps, next, &next_len)) {
				exhausted = 1;
				break;
			}
			st.decisions = next;
			st.nr_decisions = next_len;
			/* the next execution reads `next` while dfs_next may write it: copy */
			{
				static uint8_t *cp;
				static uint32_t cp_cap;

				if (next_len > cp_cap) {
					cp_cap = next_len * 2 + 16;
					cp = realloc(cp, cp_cap);
					if (!cp)
						_exit(5);
				}
				memcpy(cp, next, next_len);
				st.decisions = cp;
			}
		}
	}
	if (st.kind == RMC_STRAT_DFS) {
		uint32_t len = exhausted ? 0 : st.nr_decisions;
		uint8_t *rec = malloc(4 + len + 1);

		if (!rec)
			_exit(5);
		memcpy(rec, &len, 4);
		if (len)
			memcpy(rec + 4, st.decisions, len);
		rmc_out_rec('F', (uint8_t)exhausted, 0, rec, 4 + len);
		free(rec);
		free(next);
	}
	rmc_in_op = 0;
	rmc_out_rec('E', 0, executions, NULL, 0);
}
