/* The local APIC timer as minisvm's host timer: a periodic interrupt that makes a
 * running guest exit (INTR intercept), so that a guest which never exits again
 * cannot hang the machine (the watchdog), VMs share the CPU in time slices, and
 * the guests' emulated PITs raise their interrupts on time. */
#ifndef HV_LAPIC_TIMER_H
#define HV_LAPIC_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_TIMER_VECTOR    0x20
#define LAPIC_SPURIOUS_VECTOR 0xff
/* 1 ms: fine enough for a guest PIT at Linux's HZ=250 (4 ms ticks). */
#define LAPIC_TIMER_PERIOD_MS 1

/* Calibrates the timer against the PIT and starts it; false (and a log line) when
 * that is not possible, in which case minisvm runs without a watchdog. */
bool lapic_timer_start(void);
/* Lets the host take a pending interrupt (the timer's handler acknowledges it). */
void lapic_timer_take_pending(void);

#endif
