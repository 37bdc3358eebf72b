/* Reads the Linux kernels and initrds that minisvm.cfg names, with the firmware's
 * file system, into EfiLoaderData pages that stay minisvm's after ExitBootServices.
 * See: UEFI 2.10 §13.5 (file protocol), §8.3 (GetTime). */
#include <efi.h>
#include <efilib.h>

#include <stdio.h>

#include "boot/boot_volume.h"
#include "boot/linux_files.h"
#include "hv/console.h"

#define KERNEL_FILE_MAX_BYTES (64ull << 20)
#define INITRD_FILE_MAX_BYTES (512ull << 20)
#define PATH_PREFIX           L"\\minisvm\\"

/* \minisvm\ + the configured path with '/' turned into '\'. The parser allowed only
 * [A-Za-z0-9._-] and '/', so widening each byte is exact. */
static void wide_path(const char *path, CHAR16 *out)
{
    unsigned length = 0;

    for (const CHAR16 *p = PATH_PREFIX; *p; p++)
        out[length++] = *p;
    for (const char *p = path; *p; p++)
        out[length++] = *p == '/' ? L'\\' : (CHAR16)*p;
    out[length] = 0;
}

static bool read_file(EFI_HANDLE image, const char *config_path, uint64_t max_bytes,
                      const void **data, uint64_t *bytes, struct boot_linux_files *files)
{
    CHAR16 wide[sizeof PATH_PREFIX / sizeof(CHAR16) + HV_CONFIG_PATH_BYTES];
    char path[HV_CONFIG_PATH_BYTES];   /* for messages: as the firmware sees it */
    void *file;
    UINTN size;

    wide_path(config_path, wide);
    for (unsigned i = 0; i < sizeof path; i++) {
        path[i] = config_path[i] == '/' ? '\\' : config_path[i];
        if (!config_path[i])
            break;
    }
    EFI_STATUS status = boot_volume_read(image, wide, max_bytes, &file, &size);
    if (status == EFI_NOT_FOUND) {
        snprintf(files->error, sizeof files->error, "no file \\minisvm\\%s on the boot volume",
                 path);
        return false;
    }
    if (status == EFI_BAD_BUFFER_SIZE) {
        snprintf(files->error, sizeof files->error, "\\minisvm\\%s is larger than %llu MiB",
                 path, (unsigned long long)(max_bytes >> 20));
        return false;
    }
    if (EFI_ERROR(status)) {
        snprintf(files->error, sizeof files->error,
                 "cannot read \\minisvm\\%s (EFI status 0x%llx)", path,
                 (unsigned long long)status);
        return false;
    }
    log_line("cfg", "read \\minisvm\\%s (%llu bytes)", path, (unsigned long long)size);
    *data = file;
    *bytes = size;
    return true;
}

void linux_files_load(EFI_HANDLE image, const struct hv_config *config,
                      struct boot_linux_files files[HV_CONFIG_VMS])
{
    for (unsigned vm = 0; vm < HV_CONFIG_VMS; vm++) {
        struct boot_linux_files *f = &files[vm];

        *f = (struct boot_linux_files){ 0 };
        if (config->vm_kernel[vm][0] == '\0')
            continue;
        if (!read_file(image, config->vm_kernel[vm], KERNEL_FILE_MAX_BYTES, &f->kernel,
                       &f->kernel_bytes, f))
            continue;
        if (config->vm_initrd[vm][0] != '\0')
            read_file(image, config->vm_initrd[vm], INITRD_FILE_MAX_BYTES, &f->initrd,
                      &f->initrd_bytes, f);
    }
}

void boot_date_read(struct boot_date *date)
{
    EFI_TIME time;

    *date = (struct boot_date){ .year = 2000, .month = 1, .day = 1 };
    if (EFI_ERROR(uefi_call_wrapper(RT->GetTime, 2, &time, NULL)))
        return;
    *date = (struct boot_date){ .year = time.Year, .month = time.Month, .day = time.Day,
                                .hour = time.Hour, .minute = time.Minute,
                                .second = time.Second };
}
