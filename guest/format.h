/* A small printf-style formatter for the guest, which has no libc:
 * %d %i %u %x %X %p %s %c %%, the length modifiers l, ll and z, a field width
 * and the flags 0 (zero padding) and - (left justify). */
#ifndef GUEST_FORMAT_H
#define GUEST_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(char character, void *context);

/* Formats into sink, one character at a time; returns the number of characters. */
size_t format_to_sink(format_sink sink, void *context, const char *format, va_list arguments);

/* Like snprintf: always terminates the buffer when size > 0, returns the length
 * the whole result would have had. */
size_t format_string(char *buffer, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_string_list(char *buffer, size_t size, const char *format, va_list arguments);

#endif
