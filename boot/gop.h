/* Finding the UEFI Graphics Output Protocol's linear framebuffer, so that the log
 * is also drawn on screen (bare-metal boots from USB have no serial cable). */
#ifndef BOOT_GOP_H
#define BOOT_GOP_H

#include <stdbool.h>

#include "hv/framebuffer.h"

bool gop_find_framebuffer(struct framebuffer *fb, uint64_t *bytes);

#endif
