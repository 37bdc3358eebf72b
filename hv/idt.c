/* Builds the 256-entry long-mode IDT: vectors 0-31 go to the exception stubs, #DF,
 * NMI and #MC on the emergency IST stack; the APIC timer and spurious vectors to
 * hv/interrupt_entry.asm. Every other vector stays not-present: minisvm enables no
 * other interrupt source, so any of them arriving is itself a fault (#NP -> dump).
 * See: APM §8.9 (long-mode interrupt control transfers), §4.8.4 (gate descriptors). */
#include "hv/idt.h"

#include <string.h>

#include "hv/console.h"
#include "hv/gdt.h"
#include "hv/lapic_timer.h"
#include "hv/platform.h"
#include "hv/x86.h"

#define IDT_ENTRIES 256
#define EXCEPTION_VECTORS 32
#define GATE_INTERRUPT_PRESENT 0x8e /* P=1, DPL=0, type 0xE: 64-bit interrupt gate */

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "long-mode gates are 16 bytes");

extern const uint64_t exception_stub_table[EXCEPTION_VECTORS];
extern const uint8_t lapic_timer_interrupt[];
extern const uint8_t lapic_spurious_interrupt[];

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));

static const char *const exception_names[EXCEPTION_VECTORS] = {
    [0] = "#DE divide error",       [1] = "#DB debug",
    [2] = "NMI",                    [3] = "#BP breakpoint",
    [4] = "#OF overflow",           [5] = "#BR bound range",
    [6] = "#UD invalid opcode",     [7] = "#NM device not available",
    [8] = "#DF double fault",       [10] = "#TS invalid TSS",
    [11] = "#NP segment not present", [12] = "#SS stack fault",
    [13] = "#GP general protection", [14] = "#PF page fault",
    [16] = "#MF x87 floating point", [17] = "#AC alignment check",
    [18] = "#MC machine check",     [19] = "#XF SIMD floating point",
    [21] = "#CP control protection", [28] = "#HV hypervisor injection",
    [29] = "#VC VMM communication", [30] = "#SX security",
};

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = GDT_SELECTOR_CODE64,
        .ist = ist,
        .type_attributes = GATE_INTERRUPT_PRESENT,
        .offset_middle = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    memset(idt, 0, sizeof idt);
    for (unsigned v = 0; v < EXCEPTION_VECTORS; v++) {
        bool emergency = v == 2 || v == 8 || v == 18;
        set_gate(v, exception_stub_table[v], emergency ? IST_EMERGENCY : 0);
    }
    set_gate(LAPIC_TIMER_VECTOR, (uint64_t)(uintptr_t)lapic_timer_interrupt, 0);
    set_gate(LAPIC_SPURIOUS_VECTOR, (uint64_t)(uintptr_t)lapic_spurious_interrupt, 0);
    struct descriptor_table_register idtr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void exception_report(const struct exception_frame *f)
{
    const char *name = f->vector < EXCEPTION_VECTORS && exception_names[f->vector]
                           ? exception_names[f->vector] : "reserved vector";

    log_line("fault", "host exception %llu (%s), error code 0x%llx",
             (unsigned long long)f->vector, name, (unsigned long long)f->error_code);
    log_line("fault", "rip %016llx cs %04llx rflags %016llx",
             (unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rflags);
    log_line("fault", "rsp %016llx ss %04llx cr2 %016llx",
             (unsigned long long)f->rsp, (unsigned long long)f->ss, (unsigned long long)read_cr2());
    log_line("fault", "rax %016llx rbx %016llx rcx %016llx",
             (unsigned long long)f->rax, (unsigned long long)f->rbx, (unsigned long long)f->rcx);
    log_line("fault", "rdx %016llx rsi %016llx rdi %016llx",
             (unsigned long long)f->rdx, (unsigned long long)f->rsi, (unsigned long long)f->rdi);
    log_line("fault", "rbp %016llx r8  %016llx r9  %016llx",
             (unsigned long long)f->rbp, (unsigned long long)f->r8, (unsigned long long)f->r9);
    log_line("fault", "r10 %016llx r11 %016llx r12 %016llx",
             (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
    log_line("fault", "r13 %016llx r14 %016llx r15 %016llx",
             (unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
    log_line("fault", "cr0 %016llx cr3 %016llx cr4 %016llx",
             (unsigned long long)read_cr0(), (unsigned long long)read_cr3(),
             (unsigned long long)read_cr4());
    platform_finish(MINISVM_HOST_FAULT);
}
