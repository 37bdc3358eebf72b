/* The framebuffer text console: light grey bitmap-font text on black, with a
 * cursor that wraps at the right edge and scrolls at the bottom. Only the
 * visible width of each scan line is ever written, never the stride padding. */
#include "hv/framebuffer.h"

#include <string.h>

#define TAB_STOP_COLUMNS 8

/* VGA's light grey on black: the colours a PC console has always used. */
#define TEXT_RED 0xaa
#define TEXT_GREEN 0xaa
#define TEXT_BLUE 0xaa

static struct {
    bool active;
    struct framebuffer fb;
    const struct bitmap_font *font;
    uint32_t columns, rows;          /* screen size in character cells */
    uint32_t column, row;            /* cursor; column == columns means "wrap first" */
    uint32_t foreground, background; /* pixel values */
} console;

uint32_t fb_pixel_value(const struct framebuffer *fb, uint8_t red, uint8_t green,
                        uint8_t blue)
{
    /* GOP names its formats by byte order in memory, and x86 is little-endian:
     * the first byte named is the low byte of the 32-bit pixel. */
    if (fb->bgr)
        return (uint32_t)red << 16 | (uint32_t)green << 8 | blue;
    return (uint32_t)blue << 16 | (uint32_t)green << 8 | red;
}

static uint32_t *scan_line(uint32_t y)
{
    return console.fb.base + (size_t)y * console.fb.pixels_per_scan_line;
}

static void fill_scan_lines(uint32_t first, uint32_t count, uint32_t pixel)
{
    for (uint32_t y = first; y < first + count; y++) {
        uint32_t *line = scan_line(y);

        for (uint32_t x = 0; x < console.fb.width; x++)
            line[x] = pixel;
    }
}

static bool font_usable(const struct bitmap_font *font)
{
    /* One byte per glyph row holds at most 8 pixels. */
    return font && font->glyphs && font->replacement && font->width >= 1 &&
           font->width <= 8 && font->height >= 1 && font->first_char <= font->last_char;
}

void fb_console_init(const struct framebuffer *fb, const struct bitmap_font *font)
{
    /* Forget any earlier framebuffer first, so a failed init never leaves
     * the console drawing into memory it was told about before. */
    memset(&console, 0, sizeof console);
    if (!fb || !fb->base || !font_usable(font) || fb->pixels_per_scan_line < fb->width)
        return;
    if (fb->width < font->width || fb->height < font->height)
        return;

    console.fb = *fb;
    console.font = font;
    console.columns = fb->width / font->width;
    console.rows = fb->height / font->height;
    console.foreground = fb_pixel_value(fb, TEXT_RED, TEXT_GREEN, TEXT_BLUE);
    console.background = fb_pixel_value(fb, 0, 0, 0);
    console.active = true;
    fill_scan_lines(0, fb->height, console.background);
}

bool fb_console_active(void)
{
    return console.active;
}

/* Moves every text row up by one and clears the bottom one. The pixels below
 * the last full text row are never drawn, so they need no moving. */
static void scroll_up(void)
{
    uint32_t glyph_height = console.font->height;
    uint32_t moved_lines = (console.rows - 1) * glyph_height;
    size_t line_bytes = (size_t)console.fb.width * sizeof(uint32_t);

    for (uint32_t y = 0; y < moved_lines; y++)
        memmove(scan_line(y), scan_line(y + glyph_height), line_bytes);
    fill_scan_lines(moved_lines, glyph_height, console.background);
}

static void new_line(void)
{
    console.column = 0;
    console.row++;
    if (console.row == console.rows) {
        scroll_up();
        console.row = console.rows - 1;
    }
}

static void draw_glyph(const uint8_t *glyph, uint32_t column, uint32_t row)
{
    uint32_t glyph_width = console.font->width;
    uint32_t glyph_height = console.font->height;

    for (uint32_t glyph_row = 0; glyph_row < glyph_height; glyph_row++) {
        uint32_t *pixel = scan_line(row * glyph_height + glyph_row) + column * glyph_width;
        uint8_t bits = glyph[glyph_row];

        /* Background pixels are drawn too, so a character overwritten after
         * a '\r' leaves nothing of the old one behind. */
        for (uint32_t x = 0; x < glyph_width; x++)
            pixel[x] = (bits & (0x80u >> x)) ? console.foreground : console.background;
    }
}

static void put_character(char character)
{
    switch (character) {
    case '\n':
        new_line();
        break;
    case '\r':
        console.column = 0;
        break;
    case '\t': {
        uint32_t next_stop = (console.column / TAB_STOP_COLUMNS + 1) * TAB_STOP_COLUMNS;

        /* A stop past the edge leaves a pending wrap, like a full line does. */
        console.column = next_stop < console.columns ? next_stop : console.columns;
        break;
    }
    default:
        /* Wrapping only when the next character arrives keeps a line that
         * exactly fills the screen from producing an extra empty line. */
        if (console.column == console.columns)
            new_line();
        draw_glyph(font_glyph(console.font, character), console.column, console.row);
        console.column++;
        break;
    }
}

void fb_console_write(const char *text, size_t length)
{
    if (!console.active || !text)
        return;
    for (size_t i = 0; i < length; i++)
        put_character(text[i]);
}
