/* A flat long-mode GDT: 64-bit code, data and a TSS whose IST1 stack takes the
 * exceptions that must not run on a possibly broken stack. #VMEXIT reloads the
 * host's CS/SS/DS/ES from this GDT, so it must stay mapped and writable.
 * See: APM §4.8 (long-mode segments), §12.2.5 (TSS, IST), §15.6 (#VMEXIT). */
#include "hv/gdt.h"

#include <stdint.h>
#include <string.h>

#include "hv/x86.h"

#define EMERGENCY_STACK_BYTES 16384

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 0x68, "64-bit TSS is 104 bytes");

static struct tss64 tss;
static uint8_t emergency_stack[EMERGENCY_STACK_BYTES] __attribute__((aligned(16)));

/* null, code64 (L=1, D=0, DPL 0), data, TSS (16 bytes: two slots). */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffffull,
    0x00cf92000000ffffull,
    0, 0,
};

static void set_tss_descriptor(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;

    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (0x89ull << 40) |                     /* present, type 9: available 64-bit TSS */
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32;
}

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    tss.ist[IST_EMERGENCY - 1] = (uint64_t)(uintptr_t)(emergency_stack + sizeof emergency_stack);
    tss.iomap_base = sizeof tss; /* no I/O permission bitmap */
    set_tss_descriptor();

    struct descriptor_table_register gdtr = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        /* Reload CS with a far return, then the data segments. */
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "movw %w3, %%ax\n\t"
        "ltr %%ax"
        :
        : "m"(gdtr), "i"(GDT_SELECTOR_CODE64), "i"(GDT_SELECTOR_DATA), "i"(GDT_SELECTOR_TSS)
        : "rax", "memory");
}
