/* The guest's GDT and 64-bit TSS, replacing the flat segments minisvm started it
 * with. Only DPL, L and the TSS matter in long mode; base and limit are ignored.
 * See: APM Vol. 2 §4.8 (long-mode segment descriptors), §12.2.5 (64-bit TSS). */
#include "guest/gdt.h"

#include "guest/string.h"

#define INTERRUPT_STACK_BYTES 16384

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];        /* rsp[0]: the stack for CPL 3 -> 0 transitions */
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 0x68, "a 64-bit TSS is 104 bytes");

static struct tss64 tss;
static uint8_t interrupt_stack[INTERRUPT_STACK_BYTES] __attribute__((aligned(16)));

/* Descriptors: present, S=1, G=1; code with L=1 and D=0 (a D=1 64-bit code segment
 * is invalid); the user descriptors differ from the kernel ones only in DPL = 3.
 * User data comes before user code, the order SYSRET expects should it ever be used. */
static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffffull,  /* 0x08 kernel code: type 0xA (execute/read), DPL 0, L */
    0x00cf92000000ffffull,  /* 0x10 kernel data: type 0x2 (read/write), DPL 0 */
    0x00cff2000000ffffull,  /* 0x18 user data: DPL 3 */
    0x00affa000000ffffull,  /* 0x20 user code: DPL 3, L */
    0, 0,                   /* 0x28 TSS: a 16-byte system descriptor */
};

static void set_tss_descriptor(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&tss;
    uint64_t limit = sizeof tss - 1;

    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (0x89ull << 40) |                  /* present, type 9: available 64-bit TSS */
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
}

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    tss.rsp[0] = (uint64_t)(uintptr_t)(interrupt_stack + sizeof interrupt_stack);
    tss.iomap_base = sizeof tss;  /* no I/O permission bitmap: CPL 3 port access is #GP */
    set_tss_descriptor();

    struct descriptor_table_register gdtr = { sizeof gdt - 1, (uint64_t)(uintptr_t)gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        /* CS can only be reloaded by a far transfer: a far return to the next line. */
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w2, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "xorl %%eax, %%eax\n\t"
        "movw %%ax, %%fs\n\t"
        "movw %%ax, %%gs\n\t"
        "movw %w3, %%ax\n\t"
        "ltr %%ax\n\t"
        :
        : "m"(gdtr), "i"(KERNEL_CODE_SELECTOR), "i"(KERNEL_DATA_SELECTOR), "i"(TSS_SELECTOR)
        : "rax", "memory");
}
