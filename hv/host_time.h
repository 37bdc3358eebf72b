/* minisvm's clock: the TSC, measured against the PIT at start (hv/lapic_timer.c).
 * The guests' emulated PITs and CMOS clocks read it, so that guest time advances
 * with real time, not with exits. */
#ifndef HV_HOST_TIME_H
#define HV_HOST_TIME_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_INPUT_CLOCK_HZ 1193182u

/* Sets the TSC rate and takes the current TSC as time zero. */
void host_time_init(uint64_t tsc_hz);
/* Whether host_time_init has run (the host timer was calibrated). */
bool host_time_ready(void);
uint64_t host_time_tsc_hz(void);
/* Time since host_time_init, in PIT input-clock ticks (1,193,182 Hz). */
uint64_t host_time_pit_ticks(void);
/* Time since host_time_init, in milliseconds. */
uint64_t host_time_ms(void);
/* A TSC interval in milliseconds. */
uint64_t host_time_tsc_to_ms(uint64_t tsc_ticks);

#endif
