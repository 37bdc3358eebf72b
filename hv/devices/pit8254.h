/* The PC's Intel 8254 interval timer: counters at 0x40-0x42 (0 drives IRQ0, 2 the
 * speaker), control word at 0x43, and "system control port B" at 0x61, which
 * gates counter 2 and reads its OUT. Follows the Intel 82C54 datasheet
 * ("Operational Description", "Modes", "Read-Back Command"). */
#ifndef HV_DEVICES_PIT8254_H
#define HV_DEVICES_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

/* Time is counted in the 8254's input clock, PIT_INPUT_HZ ticks per second, as a
 * uint64_t that the caller supplies with every call ("now") and never lets go
 * backwards; the model reads no clock itself. An event "at tick t" happens just
 * after clock edge t: a count written at t is loaded by clock t + 1 and first
 * decremented by clock t + 2, as the datasheet's "loaded on the next CLK pulse.
 * This CLK pulse does not decrement the count" says. */
#define PIT_INPUT_HZ            1193182u

#define PIT_CHANNEL0_PORT       0x40
#define PIT_CHANNEL1_PORT       0x41
#define PIT_CHANNEL2_PORT       0x42
#define PIT_CONTROL_PORT        0x43
#define PIT_PORT_B              0x61   /* system control port B */

#define PIT_CHANNELS            3
#define PIT_NO_EDGE             UINT64_MAX

/* Port B bits. */
#define PIT_PORT_B_GATE2        0x01   /* counter 2's GATE */
#define PIT_PORT_B_SPEAKER      0x02   /* speaker data: ANDed with OUT2 on a PC */
#define PIT_PORT_B_WRITABLE     0x0f   /* bits 0-1, and the parity and I/O check enables */
#define PIT_PORT_B_REFRESH      0x10   /* read only: toggles every PIT_REFRESH_TICKS */
#define PIT_PORT_B_OUT2         0x20   /* read only: counter 2's OUT */
/* The AT's DRAM refresh request came from counter 1 with a count of 18
 * (15.09 us); port B bit 4 still toggles at that rate on later chipsets. */
#define PIT_REFRESH_TICKS       18u

/* One counter. "Count" values are in input clocks (a written 0 means 0x10000, or
 * 10000 with BCD, which is counted as BCD); the counting element (CE) is
 * described by where it started. A count of 1 in mode 2 or 3, illegal on the
 * part, gives a period of one clock. */
struct pit_channel {
    uint8_t control;             /* bits 5-0 of the last control word: RW1-0, M2-0, BCD */
    bool gate;                   /* counters 0 and 1 have GATE tied high */

    uint32_t count_register;     /* CR: the last count written */
    bool count_written;          /* CR holds a count written since the control word */
    bool null_count;             /* CR not yet moved into the CE */
    bool load_scheduled;         /* CR moves into the CE at load_time */
    uint64_t load_time;
    bool load_into_low_half;     /* mode 3: the load ends a high half-cycle */

    bool running;                /* the CE holds a count (else held_count) */
    uint64_t start_time;         /* when the CE held start_value */
    uint32_t start_value;        /* one-shots: the count; modes 2 and 3: the period */
    bool start_in_low_half;      /* mode 3: the period started with its low half */
    bool paused;                 /* GATE low stopped the count at paused_at */
    uint64_t paused_at;
    uint32_t held_count;         /* the CE while not running, in clocks */
    bool held_output;            /* OUT while not running */

    bool count_latched;          /* counter latch command: latched_count until read */
    uint16_t latched_count;
    bool status_latched;         /* read-back: latched_status comes first */
    uint8_t latched_status;
    bool read_msb_next;          /* lsb-then-msb access: the byte pointers */
    bool write_msb_next;
    uint8_t written_lsb;
};

struct pit8254 {
    struct pit_channel channel[PIT_CHANNELS];
    uint8_t port_b;              /* the writable bits of port 0x61 */
    uint64_t channel0_counted_until;   /* channel 0's rising edges up to here ... */
    uint64_t channel0_unreported_edges; /* ... and not yet returned */
};

/* The state at power-on, which the datasheet leaves undefined: every counter as
 * after control word "mode 0, lsb then msb, binary" with no count written -- not
 * counting, OUT low -- and port B 0 (counter 2's gate low, speaker off). Nothing
 * interrupts until the guest programs counter 0. */
void pit_init(struct pit8254 *pit, uint64_t now);

/* 0x40-0x43 and 0x61. */
bool pit_claims_port(uint16_t port);

/* A read: a counter's count (or latched count or status), the control port
 * (write-only: 0xff), or port B. A port the model does not claim reads 0xff. */
uint8_t pit_read(struct pit8254 *pit, uint16_t port, uint64_t now);

/* A write: a count byte, a control word (or latch / read-back command), or port B. */
void pit_write(struct pit8254 *pit, uint16_t port, uint8_t value, uint64_t now);

/* A counter's OUT at now (0-2; other numbers read low). */
bool pit_channel_output(const struct pit8254 *pit, unsigned channel, uint64_t now);

/* The rising edges of counter 0's OUT (ISA IRQ0) since the last call, up to and
 * including now: computed, not stepped, so any gap costs the same. Modes 2 and 3
 * make one per period; mode 0 one at terminal count; mode 4 one at the end of
 * its one-clock strobe (terminal count + 1); modes 1 and 5 wait for a gate edge
 * that counter 0 never gets. A control word that takes OUT from low to high
 * (mode 0 running, then mode 2) is an edge too, as on the part. */
uint64_t pit_channel0_edges(struct pit8254 *pit, uint64_t now);

/* The tick of counter 0's next rising edge after now, or PIT_NO_EDGE, for a
 * host timer. Call pit_channel0_edges first: edges up to now are its business. */
uint64_t pit_channel0_next_edge(const struct pit8254 *pit, uint64_t now);

#endif
