/* The guest's console: COM1, a 16550A whose transmit register minisvm emulates
 * and whose lines it prints prefixed with the VM's name; and the UART's registers
 * the tests use. See: National Semiconductor PC16550D datasheet (Tables II, IV). */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

#define COM1_PORT                 0x3f8
#define COM1_LINE_STATUS_PORT     (COM1_PORT + 5)
#define LINE_STATUS_THR_EMPTY     0x20
#define LINE_STATUS_TRANSMITTER_EMPTY 0x40

/* The interrupt side, with LCR.DLAB = 0 (the guest never sets it). The UART's
 * interrupt reaches IRQ4 only while MCR.OUT2 is set: the PC wires it that way. */
#define COM1_INTERRUPT_ENABLE_PORT (COM1_PORT + 1)
#define COM1_INTERRUPT_ID_PORT    (COM1_PORT + 2)
#define COM1_MODEM_CONTROL_PORT   (COM1_PORT + 4)
#define INTERRUPT_ENABLE_THR_EMPTY 0x02   /* IER bit 1: ETBEI */
#define INTERRUPT_ID_NONE         0x01    /* IIR bit 0 set: no interrupt pending */
#define INTERRUPT_ID_THR_EMPTY    0x02    /* IIR bits 3-0: THR empty, priority 3 */
#define INTERRUPT_ID_SOURCE_BITS  0x3f    /* all but the FIFO bits */
#define INTERRUPT_ID_FIFOS_ENABLED 0xc0   /* IIR bits 7-6: FCR bit 0 is set */
#define MODEM_CONTROL_OUT2        0x08

void console_print(const char *format, ...) __attribute__((format(printf, 1, 2)));
void console_print_list(const char *format, va_list arguments);

#endif
