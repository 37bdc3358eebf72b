/* Asks UEFI for the Graphics Output Protocol and describes its framebuffer in the
 * hypervisor's terms. Only 32-bit RGB/BGR linear modes are used; BltOnly modes
 * (no linear framebuffer) leave the console on COM1 alone. See: UEFI 2.10 §12.9. */
#include <efi.h>
#include <efilib.h>

#include "boot/gop.h"

bool gop_find_framebuffer(struct framebuffer *fb, uint64_t *bytes)
{
    EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;

    if (EFI_ERROR(LibLocateProtocol(&gop_guid, (void **)&gop)) || !gop || !gop->Mode)
        return false;
    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = gop->Mode->Info;
    if (!info || gop->Mode->FrameBufferBase == 0)
        return false;
    if (info->PixelFormat != PixelRedGreenBlueReserved8BitPerColor &&
        info->PixelFormat != PixelBlueGreenRedReserved8BitPerColor)
        return false;
    fb->base = (uint32_t *)(uintptr_t)gop->Mode->FrameBufferBase;
    fb->width = info->HorizontalResolution;
    fb->height = info->VerticalResolution;
    fb->pixels_per_scan_line = info->PixelsPerScanLine;
    fb->bgr = info->PixelFormat == PixelBlueGreenRedReserved8BitPerColor;
    *bytes = gop->Mode->FrameBufferSize;
    return true;
}
