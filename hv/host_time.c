/* minisvm's clock: TSC ticks since start, converted to the units its users need.
 * The TSC is invariant on the CPUs with SVM and nested paging that minisvm runs on
 * (CPUID 8000_0007 EDX[8]); its rate comes from the PIT (hv/lapic_timer.c).
 * See: APM Vol. 2 §13.2.4 (time-stamp counter). */
#include "hv/host_time.h"

#include "hv/x86.h"

static uint64_t tsc_start;
static uint64_t tsc_per_second;

void host_time_init(uint64_t tsc_hz)
{
    tsc_per_second = tsc_hz;
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

/* ticks * rate / tsc_per_second without overflow (a 128-bit product). */
static uint64_t scale(uint64_t tsc_ticks, uint64_t rate)
{
    if (!tsc_per_second)
        return 0;
    return (uint64_t)((unsigned __int128)tsc_ticks * rate / tsc_per_second);
}

uint64_t host_time_pit_ticks(void)
{
    return scale(rdtsc() - tsc_start, PIT_INPUT_CLOCK_HZ);
}

uint64_t host_time_ms(void)
{
    return scale(rdtsc() - tsc_start, 1000);
}

uint64_t host_time_tsc_to_ms(uint64_t tsc_ticks)
{
    return scale(tsc_ticks, 1000);
}
