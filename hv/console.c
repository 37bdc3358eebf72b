/* Formats with newlib's vsnprintf and sends the text to every console sink:
 * COM1 always, the framebuffer text console when one was attached. */
#include "hv/console.h"

#include <stdarg.h>
#include <stdio.h>

#include "hv/font.h"
#include "hv/serial.h"

#define CONSOLE_LINE_BYTES 512

void console_init(void)
{
    serial_init();
}

void console_attach_framebuffer(const struct framebuffer *fb)
{
    fb_console_init(fb, &console_font);
}

void console_write(const char *text, size_t length)
{
    serial_write(text, length);
    fb_console_write(text, length);
}

static void console_vprintf(const char *prefix, const char *fmt, va_list ap)
{
    char line[CONSOLE_LINE_BYTES];
    int used = 0;

    if (prefix)
        used = snprintf(line, sizeof line, "[%s] ", prefix);
    int n = vsnprintf(line + used, sizeof line - (size_t)used, fmt, ap);
    if (n < 0)
        return;
    size_t length = (size_t)used + (size_t)n;
    if (length >= sizeof line)
        length = sizeof line - 1; /* truncated: still print what fits */
    console_write(line, length);
}

void console_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    console_vprintf(NULL, fmt, ap);
    va_end(ap);
}

void log_line(const char *subsystem, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    console_vprintf(subsystem, fmt, ap);
    va_end(ap);
    console_write("\n", 1);
}
