/* Leaving the firmware: allocating minisvm's own memory while allocation is still
 * possible, then the memory map and ExitBootServices. */
#ifndef BOOT_EXIT_BOOT_H
#define BOOT_EXIT_BOOT_H

#include <efi.h>

#include "boot/boot_info.h"

#define HYPERVISOR_HEAP_BYTES  (4u << 20)
#define HYPERVISOR_STACK_BYTES (64u << 10)

struct hypervisor_memory {
    void *heap;
    void *stack_top;
};

EFI_STATUS allocate_hypervisor_memory(struct hypervisor_memory *memory);
/* Takes the final memory map, exits boot services and fills the memory ranges of
 * boot_info. After success no boot service may be called. */
EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *info);

#endif
