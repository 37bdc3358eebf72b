/* A bitmap font for the framebuffer console: one glyph per printable ASCII
 * character plus a replacement glyph for everything else. The glyphs are
 * converted at build time from a PSF console font by scripts/psf2c.c. */
#ifndef HV_FONT_H
#define HV_FONT_H

#include <stddef.h>
#include <stdint.h>

struct bitmap_font {
    uint8_t width, height;          /* pixels; width is at most 8 */
    uint8_t first_char, last_char;  /* inclusive range covered by glyphs */
    const uint8_t *glyphs;          /* height bytes per glyph, MSB = leftmost pixel */
    const uint8_t *replacement;     /* height bytes, drawn for any other character */
};

extern const struct bitmap_font console_font;

/* Bytes outside the font's range (control characters, UTF-8 pieces) all share
 * the replacement glyph, so a stray byte is visible rather than silently lost. */
static inline const uint8_t *font_glyph(const struct bitmap_font *font, char character)
{
    uint8_t code = (uint8_t)character;

    if (code < font->first_char || code > font->last_char)
        return font->replacement;
    return font->glyphs + (size_t)(code - font->first_char) * font->height;
}

#endif
