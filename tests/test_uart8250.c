/* Unit tests for hv/devices/uart8250.c: every register with and without DLAB, IIR
 * sources and priorities, the 16550's THRE interrupt rules, OUT2 gating, loopback,
 * and Linux's 8250 probe and startup tests replayed access by access. Follows the
 * National Semiconductor PC16550D datasheet. */
#include "test.h"

#include "hv/devices/uart8250.h"

#define MAX_CAPTURED_LINES 8

struct captured_lines {
    char lines[MAX_CAPTURED_LINES][UART_LINE_BYTES];
    int count;
};

static void capture_line(void *context, const char *line)
{
    struct captured_lines *captured = context;

    if (captured->count < MAX_CAPTURED_LINES)
        snprintf(captured->lines[captured->count], UART_LINE_BYTES, "%s", line);
    captured->count++;
}

static struct uart8250 uart;
static struct captured_lines captured;

static void reset(void)
{
    memset(&captured, 0, sizeof captured);
    uart_init(&uart, capture_line, &captured);
}

static void send_text(const char *text)
{
    for (; *text; text++)
        uart_write(&uart, UART_THR, (uint8_t)*text);
}

/* ---- Registers ---- */

TEST(reset_state_matches_the_datasheet)
{
    reset();
    EXPECT_EQ(uart_read(&uart, UART_RBR), 0x00);
    EXPECT_EQ(uart_read(&uart, UART_IER), 0x00);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    EXPECT_EQ(uart_read(&uart, UART_LCR), 0x00);
    EXPECT_EQ(uart_read(&uart, UART_MCR), 0x00);
    EXPECT_EQ(uart_read(&uart, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
    EXPECT_EQ(uart_read(&uart, UART_SCR), 0x00);
    EXPECT_FALSE(uart_interrupt_line(&uart));
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    EXPECT_EQ(uart_read(&uart, UART_DLL), 0x01);
    EXPECT_EQ(uart_read(&uart, UART_DLM), 0x00);
}

TEST(each_register_reads_back_what_it_keeps)
{
    static const struct {
        uint8_t line_control;
        unsigned offset;
        uint8_t written;
        uint8_t read;
        const char *what;
    } rows[] = {
        { 0x00, UART_IER, 0xff, 0x0f, "IER keeps its low 4 bits" },
        { 0x00, UART_IER, 0x40, 0x00, "IER bit 6 (Xscale UUE) does not stick" },
        { 0x80, UART_DLL, 0x0c, 0x0c, "DLL with DLAB" },
        { 0x80, UART_DLM, 0xab, 0xab, "DLM with DLAB" },
        { 0x03, UART_LCR, 0xbf, 0xbf, "LCR keeps all 8 bits" },
        { 0x00, UART_LCR, 0x1b, 0x1b, "LCR 8E1 style value" },
        { 0x00, UART_MCR, 0xff, 0x1f, "MCR keeps its low 5 bits" },
        { 0x00, UART_LSR, 0x00, 0x60, "LSR ignores writes" },
        { 0x00, UART_MSR, 0x00, 0xb0, "MSR ignores writes" },
        { 0x00, UART_SCR, 0x5a, 0x5a, "SCR without DLAB" },
        { 0x80, UART_SCR, 0xa5, 0xa5, "SCR with DLAB" },
        { 0x00, 8, 0x12, 0xff, "offset 8 floats" },
        { 0x00, 0xffff, 0x12, 0xff, "offset 0xffff floats" },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("LCR=0x%02x offset %u: %s", rows[i].line_control, rows[i].offset, rows[i].what);
        reset();
        uart_write(&uart, UART_LCR, rows[i].line_control);
        uart_write(&uart, rows[i].offset, rows[i].written);
        EXPECT_EQ(uart_read(&uart, rows[i].offset), rows[i].read);
    }
}

TEST(dlab_switches_offsets_0_and_1_to_the_divisor_latch)
{
    reset();
    uart_write(&uart, UART_IER, 0x05);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB | 0x03);
    uart_write(&uart, UART_DLL, 0x0c);
    uart_write(&uart, UART_DLM, 0x00);
    EXPECT_EQ(uart_read(&uart, UART_DLL), 0x0c);
    EXPECT_EQ(uart_read(&uart, UART_DLM), 0x00);
    EXPECT_EQ(captured.count, 0);
    uart_flush(&uart);
    EXPECT_EQ(captured.count, 0); /* the DLL write sent nothing */

    uart_write(&uart, UART_LCR, 0x03);
    EXPECT_EQ(uart_read(&uart, UART_IER), 0x05); /* untouched by the DLM write */
    EXPECT_EQ(uart_read(&uart, UART_RBR), 0x00);
    uart_write(&uart, UART_IER, 0x00);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    EXPECT_EQ(uart_read(&uart, UART_DLL), 0x0c);
    EXPECT_EQ(uart_read(&uart, UART_DLM), 0x00);
}

TEST(fcr_bit_0_sets_iir_bits_7_and_6)
{
    static const struct {
        uint8_t fifo_control;
        uint8_t interrupt_identification;
    } rows[] = {
        { 0x01, 0xc1 }, { 0x07, 0xc1 }, { 0xc7, 0xc1 }, { 0x81, 0xc1 },
        { 0x00, 0x01 }, { 0xc6, 0x01 }, /* without bit 0 the other bits are not programmed */
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("FCR=0x%02x: IIR=0x%02x", rows[i].fifo_control,
                 rows[i].interrupt_identification);
        reset();
        uart_write(&uart, UART_FCR, rows[i].fifo_control);
        EXPECT_EQ(uart_read(&uart, UART_IIR), rows[i].interrupt_identification);
    }
}

/* ---- Interrupt identification ---- */

/* Every source pending at once, through the registers only: loopback mode (its
 * modem inputs change: a modem status event), two bytes sent without FIFOs (data
 * ready plus an overrun) and THR empty again. */
static void make_every_source_pending(void)
{
    reset();
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    uart_write(&uart, UART_THR, 'a');
    uart_write(&uart, UART_THR, 'b');
}

TEST(iir_reports_the_highest_enabled_source)
{
    for (uint8_t enable = 0; enable <= UART_IER_MASK; enable++) {
        uint8_t expected = UART_IIR_NO_INTERRUPT;

        if (enable & UART_IER_EDSSI)
            expected = UART_IIR_MODEM_STATUS;
        if (enable & UART_IER_ETBEI)
            expected = UART_IIR_THR_EMPTY;
        if (enable & UART_IER_ERBFI)
            expected = UART_IIR_RECEIVED_DATA;
        if (enable & UART_IER_ELSI)
            expected = UART_IIR_LINE_STATUS;
        test_row("all sources pending, IER=0x%x: IIR=0x%02x", enable, expected);
        make_every_source_pending();
        uart_write(&uart, UART_IER, enable);
        EXPECT_EQ(uart_read(&uart, UART_IIR), expected);
    }
}

TEST(each_source_clears_the_way_the_datasheet_says)
{
    make_every_source_pending();
    uart_write(&uart, UART_IER, UART_IER_MASK);
    test_row("all four pending: line status first, and an IIR read does not clear it");
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_LINE_STATUS);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_LINE_STATUS); /* IIR read clears only THRE */
    test_row("reading LSR clears the line status interrupt");
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60 | UART_LSR_OE | UART_LSR_DR);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_RECEIVED_DATA);
    test_row("reading RBR clears the received data interrupt");
    EXPECT_EQ(uart_read(&uart, UART_RBR), 'b'); /* 'a' was overrun */
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    test_row("reading IIR clears the THRE interrupt it reports");
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_MODEM_STATUS);
    test_row("reading MSR clears the modem status interrupt");
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_DCD | UART_MSR_DDSR | UART_MSR_DCTS);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
}

/* ---- The THRE interrupt ---- */

TEST(thre_interrupt_arms_on_etbei_rising_and_clears_on_iir_read)
{
    reset();
    test_row("IER.ETBEI 0 -> 1 with THR empty: pending");
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    test_row("the IIR read that reported it cleared it");
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    test_row("writing IER with ETBEI already set does not re-arm");
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    test_row("a THR write empties THR at once: pending again");
    uart_write(&uart, UART_THR, 'x');
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    test_row("IER 0 then ETBEI again: pending again");
    uart_write(&uart, UART_IER, 0);
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    test_row("with FIFOs on, the same source reads 0xc2");
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    uart_write(&uart, UART_THR, 'y');
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_FIFOS_ENABLED | UART_IIR_THR_EMPTY);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_FIFOS_ENABLED | UART_IIR_NO_INTERRUPT);
}

TEST(thre_interrupt_survives_an_iir_read_that_reports_another_source)
{
    reset();
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_IER, UART_IER_ERBFI | UART_IER_ETBEI);
    uart_write(&uart, UART_THR, 'z');
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_RECEIVED_DATA);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_RECEIVED_DATA);
    EXPECT_EQ(uart_read(&uart, UART_RBR), 'z');
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
}

TEST(thre_interrupt_latched_while_masked_shows_when_enabled)
{
    reset();
    uart_write(&uart, UART_THR, 'q');
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
}

/* serial8250_do_startup: "Test for UARTs that do not reassert THRE when the
 * transmitter is idle and the interrupt has already been cleared." It sets
 * UART_BUG_THRE (and polls with a timer) when the first IIR read shows an
 * interrupt and the second does not. */
static void replay_linux_thre_test(uint8_t expected_iir)
{
    uint8_t iir1, iir2;

    EXPECT_TRUE(uart_read(&uart, UART_LSR) & UART_LSR_THRE); /* wait_for_xmitr */
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    iir1 = uart_read(&uart, UART_IIR);
    uart_write(&uart, UART_IER, 0);
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    iir2 = uart_read(&uart, UART_IIR);
    uart_write(&uart, UART_IER, 0);
    EXPECT_EQ(iir1, expected_iir);
    EXPECT_EQ(iir2, expected_iir);
    EXPECT_FALSE(!(iir1 & UART_IIR_NO_INTERRUPT) && (iir2 & UART_IIR_NO_INTERRUPT));
}

TEST(linux_startup_thre_test_finds_no_bug)
{
    test_row("FIFOs off (as serial8250_clear_fifos leaves them): IIR 0x02 twice");
    reset();
    replay_linux_thre_test(0x02);
    test_row("FIFOs on: IIR 0xc2 twice");
    reset();
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    replay_linux_thre_test(0xc2);
    test_row("after output and a pending THRE that nobody read");
    reset();
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    send_text("booting\n");
    uart_write(&uart, UART_IER, 0);
    replay_linux_thre_test(0x02);
}

/* serial8250_do_startup: "Do a quick test to see if we receive an interrupt when
 * we enable the TX irq"; no interrupt with TEMT set means UART_BUG_TXEN. */
TEST(linux_startup_txen_test_finds_no_bug)
{
    uint8_t line_status, iir;

    reset();
    uart_write(&uart, UART_LCR, 0x03);
    uart_write(&uart, UART_MCR, UART_MCR_OUT2 | UART_MCR_RTS | UART_MCR_DTR);
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    line_status = uart_read(&uart, UART_LSR);
    iir = uart_read(&uart, UART_IIR);
    uart_write(&uart, UART_IER, 0);
    EXPECT_EQ(line_status, 0x60);
    EXPECT_EQ(iir, 0x02);
    EXPECT_FALSE((line_status & UART_LSR_TEMT) && (iir & UART_IIR_NO_INTERRUPT));
}

/* ---- The interrupt line ---- */

TEST(interrupt_line_needs_an_enabled_source_and_out2)
{
    static const struct {
        uint8_t modem_control;
        uint8_t interrupt_enable;
        bool line;
    } rows[] = {
        { 0x00, 0x02, false },              /* OUT2 off: the PC's buffer is off */
        { UART_MCR_OUT1 | 0x03, 0x02, false },
        { UART_MCR_OUT2, 0x02, true },
        { UART_MCR_OUT2 | 0x07, 0x0f, true },
        { UART_MCR_OUT2, 0x00, false },      /* THRE latched but not enabled */
        { UART_MCR_OUT2, 0x05, false },      /* enabled sources, none pending */
        { UART_MCR_OUT2 | UART_MCR_LOOP, 0x02, false }, /* loopback forces the OUT2 pin off */
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("MCR=0x%02x IER=0x%02x, THRE pending: line %s", rows[i].modem_control,
                 rows[i].interrupt_enable, rows[i].line ? "up" : "down");
        reset();
        uart_write(&uart, UART_THR, '.');
        uart_write(&uart, UART_MCR, rows[i].modem_control);
        uart_write(&uart, UART_IER, rows[i].interrupt_enable);
        EXPECT_EQ(uart_interrupt_line(&uart), rows[i].line);
    }

    test_row("the line drops when IIR clears the THRE interrupt");
    reset();
    uart_write(&uart, UART_MCR, UART_MCR_OUT2);
    uart_write(&uart, UART_IER, UART_IER_ETBEI);
    EXPECT_TRUE(uart_interrupt_line(&uart));
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_THR_EMPTY);
    EXPECT_FALSE(uart_interrupt_line(&uart));
    uart_write(&uart, UART_THR, 'x');
    EXPECT_TRUE(uart_interrupt_line(&uart));
}

/* ---- Loopback ---- */

TEST(loopback_receives_what_it_sends_and_emits_nothing)
{
    reset();
    test_row("a byte sent in loopback is received, with its interrupt, and not printed");
    send_text("half a line ");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_IER, UART_IER_ERBFI);
    EXPECT_EQ(uart_read(&uart, UART_LSR), UART_LSR_TEMT | UART_LSR_THRE);
    uart_write(&uart, UART_THR, '\n');
    EXPECT_EQ(uart_read(&uart, UART_LSR), UART_LSR_TEMT | UART_LSR_THRE | UART_LSR_DR);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_RECEIVED_DATA);
    EXPECT_EQ(uart_read(&uart, UART_RBR), '\n');
    EXPECT_EQ(uart_read(&uart, UART_LSR), UART_LSR_TEMT | UART_LSR_THRE);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    EXPECT_EQ(uart_read(&uart, UART_RBR), 0x00);
    EXPECT_EQ(captured.count, 0);

    test_row("loopback off: output resumes on the same line");
    uart_write(&uart, UART_MCR, 0);
    send_text("done\n");
    EXPECT_EQ(captured.count, 1);
    EXPECT_STR_EQ(captured.lines[0], "half a line done");
}

TEST(loopback_maps_mcr_outputs_to_msr_inputs)
{
    for (uint8_t outputs = 0; outputs < 16; outputs++) {
        uint8_t expected = 0;

        if (outputs & UART_MCR_RTS)
            expected |= UART_MSR_CTS;
        if (outputs & UART_MCR_DTR)
            expected |= UART_MSR_DSR;
        if (outputs & UART_MCR_OUT1)
            expected |= UART_MSR_RI;
        if (outputs & UART_MCR_OUT2)
            expected |= UART_MSR_DCD;
        test_row("MCR=0x%02x: MSR bits 7-4 = 0x%02x", UART_MCR_LOOP | outputs, expected);
        reset();
        uart_write(&uart, UART_MCR, UART_MCR_LOOP | outputs);
        EXPECT_EQ(uart_read(&uart, UART_MSR) & 0xf0, expected);
    }
}

TEST(loopback_without_fifos_holds_one_byte)
{
    reset();
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_IER, UART_IER_ELSI);
    uart_write(&uart, UART_THR, 1);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    uart_write(&uart, UART_THR, 2);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_LINE_STATUS);
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60 | UART_LSR_OE | UART_LSR_DR);
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60 | UART_LSR_DR); /* OE cleared by the read */
    EXPECT_EQ(uart_read(&uart, UART_RBR), 2);                  /* the new byte overwrote RBR */
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60);
}

TEST(loopback_with_fifos_holds_sixteen_bytes)
{
    reset();
    test_row("20 bytes into a 16-byte FIFO: overrun, the last 4 lost");
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    for (unsigned i = 0; i < 20; i++)
        uart_write(&uart, UART_THR, (uint8_t)(0x40 + i));
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60 | UART_LSR_OE | UART_LSR_DR);
    for (unsigned i = 0; i < UART_FIFO_BYTES; i++) {
        test_row("FIFO byte %u comes out in order", i);
        EXPECT_EQ(uart_read(&uart, UART_RBR), 0x40 + i); /* bytes 16-19 were lost */
    }
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60);
}

TEST(received_data_below_the_trigger_level_is_a_character_timeout)
{
    reset();
    test_row("trigger at 14 bytes: 13 are a timeout, 14 received data");
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE | 0xc0); /* trigger at 14 bytes */
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_IER, UART_IER_ERBFI);
    send_text("0123456789abc");
    EXPECT_EQ(uart_read(&uart, UART_IIR), 0xc0 | UART_IIR_CHARACTER_TIMEOUT);
    uart_write(&uart, UART_THR, 'd');
    EXPECT_EQ(uart_read(&uart, UART_IIR), 0xc0 | UART_IIR_RECEIVED_DATA);
    uart_read(&uart, UART_RBR);
    EXPECT_EQ(uart_read(&uart, UART_IIR), 0xc0 | UART_IIR_CHARACTER_TIMEOUT);

    test_row("trigger at 1 byte: one byte is received data");
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    uart_write(&uart, UART_THR, 'e');
    EXPECT_EQ(uart_read(&uart, UART_IIR), 0xc0 | UART_IIR_RECEIVED_DATA);
}

TEST(fcr_clears_the_receive_fifo)
{
    static const struct {
        uint8_t before;
        uint8_t written;
        bool cleared;
        const char *what;
    } rows[] = {
        { 0x01, 0x03, true, "RCVR reset with FIFOs on" },
        { 0x01, 0x05, false, "XMIT reset leaves the receiver alone" },
        { 0x01, 0xc1, false, "new trigger level only" },
        { 0x01, 0x00, true, "FIFOs turned off" },
        { 0x00, 0x01, true, "FIFOs turned on" },
        { 0x00, 0x02, false, "RCVR reset without bit 0 is not programmed" },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("FCR 0x%02x then 0x%02x: %s", rows[i].before, rows[i].written, rows[i].what);
        reset();
        uart_write(&uart, UART_FCR, rows[i].before);
        uart_write(&uart, UART_MCR, UART_MCR_LOOP);
        uart_write(&uart, UART_THR, 'r');
        uart_write(&uart, UART_FCR, rows[i].written);
        EXPECT_EQ(uart_read(&uart, UART_LSR) & UART_LSR_DR, rows[i].cleared ? 0 : UART_LSR_DR);
    }
}

/* ---- Modem status ---- */

TEST(msr_delta_bits_follow_changes_and_clear_on_read)
{
    reset();
    test_row("entering loopback with no outputs: CTS, DSR, DCD fall");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
    EXPECT_EQ(uart_read(&uart, UART_MSR), 0x00);
    test_row("RI rising sets no delta");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_RI);
    test_row("RI falling sets TERI");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_TERI);
    test_row("each output alone");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_CTS | UART_MSR_DCTS);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_DTR);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DDSR);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_DTR | UART_MCR_OUT2);
    EXPECT_EQ(uart_read(&uart, UART_MSR), 0xb0 | UART_MSR_DDCD);
    test_row("deltas accumulate until MSR is read");
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    EXPECT_EQ(uart_read(&uart, UART_MSR), UART_MSR_DCD | 0x0b);
    test_row("leaving loopback: back to the terminal's 0xb0");
    uart_write(&uart, UART_MCR, UART_MCR_DTR);
    EXPECT_EQ(uart_read(&uart, UART_MSR), 0xb0 | UART_MSR_DCTS | UART_MSR_DDSR);
    test_row("MCR changes outside loopback change nothing");
    uart_write(&uart, UART_MCR, UART_MCR_OUT2 | UART_MCR_OUT1 | UART_MCR_RTS);
    EXPECT_EQ(uart_read(&uart, UART_MSR), 0xb0);
}

TEST(modem_status_interrupt)
{
    reset();
    uart_write(&uart, UART_IER, UART_IER_EDSSI);
    uart_write(&uart, UART_MCR, UART_MCR_OUT2);
    EXPECT_FALSE(uart_interrupt_line(&uart));
    uart_write(&uart, UART_MCR, UART_MCR_OUT2 | UART_MCR_LOOP);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_MODEM_STATUS);
    EXPECT_FALSE(uart_interrupt_line(&uart)); /* loopback: OUT2 pin forced off */
    uart_write(&uart, UART_MCR, UART_MCR_OUT2);
    EXPECT_TRUE(uart_interrupt_line(&uart));
    uart_read(&uart, UART_MSR);
    EXPECT_EQ(uart_read(&uart, UART_IIR), UART_IIR_NO_INTERRUPT);
    EXPECT_FALSE(uart_interrupt_line(&uart));
}

/* ---- Linux's probe (autoconfig in drivers/tty/serial/8250/8250_port.c) ---- */

/* size_fifo(): loopback at the fastest rate, send 256 bytes, count how many can
 * be read back. */
static unsigned replay_linux_size_fifo(void)
{
    uint8_t old_lcr = uart_read(&uart, UART_LCR);
    uint8_t old_fcr, old_mcr, old_dll, old_dlm;
    unsigned count;

    uart_write(&uart, UART_LCR, 0);
    old_fcr = uart_read(&uart, UART_FCR); /* really IIR */
    old_mcr = uart_read(&uart, UART_MCR);
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE | UART_FCR_RCVR_RESET | UART_FCR_XMIT_RESET);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    old_dll = uart_read(&uart, UART_DLL);
    old_dlm = uart_read(&uart, UART_DLM);
    uart_write(&uart, UART_DLL, 1);
    uart_write(&uart, UART_DLM, 0);
    uart_write(&uart, UART_LCR, 0x03);
    for (count = 0; count < 256; count++)
        uart_write(&uart, UART_THR, (uint8_t)count);
    for (count = 0; (uart_read(&uart, UART_LSR) & UART_LSR_DR) && count < 256; count++)
        uart_read(&uart, UART_RBR);
    uart_write(&uart, UART_FCR, old_fcr);
    uart_write(&uart, UART_MCR, old_mcr);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    uart_write(&uart, UART_DLL, old_dll);
    uart_write(&uart, UART_DLM, old_dlm);
    uart_write(&uart, UART_LCR, old_lcr);
    return count;
}

TEST(linux_autoconfig_probe_concludes_16550a)
{
    uint8_t saved_ier, ier_after_0, ier_after_f, saved_mcr, saved_lcr, status1, status2;

    reset();
    uart_write(&uart, UART_LCR, 0x03); /* as firmware leaves it */

    test_row("IER test: 0 reads back 0, 0x0f reads back 0x0f");
    saved_ier = uart_read(&uart, UART_IER);
    uart_write(&uart, UART_IER, 0);
    ier_after_0 = uart_read(&uart, UART_IER) & 0x0f;
    uart_write(&uart, UART_IER, 0x0f);
    ier_after_f = uart_read(&uart, UART_IER) & 0x0f;
    uart_write(&uart, UART_IER, saved_ier);
    EXPECT_EQ(ier_after_0, 0x00);
    EXPECT_EQ(ier_after_f, 0x0f);

    test_row("loop test: MCR = LOOP | OUT2 | RTS reads MSR DCD | CTS (0x90)");
    saved_mcr = uart_read(&uart, UART_MCR);
    saved_lcr = uart_read(&uart, UART_LCR);
    uart_write(&uart, UART_MCR, UART_MCR_LOOP | 0x0a);
    status1 = uart_read(&uart, UART_MSR) & 0xf0;
    uart_write(&uart, UART_MCR, saved_mcr);
    EXPECT_EQ(status1, 0x90);

    test_row("EFR cleared with LCR = 0xbf (an FCR write here), then FCR = 1: IIR >> 6 = 3");
    uart_write(&uart, UART_LCR, 0xbf);
    uart_write(&uart, 2, 0); /* UART_EFR */
    uart_write(&uart, UART_LCR, 0);
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    EXPECT_EQ(uart_read(&uart, UART_IIR) >> 6, 3);

    /* autoconfig_16550a */
    test_row("no EFR with DLAB (ST16C650V1 test): offset 2 reads non-zero");
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    EXPECT_TRUE(uart_read(&uart, 2) != 0);

    test_row("no EFR with LCR = 0xbf (EFRv2 test): offset 2 reads non-zero");
    uart_write(&uart, UART_LCR, 0xbf);
    EXPECT_TRUE(uart_read(&uart, 2) != 0);

    test_row("not a National SuperIO: LCR = 0xe0 offset 2 does not follow MCR.LOOP");
    uart_write(&uart, UART_LCR, 0);
    status1 = uart_read(&uart, UART_MCR);
    uart_write(&uart, UART_LCR, 0xe0);
    status2 = uart_read(&uart, 0x02);
    EXPECT_FALSE((status2 ^ status1) & UART_MCR_LOOP);
    uart_write(&uart, UART_LCR, 0);
    uart_write(&uart, UART_MCR, status1 ^ UART_MCR_LOOP);
    uart_write(&uart, UART_LCR, 0xe0);
    status2 = uart_read(&uart, 0x02);
    uart_write(&uart, UART_LCR, 0);
    uart_write(&uart, UART_MCR, status1);
    EXPECT_FALSE((status2 ^ status1) & UART_MCR_LOOP);

    test_row("not a TI16750: IIR bit 5 stays clear with FCR bit 5, with and without DLAB");
    uart_write(&uart, UART_LCR, 0);
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE | 0x20);
    status1 = uart_read(&uart, UART_IIR) >> 5;
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE | 0x20);
    status2 = uart_read(&uart, UART_IIR) >> 5;
    uart_write(&uart, UART_FCR, UART_FCR_FIFO_ENABLE);
    uart_write(&uart, UART_LCR, 0);
    EXPECT_EQ(status1, 6);
    EXPECT_EQ(status2, 6);

    test_row("not an Xscale: IER bit 6 (UUE) does not stick");
    saved_ier = uart_read(&uart, UART_IER);
    uart_write(&uart, UART_IER, saved_ier & ~0x40);
    EXPECT_FALSE(uart_read(&uart, UART_IER) & 0x40);
    uart_write(&uart, UART_IER, saved_ier | 0x40);
    EXPECT_FALSE(uart_read(&uart, UART_IER) & 0x40);
    uart_write(&uart, UART_IER, saved_ier);

    test_row("not a U6 16550A: size_fifo counts 16 bytes, not 64");
    EXPECT_EQ(replay_linux_size_fifo(), UART_FIFO_BYTES);

    test_row("state restored: LCR, MCR, divisor, nothing printed");
    uart_write(&uart, UART_LCR, saved_lcr);
    EXPECT_EQ(uart_read(&uart, UART_LCR), 0x03);
    EXPECT_EQ(uart_read(&uart, UART_MCR), saved_mcr);
    uart_write(&uart, UART_LCR, UART_LCR_DLAB);
    EXPECT_EQ(uart_read(&uart, UART_DLL), 1);
    uart_write(&uart, UART_LCR, 0x03);
    uart_flush(&uart);
    EXPECT_EQ(captured.count, 0);
}

/* ---- Output lines ---- */

TEST(output_becomes_lines)
{
    static const struct {
        const char *what;
        const char *sent;
        int lines;
        const char *first;
        const char *second;
    } rows[] = {
        { "LF ends a line", "hello\n", 1, "hello", NULL },
        { "CR LF: CR dropped", "hello\r\n", 1, "hello", NULL },
        { "CR alone dropped", "a\rb\n", 1, "ab", NULL },
        { "an empty line", "\n", 1, "", NULL },
        { "two lines", "one\ntwo\n", 2, "one", "two" },
        { "tab becomes ?", "tab\there\n", 1, "tab?here", NULL },
        { "escape sequence defused", "\x1b[31mred\n", 1, "?[31mred", NULL },
        { "DEL and bytes above 0x7f", "del\x7f high\x80\xff\n", 1, "del? high??", NULL },
        { "0x20 and 0x7e are printable", " ~\n", 1, " ~", NULL },
        { "no newline, no line", "no newline", 0, NULL, NULL },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("output: %s", rows[i].what);
        reset();
        send_text(rows[i].sent);
        EXPECT_EQ(captured.count, rows[i].lines);
        if (rows[i].first)
            EXPECT_STR_EQ(captured.lines[0], rows[i].first);
        if (rows[i].second)
            EXPECT_STR_EQ(captured.lines[1], rows[i].second);
    }
}

static void send_repeated(char ch, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        uart_write(&uart, UART_THR, (uint8_t)ch);
}

TEST(long_lines_come_out_in_pieces_of_the_line_buffer)
{
    char full[UART_LINE_BYTES];

    memset(full, 'x', UART_LINE_BYTES - 1);
    full[UART_LINE_BYTES - 1] = '\0';

    test_row("exactly %d characters and a newline: one line", UART_LINE_BYTES - 1);
    reset();
    send_repeated('x', UART_LINE_BYTES - 1);
    EXPECT_EQ(captured.count, 0);
    uart_write(&uart, UART_THR, '\n');
    EXPECT_EQ(captured.count, 1);
    EXPECT_STR_EQ(captured.lines[0], full);

    test_row("%d characters: %d, then 1 at the newline", UART_LINE_BYTES, UART_LINE_BYTES - 1);
    reset();
    send_repeated('x', UART_LINE_BYTES - 1);
    send_text("y\n");
    EXPECT_EQ(captured.count, 2);
    EXPECT_STR_EQ(captured.lines[0], full);
    EXPECT_STR_EQ(captured.lines[1], "y");

    test_row("%d characters: two full pieces, the second at the newline", 2 * (UART_LINE_BYTES - 1));
    reset();
    send_repeated('x', 2 * (UART_LINE_BYTES - 1));
    EXPECT_EQ(captured.count, 1);
    uart_write(&uart, UART_THR, '\n');
    EXPECT_EQ(captured.count, 2);
    EXPECT_STR_EQ(captured.lines[1], full);

    test_row("carriage returns do not count towards the length");
    reset();
    send_repeated('x', UART_LINE_BYTES - 1);
    send_text("\r\r\n");
    EXPECT_EQ(captured.count, 1);
}

TEST(flush_emits_a_partial_line_once)
{
    reset();
    test_row("flush with nothing buffered emits nothing; a partial line once");
    uart_flush(&uart);
    EXPECT_EQ(captured.count, 0);
    send_text("last words");
    uart_flush(&uart);
    EXPECT_EQ(captured.count, 1);
    EXPECT_STR_EQ(captured.lines[0], "last words");
    uart_flush(&uart);
    EXPECT_EQ(captured.count, 1);

    test_row("after a flush, the next line starts empty");
    send_text("next\n");
    EXPECT_EQ(captured.count, 2);
    EXPECT_STR_EQ(captured.lines[1], "next");
}

TEST(no_sink_drops_output)
{
    uart_init(&uart, NULL, NULL);
    send_text("nobody listens\n");
    send_text("partial");
    uart_flush(&uart);
    EXPECT_EQ(uart_read(&uart, UART_LSR), 0x60);
}
