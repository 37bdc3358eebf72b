/* Unit tests for the framebuffer text console: it renders into host memory
 * whose scan lines are longer than the visible width, so the tests can check
 * exact glyph pixels, the cursor rules, scrolling, and that padding stays untouched. */
#include "test.h"

#include <stdlib.h>

#include "hv/font.h"
#include "hv/framebuffer.h"

#define LIGHT_GREY 0x00aaaaaau
#define BLACK 0x00000000u
#define PADDING_SENTINEL 0x5a5a5a5au

/* 64x48 pixels with the 8x16 font: 8 columns, 3 rows. */
#define SMALL_WIDTH 64
#define SMALL_HEIGHT 48
#define SMALL_STRIDE 72

struct test_screen {
    struct framebuffer fb;
    uint32_t *pixels;
};

/* The buffer is exactly height x stride pixels, so AddressSanitizer reports any
 * write past its end; it starts filled with a sentinel that the console must
 * overwrite in the visible area and leave alone in the padding. */
static struct test_screen screen_open(uint32_t width, uint32_t height, uint32_t stride)
{
    struct test_screen screen;
    size_t count = (size_t)height * stride;

    screen.pixels = malloc(count * sizeof(uint32_t));
    for (size_t i = 0; i < count; i++)
        screen.pixels[i] = PADDING_SENTINEL;
    screen.fb = (struct framebuffer){ .base = screen.pixels, .width = width,
                                      .height = height, .pixels_per_scan_line = stride };
    return screen;
}

static struct test_screen console_open(uint32_t width, uint32_t height, uint32_t stride)
{
    struct test_screen screen = screen_open(width, height, stride);

    fb_console_init(&screen.fb, &console_font);
    return screen;
}

static void screen_close(struct test_screen *screen)
{
    fb_console_init(NULL, NULL); /* so the console never writes to freed memory */
    free(screen->pixels);
}

static void write_text(const char *text)
{
    fb_console_write(text, strlen(text));
}

static uint32_t pixel_at(const struct test_screen *screen, uint32_t x, uint32_t y)
{
    return screen->pixels[(size_t)y * screen->fb.pixels_per_scan_line + x];
}

/* Counts the pixels of a character cell that differ from glyph drawn in light
 * grey on black; a NULL glyph means an empty cell. */
static int cell_mismatches(const struct test_screen *screen, uint32_t column, uint32_t row,
                           const uint8_t *glyph)
{
    int mismatches = 0;

    for (uint32_t y = 0; y < console_font.height; y++) {
        for (uint32_t x = 0; x < console_font.width; x++) {
            bool lit = glyph && (glyph[y] & (0x80u >> x));
            uint32_t pixel = pixel_at(screen, column * console_font.width + x,
                                      row * console_font.height + y);

            if (pixel != (lit ? LIGHT_GREY : BLACK))
                mismatches++;
        }
    }
    return mismatches;
}

static const uint8_t *glyph_of(char character)
{
    return font_glyph(&console_font, character);
}

static int padding_pixels_touched(const struct test_screen *screen)
{
    int touched = 0;

    for (uint32_t y = 0; y < screen->fb.height; y++)
        for (uint32_t x = screen->fb.width; x < screen->fb.pixels_per_scan_line; x++)
            if (pixel_at(screen, x, y) != PADDING_SENTINEL)
                touched++;
    return touched;
}

static int pixels_not_equal(const struct test_screen *screen, uint32_t value)
{
    int count = 0;

    for (uint32_t y = 0; y < screen->fb.height; y++)
        for (uint32_t x = 0; x < screen->fb.width; x++)
            if (pixel_at(screen, x, y) != value)
                count++;
    return count;
}

/* Over the whole buffer, padding included, for a console that must not draw. */
static int buffer_pixels_changed(const struct test_screen *screen)
{
    size_t count = (size_t)screen->fb.height * screen->fb.pixels_per_scan_line;
    int changed = 0;

    for (size_t i = 0; i < count; i++)
        changed += screen->pixels[i] != PADDING_SENTINEL;
    return changed;
}

/* Defined first because tests run in the order they are defined and the
 * console's state is global: no test may have initialised it yet. */
TEST(console_is_inactive_before_init)
{
    EXPECT_FALSE(fb_console_active());
    write_text("written to nowhere\n");
    EXPECT_FALSE(fb_console_active());
}

TEST(generated_font_has_the_expected_shape)
{
    EXPECT_EQ(console_font.width, 8);
    EXPECT_EQ(console_font.height, 16);
    EXPECT_EQ(console_font.first_char, 0x20);
    EXPECT_EQ(console_font.last_char, 0x7e);
    EXPECT_TRUE(glyph_of('A') == console_font.glyphs + ('A' - 0x20) * 16);
    EXPECT_TRUE(glyph_of('\x1f') == console_font.replacement);
    EXPECT_TRUE(glyph_of('\x7f') == console_font.replacement);
    EXPECT_TRUE(glyph_of('\xc3') == console_font.replacement);
    EXPECT_TRUE(memcmp(glyph_of('A'), console_font.replacement, 16) != 0);
}

TEST(pixel_value_respects_the_pixel_order)
{
    static const struct {
        bool bgr;
        uint8_t red, green, blue;
        uint32_t expected;
    } rows[] = {
        { false, 0x12, 0x34, 0x56, 0x00563412 }, /* PixelRedGreenBlueReserved8BitPerColor */
        { true, 0x12, 0x34, 0x56, 0x00123456 },  /* PixelBlueGreenRedReserved8BitPerColor */
        { false, 0xff, 0x00, 0x00, 0x000000ff },
        { true, 0xff, 0x00, 0x00, 0x00ff0000 },
        { true, 0xaa, 0xaa, 0xaa, LIGHT_GREY },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct framebuffer fb = { .bgr = rows[i].bgr };

        test_row("pixel value of #%02x%02x%02x, bgr=%d", rows[i].red, rows[i].green,
                 rows[i].blue, rows[i].bgr);
        EXPECT_EQ(fb_pixel_value(&fb, rows[i].red, rows[i].green, rows[i].blue),
                  rows[i].expected);
    }
}

TEST(init_clears_the_visible_area_only)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    EXPECT_TRUE(fb_console_active());
    EXPECT_EQ(pixels_not_equal(&screen, BLACK), 0);
    EXPECT_EQ(padding_pixels_touched(&screen), 0);
    screen_close(&screen);
}

TEST(letter_a_is_drawn_pixel_for_pixel)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);
    int lit_in_font = 0;
    int lit_on_screen = 0;

    write_text("A");
    EXPECT_EQ(cell_mismatches(&screen, 0, 0, glyph_of('A')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 1, 0, NULL), 0);
    /* A blank glyph would match a blank screen: prove something was drawn. */
    for (int y = 0; y < 16; y++)
        lit_in_font += __builtin_popcount(glyph_of('A')[y]);
    EXPECT_EQ(pixels_not_equal(&screen, BLACK), lit_in_font);
    for (uint32_t y = 0; y < 16; y++)
        for (uint32_t x = 0; x < 8; x++)
            lit_on_screen += pixel_at(&screen, x, y) == LIGHT_GREY;
    EXPECT_EQ(lit_on_screen, lit_in_font);
    EXPECT_TRUE(lit_in_font > 10);
    screen_close(&screen);
}

TEST(bytes_outside_the_font_draw_the_replacement_glyph)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("\x01\xe2");
    EXPECT_EQ(cell_mismatches(&screen, 0, 0, console_font.replacement), 0);
    EXPECT_EQ(cell_mismatches(&screen, 1, 0, console_font.replacement), 0);
    screen_close(&screen);
}

TEST(newline_and_carriage_return_move_the_cursor)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("AB\nC");
    EXPECT_EQ(cell_mismatches(&screen, 0, 0, glyph_of('A')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 1, 0, glyph_of('B')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 0, 1, glyph_of('C')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 2, 0, NULL), 0);
    write_text("D\rE");
    EXPECT_EQ(cell_mismatches(&screen, 0, 1, glyph_of('E')), 0); /* overwrote C */
    EXPECT_EQ(cell_mismatches(&screen, 1, 1, glyph_of('D')), 0);
    screen_close(&screen);
}

TEST(long_lines_wrap_at_the_right_edge)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("ABCDEFGHI");
    EXPECT_EQ(cell_mismatches(&screen, 7, 0, glyph_of('H')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 0, 1, glyph_of('I')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 1, 1, NULL), 0);
    screen_close(&screen);
}

TEST(a_line_that_fills_the_width_then_newline_leaves_no_empty_line)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("ABCDEFGH\nI");
    EXPECT_EQ(cell_mismatches(&screen, 7, 0, glyph_of('H')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 0, 1, glyph_of('I')), 0);
    screen_close(&screen);
}

TEST(newline_on_the_last_row_scrolls_up)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("A\nBX\nC\n");
    EXPECT_EQ(cell_mismatches(&screen, 0, 0, glyph_of('B')), 0); /* A moved out */
    EXPECT_EQ(cell_mismatches(&screen, 1, 0, glyph_of('X')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 0, 1, glyph_of('C')), 0);
    for (uint32_t column = 0; column < 8; column++)
        EXPECT_EQ(cell_mismatches(&screen, column, 2, NULL), 0);
    write_text("D");
    EXPECT_EQ(cell_mismatches(&screen, 0, 2, glyph_of('D')), 0);
    EXPECT_EQ(padding_pixels_touched(&screen), 0);
    screen_close(&screen);
}

TEST(wrapping_on_the_last_row_scrolls_up)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    write_text("AAAAAAAABBBBBBBBCCCCCCCCD");
    EXPECT_EQ(cell_mismatches(&screen, 7, 0, glyph_of('B')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 7, 1, glyph_of('C')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 0, 2, glyph_of('D')), 0);
    EXPECT_EQ(cell_mismatches(&screen, 1, 2, NULL), 0);
    screen_close(&screen);
}

TEST(tab_moves_to_the_next_multiple_of_8_columns)
{
    /* 200 pixels: 25 columns, so stops at 8, 16 and 24 fit on a line. */
    static const struct {
        const char *text;
        uint32_t column, row; /* where the X after the tab lands */
    } rows[] = {
        { "\tX", 8, 0 },
        { "ABC\tX", 8, 0 },
        { "ABCDEFG\tX", 8, 0 },
        { "ABCDEFGH\tX", 16, 0 },
        { "ABCDEFGHIJKLMNOPQRSTUVW\tX", 24, 0 },
        { "ABCDEFGHIJKLMNOPQRSTUVWX\tX", 0, 1 }, /* past the edge: wraps */
        { "AB\t\tX", 16, 0 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct test_screen screen = console_open(200, 32, 208);
        char shown[64];
        size_t length = 0;

        for (const char *c = rows[i].text; *c && length + 3 < sizeof shown; c++) {
            if (*c == '\t')
                shown[length++] = '\\', shown[length++] = 't';
            else
                shown[length++] = *c;
        }
        shown[length] = '\0';
        test_row("\"%s\": X on column %u, row %u", shown, rows[i].column, rows[i].row);
        write_text(rows[i].text);
        EXPECT_EQ(cell_mismatches(&screen, rows[i].column, rows[i].row, glyph_of('X')), 0);
        if (rows[i].row == 0) /* the skipped cells stay empty */
            EXPECT_EQ(cell_mismatches(&screen, rows[i].column - 1, 0, NULL), 0);
        EXPECT_EQ(padding_pixels_touched(&screen), 0);
        screen_close(&screen);
    }
}

TEST(unusable_framebuffer_leaves_the_console_inactive)
{
    static const struct {
        const char *name;
        uint32_t width, height, stride;
        bool null_base, null_fb, null_font;
    } rows[] = {
        { "NULL base", 64, 48, 72, true, false, false },
        { "NULL framebuffer", 64, 48, 72, false, true, false },
        { "NULL font", 64, 48, 72, false, false, true },
        { "narrower than one character", 7, 48, 8, false, false, false },
        { "lower than one character", 64, 15, 72, false, false, false },
        { "stride shorter than width", 64, 48, 60, false, false, false },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        /* A console that was working must stop using its old framebuffer too. */
        struct test_screen previous = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);
        struct test_screen screen = screen_open(rows[i].width, rows[i].height, rows[i].stride);
        struct framebuffer fb = screen.fb;

        test_row("%s", rows[i].name);
        if (rows[i].null_base)
            fb.base = NULL;
        fb_console_init(rows[i].null_fb ? NULL : &fb,
                        rows[i].null_font ? NULL : &console_font);
        EXPECT_FALSE(fb_console_active());
        write_text("ABC\n\tD");
        EXPECT_EQ(buffer_pixels_changed(&screen), 0);
        EXPECT_EQ(pixels_not_equal(&previous, BLACK), 0);
        screen_close(&screen);
        free(previous.pixels);
    }
}

TEST(null_text_writes_nothing)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    fb_console_write(NULL, 5);
    fb_console_write("A", 0);
    EXPECT_EQ(pixels_not_equal(&screen, BLACK), 0);
    screen_close(&screen);
}

TEST(stride_padding_is_never_touched)
{
    struct test_screen screen = console_open(SMALL_WIDTH, SMALL_HEIGHT, SMALL_STRIDE);

    /* Enough text to wrap, tab past the edge and scroll many times. */
    for (int i = 0; i < 20; i++)
        write_text("[svm] line\twith a tab and a long tail\r\n\x01\xff\n");
    EXPECT_EQ(padding_pixels_touched(&screen), 0);
    screen_close(&screen);
}
