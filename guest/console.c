/* Console output on COM1 (16550 UART). Each byte is one OUT to the transmit
 * holding register at 0x3F8, which minisvm intercepts through the IOPM (APM §15.10)
 * and emulates; its line status register always reads "transmitter empty", so the
 * guest writes without polling and saves one exit per character. */
#include "guest/console.h"

#include "guest/format.h"
#include "guest/x86.h"

static void console_put(char character, void *context)
{
    (void)context;
    outb(COM1_PORT, (uint8_t)character);
}

void console_print_list(const char *format, va_list arguments)
{
    format_to_sink(console_put, NULL, format, arguments);
}

void console_print(const char *format, ...)
{
    va_list arguments;

    va_start(arguments, format);
    console_print_list(format, arguments);
    va_end(arguments);
}
