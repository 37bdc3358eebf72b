/* COM1 output by polling the 16550's transmit-holding-register-empty bit.
 * 115200 baud, 8N1; '\n' goes out as "\r\n" so that terminals line up. */
#include "hv/serial.h"

#include "hv/x86.h"

#define UART_DATA          0
#define UART_INTERRUPT     1
#define UART_FIFO_CONTROL  2
#define UART_LINE_CONTROL  3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS   5
#define UART_DLAB          0x80
#define UART_THR_EMPTY     0x20
/* A missing UART reads as 0xFF everywhere; bound the wait so we never hang on it. */
#define UART_MAX_POLLS     100000

void serial_init(void)
{
    outb(COM1_PORT + UART_INTERRUPT, 0x00);
    outb(COM1_PORT + UART_LINE_CONTROL, UART_DLAB);
    outb(COM1_PORT + UART_DATA, 1);          /* divisor 1: 115200 baud */
    outb(COM1_PORT + UART_INTERRUPT, 0);
    outb(COM1_PORT + UART_LINE_CONTROL, 0x03); /* 8 bits, no parity, 1 stop */
    outb(COM1_PORT + UART_FIFO_CONTROL, 0xc7);
    outb(COM1_PORT + UART_MODEM_CONTROL, 0x03);
}

static void serial_put(char c)
{
    for (int i = 0; i < UART_MAX_POLLS; i++) {
        if (inb(COM1_PORT + UART_LINE_STATUS) & UART_THR_EMPTY)
            break;
    }
    outb(COM1_PORT + UART_DATA, (uint8_t)c);
}

void serial_write(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n')
            serial_put('\r');
        serial_put(text[i]);
    }
}
