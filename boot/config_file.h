/* Reads \minisvm\minisvm.cfg, and a guest image it names, from the boot volume. */
#ifndef BOOT_CONFIG_FILE_H
#define BOOT_CONFIG_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include <efi.h>

#include "hv/config.h"

#define CONFIG_FILE_PATH L"\\minisvm\\minisvm.cfg"

/* Fills config with defaults, then applies the file if there is one. */
void config_file_load(EFI_HANDLE image, struct hv_config *config);
/* Reads the guest image named by "guest=NAME" from \minisvm\NAME; false when
 * none is configured or it cannot be read (the built-in guest is used then). */
bool guest_file_load(EFI_HANDLE image, const struct hv_config *config,
                     const void **data, uint64_t *bytes);

#endif
