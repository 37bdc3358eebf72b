/* A 16550A UART as a pure register model: the guest's COM1. The transmitter is
 * infinitely fast, nothing arrives from outside, and output becomes one text line
 * per guest line. Follows the National Semiconductor PC16550D datasheet. */
#ifndef HV_DEVICES_UART8250_H
#define HV_DEVICES_UART8250_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1_BASE_PORT 0x3f8
#define UART_PORT_COUNT     8
/* One output line, with its terminating NUL: 255 characters at most (a kernel
 * line with its timestamp fits; the console adds the "[vm0] " prefix). */
#define UART_LINE_BYTES     256
/* The receiver FIFO of a 16550A; with FIFOs off the receiver holds one byte. */
#define UART_FIFO_BYTES     16

/* Register offsets from the base port (the datasheet's register summary).
 * Offsets 0 and 1 select the divisor latch instead while LCR.DLAB is set. */
#define UART_RBR 0 /* read: receiver buffer */
#define UART_THR 0 /* write: transmitter holding register */
#define UART_DLL 0 /* divisor latch, low byte (DLAB=1) */
#define UART_IER 1 /* interrupt enable */
#define UART_DLM 1 /* divisor latch, high byte (DLAB=1) */
#define UART_IIR 2 /* read: interrupt identification */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_MSR 6 /* modem status */
#define UART_SCR 7 /* scratch */

/* IER: the four interrupt sources a driver can enable (Linux calls them
 * UART_IER_RDI, _THRI, _RLSI, _MSI). */
#define UART_IER_ERBFI 0x01 /* received data available */
#define UART_IER_ETBEI 0x02 /* transmitter holding register empty */
#define UART_IER_ELSI  0x04 /* receiver line status */
#define UART_IER_EDSSI 0x08 /* modem status */
#define UART_IER_MASK  0x0f

/* IIR: bit 0 clear means "an interrupt is pending", bits 3-1 name the source. */
#define UART_IIR_NO_INTERRUPT      0x01
#define UART_IIR_LINE_STATUS       0x06
#define UART_IIR_RECEIVED_DATA     0x04 /* at or above the FIFO trigger level */
#define UART_IIR_CHARACTER_TIMEOUT 0x0c /* FIFO mode, below the trigger level */
#define UART_IIR_THR_EMPTY         0x02
#define UART_IIR_MODEM_STATUS      0x00
#define UART_IIR_FIFOS_ENABLED     0xc0 /* bits 7-6 follow FCR bit 0 */

#define UART_FCR_FIFO_ENABLE 0x01
#define UART_FCR_RCVR_RESET  0x02
#define UART_FCR_XMIT_RESET  0x04
#define UART_FCR_DMA_MODE    0x08
#define UART_FCR_TRIGGER     0xc0

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR  0x01
#define UART_MCR_RTS  0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

#define UART_LSR_DR   0x01 /* data ready */
#define UART_LSR_OE   0x02 /* overrun error */
#define UART_LSR_THRE 0x20 /* transmitter holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty */

#define UART_MSR_DCTS 0x01 /* delta clear to send */
#define UART_MSR_DDSR 0x02 /* delta data set ready */
#define UART_MSR_TERI 0x04 /* trailing edge of ring indicator */
#define UART_MSR_DDCD 0x08 /* delta data carrier detect */
#define UART_MSR_CTS  0x10
#define UART_MSR_DSR  0x20
#define UART_MSR_RI   0x40
#define UART_MSR_DCD  0x80

/* One complete output line, NUL-terminated, without its newline. */
typedef void (*uart_line_sink)(void *context, const char *line);

struct uart8250 {
    uint8_t interrupt_enable;     /* IER, low 4 bits */
    uint8_t fifo_control;         /* FCR as last programmed: enable, DMA mode, trigger */
    uint8_t line_control;         /* LCR, all 8 bits */
    uint8_t modem_control;        /* MCR, low 5 bits */
    uint8_t modem_status_deltas;  /* MSR bits 3-0, cleared when MSR is read */
    uint8_t scratch;              /* SCR */
    uint8_t divisor_low;          /* DLL */
    uint8_t divisor_high;         /* DLM */
    bool overrun;                 /* LSR.OE, cleared when LSR is read */
    /* The "THR empty" interrupt of the 16550: armed when THR empties or when
     * IER.ETBEI is turned on, disarmed by an IIR read that reports it. */
    bool thr_empty_interrupt;
    /* Bytes received in loopback mode, oldest at receive_head. */
    uint8_t receive_fifo[UART_FIFO_BYTES];
    uint8_t receive_head;
    uint8_t receive_count;
    char line[UART_LINE_BYTES];
    unsigned line_length;
    uart_line_sink sink;          /* may be NULL: output is dropped */
    void *context;
};

/* The state after a hardware reset (the datasheet's reset table), with the
 * divisor latch at 1 (115200 baud): the datasheet leaves it undefined. */
void uart_init(struct uart8250 *uart, uart_line_sink sink, void *context);
/* offset 0-7 from the base port; other offsets read 0xff and ignore writes. */
uint8_t uart_read(struct uart8250 *uart, unsigned offset);
void uart_write(struct uart8250 *uart, unsigned offset, uint8_t value);
/* The level of the IRQ line as a PC routes it: an enabled interrupt is pending
 * and the OUT2 pin lets it onto the ISA bus. OUT2 is MCR bit 3, but in loopback
 * mode the chip forces the pin inactive, so a PC sees no interrupt then. */
bool uart_interrupt_line(const struct uart8250 *uart);
/* Emits a partial last line, if any (at the end of a VM). */
void uart_flush(struct uart8250 *uart);

#endif
