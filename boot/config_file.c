/* Opens the boot volume through the Loaded Image and Simple File System protocols
 * and hands the text of minisvm.cfg to the parser. A missing file means defaults.
 * See: UEFI 2.10 §9.1 (Loaded Image), §13.4-13.5 (file protocols). */
#include <efi.h>
#include <efilib.h>

#include "boot/config_file.h"
#include "hv/console.h"

#define CONFIG_FILE_MAX_BYTES 4096

static void report_config_problem(const char *message)
{
    log_line("cfg", "%s", message);
}

void config_file_load(EFI_HANDLE image, struct hv_config *config)
{
    static char text[CONFIG_FILE_MAX_BYTES];
    EFI_LOADED_IMAGE *loaded = NULL;
    EFI_FILE_HANDLE root, file;

    config_set_defaults(config);
    if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                                    (void **)&loaded)) || !loaded)
        return;
    root = LibOpenRoot(loaded->DeviceHandle);
    if (!root)
        return;
    if (EFI_ERROR(uefi_call_wrapper(root->Open, 5, root, &file, CONFIG_FILE_PATH,
                                    EFI_FILE_MODE_READ, 0))) {
        log_line("cfg", "no \\minisvm\\minisvm.cfg on the boot volume: defaults");
        uefi_call_wrapper(root->Close, 1, root);
        return;
    }
    UINTN size = sizeof text;
    EFI_STATUS status = uefi_call_wrapper(file->Read, 3, file, &size, text);
    uefi_call_wrapper(file->Close, 1, file);
    uefi_call_wrapper(root->Close, 1, root);
    if (EFI_ERROR(status)) {
        log_line("cfg", "reading \\minisvm\\minisvm.cfg failed (EFI status 0x%llx): defaults",
                 (unsigned long long)status);
        return;
    }
    log_line("cfg", "read \\minisvm\\minisvm.cfg (%u bytes)", (unsigned)size);
    config_parse(config, text, size, report_config_problem);
}
