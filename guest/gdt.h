/* The guest's own GDT and TSS: kernel and user (DPL 3) code and data segments,
 * and a TSS whose RSP0 is the stack the CPU switches to on a CPL 3 -> 0 interrupt. */
#ifndef GUEST_GDT_H
#define GUEST_GDT_H

#include <stdint.h>

#define KERNEL_CODE_SELECTOR 0x08
#define KERNEL_DATA_SELECTOR 0x10
#define USER_DATA_SELECTOR   (0x18 | 3)   /* RPL 3 */
#define USER_CODE_SELECTOR   (0x20 | 3)
#define TSS_SELECTOR         0x28

void gdt_init(void);

#endif
