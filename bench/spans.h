/* The measured spans (bench/spans.asm): each returns the TSC difference from just
 * before one intercepted instruction to just after it. The span also holds a few
 * instructions of its own; span_empty() measures them. */
#ifndef BENCH_SPANS_H
#define BENCH_SPANS_H

#include <stdint.h>

uint64_t span_empty(void);
uint64_t span_cpuid_leaf0(void);
uint64_t span_vmmcall(uint64_t number);
uint64_t span_out8(uint64_t port, uint64_t value);
uint64_t span_in8(uint64_t port);
uint64_t span_rdmsr(uint64_t msr);
uint64_t span_wrmsr(uint64_t msr, uint64_t value);
/* The store faults (#NPF); the caller has armed HC_EXPECT_NPF with
 * span_npf_recovery as the recovery RIP. */
uint64_t span_npf_write(uint64_t address);
extern const uint8_t span_npf_recovery[];

/* The TSC at the end of the last span. */
extern uint64_t span_end_tsc;

/* Reads the TSC `reads` times (at least 3) in a tight loop; stores each difference
 * between two successive reads above threshold in deltas (at most capacity, at
 * least 1) and returns how many; *smallest gets the smallest difference, the loop's
 * own cost. */
uint64_t tsc_scan(uint64_t reads, uint64_t threshold, uint64_t *deltas, uint64_t capacity,
                  uint64_t *smallest);

#endif
