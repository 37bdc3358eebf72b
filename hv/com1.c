/* A register file for the 16550 at 0x3F8: the transmitter is always ready (LSR
 * THRE|TEMT), nothing is ever received, the divisor latch is kept but unused.
 * Characters go into a line buffer that becomes one log line, "[vm0] text". */
#include "hv/com1.h"

#include "hv/console.h"

#define UART_DATA           0
#define UART_INTERRUPT      1
#define UART_INTERRUPT_ID   2
#define UART_LINE_CONTROL   3
#define UART_MODEM_CONTROL  4
#define UART_LINE_STATUS    5
#define UART_MODEM_STATUS   6
#define UART_SCRATCH        7
#define UART_LCR_DLAB       0x80
#define UART_LSR_THRE_TEMT  0x60
#define UART_IIR_NO_INTERRUPT 0x01

bool com1_claims_port(uint16_t port)
{
    return port >= COM1_BASE_PORT && port < COM1_BASE_PORT + COM1_PORT_COUNT;
}

void com1_flush(struct vm *vm)
{
    struct com1_state *c = &vm->com1;

    if (c->line_length == 0)
        return;
    c->line[c->line_length] = '\0';
    log_line(vm->config.name, "%s", c->line);
    c->line_length = 0;
}

static void transmit(struct vm *vm, char ch)
{
    struct com1_state *c = &vm->com1;

    if (ch == '\n') {
        c->line[c->line_length] = '\0';
        log_line(vm->config.name, "%s", c->line);
        c->line_length = 0;
        return;
    }
    if (ch == '\r')
        return;
    /* Only printable text reaches the console: a guest cannot send escape codes. */
    if ((unsigned char)ch < 0x20 || (unsigned char)ch > 0x7e)
        ch = '?';
    if (c->line_length == COM1_LINE_BYTES - 1)
        com1_flush(vm);
    c->line[c->line_length++] = ch;
}

uint8_t com1_read(struct vm *vm, uint16_t port)
{
    struct com1_state *c = &vm->com1;
    bool dlab = c->line_control & UART_LCR_DLAB;

    switch (port - COM1_BASE_PORT) {
    case UART_DATA:
        return dlab ? c->divisor_low : 0;
    case UART_INTERRUPT:
        return dlab ? c->divisor_high : c->interrupt_enable;
    case UART_INTERRUPT_ID:
        return UART_IIR_NO_INTERRUPT;
    case UART_LINE_CONTROL:
        return c->line_control;
    case UART_MODEM_CONTROL:
        return c->modem_control;
    case UART_LINE_STATUS:
        return UART_LSR_THRE_TEMT;
    case UART_MODEM_STATUS:
        return 0;
    default:
        return c->scratch;
    }
}

void com1_write(struct vm *vm, uint16_t port, uint8_t value)
{
    struct com1_state *c = &vm->com1;
    bool dlab = c->line_control & UART_LCR_DLAB;

    switch (port - COM1_BASE_PORT) {
    case UART_DATA:
        if (dlab)
            c->divisor_low = value;
        else
            transmit(vm, (char)value);
        break;
    case UART_INTERRUPT:
        if (dlab)
            c->divisor_high = value;
        else
            c->interrupt_enable = value & 0x0f;
        break;
    case UART_LINE_CONTROL:
        c->line_control = value;
        break;
    case UART_MODEM_CONTROL:
        c->modem_control = value & 0x1f;
        break;
    case UART_SCRATCH:
        c->scratch = value;
        break;
    default:
        break; /* FIFO control, read-only status registers */
    }
}
