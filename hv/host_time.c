/* minisvm's clock: TSC ticks since start, converted to the units its users need.
 * The TSC is invariant on the CPUs with SVM and nested paging that minisvm runs on
 * (CPUID 8000_0007 EDX[8]); its rate comes from the PIT (hv/lapic_timer.c).
 * See: APM Vol. 2 §13.2.4 (time-stamp counter). */
#include "hv/host_time.h"

#include "hv/x86.h"

/* Conversions are multiplications by a fixed-point factor, rate / tsc_hz scaled by
 * 2^SCALE_SHIFT, computed once: they run before every VMRUN, where a 128-bit
 * division would cost more than the rest of the exit path. 2^40 keeps the factors
 * exact to a few parts per million for TSC rates up to tens of GHz, and
 * the product of a 64-bit interval with one fits in 128 bits. */
#define SCALE_SHIFT 40

static uint64_t tsc_start;
static uint64_t tsc_per_second;
static uint64_t pit_ticks_factor, milliseconds_factor;

static uint64_t factor(uint64_t rate)
{
    return (uint64_t)(((unsigned __int128)rate << SCALE_SHIFT) / tsc_per_second);
}

void host_time_init(uint64_t tsc_hz)
{
    tsc_per_second = tsc_hz;
    if (tsc_hz) {
        pit_ticks_factor = factor(PIT_INPUT_CLOCK_HZ);
        milliseconds_factor = factor(1000);
    }
    tsc_start = rdtsc();
}

bool host_time_ready(void)
{
    return tsc_per_second != 0;
}

uint64_t host_time_tsc_hz(void)
{
    return tsc_per_second;
}

static uint64_t scale(uint64_t tsc_ticks, uint64_t scaled_factor)
{
    return (uint64_t)(((unsigned __int128)tsc_ticks * scaled_factor) >> SCALE_SHIFT);
}

uint64_t host_time_pit_ticks(void)
{
    return scale(rdtsc() - tsc_start, pit_ticks_factor);
}

uint64_t host_time_ms(void)
{
    return scale(rdtsc() - tsc_start, milliseconds_factor);
}

uint64_t host_time_tsc_to_ms(uint64_t tsc_ticks)
{
    return scale(tsc_ticks, milliseconds_factor);
}
