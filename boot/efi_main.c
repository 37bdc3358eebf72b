/* The UEFI entry point: console up, banner, CPU check, configuration, minisvm's own
 * memory, ExitBootServices, then the jump to hv_main on minisvm's own stack.
 * See: APM §15.4 (enabling SVM) for the checks, docs/tour.md for the whole path. */
#include <efi.h>
#include <efilib.h>

#include "boot/boot_info.h"
#include "boot/config_file.h"
#include "boot/cpu_check.h"
#include "boot/exit_boot.h"
#include "boot/linux_files.h"
#include "boot/gop.h"
#include "hv/console.h"
#include "hv/hv_main.h"
#include "hv/libc_glue.h"
#include "hv/platform.h"
#include "hv/version.h"
#include "hv/x86.h"

/* Switches to the new stack and calls hv_main (hv/entry.asm). */
extern void hv_start(struct boot_info *info, void *stack_top) __attribute__((noreturn));

static struct boot_info boot_info;

static void firmware_shutdown(void)
{
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
}

/* Before ExitBootServices: under QEMU end the process with the status; on bare
 * metal leave the message on screen until a key is pressed, then power off. */
static __attribute__((noreturn)) void refuse(enum minisvm_status status)
{
    if (!platform_is_qemu()) {
        UINTN index;
        log_line("boot", "press any key to power off");
        uefi_call_wrapper(ST->ConIn->Reset, 2, ST->ConIn, FALSE);
        uefi_call_wrapper(BS->WaitForEvent, 3, 1, &ST->ConIn->WaitForKey, &index);
    }
    platform_finish(status);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
    struct svm_features features;
    struct hypervisor_memory memory;
    uint64_t framebuffer_bytes = 0;
    uint64_t tsc_at_efi_main = rdtsc();   /* make bench: boot time in instructions */

    InitializeLib(image, system_table);
    console_init();
    platform_set_shutdown(firmware_shutdown);
    if (gop_find_framebuffer(&boot_info.framebuffer, &framebuffer_bytes)) {
        boot_info.has_framebuffer = true;
        console_attach_framebuffer(&boot_info.framebuffer);
    }
    console_printf("\n");
    log_line("boot", "minisvm %s: a minimal type-1 hypervisor for AMD SVM", MINISVM_VERSION);
    log_line("boot", "tsc at efi_main: %llu", (unsigned long long)tsc_at_efi_main);
    if (boot_info.has_framebuffer)
        log_line("boot", "framebuffer %ux%u at 0x%llx (%s)", boot_info.framebuffer.width,
                 boot_info.framebuffer.height,
                 (unsigned long long)(uintptr_t)boot_info.framebuffer.base,
                 boot_info.framebuffer.bgr ? "BGR" : "RGB");
    else
        log_line("boot", "no GOP framebuffer: console on COM1 only");

    enum svm_support support = cpu_check(&features);
    if (support != SVM_SUPPORTED) {
        log_line("boot", "REFUSED: %s", svm_support_message(support));
        refuse(MINISVM_UNSUPPORTED_CPU);
    }
    log_line("svm", "SVM usable: revision %u, nested paging present",
             (unsigned)features.revision);

    config_file_load(image, &boot_info.config);
    guest_file_load(image, &boot_info.config, &boot_info.guest_image,
                    &boot_info.guest_image_bytes);
    linux_files_load(image, &boot_info.config, boot_info.linux_files);
    boot_date_read(&boot_info.date);

    EFI_STATUS status = allocate_hypervisor_memory(&memory);
    if (EFI_ERROR(status)) {
        log_line("boot", "cannot allocate minisvm's heap and stack (EFI status 0x%llx): "
                 "the machine needs more free memory", (unsigned long long)status);
        refuse(MINISVM_OUT_OF_MEMORY);
    }
    libc_set_heap(memory.heap, HYPERVISOR_HEAP_BYTES);

    log_line("boot", "exiting boot services");
    status = exit_boot_services(image, &boot_info);
    if (EFI_ERROR(status)) {
        log_line("boot", "ExitBootServices failed (EFI status 0x%llx)", (unsigned long long)status);
        refuse(MINISVM_BOOT_ERROR);
    }
    boot_info.framebuffer_bytes = framebuffer_bytes;
    boot_info.features = features;
    hv_start(&boot_info, memory.stack_top);
}
