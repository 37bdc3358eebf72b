/* A flat long-mode GDT: 64-bit code, data and a TSS whose IST1 stack takes the
 * exceptions that must not run on a possibly broken stack. #VMEXIT reloads the
 * host's CS/SS/DS/ES from this GDT, so it must stay mapped and writable.
 * See: APM §4.8 (long-mode segments), §12.2.5 (TSS, IST), §15.6 (#VMEXIT). */
#include "hv/gdt.h"

#include <string.h>

#include "hv/descriptors.h"

#define EMERGENCY_STACK_BYTES 16384

static struct tss64 tss;
static uint8_t emergency_stack[EMERGENCY_STACK_BYTES] __attribute__((aligned(16)));

/* null, code64 (0x08), data (0x10), TSS (0x18, two slots). */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0, DESCRIPTOR_CODE64_KERNEL, DESCRIPTOR_DATA_KERNEL, 0, 0,
};

void gdt_init(void)
{
    memset(&tss, 0, sizeof tss);
    tss.ist[IST_EMERGENCY - 1] = (uint64_t)(uintptr_t)(emergency_stack + sizeof emergency_stack);
    tss.iomap_base = sizeof tss; /* no I/O permission bitmap */
    descriptor_set_tss(&gdt[GDT_SELECTOR_TSS / 8], &tss);
    descriptor_load_gdt(gdt, sizeof gdt, GDT_SELECTOR_CODE64, GDT_SELECTOR_DATA,
                        GDT_SELECTOR_TSS);
}
