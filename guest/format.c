/* The guest's printf-style formatter (see format.h). Written for this guest so
 * that the payload stays independent of the hypervisor's libc build: it needs no
 * heap, no floating point and no locale. */
#include "guest/format.h"

#include <stdbool.h>
#include <stdint.h>

struct field {
    unsigned width;
    bool zero_pad;
    bool left_justify;
};

struct string_sink {
    char *buffer;
    size_t size;
    size_t length;
};

static size_t emit_padding(format_sink sink, void *context, char pad, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        sink(pad, context);
    return count;
}

/* Emits text of the given length inside the field, padding on the proper side.
 * A leading '-' stays in front of zero padding ("-0042", not "00-42"). */
static size_t emit_field(format_sink sink, void *context, const struct field *field,
                         const char *text, size_t length)
{
    size_t written = 0;
    unsigned padding = field->width > length ? field->width - (unsigned)length : 0;

    if (field->left_justify) {
        for (size_t i = 0; i < length; i++)
            sink(text[i], context);
        return length + emit_padding(sink, context, ' ', padding);
    }
    if (field->zero_pad && length > 0 && text[0] == '-') {
        sink('-', context);
        text++;
        length--;
        written++;
    }
    written += emit_padding(sink, context, field->zero_pad ? '0' : ' ', padding);
    for (size_t i = 0; i < length; i++)
        sink(text[i], context);
    return written + length;
}

static size_t emit_number(format_sink sink, void *context, const struct field *field,
                          uint64_t magnitude, bool negative, unsigned base, bool upper_case)
{
    const char *digits = upper_case ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];  /* 64 bits in decimal is 20 digits, plus the sign */
    size_t position = sizeof text;

    do {
        text[--position] = digits[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);
    if (negative)
        text[--position] = '-';
    return emit_field(sink, context, field, text + position, sizeof text - position);
}

size_t format_to_sink(format_sink sink, void *context, const char *format, va_list arguments)
{
    size_t written = 0;

    for (const char *p = format; *p != '\0'; p++) {
        if (*p != '%') {
            sink(*p, context);
            written++;
            continue;
        }
        p++;
        struct field field = { 0, false, false };
        for (;; p++) {
            if (*p == '0')
                field.zero_pad = true;
            else if (*p == '-')
                field.left_justify = true;
            else
                break;
        }
        while (*p >= '0' && *p <= '9')
            field.width = field.width * 10 + (unsigned)(*p++ - '0');

        unsigned long_count = 0;
        bool size_modifier = false;
        for (;; p++) {
            if (*p == 'l')
                long_count++;
            else if (*p == 'z')
                size_modifier = true;
            else
                break;
        }
        bool wide = long_count > 0 || size_modifier;

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t value = wide ? va_arg(arguments, int64_t) : va_arg(arguments, int);
            uint64_t magnitude = value < 0 ? -(uint64_t)value : (uint64_t)value;
            written += emit_number(sink, context, &field, magnitude, value < 0, 10, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t value = wide ? va_arg(arguments, uint64_t) : va_arg(arguments, unsigned);
            unsigned base = *p == 'u' ? 10 : 16;
            written += emit_number(sink, context, &field, value, false, base, *p == 'X');
            break;
        }
        case 'p': {
            uint64_t value = (uint64_t)(uintptr_t)va_arg(arguments, void *);
            sink('0', context);
            sink('x', context);
            written += 2 + emit_number(sink, context, &field, value, false, 16, false);
            break;
        }
        case 's': {
            const char *text = va_arg(arguments, const char *);
            if (text == NULL)
                text = "(null)";
            size_t length = 0;
            while (text[length] != '\0')
                length++;
            written += emit_field(sink, context, &field, text, length);
            break;
        }
        case 'c': {
            char character = (char)va_arg(arguments, int);
            written += emit_field(sink, context, &field, &character, 1);
            break;
        }
        case '%':
            sink('%', context);
            written++;
            break;
        case '\0':
            /* A lone '%' at the end: print it and stop. */
            sink('%', context);
            return written + 1;
        default:
            /* Unknown conversion: show it as written so the mistake is visible. */
            sink('%', context);
            sink(*p, context);
            written += 2;
            break;
        }
    }
    return written;
}

static void string_sink_put(char character, void *context)
{
    struct string_sink *string = context;

    if (string->length + 1 < string->size)
        string->buffer[string->length] = character;
    string->length++;
}

size_t format_string_list(char *buffer, size_t size, const char *format, va_list arguments)
{
    struct string_sink string = { buffer, size, 0 };

    format_to_sink(string_sink_put, &string, format, arguments);
    if (size > 0)
        buffer[string.length < size ? string.length : size - 1] = '\0';
    return string.length;
}

size_t format_string(char *buffer, size_t size, const char *format, ...)
{
    va_list arguments;

    va_start(arguments, format);
    size_t length = format_string_list(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}
