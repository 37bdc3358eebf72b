/* The last steps under the firmware. The memory map must be fetched again when
 * ExitBootServices rejects a stale map key, and between those two calls nothing
 * may allocate, so every buffer is allocated first. See: UEFI 2.10 §7.4
 * (GetMemoryMap, ExitBootServices). */
#include <efi.h>
#include <efilib.h>

#include "boot/exit_boot.h"

/* The map grows while we allocate our own buffers; leave room for that. */
#define MAP_SLACK_DESCRIPTORS 32
#define EXIT_ATTEMPTS 8

EFI_STATUS allocate_hypervisor_memory(struct hypervisor_memory *memory)
{
    EFI_PHYSICAL_ADDRESS heap = 0, stack = 0;
    EFI_STATUS status;

    status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
                               EFI_SIZE_TO_PAGES(HYPERVISOR_HEAP_BYTES), &heap);
    if (EFI_ERROR(status))
        return status;
    status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
                               EFI_SIZE_TO_PAGES(HYPERVISOR_STACK_BYTES), &stack);
    if (EFI_ERROR(status))
        return status;
    memory->heap = (void *)(uintptr_t)heap;
    memory->stack_top = (void *)(uintptr_t)(stack + HYPERVISOR_STACK_BYTES);
    return EFI_SUCCESS;
}

static enum boot_memory_kind kind_of(UINT32 efi_type)
{
    switch (efi_type) {
    case EfiConventionalMemory:
        return BOOT_MEMORY_USABLE;
    case EfiLoaderCode:
    case EfiLoaderData:
        return BOOT_MEMORY_HYPERVISOR;
    /* Boot-services memory is free in principle after ExitBootServices, but the
     * stack UEFI started us on lives there; minisvm leaves it alone. */
    case EfiBootServicesCode:
    case EfiBootServicesData:
    case EfiRuntimeServicesCode:
    case EfiRuntimeServicesData:
        return BOOT_MEMORY_FIRMWARE;
    default:
        return BOOT_MEMORY_RESERVED;
    }
}

static void convert_memory_map(const UINT8 *map, UINTN map_size, UINTN descriptor_size,
                               struct boot_info *info)
{
    unsigned count = 0;

    info->highest_address = 0;
    for (UINTN offset = 0; offset < map_size; offset += descriptor_size) {
        const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(map + offset);
        uint64_t base = d->PhysicalStart;
        uint64_t bytes = d->NumberOfPages * EFI_PAGE_SIZE;
        enum boot_memory_kind kind = kind_of(d->Type);

        if (base + bytes > info->highest_address)
            info->highest_address = base + bytes;
        if (count > 0) {
            struct boot_memory_range *last = &info->ranges[count - 1];
            if (last->kind == kind && last->base + last->bytes == base) {
                last->bytes += bytes;
                continue;
            }
        }
        info->ranges[count++] = (struct boot_memory_range){ base, bytes, kind };
    }
    info->range_count = count;
}

EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *info)
{
    UINTN map_size = 0, map_key, descriptor_size;
    UINT32 descriptor_version;
    EFI_STATUS status;

    status = uefi_call_wrapper(BS->GetMemoryMap, 5, &map_size, NULL, &map_key,
                               &descriptor_size, &descriptor_version);
    if (status != EFI_BUFFER_TOO_SMALL)
        return status;
    UINTN capacity = map_size + MAP_SLACK_DESCRIPTORS * descriptor_size;
    UINTN max_ranges = capacity / descriptor_size;

    UINT8 *map = NULL;
    status = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, capacity, (void **)&map);
    if (EFI_ERROR(status))
        return status;
    status = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
                               max_ranges * sizeof(struct boot_memory_range),
                               (void **)&info->ranges);
    if (EFI_ERROR(status))
        return status;

    for (int attempt = 0; attempt < EXIT_ATTEMPTS; attempt++) {
        map_size = capacity;
        status = uefi_call_wrapper(BS->GetMemoryMap, 5, &map_size, (EFI_MEMORY_DESCRIPTOR *)map,
                                   &map_key, &descriptor_size, &descriptor_version);
        if (EFI_ERROR(status))
            return status;
        status = uefi_call_wrapper(BS->ExitBootServices, 2, image, map_key);
        if (status == EFI_SUCCESS) {
            convert_memory_map(map, map_size, descriptor_size, info);
            return EFI_SUCCESS;
        }
        /* EFI_INVALID_PARAMETER: the map changed under us (an event ran); fetch it again. */
        if (status != EFI_INVALID_PARAMETER)
            return status;
    }
    return status;
}
