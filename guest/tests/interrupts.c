/* External interrupts: the 8259A pair's IMR, IRR and ISR; IRQ0 (8254) and IRQ4
 * (COM1) at the vectors ICW2 chose; HLT that an interrupt ends; the exact instruction
 * at which a pending interrupt is taken. See: Intel 8259A datasheet, APM Vol. 2
 * §15.20 (event injection), §15.21 (interrupt intercepts, V_IRQ, VINTR). */
#include <stddef.h>

#include "guest/console.h"
#include "guest/idt.h"
#include "guest/pc_platform.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

/* Channel 0 as a one-shot (mode 0), as its read-back status shows the control word. */
#define ONE_SHOT_STATUS \
    (PIT_CONTROL_WORD(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT) & PIT_STATUS_CONTROL_BITS)

_Static_assert(PIT_COUNT_FOR_MS(1) == 1193 && PIC_VECTOR(IRQ_TIMER) == 0x30 &&
                   PIC_VECTOR(IRQ_COM1) == 0x34,
               "as the test names say");

/* What the handlers saw, for the test to check after its cli. */
static volatile struct {
    unsigned count;                 /* interrupts taken */
    uint64_t vector, rip, rflags;   /* of the last one, from its frame */
    uint16_t in_service;            /* ISR of both chips in the handler, before the EOI */
    uint8_t timer_status;           /* PIT channel 0's read-back status in the handler */
    uint8_t interrupt_id, interrupt_id_again;   /* COM1's IIR read twice in the handler */
} seen;

static void note_interrupt(struct exception_frame *frame)
{
    seen.count++;
    seen.vector = frame->vector;
    seen.rip = frame->rip;
    seen.rflags = frame->rflags;
    seen.in_service = pic_read_in_service();
    /* Taken at the HLT of sti; hlt, the interrupt would return to it and the vCPU
     * would sleep with nothing left to wake it. The record shows the wrong RIP;
     * resuming after the HLT lets the test fail instead of hanging the guest. */
    if (frame->rip == ADDRESS_OF(probe_halt_instruction))
        frame->rip = ADDRESS_OF(probe_halt_resume);
}

static void timer_interrupt(struct exception_frame *frame)
{
    note_interrupt(frame);
    seen.timer_status = pit_read_status(0);
    pic_end_of_interrupt(IRQ_TIMER);
}

/* Reading IIR while it names "THR empty" is what clears that source (PC16550D,
 * Table IV): the second read must say "no interrupt", and the line to IRQ4 drops. */
static void com1_interrupt(struct exception_frame *frame)
{
    note_interrupt(frame);
    seen.interrupt_id = inb(COM1_INTERRUPT_ID_PORT);
    seen.interrupt_id_again = inb(COM1_INTERRUPT_ID_PORT);
    pic_end_of_interrupt(IRQ_COM1);
}

/* Every test starts from the same platform: PIT channel 0 stopped with OUT low (no
 * request line high), the PIC pair initialised and all masked, one handler. */
static void prepare(unsigned irq, interrupt_handler *handler)
{
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);
    pic_init();
    seen.count = 0;
    seen.vector = 0;
    seen.rip = 0;
    seen.rflags = 0;
    seen.in_service = 0;
    seen.timer_status = 0;
    seen.interrupt_id = 0;
    seen.interrupt_id_again = 0;
    interrupt_set_handler(PIC_VECTOR(irq), handler);
}

/* ...and leaves it for the rest of the suite: IF=0, channel 0 stopped, all masked. */
static void finish(unsigned irq)
{
    cli();
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);
    pic_set_mask(PIC_ALL_MASKED);
    interrupt_set_handler(PIC_VECTOR(irq), NULL);
}

/* Starts a one-shot IRQ0 (channel 0, mode 0) with only IRQ0 unmasked. Halting with
 * IF=1 ends only with an interrupt, so check first that the PIC kept the mask and
 * the PIT took the mode: without them the halt would never end. */
static bool arm_timer_interrupt(unsigned milliseconds)
{
    prepare(IRQ_TIMER, timer_interrupt);
    pic_set_mask(PIC_ONLY_UNMASKED(IRQ_TIMER));
    pit_start(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT,
              (uint16_t)PIT_COUNT_FOR_MS(milliseconds));
    bool mask_kept = test_check_equal("IMR with only IRQ0 unmasked", PIC_ONLY_UNMASKED(IRQ_TIMER),
                                      pic_read_mask());
    bool mode_taken = test_check_equal("channel 0 read-back status, control word bits",
                                       ONE_SHOT_STATUS,
                                       pit_read_status(0) & PIT_STATUS_CONTROL_BITS);
    return mask_kept && mode_taken;
}

static void check_taken_once(uint64_t vector, uint64_t rip)
{
    test_check_equal("interrupts taken", 1, seen.count);
    test_check_equal("vector", vector, seen.vector);
    test_check_equal("interrupted RIP", rip, seen.rip);
}

static void test_mask_register(void)
{
    test_begin("pic: IMR reads back what was written (master 0x5a, slave 0xa5)");
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);
    pic_init();
    test_check_equal("IMR after pic_init masked all", PIC_ALL_MASKED, pic_read_mask());
    pic_set_mask(0xa55a);
    test_check_equal("IMR (slave:master)", 0xa55a, pic_read_mask());
    pic_set_mask(PIC_ALL_MASKED);
    test_end();
}

/* ICW1 resets the edge detectors, and with PIT channel 0 stopped (OUT low), COM1's
 * interrupts off and the CMOS clock's off, no request line is high. */
static void test_registers_after_init(void)
{
    test_begin("pic: after initialisation IRR and ISR read 0 on both chips (OCW3 0x0a, 0x0b)");
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);
    pic_init();
    test_check_equal("IRR (slave:master)", 0, pic_read_requests());
    test_check_equal("ISR (slave:master)", 0, pic_read_in_service());
    test_end();
}

static void test_timer_interrupt(void)
{
    test_begin("pit+pic: IRQ0 from a one-shot PIT count (mode 0, 1193) reaches the guest "
               "at vector 0x30");
    if (arm_timer_interrupt(1)) {
        probe_halt();
        check_taken_once(PIC_VECTOR(IRQ_TIMER), ADDRESS_OF(probe_halt_resume));
        test_check_equal("ISR in the handler (slave:master)", 1u << IRQ_TIMER, seen.in_service);
        test_check_equal("ISR after the handler's non-specific EOI", 0, pic_read_in_service());
        /* The acknowledge cleared IRR bit 0; OUT stays high in mode 0: no new edge. */
        test_check_equal("IRR afterwards", 0, pic_read_requests());
    }
    finish(IRQ_TIMER);
    test_end();
}

/* The interrupt comes 10 ms after the count was written, long after the sti; hlt:
 * the halt must last until then, and the count must have run out (OUT high). */
static void test_halt_until_interrupt(void)
{
    test_begin("hlt: with IF=1 the halt lasts until IRQ0, which returns after the hlt");
    if (arm_timer_interrupt(10)) {
        probe_halt();
        check_taken_once(PIC_VECTOR(IRQ_TIMER), ADDRESS_OF(probe_halt_resume));
        test_check_equal("RFLAGS.IF of the interrupted code", RFLAGS_IF,
                         seen.rflags & RFLAGS_IF);
        test_check_equal("channel 0 status in the handler (OUT high, count loaded, mode 0)",
                         PIT_STATUS_OUTPUT | ONE_SHOT_STATUS, seen.timer_status);
    }
    finish(IRQ_TIMER);
    test_end();
}

/* The race every idle loop has: the interrupt arrives between the decision to halt
 * and the HLT. STI's one-instruction delay makes sti; hlt safe: the interrupt is
 * taken after the HLT, which therefore does not sleep. */
static void test_halt_with_interrupt_pending(void)
{
    test_begin("hlt: an IRQ pending before sti; hlt ends the halt at once, "
               "taken after the hlt");
    if (arm_timer_interrupt(1)) {
        bool expired = pit_wait_for_status(0, PIT_STATUS_OUTPUT, PIT_STATUS_OUTPUT);
        test_check(expired, "channel 0's OUT still low when the wait was over");
        bool requested = test_check_equal("IRR before the halt", 1u << IRQ_TIMER,
                                          pic_read_requests());
        /* Without the request, nothing would end this halt. */
        if (expired && requested) {
            probe_halt();
            check_taken_once(PIC_VECTOR(IRQ_TIMER), ADDRESS_OF(probe_halt_resume));
        }
    }
    finish(IRQ_TIMER);
    test_end();
}

/* A masked request waits in IRR (8259A: the IMR acts after IRR), however long IF
 * is 1; unmasking it is an OUT, after which the request must be taken at once. */
static void test_masked_request(void)
{
    test_begin("pic: a masked IRQ0 waits in IRR while IF=1; unmasking delivers it right "
               "after the OUT");
    prepare(IRQ_TIMER, timer_interrupt);
    pit_start(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT, (uint16_t)PIT_COUNT_FOR_MS(1));
    sti();
    bool expired = pit_wait_for_status(0, PIT_STATUS_OUTPUT, PIT_STATUS_OUTPUT);
    uint16_t requests = pic_read_requests();
    unsigned taken_while_masked = seen.count;
    probe_port_write(PIC_MASTER_DATA_PORT, (uint8_t)PIC_ONLY_UNMASKED(IRQ_TIMER));
    finish(IRQ_TIMER);

    test_check(expired, "channel 0's OUT still low when the wait was over");
    test_check_equal("IRR while masked", 1u << IRQ_TIMER, requests);
    test_check_equal("interrupts taken while masked", 0, taken_while_masked);
    check_taken_once(PIC_VECTOR(IRQ_TIMER), ADDRESS_OF(probe_port_write_resume));
    test_check_equal("ISR after the handler's EOI", 0, pic_read_in_service());
    test_end();
}

/* With IF=0 an unmasked request stays in IRR, not yet acknowledged (ISR 0): the
 * 8259A is acknowledged only when the CPU takes the interrupt. POPF, which has no
 * STI delay, must then let it in right after itself, with no exit to help. */
static void test_window_opened_by_popf(void)
{
    test_begin("pic: an IRQ pending while IF=0 is taken right after the popf that sets IF");
    prepare(IRQ_TIMER, timer_interrupt);
    pic_set_mask(PIC_ONLY_UNMASKED(IRQ_TIMER));
    pit_start(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT, (uint16_t)PIT_COUNT_FOR_MS(1));
    bool expired = pit_wait_for_status(0, PIT_STATUS_OUTPUT, PIT_STATUS_OUTPUT);
    uint16_t requests = pic_read_requests();
    uint16_t in_service = pic_read_in_service();
    unsigned taken_with_interrupts_off = seen.count;
    probe_enable_by_popf();
    finish(IRQ_TIMER);

    test_check(expired, "channel 0's OUT still low when the wait was over");
    test_check_equal("IRR with IF=0", 1u << IRQ_TIMER, requests);
    test_check_equal("ISR with IF=0", 0, in_service);
    test_check_equal("interrupts taken with IF=0", 0, taken_with_interrupts_off);
    check_taken_once(PIC_VECTOR(IRQ_TIMER), ADDRESS_OF(probe_enable_by_popf_resume));
    test_end();
}

/* A 16550A raises "THR empty" as soon as ETBEI is set while THR is empty; the PC
 * passes it to IRQ4 while MCR.OUT2 is set. The request is left in IRR (IRQ4 still
 * masked, IIR not read: reading it would clear the source), then unmasked with IF=1. */
static void test_com1_interrupt(void)
{
    test_begin("uart: THR empty raises IRQ4, taken at vector 0x34 (IER bit 1, MCR OUT2)");
    prepare(IRQ_COM1, com1_interrupt);
    uint8_t modem_control = inb(COM1_MODEM_CONTROL_PORT);
    uint8_t interrupt_enable = inb(COM1_INTERRUPT_ENABLE_PORT);
    outb(COM1_MODEM_CONTROL_PORT, modem_control | MODEM_CONTROL_OUT2);
    uint16_t requests_before = pic_read_requests();
    outb(COM1_INTERRUPT_ENABLE_PORT, INTERRUPT_ENABLE_THR_EMPTY);
    uint16_t requests_after = pic_read_requests();
    sti();
    probe_port_write(PIC_MASTER_DATA_PORT, (uint8_t)PIC_ONLY_UNMASKED(IRQ_COM1));
    uint16_t requests_at_end = pic_read_requests();
    outb(COM1_INTERRUPT_ENABLE_PORT, interrupt_enable);
    outb(COM1_MODEM_CONTROL_PORT, modem_control);
    finish(IRQ_COM1);

    test_check_equal("IRR with OUT2 set and IER 0", 0, requests_before);
    test_check_equal("IRR after IER = 0x02", 1u << IRQ_COM1, requests_after);
    check_taken_once(PIC_VECTOR(IRQ_COM1), ADDRESS_OF(probe_port_write_resume));
    test_check_equal("ISR in the handler (slave:master)", 1u << IRQ_COM1, seen.in_service);
    uint8_t fifos = seen.interrupt_id & INTERRUPT_ID_FIFOS_ENABLED;
    test_check((seen.interrupt_id & INTERRUPT_ID_SOURCE_BITS) == INTERRUPT_ID_THR_EMPTY &&
                   (fifos == 0 || fifos == INTERRUPT_ID_FIFOS_ENABLED),
               "IIR in the handler: expected 0x02 or 0xc2 (THR empty), got 0x%x",
               seen.interrupt_id);
    test_check_equal("IIR read again (no interrupt)", fifos | INTERRUPT_ID_NONE,
                     seen.interrupt_id_again);
    test_check_equal("IRR after the handler", 0, requests_at_end);
    test_check_equal("ISR after the handler's EOI", 0, pic_read_in_service());
    test_end();
}

void test_interrupts(void)
{
    test_mask_register();
    test_registers_after_init();
    test_timer_interrupt();
    test_halt_until_interrupt();
    test_halt_with_interrupt_pending();
    test_masked_request();
    test_window_opened_by_popf();
    test_com1_interrupt();
}
