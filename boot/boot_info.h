/* What the UEFI phase hands to the hypervisor after ExitBootServices: the usable
 * memory, the framebuffer, the configuration and the firmware's reset service.
 * Nothing in here refers to boot-services memory, which is gone by then. */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/config.h"
#include "hv/framebuffer.h"
#include "svm/features.h"

enum boot_memory_kind {
    BOOT_MEMORY_USABLE,        /* EfiConventionalMemory: free for the page allocator */
    BOOT_MEMORY_HYPERVISOR,    /* minisvm's own image, heap and stack */
    BOOT_MEMORY_FIRMWARE,      /* boot-services memory still in use (the UEFI stack) and runtime services */
    BOOT_MEMORY_RESERVED,      /* everything else: ACPI, MMIO, reserved */
};

struct boot_memory_range {
    uint64_t base;
    uint64_t bytes;
    enum boot_memory_kind kind;
};


/* A Linux kernel and initrd read for VM N (vmN.kernel=, vmN.initrd=), or why not. */
struct boot_linux_files {
    const void *kernel;
    uint64_t kernel_bytes;
    const void *initrd;            /* NULL: no initrd configured */
    uint64_t initrd_bytes;
    char error[128];               /* "" when the files were read */
};

/* The wall-clock time the firmware reported, for the guests' CMOS clocks. */
struct boot_date {
    uint16_t year;
    uint8_t month, day, hour, minute, second;
};

struct boot_info {
    struct boot_memory_range *ranges;
    unsigned range_count;
    uint64_t highest_address;      /* end of the highest range of any kind */
    bool has_framebuffer;
    struct framebuffer framebuffer;
    struct hv_config config;
    uint64_t framebuffer_bytes;
    struct svm_features features;   /* decoded by the start-up check */
    const void *guest_image;        /* from guest=NAME, or NULL for the built-in guest */
    uint64_t guest_image_bytes;
    struct boot_linux_files linux_files[HV_CONFIG_VMS];
    struct boot_date date;
};

#endif
