/* SPDX-License-Identifier: MIT */
/*
 * The wire format between rmapcheck (checker/conform/protocol.ts mirrors it) and the runtime.
 * Little-endian, fixed-size records, so both sides parse with plain offsets.
 *
 * Requests (stdin), each starting with a u32 kind:
 *   'B' u32 count, then count struct rmc_req_op      a batch of operations, run in order
 *   'T' struct rmc_req_threads, then                  concurrent mode: nr_exec executions of
 *       u64 seeds[nr_exec]                              one program (sched.c)
 *       s32 rmap_ids[nr_mms]
 *       struct rmc_req_op setup[nr_setup]             run sequentially before the threads
 *       per thread: u32 nr_ops, struct rmc_req_op ops[nr_ops]
 *       u8 decisions[nr_decisions], padded to 4       fixed: the schedule; dfs: the start path
 *       u32 params[nr_params]                         pct: depth, steps; race: the windows;
 *                                                     dfs: preemption bound
 *   'Q'                                               quit
 *
 * Responses (stdout): records of an 8-byte struct rmc_rec_head plus `len` payload bytes
 * (a multiple of 8):
 *   'I' hello, once at start: u64 shared, exclusive, writers mask, step; u32 min, max order;
 *       name
 *   'O' one per operation: a = answer (0 false, 1 true, 2 none), index = op index in the
 *       batch; u64 mapcount, entire, refcount, seq, values[6]
 *   'W' a WARN / BUG fired during op `index` (a = 1 for a BUG: the op was abandoned): text.
 *       Concurrent mode: index = thread << 16 | op (thread 0xffff: setup op)
 *   'X' op `index` was abandoned (BUG or livelock); the rest of the batch is not run.
 *       Concurrent mode: a = thread, index = op; the thread stops, the others go on
 *   'L' op `index` spun without end (sequential mode: no other thread can end the wait).
 *       Concurrent mode: the execution reached max_points decisions (index) unfinished
 *   'C' crash: a = signal number, during op `index`; the process exits
 *   'H' hang: op `index` ran over the per-step time limit; the process exits
 *   concurrent mode, per execution, in the order things happened:
 *   'K' once per 'T' request: the registered words' names, each ending in a NUL
 *   'S' a = thread, index = op: the thread starts that operation
 *   'R' a = thread, index = op; u64 answer: the thread finished it
 *   'Q' index = decisions so far: quiescent (no operation in flight); payload as 'O'
 *   'A' (flag RECORD) one decision, before its action runs: as 'P', tags 0
 *   'P' (flag RECORD) one decision, after its action ran: a = thread, index = tag | kind << 8
 *       | word << 16 of the point it ran from (word: registered word index + 1, 0 for none);
 *       u32 enabled threads (mask), u32 action tags (RMC_AT_*), u64 the point's code address
 *       (offset in the binary, for addr2line; 0 for a thread's first operation)
 *   'D' index = decisions: every unfinished thread spins (nobody can end the waits)
 *   'M' index = decision: the fixed schedule names a thread that cannot run there
 *   'G' (dfs) the start of an execution: the path it follows first, u32 length, bytes
 *   'N' end of the execution: a = end (RMC_END_*), index = decisions; u32 preemptions,
 *       u32 0, then (flag PROFILE) per thread u32 steps, u32 tag counts[9]
 *   'F' (dfs) a = 1 if every schedule within the bound was explored, else the path to go on
 *       from: u32 length, bytes
 *   'E' end of a request: index = operations run (concurrent: executions run)
 */
#ifndef _RMAPCHECK_PROTOCOL_H
#define _RMAPCHECK_PROTOCOL_H

#include <stdint.h>

enum rmc_op_code {
	RMC_OP_SETUP = 1,	/* mm = nr_mms, nr = order; ids from earlier RMC_OP_SET_ID */
	RMC_OP_SET_ID,		/* mm, arg = rmap ID */
	RMC_OP_NEW_ANON,	/* mm, nr */
	RMC_OP_MAP,		/* mm, page, nr, path */
	RMC_OP_UNMAP,		/* mm, page, nr, path */
	RMC_OP_DUP,		/* mm = parent, mm2 = child, page, nr, path */
	RMC_OP_MAP_PMD,		/* mm, path */
	RMC_OP_UNMAP_PMD,	/* mm, path */
	RMC_OP_DUP_PMD,		/* mm = parent, mm2 = child, path */
	RMC_OP_REMAP_PMD,	/* mm, path */
	RMC_OP_REF,		/* arg = delta */
	RMC_OP_MAPPED_SHARED,	/* mm -> answer */
	RMC_OP_COW_REUSE,	/* mm, page -> answer */
	RMC_OP_NR
};

struct rmc_req_op {
	uint8_t code;
	uint8_t mm;
	uint8_t mm2;
	uint8_t path;
	uint32_t page;
	uint32_t nr;
	int32_t arg;
};

struct rmc_rec_head {
	uint8_t tag;
	uint8_t a;
	uint16_t len;
	uint32_t index;
};

#define RMC_ANSWER_NONE 2

/* Concurrent mode ('T'). */
#define RMC_MAX_THREADS 8

enum rmc_strategy {
	RMC_STRAT_FIXED = 0,	/* the decisions, then: the current thread goes on, else the lowest */
	RMC_STRAT_RANDOM,	/* checker/random/random-walk.ts */
	RMC_STRAT_PCT,		/* checker/random/pct.ts */
	RMC_STRAT_RACE,		/* checker/random/race.ts */
	RMC_STRAT_DFS,		/* every schedule within a preemption bound, from a start path */
};

#define RMC_FLAG_RECORD		1	/* 'P' records */
#define RMC_FLAG_PROFILE	2	/* per-thread tag counts in 'N' */

struct rmc_req_threads {
	uint32_t flags;
	uint32_t strategy;
	uint32_t nr_exec;
	uint32_t max_points;
	uint32_t order;
	uint32_t nr_mms;
	uint32_t nr_setup;
	uint32_t nr_threads;
	uint32_t nr_decisions;
	uint32_t nr_params;
	uint32_t first_index;	/* execution index of the first execution (race: systematic pass) */
	uint32_t pad;
};

/* How an execution ended ('N' a). */
enum rmc_end {
	RMC_END_FINISHED = 0,
	RMC_END_BOUNDED,	/* max_points */
	RMC_END_DEADLOCK,	/* every unfinished thread spins */
};

/* Action tags (model/core.ts ActionTag, in its order), from what a decision's action did. */
#define RMC_AT_WRITE_BEGIN	(1u << 0)
#define RMC_AT_WRITE_END	(1u << 1)
#define RMC_AT_READ_BEGIN	(1u << 2)
#define RMC_AT_READ_BODY	(1u << 3)
#define RMC_AT_READ_RETRY	(1u << 4)
#define RMC_AT_PLAIN_LOAD	(1u << 5)
#define RMC_AT_PLAIN_STORE	(1u << 6)
#define RMC_AT_EXCLUSIVE	(1u << 7)
#define RMC_AT_SPIN		(1u << 8)
#define RMC_NR_AT		9

#endif /* _RMAPCHECK_PROTOCOL_H */
