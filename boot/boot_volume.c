/* Files on the boot volume, through the Loaded Image protocol (which device we came
 * from) and the Simple File System protocol. See: UEFI 2.10 §9.1, §13.4-13.5. */
#include <efi.h>
#include <efilib.h>

#include "boot/boot_volume.h"

static EFI_STATUS read_open_file(EFI_FILE_HANDLE file, UINTN max_bytes, void **data,
                                 UINTN *bytes)
{
    EFI_FILE_INFO *info = LibFileInfo(file);
    if (!info)
        return EFI_DEVICE_ERROR;
    UINT64 size = info->FileSize;
    FreePool(info);
    if (size > max_bytes)
        return EFI_BAD_BUFFER_SIZE;

    EFI_PHYSICAL_ADDRESS pages = 0;
    EFI_STATUS status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
                                          EFI_SIZE_TO_PAGES(size ? size : 1), &pages);
    if (EFI_ERROR(status))
        return status;
    UINTN read = size;
    status = uefi_call_wrapper(file->Read, 3, file, &read, (void *)(uintptr_t)pages);
    if (EFI_ERROR(status) || read != size) {
        uefi_call_wrapper(BS->FreePages, 2, pages, EFI_SIZE_TO_PAGES(size ? size : 1));
        return EFI_ERROR(status) ? status : EFI_DEVICE_ERROR;
    }
    *data = (void *)(uintptr_t)pages;
    *bytes = read;
    return EFI_SUCCESS;
}

EFI_STATUS boot_volume_read(EFI_HANDLE image, const CHAR16 *path, UINTN max_bytes,
                            void **data, UINTN *bytes)
{
    EFI_LOADED_IMAGE *loaded = NULL;
    EFI_FILE_HANDLE root, file;
    EFI_STATUS status;

    status = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                               (void **)&loaded);
    if (EFI_ERROR(status) || !loaded)
        return EFI_ERROR(status) ? status : EFI_NOT_FOUND;
    root = LibOpenRoot(loaded->DeviceHandle);
    if (!root)
        return EFI_NOT_FOUND;
    status = uefi_call_wrapper(root->Open, 5, root, &file, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
    if (!EFI_ERROR(status)) {
        status = read_open_file(file, max_bytes, data, bytes);
        uefi_call_wrapper(file->Close, 1, file);
    }
    uefi_call_wrapper(root->Close, 1, root);
    return status;
}
