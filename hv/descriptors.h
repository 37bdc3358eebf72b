/* Long-mode segment descriptors and the 64-bit TSS, shared by the hypervisor's and
 * the test guest's GDTs (and the guest's start state that minisvm builds).
 * See: APM Vol. 2 §4.8 (long-mode segment descriptors), §12.2.5 (64-bit TSS). */
#ifndef HV_DESCRIPTORS_H
#define HV_DESCRIPTORS_H

#include <stdint.h>

#include "hv/x86.h"

/* Present, S=1, G=1. Code: type 0xA (execute/read), L=1, D=0 (a 64-bit code segment
 * with D=1 is invalid); data: type 0x2 (read/write). The user ones differ in DPL=3. */
#define DESCRIPTOR_CODE64_KERNEL 0x00af9a000000ffffull
#define DESCRIPTOR_DATA_KERNEL   0x00cf92000000ffffull
#define DESCRIPTOR_CODE64_USER   0x00affa000000ffffull
#define DESCRIPTOR_DATA_USER     0x00cff2000000ffffull

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];        /* rsp[0]: the stack for CPL 3 -> 0 transitions */
    uint64_t reserved1;
    uint64_t ist[7];        /* interrupt stack table, IST1-IST7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 0x68, "a 64-bit TSS is 104 bytes");

/* A TSS descriptor is a 16-byte system descriptor: two GDT slots. */
static inline void descriptor_set_tss(uint64_t slots[2], const struct tss64 *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss;
    uint64_t limit = sizeof *tss - 1;

    slots[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
               (0x89ull << 40) |                 /* present, type 9: available 64-bit TSS */
               (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    slots[1] = base >> 32;
}

/* Loads a GDT, then CS (only a far transfer can: a far return to the next line),
 * the data segment registers and the task register. */
static inline void descriptor_load_gdt(const uint64_t *gdt, uint16_t bytes, uint16_t code,
                                       uint16_t data, uint16_t tss)
{
    struct descriptor_table_register gdtr = { (uint16_t)(bytes - 1), (uint64_t)(uintptr_t)gdt };

    __asm__ volatile(
        "lgdt %0\n\t"
        "movzwq %1, %%rax\n\t"
        "pushq %%rax\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "ltr %3"
        :
        : "m"(gdtr), "rm"(code), "rm"(data), "rm"(tss)
        : "rax", "memory");
}

#endif
