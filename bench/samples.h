/* The summary of one case's samples: smallest, middle and largest. */
#ifndef BENCH_SAMPLES_H
#define BENCH_SAMPLES_H

#include <stdint.h>

struct sample_summary {
    uint64_t min, median, max;
    unsigned count;
};

/* Sorts samples in place; the median is the middle sample (of an even count, the
 * upper of the two in the middle). count must be at least 1. */
struct sample_summary samples_summarize(uint64_t *samples, unsigned count);

#endif
