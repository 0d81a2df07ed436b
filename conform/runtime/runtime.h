/* SPDX-License-Identifier: MIT */
/* The runtime's internal interface: output records, the operation dispatcher, the scheduler. */
#ifndef _RMAPCHECK_RUNTIME_H
#define _RMAPCHECK_RUNTIME_H

#include <setjmp.h>
#include <stdint.h>
#include "protocol.h"

/* Output: records are buffered and written at the end of each request (and when full). */
void rmc_out_rec(uint8_t tag, uint8_t a, uint32_t index, const void *payload, uint32_t len);
void rmc_out_flush(void);
/* From a signal handler: flush, write one record, exit. Async-signal-safe. */
void rmc_out_die(uint8_t tag, uint8_t a) __attribute__((noreturn));

/* The operation in progress (what a crash, hang or warning is attributed to). */
extern volatile uint32_t rmc_cur_index;
extern volatile uint32_t rmc_op_serial;
extern volatile int rmc_in_op;
/* Consecutive cpu_relax() calls in the current sequential operation. */
extern unsigned long rmc_spins;
/* Where a sequential operation goes when it is abandoned (BUG, livelock). */
extern sigjmp_buf rmc_abandon_jmp;

/* Registered words (rmc_register_word): an address inside one gets its index + 1, else 0. */
unsigned int rmc_word_of(const volatile void *addr);
void rmc_words_reset(void);

/* Run one operation through the adapter; returns the answer (0, 1 or RMC_ANSWER_NONE). */
uint8_t rmc_exec_op(const struct rmc_req_op *op);
void rmc_emit_observation(uint8_t answer, uint32_t index);
/* The folio as an observation record with this tag ('O', or 'Q' in concurrent mode). */
void rmc_emit_state(uint8_t tag, uint8_t a, uint32_t index);

/* Concurrent mode (sched.c): one 'T' request, read from stdin, answered on the record stream. */
void rmc_run_request(const struct rmc_req_threads *req, const uint64_t *seeds, const int32_t *rmap_ids,
		     const struct rmc_req_op *setup, const uint32_t *nr_ops, const struct rmc_req_op *ops,
		     const uint8_t *decisions, const uint32_t *params);
/* The scheduling point of the running cooperative thread; `loc` is the code address of the
 * access (for the trace's source locations). */
void rmc_scheduler_point(unsigned int tag, const volatile void *addr, unsigned int kind, const void *loc);
void rmc_sched_abandon(void) __attribute__((noreturn));
/* The registered words' names (rmc_register_word order), and the index + 1 of the seqcount word
 * (the one named "seq"), 0 if none: its updates tell write-begin / write-end apart. */
const char *rmc_word_name(unsigned int i);
unsigned int rmc_nr_words(void);
unsigned int rmc_seq_word(void);
const volatile void *rmc_word_addr(unsigned int i);
/* The adapter's layout (the hello record): a thread is inside a write section while its own
 * additions to the seqcount word are not a multiple of the sequence step. */
extern uint64_t rmc_seq_step, rmc_seq_exclusive;

#endif /* _RMAPCHECK_RUNTIME_H */
