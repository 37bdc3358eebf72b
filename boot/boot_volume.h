/* Reading files from the volume minisvm was loaded from (the ESP or the USB stick). */
#ifndef BOOT_BOOT_VOLUME_H
#define BOOT_BOOT_VOLUME_H

#include <efi.h>

/* Reads the file at path (e.g. L"\\minisvm\\minisvm.cfg") into newly allocated
 * pages (EfiLoaderData, so they survive ExitBootServices). EFI_NOT_FOUND when there
 * is no such file, EFI_BAD_BUFFER_SIZE when it is larger than max_bytes. */
EFI_STATUS boot_volume_read(EFI_HANDLE image, const CHAR16 *path, UINTN max_bytes,
                            void **data, UINTN *bytes);

#endif
