/* The guest's IDT: interrupt gates for the 32 exception vectors and the 32
 * external-interrupt vectors after them (DPL 0) and for int 0x80 (DPL 3, so that
 * CPL 3 code may use it), and the dispatcher that every stub calls. See: APM Vol. 2
 * §8.2 (vectors), §4.8.4 (gate descriptors), §8.9 (long-mode interrupt control transfers). */
#include "guest/idt.h"

#include "guest/gdt.h"
#include "guest/pc_platform.h"
#include "guest/test.h"
#include "guest/user_mode.h"
#include "guest/x86.h"

#define IDT_ENTRIES 256
#define GATE_INTERRUPT_64 0xe   /* an interrupt gate clears RFLAGS.IF on entry */

struct gate_descriptor {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;    /* P, DPL, type */
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct gate_descriptor) == 16, "long-mode gates are 16 bytes");

_Static_assert(PIC_SLAVE_VECTOR_BASE + 8 <= STUB_VECTORS, "every IRQ vector has a stub");

extern const uint64_t exception_stub_table[STUB_VECTORS];
extern const uint64_t system_call_stub;

static struct gate_descriptor idt[IDT_ENTRIES] __attribute__((aligned(16)));
static interrupt_handler *interrupt_handlers[STUB_VECTORS];

static struct {
    bool armed;
    uint64_t recovery_rip;
    struct exception_record record;
} expectation;

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
    "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM",
    "#VE", "#CP", "vector 22", "vector 23", "vector 24", "vector 25", "vector 26",
    "vector 27", "#HV", "#VC", "#SX", "vector 31",
};

static void set_gate(unsigned vector, uint64_t handler, unsigned privilege_level)
{
    idt[vector] = (struct gate_descriptor){
        .offset_low = (uint16_t)handler,
        .selector = KERNEL_CODE_SELECTOR,
        .ist = 0,
        .type_attributes = (uint8_t)(0x80 | (privilege_level << 5) | GATE_INTERRUPT_64),
        .offset_middle = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
        .reserved = 0,
    };
}

void idt_init(void)
{
    for (unsigned vector = 0; vector < STUB_VECTORS; vector++)
        set_gate(vector, exception_stub_table[vector], 0);
    set_gate(SYSTEM_CALL_VECTOR, system_call_stub, 3);

    struct descriptor_table_register idtr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void exception_expect(uint64_t recovery_rip)
{
    expectation.record = (struct exception_record){ 0 };
    expectation.recovery_rip = recovery_rip;
    expectation.armed = true;
}

struct exception_record exception_outcome(void)
{
    expectation.armed = false;
    return expectation.record;
}

void interrupt_set_handler(unsigned vector, interrupt_handler *handler)
{
    if (vector < FIRST_INTERRUPT_VECTOR || vector >= STUB_VECTORS)
        test_bail_out("interrupt_set_handler: vector %u has no interrupt gate", vector);
    interrupt_handlers[vector] = handler;
}

void exception_dispatch(struct exception_frame *frame);
void exception_dispatch(struct exception_frame *frame)
{
    /* An external interrupt is no doing of the code it interrupted: it goes to its
     * handler whatever ran. */
    if (frame->vector >= FIRST_INTERRUPT_VECTOR && frame->vector < STUB_VECTORS &&
        interrupt_handlers[frame->vector]) {
        interrupt_handlers[frame->vector](frame);
        return;
    }
    if ((frame->cs & 3) == 3) {
        /* Anything that interrupts CPL 3 code ends that run; user_mode.c reports it. */
        user_mode_trap(frame);
        return;
    }
    if (expectation.armed && frame->vector < 32) {
        expectation.armed = false;
        expectation.record = (struct exception_record){
            .happened = true,
            .vector = frame->vector,
            .error_code = frame->error_code,
            .rip = frame->rip,
            .cr2 = frame->vector == VECTOR_PAGE_FAULT ? read_cr2() : 0,
        };
        frame->rip = expectation.recovery_rip;
        return;
    }
    const char *name = frame->vector < 32 ? exception_names[frame->vector] : "interrupt";
    test_bail_out("unexpected %s (vector %lu, error code 0x%lx) at rip 0x%lx, rsp 0x%lx, cr2 0x%lx",
                  name, frame->vector, frame->error_code, frame->rip, frame->rsp, read_cr2());
}
