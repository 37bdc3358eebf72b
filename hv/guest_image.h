/* The test-guest payload embedded in minisvm.efi (hv/guest_image.asm). */
#ifndef HV_GUEST_IMAGE_H
#define HV_GUEST_IMAGE_H

#include <stdint.h>

extern const uint8_t guest_image_start[];
extern const uint64_t guest_image_bytes;

#endif
