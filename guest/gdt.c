/* The guest's GDT and 64-bit TSS, replacing the flat segments minisvm started it
 * with. Only DPL, L and the TSS matter in long mode; base and limit are ignored.
 * See: APM Vol. 2 §4.8 (long-mode segment descriptors), §12.2.5 (64-bit TSS). */
#include "guest/gdt.h"

#include "guest/string.h"
#include "hv/descriptors.h"

#define INTERRUPT_STACK_BYTES 16384

static struct tss64 tss;
static uint8_t interrupt_stack[INTERRUPT_STACK_BYTES] __attribute__((aligned(16)));

/* User data comes before user code, the order SYSRET expects should it ever be used. */
static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    DESCRIPTOR_CODE64_KERNEL,   /* 0x08 */
    DESCRIPTOR_DATA_KERNEL,     /* 0x10 */
    DESCRIPTOR_DATA_USER,       /* 0x18 */
    DESCRIPTOR_CODE64_USER,     /* 0x20 */
    0, 0,                       /* 0x28 TSS: a 16-byte system descriptor */
};

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    tss.rsp[0] = (uint64_t)(uintptr_t)(interrupt_stack + sizeof interrupt_stack);
    tss.iomap_base = sizeof tss;  /* no I/O permission bitmap: CPL 3 port access is #GP */
    descriptor_set_tss(&gdt[TSS_SELECTOR / 8], &tss);
    descriptor_load_gdt(gdt, sizeof gdt, KERNEL_CODE_SELECTOR, KERNEL_DATA_SELECTOR,
                        TSS_SELECTOR);
}
