/* The parts of minisvm's legacy PC that several test subjects program, the 8259A
 * pair and the 8254 timer: their ports, command bytes and shared sequences, and a
 * time limit for waiting on a device. See: Intel 8259A datasheet (ICW1-4, OCW1-3),
 * Intel 82C54 datasheet (control word, counter latch, read-back command). */
#ifndef GUEST_PC_PLATFORM_H
#define GUEST_PC_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/x86.h"

/* ---- 8259A pair: the master at 0x20, the slave at 0xA0 on the master's IR2 ---- */
#define PIC_MASTER_COMMAND_PORT 0x20
#define PIC_MASTER_DATA_PORT    0x21
#define PIC_SLAVE_COMMAND_PORT  0xa0
#define PIC_SLAVE_DATA_PORT     0xa1

/* ICW2: the vectors the IRQs arrive at. Linux's choice: above the 32 exception
 * vectors (APM §8.2), master and slave back to back, so IRQ n is vector 0x30 + n. */
#define PIC_MASTER_VECTOR_BASE  0x30
#define PIC_SLAVE_VECTOR_BASE   0x38
#define PIC_VECTOR(irq)         (PIC_MASTER_VECTOR_BASE + (irq))
_Static_assert(PIC_SLAVE_VECTOR_BASE == PIC_MASTER_VECTOR_BASE + 8, "IRQ n is vector base + n");

#define IRQ_TIMER    0      /* PIT channel 0's OUT */
#define IRQ_CASCADE  2      /* the slave's INT */
#define IRQ_COM1     4      /* the 16550A's INTRPT, through MCR.OUT2 */

/* IMR values, 16 bits: bit n masks IRQ n (the master's IMR is the low byte). */
#define PIC_ALL_MASKED          0xffff
#define PIC_ONLY_UNMASKED(irq)  ((uint16_t)~(1u << (irq)))

/* OCW3: which register the next read of the command port returns. */
#define PIC_OCW3_READ_IRR       0x0a
#define PIC_OCW3_READ_ISR       0x0b
/* OCW2: a non-specific EOI clears the highest-priority bit set in ISR. */
#define PIC_OCW2_NON_SPECIFIC_EOI 0x20

/* ICW1-ICW4 on both chips as Linux's init_8259A writes them (edge-triggered,
 * cascaded, vectors above, 8086 mode, normal EOI), then every IRQ masked: ICW1
 * clears the IMR, and no test wants an IRQ it did not ask for. */
void pic_init(void);
void pic_set_mask(uint16_t mask);
uint16_t pic_read_mask(void);
/* IRR and ISR of both chips through OCW3, the slave's in the high byte. */
uint16_t pic_read_requests(void);
uint16_t pic_read_in_service(void);
/* A non-specific EOI to the slave for IRQ 8-15 (which is in service on the
 * master's IR2 too), then to the master. */
void pic_end_of_interrupt(unsigned irq);

/* ---- 8254 interval timer: channels at 0x40-0x42, control word at 0x43 ---------- */
#define PIT_FREQUENCY_HZ        1193182
#define PIT_COUNT_FOR_MS(ms)    ((PIT_FREQUENCY_HZ * (ms) + 500) / 1000)
#define PIT_CHANNEL_PORT(channel) (0x40 + (channel))
#define PIT_CONTROL_PORT        0x43

#define PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT 0   /* OUT low, then high at 0 and stays high */
#define PIT_MODE_RATE_GENERATOR              2   /* OUT high, low for one clock per period */
/* Control word: SC1-SC0 = channel, RW1-RW0 = 11 (low byte then high byte of the
 * count), M2-M0 = mode, BCD = 0 (binary). */
#define PIT_CONTROL_WORD(channel, mode) ((uint8_t)((channel) << 6 | 3u << 4 | (mode) << 1))
/* Read-back status byte: OUT, NULL COUNT (the count written is not in the counting
 * element yet), then bits 5-0 of the channel's control word. */
#define PIT_STATUS_OUTPUT       0x80
#define PIT_STATUS_NULL_COUNT   0x40
#define PIT_STATUS_CONTROL_BITS 0x3f

/* Writes the control word: OUT takes the mode's initial level at once and the
 * channel waits for a count; in mode 0 that stops it with OUT low. */
void pit_set_mode(unsigned channel, unsigned mode);
/* Writes the count, low byte then high byte; the channel loads it at its next clock. */
void pit_write_count(unsigned channel, uint16_t count);
void pit_start(unsigned channel, unsigned mode, uint16_t count);
/* The count, through the counter latch command. */
uint16_t pit_read_count(unsigned channel);
/* The status byte, through the read-back command (status only). */
uint8_t pit_read_status(unsigned channel);
/* Polls the status until (status & mask) == value; false when the wait is over. */
bool pit_wait_for_status(unsigned channel, uint8_t mask, uint8_t value);

/* ---- Waiting for a device, within a limit ---------------------------------------
 * A device that never gets there fails its test instead of hanging the guest. The
 * limit is time, not a number of polls: a poll is a VM exit, whose cost differs a
 * hundredfold between hardware and emulation. 2^32 TSC ticks are 1 to 4 s at the
 * 1-4 GHz a TSC runs at, 100 times the longest count a test waits for (10 ms); RDTSC
 * itself does not exit (minisvm does not intercept it). */
#define PC_WAIT_TSC_TICKS (1ull << 32)

static inline uint64_t pc_wait_deadline(void)
{
    return rdtsc() + PC_WAIT_TSC_TICKS;
}

static inline bool pc_wait_over(uint64_t deadline)
{
    return rdtsc() >= deadline;
}

#endif
