/* The guest's console: COM1, whose transmit register minisvm emulates and whose
 * lines it prints prefixed with the VM's name. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

#define COM1_PORT                 0x3f8
#define COM1_LINE_STATUS_PORT     (COM1_PORT + 5)
#define LINE_STATUS_THR_EMPTY     0x20
#define LINE_STATUS_TRANSMITTER_EMPTY 0x40

void console_print(const char *format, ...) __attribute__((format(printf, 1, 2)));
void console_print_list(const char *format, va_list arguments);

#endif
