// SPDX-License-Identifier: MIT
/*
 * rmapcheck conformance runtime: reads requests from stdin, runs them through the adapter,
 * writes one observation per operation to stdout (protocol.h). Crashes and hangs of the code
 * under test become records, never silence: the harness turns them into findings.
 *
 * usage: rmc-conform STEP_LIMIT_MS
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <rmapcheck/adapter.h>
#include <rmapcheck/hooks.h>
#include "runtime.h"

volatile uint32_t rmc_cur_index;
volatile uint32_t rmc_op_serial;
volatile int rmc_in_op;
unsigned long rmc_spins;
sigjmp_buf rmc_abandon_jmp;

static unsigned char out_buf[1 << 20];
static size_t out_len;
/* The protocol's stream: a dup of the original stdout; fd 1 itself goes to stderr, so that a
 * printf() in the code under test cannot corrupt the protocol. */
static int proto_fd = 1;
static int rmap_ids[RMC_MAX_MMS];

static void write_all(const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(proto_fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(4);	/* the harness went away */
		c += w;
		n -= (size_t)w;
	}
}

void rmc_out_flush(void)
{
	write_all(out_buf, out_len);
	out_len = 0;
}

void rmc_out_rec(uint8_t tag, uint8_t a, uint32_t index, const void *payload, uint32_t len)
{
	uint32_t padded = (len + 7) & ~7u;
	struct rmc_rec_head h = { tag, a, (uint16_t)padded, index };

	if (out_len + sizeof(h) + padded > sizeof(out_buf))
		rmc_out_flush();
	memcpy(out_buf + out_len, &h, sizeof(h));
	memcpy(out_buf + out_len + sizeof(h), payload, len);
	memset(out_buf + out_len + sizeof(h) + len, 0, padded - len);
	out_len += sizeof(h) + padded;
}

void rmc_out_die(uint8_t tag, uint8_t a)
{
	struct rmc_rec_head h = { tag, a, 0, rmc_cur_index };

	write_all(out_buf, out_len);
	write_all(&h, sizeof(h));
	_exit(3);
}

static void on_crash(int sig)
{
	rmc_out_die('C', (uint8_t)sig);
}

/* A periodic tick: an operation still running at two consecutive ticks has hung. */
static void on_tick(int sig)
{
	static uint32_t seen = ~0u;

	(void)sig;
	if (rmc_in_op && seen == rmc_op_serial)
		rmc_out_die('H', 0);
	seen = rmc_op_serial;
}

static void install_handlers(long step_limit_ms)
{
	static char alt_stack[1 << 16];
	stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 0 }, { 0, 0 } };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP };
	unsigned int i;

	sigaltstack(&ss, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	for (i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
	sa.sa_handler = on_tick;
	sa.sa_flags = SA_ONSTACK | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	it.it_interval.tv_sec = step_limit_ms / 1000;
	it.it_interval.tv_usec = (step_limit_ms % 1000) * 1000;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

static int read_all(void *p, size_t n)
{
	char *c = p;

	while (n) {
		ssize_t r = read(0, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static void *read_array(size_t size, uint32_t count)
{
	static void *buf;
	static size_t cap;

	if (size * count > cap) {
		cap = size * count * 2;
		buf = realloc(buf, cap);
		if (!buf)
			_exit(5);
	}
	if (read_all(buf, size * count))
		_exit(0);
	return buf;
}

uint8_t rmc_exec_op(const struct rmc_req_op *op)
{
	enum rmc_path path = (enum rmc_path)op->path;

	switch (op->code) {
	case RMC_OP_SET_ID:
		rmap_ids[op->mm % RMC_MAX_MMS] = op->arg;
		return RMC_ANSWER_NONE;
	case RMC_OP_SETUP:
		rmc_words_reset();
		rmc_preempt_count = 0;
		return rmc_adapter_setup(op->nr, op->mm, rmap_ids) != 0;
	case RMC_OP_NEW_ANON: rmc_adapter_new_anon_folio(op->mm, op->nr); break;
	case RMC_OP_MAP: rmc_adapter_map_ptes(op->mm, op->page, op->nr, path); break;
	case RMC_OP_UNMAP: rmc_adapter_unmap_ptes(op->mm, op->page, op->nr, path); break;
	case RMC_OP_DUP: rmc_adapter_dup_ptes(op->mm, op->mm2, op->page, op->nr, path); break;
	case RMC_OP_MAP_PMD: rmc_adapter_map_pmd(op->mm, path); break;
	case RMC_OP_UNMAP_PMD: rmc_adapter_unmap_pmd(op->mm, path); break;
	case RMC_OP_DUP_PMD: rmc_adapter_dup_pmd(op->mm, op->mm2, path); break;
	case RMC_OP_REMAP_PMD: rmc_adapter_remap_pmd(op->mm, path); break;
	case RMC_OP_REF: rmc_adapter_ref(op->arg); break;
	case RMC_OP_MAPPED_SHARED: return rmc_adapter_mapped_shared(op->mm);
	case RMC_OP_COW_REUSE: return rmc_adapter_cow_reuse(op->mm, op->page);
	}
	return RMC_ANSWER_NONE;
}

void rmc_emit_observation(uint8_t answer, uint32_t index)
{
	rmc_emit_state('O', answer, index);
}

void rmc_emit_state(uint8_t tag, uint8_t answer, uint32_t index)
{
	struct rmc_observation o = { 0 };
	uint64_t w[4 + RMC_MAX_VALUES];

	rmc_adapter_observe(&o);
	w[0] = (uint64_t)o.mapcount;
	w[1] = (uint64_t)o.entire_mapcount;
	w[2] = (uint64_t)o.refcount;
	w[3] = o.seq;
	memcpy(&w[4], o.values, sizeof(o.values));
	rmc_out_rec(tag, answer, index, w, sizeof(w));
}

/* One operation and its records; false if it was abandoned (BUG, livelock). */
static bool run_one(const struct rmc_req_op *op, uint32_t i)
{
	static const char preempt_msg[] = "preempt_count() != 0 after the operation";
	uint8_t answer;

	rmc_cur_index = i;
	rmc_spins = 0;
	if (sigsetjmp(rmc_abandon_jmp, 0)) {
		rmc_in_op = 0;
		rmc_out_rec('X', 0, i, NULL, 0);
		return false;
	}
	rmc_op_serial++;
	rmc_in_op = 1;
	answer = rmc_exec_op(op);
	rmc_in_op = 0;
	if (rmc_preempt_count) {
		rmc_out_rec('W', 0, i, preempt_msg, sizeof(preempt_msg) - 1);
		rmc_preempt_count = 0;
	}
	rmc_emit_observation(answer, i);
	return true;
}

static void run_batch(uint32_t count)
{
	const struct rmc_req_op *ops = read_array(sizeof(*ops), count);
	uint32_t i;

	for (i = 0; i < count; i++)
		if (!run_one(&ops[i], i))
			break;
	rmc_out_rec('E', 0, i, NULL, 0);
	rmc_out_flush();
}

/* A 'T' request (protocol.h): read whole, then run (sched.c). */
static void run_threads(void)
{
	struct rmc_req_threads req;
	uint64_t *seeds;
	int32_t *ids;
	struct rmc_req_op *setup, *ops;
	uint32_t *nr_ops, *params, t, total = 0;
	uint8_t *decisions;

	if (read_all(&req, sizeof(req)))
		_exit(0);
	if (req.nr_threads > RMC_MAX_THREADS || req.nr_mms > RMC_MAX_MMS)
		_exit(7);
	seeds = malloc(req.nr_exec * sizeof(*seeds) + 8);
	ids = malloc(req.nr_mms * sizeof(*ids) + 4);
	setup = malloc(req.nr_setup * sizeof(*setup) + 1);
	nr_ops = calloc(req.nr_threads + 1, sizeof(*nr_ops));
	decisions = malloc(((req.nr_decisions + 3) & ~3u) + 1);
	params = malloc(req.nr_params * sizeof(*params) + 4);
	ops = NULL;
	if (!seeds || !ids || !setup || !nr_ops || !decisions || !params)
		_exit(5);
	if (read_all(seeds, req.nr_exec * sizeof(*seeds)) || read_all(ids, req.nr_mms * sizeof(*ids)) ||
	    read_all(setup, req.nr_setup * sizeof(*setup)))
		_exit(0);
	for (t = 0; t < req.nr_threads; t++) {
		if (read_all(&nr_ops[t], 4))
			_exit(0);
		ops = realloc(ops, (total + nr_ops[t] + 1) * sizeof(*ops));
		if (!ops)
			_exit(5);
		if (read_all(ops + total, nr_ops[t] * sizeof(*ops)))
			_exit(0);
		total += nr_ops[t];
	}
	if (read_all(decisions, (req.nr_decisions + 3) & ~3u) || read_all(params, req.nr_params * sizeof(*params)))
		_exit(0);
	rmc_run_request(&req, seeds, ids, setup, nr_ops, ops, decisions, params);
	free(seeds);
	free(ids);
	free(setup);
	free(nr_ops);
	free(decisions);
	free(params);
	free(ops);
	rmc_out_flush();
}

/* The adapter's start-up code may fire a BUG too: it is reported like any other. */
static void adapter_info(struct rmc_adapter_info *info)
{
	if (sigsetjmp(rmc_abandon_jmp, 0))
		return;
	rmc_in_op = 1;
	rmc_adapter_info(info);
}

int main(int argc, char **argv)
{
	struct rmc_adapter_info info = { 0 };
	long step_limit_ms = argc > 1 ? atol(argv[1]) : 1000;
	uint64_t hello[5];
	uint32_t kind, count;

	proto_fd = dup(1);
	if (proto_fd < 0 || dup2(2, 1) < 0)
		return 6;
	install_handlers(step_limit_ms > 0 ? step_limit_ms : 1000);
	adapter_info(&info);
	rmc_in_op = 0;
	rmc_seq_step = info.seq_sequence_step ? info.seq_sequence_step : 1;
	rmc_seq_exclusive = info.seq_exclusive_writer;
	hello[0] = info.seq_shared_writer;
	hello[1] = info.seq_exclusive_writer;
	hello[2] = info.seq_writers_mask;
	hello[3] = info.seq_sequence_step;
	hello[4] = (uint64_t)info.min_order | (uint64_t)info.max_order << 32;
	{
		size_t n = info.name ? strlen(info.name) : 0;
		unsigned char rec[sizeof(hello) + 256];

		if (n > 256)
			n = 256;
		memcpy(rec, hello, sizeof(hello));
		if (n)
			memcpy(rec + sizeof(hello), info.name, n);
		rmc_out_rec('I', RMC_ADAPTER_ABI_VERSION, (uint32_t)n, rec, (uint32_t)(sizeof(hello) + n));
		rmc_out_flush();
	}
	for (;;) {
		if (read_all(&kind, sizeof(kind)))
			return 0;
		switch (kind) {
		case 'B':
			if (read_all(&count, sizeof(count)))
				return 0;
			run_batch(count);
			break;
		case 'T':
			run_threads();
			break;
		default:
			return 0;
		}
	}
}
