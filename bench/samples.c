/* min / median / max of a case's samples (samples.h). An insertion sort: the
 * counts are small (about a thousand), and under QEMU's -icount most samples of a
 * case are equal, which is the sort's best case. */
#include "bench/samples.h"

struct sample_summary samples_summarize(uint64_t *samples, unsigned count)
{
    for (unsigned i = 1; i < count; i++) {
        uint64_t value = samples[i];
        unsigned j = i;
        while (j > 0 && samples[j - 1] > value) {
            samples[j] = samples[j - 1];
            j--;
        }
        samples[j] = value;
    }
    return (struct sample_summary){
        .min = samples[0], .median = samples[count / 2], .max = samples[count - 1],
        .count = count,
    };
}
