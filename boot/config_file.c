/* Reads \minisvm\minisvm.cfg and hands its text to the parser (hv/config.c); a
 * missing file means defaults. When the configuration names a guest image
 * ("guest=NAME"), reads \minisvm\NAME too, so users can run their own guests. */
#include <efi.h>
#include <efilib.h>

#include "boot/boot_volume.h"
#include "boot/config_file.h"
#include "hv/console.h"

#define CONFIG_FILE_MAX_BYTES 4096
#define GUEST_FILE_MAX_BYTES  (8u << 20)
#define GUEST_PATH_PREFIX     L"\\minisvm\\"

static void report_config_problem(const char *message)
{
    log_line("cfg", "%s", message);
}

void config_file_load(EFI_HANDLE image, struct hv_config *config)
{
    void *text;
    UINTN size;

    config_set_defaults(config);
    EFI_STATUS status = boot_volume_read(image, CONFIG_FILE_PATH, CONFIG_FILE_MAX_BYTES,
                                         &text, &size);
    if (status == EFI_NOT_FOUND) {
        log_line("cfg", "no \\minisvm\\minisvm.cfg on the boot volume: defaults");
        return;
    }
    if (EFI_ERROR(status)) {
        log_line("cfg", "reading \\minisvm\\minisvm.cfg failed (EFI status 0x%llx): defaults",
                 (unsigned long long)status);
        return;
    }
    log_line("cfg", "read \\minisvm\\minisvm.cfg (%u bytes)", (unsigned)size);
    config_parse(config, text, size, report_config_problem);
    uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)(uintptr_t)text,
                      EFI_SIZE_TO_PAGES(size ? size : 1));
}

bool guest_file_load(EFI_HANDLE image, const struct hv_config *config,
                     const void **data, uint64_t *bytes)
{
    CHAR16 path[sizeof GUEST_PATH_PREFIX / sizeof(CHAR16) + HV_CONFIG_NAME_BYTES];
    unsigned length = 0;
    void *file;
    UINTN size;

    if (config->guest_file[0] == '\0')
        return false;
    for (const CHAR16 *p = GUEST_PATH_PREFIX; *p; p++)
        path[length++] = *p;
    /* The parser allowed only [A-Za-z0-9._-], so widening each byte is exact. */
    for (const char *p = config->guest_file; *p; p++)
        path[length++] = (CHAR16)*p;
    path[length] = 0;

    EFI_STATUS status = boot_volume_read(image, path, GUEST_FILE_MAX_BYTES, &file, &size);
    if (EFI_ERROR(status)) {
        log_line("cfg", "cannot read the guest image \\minisvm\\%s (EFI status 0x%llx): "
                 "using the built-in test guest", config->guest_file, (unsigned long long)status);
        return false;
    }
    log_line("cfg", "guest image \\minisvm\\%s (%u bytes)", config->guest_file, (unsigned)size);
    *data = file;
    *bytes = size;
    return true;
}
