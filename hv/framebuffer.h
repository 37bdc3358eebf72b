/* A text console drawn into the linear framebuffer that UEFI's Graphics Output
 * Protocol (GOP) leaves behind, so that a machine booted without a serial
 * cable still shows the log on its screen. */
#ifndef HV_FRAMEBUFFER_H
#define HV_FRAMEBUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/font.h"

/* A linear framebuffer of 32-bit pixels, as described by GOP's mode information. */
struct framebuffer {
    uint32_t *base;
    uint32_t width, height;           /* visible pixels */
    uint32_t pixels_per_scan_line;    /* stride; may exceed width */
    bool bgr;  /* pixel order: true for PixelBlueGreenRedReserved8BitPerColor */
};

/* The 32-bit value that shows the colour (red, green, blue) on this framebuffer. */
uint32_t fb_pixel_value(const struct framebuffer *fb, uint8_t red, uint8_t green,
                        uint8_t blue);

/* Starts the console on fb with font and clears the screen. A NULL or unusable
 * framebuffer or font (no base, smaller than one character) leaves the console
 * inactive, and every later write does nothing. */
void fb_console_init(const struct framebuffer *fb, const struct bitmap_font *font);

/* Draws length bytes of text at the cursor. '\n' starts the next line, '\r'
 * returns to its start, '\t' moves to the next multiple of 8 columns; long
 * lines wrap and the screen scrolls up at the bottom. */
void fb_console_write(const char *text, size_t length);

bool fb_console_active(void);

#endif
