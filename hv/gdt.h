/* minisvm's own GDT and TSS, replacing the firmware's after ExitBootServices. */
#ifndef HV_GDT_H
#define HV_GDT_H

#define GDT_SELECTOR_CODE64 0x08
#define GDT_SELECTOR_DATA   0x10
#define GDT_SELECTOR_TSS    0x18

/* Interrupt-stack-table slot used for #DF, NMI and #MC: they get a known-good stack. */
#define IST_EMERGENCY 1

void gdt_init(void);

#endif
