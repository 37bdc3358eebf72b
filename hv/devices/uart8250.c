/* The 16550A register model behind uart8250.h. Register behaviour follows the
 * National Semiconductor PC16550D datasheet (its register descriptions and its
 * "Interrupt Control Functions" table); the comments name the register whose
 * description a rule comes from. */
#include "hv/devices/uart8250.h"

#include <stddef.h>
#include <string.h>

/* With loopback off, the line is wired to a terminal that is on and ready:
 * carrier, data set ready and clear to send, never ringing. */
#define CONNECTED_TERMINAL_STATUS (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)
#define FLOATING_BUS 0xff

void uart_init(struct uart8250 *uart, uart_line_sink sink, void *context)
{
    memset(uart, 0, sizeof *uart);
    uart->divisor_low = 1;
    uart->sink = sink;
    uart->context = context;
}

static bool divisor_latch_selected(const struct uart8250 *uart)
{
    return uart->line_control & UART_LCR_DLAB;
}

static bool fifos_enabled(const struct uart8250 *uart)
{
    return uart->fifo_control & UART_FCR_FIFO_ENABLE;
}

static bool loopback(const struct uart8250 *uart)
{
    return uart->modem_control & UART_MCR_LOOP;
}

/* ---- Output: bytes become log lines ---- */

static void emit_line(struct uart8250 *uart)
{
    uart->line[uart->line_length] = '\0';
    if (uart->sink)
        uart->sink(uart->context, uart->line);
    uart->line_length = 0;
}

void uart_flush(struct uart8250 *uart)
{
    if (uart->line_length > 0)
        emit_line(uart);
}

static void append_to_line(struct uart8250 *uart, uint8_t byte)
{
    if (byte == '\n') {
        emit_line(uart);
        return;
    }
    if (byte == '\r')
        return;
    /* Only printable text reaches the log: a guest cannot send escape codes. */
    if (byte < 0x20 || byte > 0x7e)
        byte = '?';
    if (uart->line_length == UART_LINE_BYTES - 1)
        emit_line(uart);
    uart->line[uart->line_length++] = (char)byte;
}

/* ---- Receiver: only loopback mode ever fills it ---- */

static void clear_receiver(struct uart8250 *uart)
{
    uart->receive_head = 0;
    uart->receive_count = 0;
}

static void receive(struct uart8250 *uart, uint8_t byte)
{
    unsigned capacity = fifos_enabled(uart) ? UART_FIFO_BYTES : 1;

    if (uart->receive_count == capacity) {
        /* Line Status Register, OE: without FIFOs the new character destroys
         * the one in RBR; with FIFOs it stays in the shift register and is
         * never transferred, so the FIFO keeps its 16 bytes. */
        uart->overrun = true;
        if (fifos_enabled(uart))
            return;
        uart->receive_count = 0;
    }
    uart->receive_fifo[(uart->receive_head + uart->receive_count) % UART_FIFO_BYTES] = byte;
    uart->receive_count++;
}

/* RBR with nothing received reads 0 (a real chip repeats its last byte). */
static uint8_t take_received(struct uart8250 *uart)
{
    uint8_t byte;

    if (uart->receive_count == 0)
        return 0;
    byte = uart->receive_fifo[uart->receive_head];
    uart->receive_head = (uint8_t)((uart->receive_head + 1) % UART_FIFO_BYTES);
    uart->receive_count--;
    return byte;
}

/* ---- Transmitter: infinitely fast ---- */

static void transmit(struct uart8250 *uart, uint8_t byte)
{
    /* Modem Control Register, LOOP: the transmitter shift register feeds the
     * receiver and the serial output stays idle. */
    if (loopback(uart))
        receive(uart, byte);
    else
        append_to_line(uart, byte);
    /* Writing THR clears a THRE interrupt, but the byte has already left:
     * THR is empty again, which raises a new one. */
    uart->thr_empty_interrupt = true;
}

/* ---- Interrupts ---- */

/* FIFO Control Register, bits 7-6: 1, 4, 8 or 14 bytes. */
static unsigned receive_trigger_level(const struct uart8250 *uart)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };

    return levels[(uart->fifo_control & UART_FCR_TRIGGER) >> 6];
}

/* Received data is reported at the trigger level; below it, as a character
 * timeout: the model has no clock, so the four character times that the
 * datasheet waits for have always passed. */
static uint8_t received_data_source(const struct uart8250 *uart)
{
    if (fifos_enabled(uart) && uart->receive_count < receive_trigger_level(uart))
        return UART_IIR_CHARACTER_TIMEOUT;
    return UART_IIR_RECEIVED_DATA;
}

/* The highest-priority enabled source, as IIR bits 3-0, in the priority order
 * of the datasheet's "Interrupt Control Functions" table. */
static uint8_t pending_interrupt(const struct uart8250 *uart)
{
    uint8_t enabled = uart->interrupt_enable;

    if ((enabled & UART_IER_ELSI) && uart->overrun)
        return UART_IIR_LINE_STATUS;
    if ((enabled & UART_IER_ERBFI) && uart->receive_count > 0)
        return received_data_source(uart);
    if ((enabled & UART_IER_ETBEI) && uart->thr_empty_interrupt)
        return UART_IIR_THR_EMPTY;
    if ((enabled & UART_IER_EDSSI) && uart->modem_status_deltas)
        return UART_IIR_MODEM_STATUS;
    return UART_IIR_NO_INTERRUPT;
}

bool uart_interrupt_line(const struct uart8250 *uart)
{
    /* On a PC, OUT2 enables the buffer between INTR and the ISA IRQ line. In
     * loopback mode the OUT2 pin is forced inactive (Modem Control Register,
     * LOOP), so the buffer is off whatever MCR bit 3 says. */
    if (!(uart->modem_control & UART_MCR_OUT2) || loopback(uart))
        return false;
    return pending_interrupt(uart) != UART_IIR_NO_INTERRUPT;
}

/* A 16550A has no EFR: with LCR = 0xBF (a 16650's configuration mode) offset 2
 * still reads IIR and writes FCR. Linux looks for an EFR that reads 0 there,
 * finds IIR's FIFO bits set instead, and keeps "16550A". */
static uint8_t read_interrupt_identification(struct uart8250 *uart)
{
    uint8_t source = pending_interrupt(uart);

    /* "Interrupt Control Functions": reading IIR resets a THRE interrupt, but
     * only when IIR is the one naming it. */
    if (source == UART_IIR_THR_EMPTY)
        uart->thr_empty_interrupt = false;
    return source | (fifos_enabled(uart) ? UART_IIR_FIFOS_ENABLED : 0);
}

static void write_interrupt_enable(struct uart8250 *uart, uint8_t value)
{
    uint8_t newly_enabled = value & ~uart->interrupt_enable;

    uart->interrupt_enable = value & UART_IER_MASK;
    /* THR is always empty here, so enabling ETBEI raises a THRE interrupt at
     * once, as a 16550 does; Linux's startup test re-enables ETBEI and expects
     * it to come back, or it falls back to polling (UART_BUG_THRE). */
    if (newly_enabled & UART_IER_ETBEI)
        uart->thr_empty_interrupt = true;
}

static void write_fifo_control(struct uart8250 *uart, uint8_t value)
{
    bool enable = value & UART_FCR_FIFO_ENABLE;

    /* FIFO Control Register: changing bit 0 empties both FIFOs, and the other
     * bits are programmed only together with bit 0. Bits 1 and 2 clear the
     * FIFOs and then clear themselves; the transmit FIFO is always empty. */
    if (enable != fifos_enabled(uart) || (enable && (value & UART_FCR_RCVR_RESET)))
        clear_receiver(uart);
    uart->fifo_control =
        enable ? value & (UART_FCR_FIFO_ENABLE | UART_FCR_DMA_MODE | UART_FCR_TRIGGER) : 0;
}

/* ---- Status registers ---- */

/* MSR bits 7-4. In loopback mode the MCR outputs drive them (Modem Control
 * Register, LOOP): RTS to CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD. */
static uint8_t modem_inputs(const struct uart8250 *uart)
{
    uint8_t control = uart->modem_control;
    uint8_t status = 0;

    if (!loopback(uart))
        return CONNECTED_TERMINAL_STATUS;
    if (control & UART_MCR_RTS)
        status |= UART_MSR_CTS;
    if (control & UART_MCR_DTR)
        status |= UART_MSR_DSR;
    if (control & UART_MCR_OUT1)
        status |= UART_MSR_RI;
    if (control & UART_MCR_OUT2)
        status |= UART_MSR_DCD;
    return status;
}

/* Modem Status Register, bits 3-0: a change of CTS, DSR or DCD, and the end
 * of a ring (RI going from 1 to 0). */
static uint8_t modem_deltas(uint8_t before, uint8_t after)
{
    uint8_t changed = before ^ after;
    uint8_t deltas = 0;

    if (changed & UART_MSR_CTS)
        deltas |= UART_MSR_DCTS;
    if (changed & UART_MSR_DSR)
        deltas |= UART_MSR_DDSR;
    if (changed & UART_MSR_DCD)
        deltas |= UART_MSR_DDCD;
    if ((before & UART_MSR_RI) && !(after & UART_MSR_RI))
        deltas |= UART_MSR_TERI;
    return deltas;
}

static void write_modem_control(struct uart8250 *uart, uint8_t value)
{
    uint8_t before = modem_inputs(uart);

    uart->modem_control = value & UART_MCR_MASK;
    uart->modem_status_deltas |= modem_deltas(before, modem_inputs(uart));
}

static uint8_t read_modem_status(struct uart8250 *uart)
{
    uint8_t status = modem_inputs(uart) | uart->modem_status_deltas;

    uart->modem_status_deltas = 0;
    return status;
}

static uint8_t read_line_status(struct uart8250 *uart)
{
    uint8_t status = UART_LSR_THRE | UART_LSR_TEMT;

    if (uart->receive_count > 0)
        status |= UART_LSR_DR;
    if (uart->overrun)
        status |= UART_LSR_OE;
    uart->overrun = false; /* reading LSR clears its error bits */
    return status;
}

/* ---- Port access ---- */

uint8_t uart_read(struct uart8250 *uart, unsigned offset)
{
    switch (offset) {
    case UART_RBR:
        return divisor_latch_selected(uart) ? uart->divisor_low : take_received(uart);
    case UART_IER:
        return divisor_latch_selected(uart) ? uart->divisor_high : uart->interrupt_enable;
    case UART_IIR:
        return read_interrupt_identification(uart);
    case UART_LCR:
        return uart->line_control;
    case UART_MCR:
        return uart->modem_control;
    case UART_LSR:
        return read_line_status(uart);
    case UART_MSR:
        return read_modem_status(uart);
    case UART_SCR:
        return uart->scratch;
    default:
        return FLOATING_BUS;
    }
}

void uart_write(struct uart8250 *uart, unsigned offset, uint8_t value)
{
    switch (offset) {
    case UART_THR:
        if (divisor_latch_selected(uart))
            uart->divisor_low = value;
        else
            transmit(uart, value);
        break;
    case UART_IER:
        if (divisor_latch_selected(uart))
            uart->divisor_high = value;
        else
            write_interrupt_enable(uart, value);
        break;
    case UART_FCR:
        write_fifo_control(uart, value);
        break;
    case UART_LCR:
        uart->line_control = value;
        break;
    case UART_MCR:
        write_modem_control(uart, value);
        break;
    case UART_SCR:
        uart->scratch = value;
        break;
    default:
        /* LSR and MSR: the datasheet reserves writes for factory testing. */
        break;
    }
}
