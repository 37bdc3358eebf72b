/* Build-time host tool: converts a PSF console font (PSF1 or PSF2, uncompressed,
 * on standard input) into a C source defining console_font (hv/font.h) with the
 * glyphs of U+0020..U+007E and a replacement glyph. Format facts: kbd's psf docs. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CHAR 0x20
#define LAST_CHAR 0x7e
#define CHAR_COUNT (LAST_CHAR - FIRST_CHAR + 1)
#define CODE_POINT_REPLACEMENT 0xfffd

/* The console draws one byte per glyph row; other heights are possible but a
 * font smaller than 8 rows is unreadable and a larger one was not meant for it. */
#define SUPPORTED_WIDTH 8
#define MIN_HEIGHT 8
#define MAX_HEIGHT 32

#define MAX_FONT_BYTES (16u << 20)

#define PSF1_MAGIC_0 0x36
#define PSF1_MAGIC_1 0x04
#define PSF1_HEADER_BYTES 4
#define PSF1_MODE_512 0x01     /* 512 glyphs instead of 256 */
#define PSF1_MODE_HAS_TABLE 0x02
#define PSF1_MODE_HAS_SEQUENCES 0x04 /* also implies a table */
#define PSF1_TABLE_SEPARATOR 0xffff /* ends one glyph's entries */
#define PSF1_TABLE_SEQUENCE 0xfffe  /* starts a combining sequence */

#define PSF2_HEADER_BYTES 32
#define PSF2_FLAG_HAS_TABLE 0x01
#define PSF2_TABLE_SEPARATOR 0xff
#define PSF2_TABLE_SEQUENCE 0xfe

static const uint8_t psf2_magic[4] = { 0x72, 0xb5, 0x4a, 0x86 };

/* Static so the tool needs no heap; real console fonts are a few tens of KiB. */
static uint8_t font_bytes[MAX_FONT_BYTES];

struct psf_font {
    int version;                 /* 1 or 2 */
    uint32_t glyph_count;
    uint32_t width, height;
    uint32_t bytes_per_glyph;
    bool has_table;
    const uint8_t *glyphs;
    const uint8_t *table;        /* set once the glyphs are known to fit */
    const uint8_t *table_end;
};

/* Glyph index per code point of interest; -1 while not found. */
struct glyph_map {
    long printable[CHAR_COUNT];
    long replacement_character;  /* U+FFFD */
};

static void fail(const char *message)
{
    fprintf(stderr, "psf2c: %s\n", message);
    exit(1);
}

static size_t read_standard_input(void)
{
    size_t length = fread(font_bytes, 1, sizeof font_bytes, stdin);

    if (ferror(stdin))
        fail("cannot read the font from standard input");
    if (length == sizeof font_bytes && fgetc(stdin) != EOF)
        fail("font larger than 16 MiB: not a console font");
    return length;
}

static uint32_t read_le32(const uint8_t *bytes)
{
    return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
           (uint32_t)bytes[3] << 24;
}

static void parse_psf1(struct psf_font *font)
{
    uint8_t mode = font_bytes[2];

    font->version = 1;
    font->glyph_count = (mode & PSF1_MODE_512) ? 512 : 256;
    font->width = 8; /* PSF1 glyphs are always one byte wide */
    font->height = font_bytes[3];
    font->bytes_per_glyph = font->height;
    font->has_table = (mode & (PSF1_MODE_HAS_TABLE | PSF1_MODE_HAS_SEQUENCES)) != 0;
    font->glyphs = font_bytes + PSF1_HEADER_BYTES;
}

static void parse_psf2(size_t length, struct psf_font *font)
{
    uint32_t header_bytes, flags;

    if (length < PSF2_HEADER_BYTES)
        fail("truncated PSF2 header");
    header_bytes = read_le32(font_bytes + 8);
    flags = read_le32(font_bytes + 12);
    font->version = 2;
    font->glyph_count = read_le32(font_bytes + 16);
    font->bytes_per_glyph = read_le32(font_bytes + 20);
    font->height = read_le32(font_bytes + 24);
    font->width = read_le32(font_bytes + 28);
    if (header_bytes < PSF2_HEADER_BYTES || header_bytes > length)
        fail("PSF2 header size field is out of range: the file is damaged");
    font->has_table = (flags & PSF2_FLAG_HAS_TABLE) != 0;
    font->glyphs = font_bytes + header_bytes;
}

static void check_font(size_t length, struct psf_font *font)
{
    char message[160];
    uint64_t glyph_bytes;

    if (font->width != SUPPORTED_WIDTH || font->height < MIN_HEIGHT ||
        font->height > MAX_HEIGHT) {
        snprintf(message, sizeof message,
                 "font is %ux%u pixels; only fonts %u pixels wide and %u to %u pixels "
                 "high are supported: pick another font",
                 font->width, font->height, (unsigned)SUPPORTED_WIDTH, (unsigned)MIN_HEIGHT,
                 (unsigned)MAX_HEIGHT);
        fail(message);
    }
    if (font->bytes_per_glyph != font->height)
        fail("glyph size does not match height x one byte per row: the file is damaged");
    if (font->glyph_count == 0)
        fail("the font has no glyphs");
    glyph_bytes = (uint64_t)font->glyph_count * font->bytes_per_glyph;
    if (glyph_bytes > (uint64_t)(font_bytes + length - font->glyphs))
        fail("the file ends before its last glyph: truncated font");
    if (font->has_table) {
        font->table = font->glyphs + glyph_bytes;
        font->table_end = font_bytes + length;
    }
}

static void record(struct glyph_map *map, uint32_t code_point, uint32_t glyph)
{
    long *slot = NULL;

    if (code_point >= FIRST_CHAR && code_point <= LAST_CHAR)
        slot = &map->printable[code_point - FIRST_CHAR];
    else if (code_point == CODE_POINT_REPLACEMENT)
        slot = &map->replacement_character;
    /* The first glyph listed for a code point is the one the font intends. */
    if (slot && *slot < 0)
        *slot = glyph;
}

static void map_psf1_table(const struct psf_font *font, struct glyph_map *map)
{
    const uint8_t *entry = font->table;
    uint32_t glyph = 0;
    bool in_sequence = false;

    while (glyph < font->glyph_count) {
        uint32_t value;

        if (font->table_end - entry < 2)
            fail("the Unicode table ends before its last glyph: truncated font");
        value = (uint32_t)entry[0] | (uint32_t)entry[1] << 8;
        entry += 2;
        if (value == PSF1_TABLE_SEPARATOR) {
            glyph++;
            in_sequence = false;
        } else if (value == PSF1_TABLE_SEQUENCE) {
            in_sequence = true;
        } else if (!in_sequence) {
            /* A sequence draws several code points as one glyph; its
             * members alone must not map to this glyph. */
            record(map, value, glyph);
        }
    }
}

/* Decodes one UTF-8 code point at *cursor and advances past it. */
static uint32_t decode_utf8(const uint8_t **cursor, const uint8_t *end)
{
    const uint8_t *bytes = *cursor;
    uint32_t code_point;
    int continuation_count;

    if (bytes[0] < 0x80) {
        code_point = bytes[0];
        continuation_count = 0;
    } else if ((bytes[0] & 0xe0) == 0xc0) {
        code_point = bytes[0] & 0x1f;
        continuation_count = 1;
    } else if ((bytes[0] & 0xf0) == 0xe0) {
        code_point = bytes[0] & 0x0f;
        continuation_count = 2;
    } else if ((bytes[0] & 0xf8) == 0xf0) {
        code_point = bytes[0] & 0x07;
        continuation_count = 3;
    } else {
        fail("invalid UTF-8 in the Unicode table: the file is damaged");
    }
    if (end - bytes < 1 + continuation_count)
        fail("the Unicode table ends inside a character: truncated font");
    for (int i = 1; i <= continuation_count; i++) {
        if ((bytes[i] & 0xc0) != 0x80)
            fail("invalid UTF-8 in the Unicode table: the file is damaged");
        code_point = code_point << 6 | (bytes[i] & 0x3f);
    }
    *cursor = bytes + 1 + continuation_count;
    return code_point;
}

static void map_psf2_table(const struct psf_font *font, struct glyph_map *map)
{
    const uint8_t *entry = font->table;
    uint32_t glyph = 0;
    bool in_sequence = false;

    while (glyph < font->glyph_count) {
        if (entry >= font->table_end)
            fail("the Unicode table ends before its last glyph: truncated font");
        if (*entry == PSF2_TABLE_SEPARATOR) {
            entry++;
            glyph++;
            in_sequence = false;
        } else if (*entry == PSF2_TABLE_SEQUENCE) {
            entry++;
            in_sequence = true;
        } else {
            uint32_t code_point = decode_utf8(&entry, font->table_end);

            if (!in_sequence)
                record(map, code_point, glyph);
        }
    }
}

/* A font with a Unicode table stores glyphs in its own order, so the glyph for
 * a code point is found through the table, never by using it as an index. */
static void build_map(const struct psf_font *font, struct glyph_map *map)
{
    for (int i = 0; i < CHAR_COUNT; i++)
        map->printable[i] = -1;
    map->replacement_character = -1;
    if (!font->has_table) {
        /* Without a table the glyph index is the code point. */
        for (uint32_t code_point = FIRST_CHAR; code_point <= LAST_CHAR; code_point++)
            if (code_point < font->glyph_count)
                record(map, code_point, code_point);
    } else if (font->version == 1) {
        map_psf1_table(font, map);
    } else {
        map_psf2_table(font, map);
    }
}

static void print_glyph(const struct psf_font *font, long glyph)
{
    const uint8_t *rows = font->glyphs + (size_t)glyph * font->bytes_per_glyph;

    for (uint32_t row = 0; row < font->height; row++)
        printf("%s0x%02x,%s", row % 8 == 0 ? "    " : " ", rows[row],
               row % 8 == 7 || row + 1 == font->height ? "\n" : "");
}

static void print_source(const struct psf_font *font, const struct glyph_map *map,
                         long replacement, const char *source)
{
    printf("/* Generated by scripts/psf2c.c: do not edit.\n");
    printf(" * Source font: %s.\n", source);
    printf(" * PSF%d, %u glyphs of %ux%u pixels; U+0020..U+007E found through %s,\n",
           font->version, font->glyph_count, font->width, font->height,
           font->has_table ? "the font's Unicode table" : "glyph index = code point");
    printf(" * replacement glyph: %s. */\n",
           map->replacement_character >= 0 ? "U+FFFD" : "'?'");
    printf("#include \"hv/font.h\"\n\n");
    printf("static const uint8_t console_font_glyphs[%d * %u] = {\n", CHAR_COUNT,
           font->height);
    for (int i = 0; i < CHAR_COUNT; i++) {
        long glyph = map->printable[i];

        printf("    /* U+%04X '%c'%s */\n", FIRST_CHAR + i, FIRST_CHAR + i,
               glyph < 0 ? ", not in the font: replacement" : "");
        print_glyph(font, glyph < 0 ? replacement : glyph);
    }
    printf("};\n\n");
    printf("static const uint8_t console_font_replacement[%u] = {\n", font->height);
    print_glyph(font, replacement);
    printf("};\n\n");
    printf("const struct bitmap_font console_font = {\n");
    printf("    .width = %u,\n    .height = %u,\n", font->width, font->height);
    printf("    .first_char = 0x%02x,\n    .last_char = 0x%02x,\n", FIRST_CHAR, LAST_CHAR);
    printf("    .glyphs = console_font_glyphs,\n");
    printf("    .replacement = console_font_replacement,\n");
    printf("};\n");
}

/* Usage: gzip -dc FONT.psf.gz | psf2c [SOURCE-DESCRIPTION] > console_font.c
 * The optional argument names the source font in the generated comment, since
 * standard input carries no file name. */
int main(int argc, char **argv)
{
    struct psf_font font = { 0 };
    struct glyph_map map;
    const char *source = "a PSF font read from standard input";
    size_t length;
    long replacement;

    if (argc > 2)
        fail("usage: psf2c [SOURCE-DESCRIPTION] < FONT.psf > console_font.c");
    if (argc == 2) {
        source = argv[1];
        if (strstr(source, "*/") || strchr(source, '\n'))
            fail("the source description must not contain \"*/\" or a newline");
    }
    length = read_standard_input();
    if (length >= 4 && memcmp(font_bytes, psf2_magic, 4) == 0) {
        parse_psf2(length, &font);
    } else if (length >= PSF1_HEADER_BYTES && font_bytes[0] == PSF1_MAGIC_0 &&
               font_bytes[1] == PSF1_MAGIC_1) {
        parse_psf1(&font);
    } else {
        fail("not a PSF font (bad magic); decompress it first: gzip -dc FONT.psf.gz | psf2c");
    }
    check_font(length, &font);
    build_map(&font, &map);

    replacement = map.replacement_character;
    if (replacement < 0)
        replacement = map.printable['?' - FIRST_CHAR];
    if (replacement < 0)
        fail("the font has neither U+FFFD nor '?' to use as the replacement glyph");
    for (int i = 0; i < CHAR_COUNT; i++)
        if (map.printable[i] < 0)
            fprintf(stderr, "psf2c: warning: U+%04X is not in the font; using the "
                            "replacement glyph\n", FIRST_CHAR + i);
    print_source(&font, &map, replacement, source);
    if (fflush(stdout) != 0 || ferror(stdout))
        fail("cannot write the generated source to standard output");
    return 0;
}
