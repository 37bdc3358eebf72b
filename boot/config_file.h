/* Reads \minisvm\minisvm.cfg from the volume minisvm was loaded from. */
#ifndef BOOT_CONFIG_FILE_H
#define BOOT_CONFIG_FILE_H

#include <efi.h>

#include "hv/config.h"

#define CONFIG_FILE_PATH L"\\minisvm\\minisvm.cfg"

/* Fills config with defaults, then applies the file if there is one. */
void config_file_load(EFI_HANDLE image, struct hv_config *config);

#endif
