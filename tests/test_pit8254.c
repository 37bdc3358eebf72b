/* Unit tests for hv/devices/pit8254.c: each mode's count and OUT at exact ticks (a
 * count written at t is loaded at t + 1), latch and read-back, gate 2 through port
 * 0x61, counter 0's edges over irregular and huge intervals, and Linux's sequences
 * (clockevent, clocksource, TSC calibration). See: Intel 82C54 datasheet. */
#include "test.h"

#include "hv/devices/pit8254.h"

static struct pit8254 pit;

static void write_port(uint16_t port, uint8_t value, uint64_t now)
{
    pit_write(&pit, port, value, now);
}

static uint8_t read_port(uint16_t port, uint64_t now)
{
    return pit_read(&pit, port, now);
}

/* Two reads at now: lsb, then msb (for lsb-then-msb access). */
static uint16_t read_count(unsigned channel, uint64_t now)
{
    uint8_t lsb = read_port((uint16_t)(PIT_CHANNEL0_PORT + channel), now);

    return (uint16_t)(lsb | read_port((uint16_t)(PIT_CHANNEL0_PORT + channel), now) << 8);
}

static void write_count(unsigned channel, uint16_t count, uint64_t now)
{
    write_port((uint16_t)(PIT_CHANNEL0_PORT + channel), (uint8_t)count, now);
    write_port((uint16_t)(PIT_CHANNEL0_PORT + channel), (uint8_t)(count >> 8), now);
}

/* A control word for lsb-then-msb access, then the count, all at now. */
static void program(unsigned channel, uint8_t control, uint16_t count, uint64_t now)
{
    write_port(PIT_CONTROL_PORT, control, now);
    write_count(channel, count, now);
}

static bool output(unsigned channel, uint64_t now)
{
    return pit_channel_output(&pit, channel, now);
}

/* Read-back of one counter's status alone, then the status byte. */
static uint8_t read_status(unsigned channel, uint64_t now)
{
    write_port(PIT_CONTROL_PORT, (uint8_t)(0xe0 | 2u << channel), now);
    return read_port((uint16_t)(PIT_CHANNEL0_PORT + channel), now);
}

struct sample {
    uint64_t tick;
    uint16_t count;
    bool output;
};

/* Count and OUT of one counter at increasing ticks. */
static void check_samples(const char *what, unsigned channel, const struct sample *samples,
                          size_t count)
{
    for (size_t i = 0; i < count; i++) {
        test_row("%s: tick %llu: count %u, OUT %s", what, (unsigned long long)samples[i].tick,
                 samples[i].count, samples[i].output ? "high" : "low");
        EXPECT_EQ(read_count(channel, samples[i].tick), samples[i].count);
        EXPECT_EQ(output(channel, samples[i].tick), samples[i].output);
    }
}

#define CHECK_SAMPLES(what, channel, table) \
    check_samples(what, channel, table, sizeof table / sizeof table[0])

/* ---- Ports and power-on ---- */

TEST(claims_the_counter_ports_and_port_b)
{
    static const struct {
        uint16_t port;
        bool claimed;
    } ports[] = {
        { 0x40, true }, { 0x41, true }, { 0x42, true }, { 0x43, true }, { 0x61, true },
        { 0x3f, false }, { 0x44, false }, { 0x48, false }, { 0x60, false }, { 0x62, false },
        { 0x140, false },
    };
    struct pit8254 before;

    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
        test_row("port 0x%03x %s", ports[i].port, ports[i].claimed ? "claimed" : "not claimed");
        EXPECT_EQ(pit_claims_port(ports[i].port), ports[i].claimed);
        if (ports[i].claimed)
            continue;
        pit_init(&pit, 0);
        memcpy(&before, &pit, sizeof pit);
        EXPECT_EQ(read_port(ports[i].port, 0), 0xff);
        write_port(ports[i].port, 0x34, 0);
        EXPECT_TRUE(memcmp(&before, &pit, sizeof pit) == 0);
    }

    test_row("the control port is write-only: 0xff");
    pit_init(&pit, 0);
    EXPECT_EQ(read_port(PIT_CONTROL_PORT, 0), 0xff);
    test_row("OUT of a counter that does not exist is low");
    EXPECT_FALSE(pit_channel_output(&pit, 3, 0));
    EXPECT_FALSE(pit_channel_output(&pit, 1000, 0));
}

TEST(power_on_state_is_quiet)
{
    pit_init(&pit, 1000);
    for (unsigned channel = 0; channel < PIT_CHANNELS; channel++) {
        test_row("counter %u: mode 0, no count, OUT low, null count", channel);
        EXPECT_FALSE(output(channel, 5000));
        EXPECT_EQ(read_count(channel, 5000), 0);
        EXPECT_EQ(read_status(channel, 5000), 0x70);
    }
    test_row("no edges, none coming; gates 0 and 1 high, gate 2 low");
    EXPECT_EQ(pit_channel0_edges(&pit, 1000000), 0);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1000000), PIT_NO_EDGE);
    EXPECT_TRUE(pit.channel[0].gate);
    EXPECT_TRUE(pit.channel[1].gate);
    EXPECT_FALSE(pit.channel[2].gate);
    EXPECT_EQ(read_port(PIT_PORT_B, 1000008), 0x00);
}

TEST(a_control_word_sets_out_by_mode)
{
    static const struct {
        uint8_t control;
        bool output;
    } rows[] = {
        { 0x30, false }, { 0x32, true }, { 0x34, true }, { 0x36, true }, { 0x38, true },
        { 0x3a, true }, { 0x3c, true }, { 0x3e, true }, { 0x11, false }, { 0x25, true },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t status = (uint8_t)((rows[i].output ? 0x80 : 0) | 0x40 | (rows[i].control & 0x3f));

        test_row("control 0x%02x: OUT %s, status 0x%02x", rows[i].control,
                 rows[i].output ? "high" : "low", status);
        pit_init(&pit, 0);
        program(0, 0x34, 100, 0);           /* counting, OUT high */
        write_port(PIT_CONTROL_PORT, rows[i].control, 50);
        EXPECT_EQ(output(0, 50), rows[i].output);
        EXPECT_EQ(output(0, 5000), rows[i].output);   /* and counting stopped */
        EXPECT_EQ(read_status(0, 60), status);
        EXPECT_EQ(pit_channel0_next_edge(&pit, 60), PIT_NO_EDGE);
    }
}

/* ---- The six modes ---- */

TEST(mode_0_interrupt_on_terminal_count)
{
    static const struct sample samples[] = {
        { 1000, 0, false },              /* written, loaded at the next clock */
        { 1001, 100, false }, { 1050, 51, false }, { 1100, 1, false },
        { 1101, 0, true },               /* terminal count: OUT high ... */
        { 1102, 0xffff, true },          /* ... and the count runs on */
        { 1101 + 65536, 0, true }, { 1102 + 65536, 0xffff, true },
    };

    pit_init(&pit, 0);
    program(0, 0x30, 100, 1000);
    CHECK_SAMPLES("mode 0, count 100 at 1000", 0, samples);

    test_row("null count until the load");
    pit_init(&pit, 0);
    program(0, 0x30, 100, 1000);
    EXPECT_EQ(read_status(0, 1000), 0x70);
    EXPECT_EQ(read_status(0, 1001), 0x30);

    test_row("one edge, at terminal count, once");
    pit_init(&pit, 0);
    program(0, 0x30, 100, 1000);
    EXPECT_EQ(pit_channel0_edges(&pit, 1000), 0);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1000), 1101);
    EXPECT_EQ(pit_channel0_edges(&pit, 1100), 0);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1100), 1101);
    EXPECT_EQ(pit_channel0_edges(&pit, 1101), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1101), PIT_NO_EDGE);
    EXPECT_EQ(pit_channel0_edges(&pit, 1101 + 3 * 65536), 0);
}

TEST(mode_2_rate_generator)
{
    /* Linux's periodic tick at HZ=250: 0x34, then 4773 = 0x12a5. */
    static const struct sample samples[] = {
        { 2000, 0, true }, { 2001, 4773, true }, { 2002, 4772, true }, { 6772, 2, true },
        { 6773, 1, false },              /* low for the clock at count 1 */
        { 6774, 4773, true },            /* reload, OUT rises: IRQ0 */
        { 6775, 4772, true }, { 49730, 1, false }, { 49731, 4773, true },
    };

    pit_init(&pit, 0);
    program(0, 0x34, 4773, 2000);
    CHECK_SAMPLES("mode 2, count 4773 at 2000", 0, samples);

    test_row("ten periods, ten edges");
    pit_init(&pit, 0);
    program(0, 0x34, 4773, 2000);
    /* The control word took OUT from the power-on low to high: one edge. */
    EXPECT_EQ(pit_channel0_edges(&pit, 2000), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 2000), 6774);
    EXPECT_EQ(pit_channel0_edges(&pit, 6773), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 6774), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 6774), 6774 + 4773);
    EXPECT_EQ(pit_channel0_edges(&pit, 49730), 8);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 49730), 49731);
    EXPECT_EQ(pit_channel0_edges(&pit, 49731), 1);
}

TEST(mode_3_square_wave)
{
    /* Even: high 5 clocks, low 5, each half counting 10, 8, ..., 2. */
    static const struct sample even[] = {
        { 1, 10, true }, { 2, 8, true }, { 3, 6, true }, { 4, 4, true }, { 5, 2, true },
        { 6, 10, false }, { 7, 8, false }, { 8, 6, false }, { 9, 4, false }, { 10, 2, false },
        { 11, 10, true }, { 16, 10, false }, { 21, 10, true },
    };
    /* Odd: N - 1 is loaded; high (N+1)/2 = 6 clocks ending on a 0 held one
     * clock, low (N-1)/2 = 5 clocks ending on 2. */
    static const struct sample odd[] = {
        { 1, 10, true }, { 2, 8, true }, { 3, 6, true }, { 4, 4, true }, { 5, 2, true },
        { 6, 0, true }, { 7, 10, false }, { 8, 8, false }, { 9, 6, false }, { 10, 4, false },
        { 11, 2, false }, { 12, 10, true }, { 17, 0, true }, { 18, 10, false }, { 22, 2, false },
        { 23, 10, true },
    };

    pit_init(&pit, 0);
    program(0, 0x36, 10, 0);
    CHECK_SAMPLES("mode 3, count 10", 0, even);
    pit_init(&pit, 0);
    program(0, 0x36, 11, 0);
    CHECK_SAMPLES("mode 3, count 11", 0, odd);

    test_row("one edge per period, at the end of each low half");
    pit_init(&pit, 0);
    program(0, 0x36, 10, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 0), 1);             /* the control word */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 0), 11);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 6), 11);
    EXPECT_EQ(pit_channel0_edges(&pit, 10), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 11), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 11), 21);
    EXPECT_EQ(pit_channel0_edges(&pit, 1 + 10 * 1000), 999);

    test_row("odd count: edges every 11 clocks from 12");
    pit_init(&pit, 0);
    program(0, 0x36, 11, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 0), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 0), 12);
    EXPECT_EQ(pit_channel0_edges(&pit, 12 + 11 * 99), 100);
}

TEST(mode_4_software_triggered_strobe)
{
    static const struct sample samples[] = {
        { 100, 0, true }, { 101, 5, true }, { 105, 1, true },
        { 106, 0, false },               /* terminal count: low for one clock */
        { 107, 0xffff, true }, { 108, 0xfffe, true }, { 106 + 65536, 0, true },
    };

    pit_init(&pit, 0);
    program(0, 0x38, 5, 100);
    CHECK_SAMPLES("mode 4, count 5 at 100", 0, samples);

    test_row("the edge is the end of the strobe, once");
    pit_init(&pit, 0);
    program(0, 0x38, 5, 100);
    EXPECT_EQ(pit_channel0_edges(&pit, 100), 1);           /* the control word */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 100), 107);
    EXPECT_EQ(pit_channel0_edges(&pit, 106), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 107), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 107), PIT_NO_EDGE);
    EXPECT_EQ(pit_channel0_edges(&pit, 199), 0);

    test_row("a new count retriggers: strobe N + 1 clocks after it is written");
    write_count(0, 3, 200);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 200), 205);
    EXPECT_FALSE(output(0, 204));
    EXPECT_EQ(pit_channel0_edges(&pit, 205), 1);

    test_row("a count rewritten on the strobe's clock: the strobe ends, an edge");
    pit_init(&pit, 0);
    program(0, 0x38, 5, 100);
    EXPECT_EQ(pit_channel0_edges(&pit, 105), 1);
    write_count(0, 50, 105);                               /* loads at 106, the strobe */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 105), 106);
    EXPECT_EQ(pit_channel0_edges(&pit, 106), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 106), 106 + 50 + 1);
}

TEST(modes_1_and_5_on_counter_0_never_fire)
{
    static const uint8_t controls[] = { 0x32, 0x3a };

    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        test_row("control 0x%02x: no gate edge, no count, no IRQ", controls[i]);
        pit_init(&pit, 0);
        program(0, controls[i], 100, 10);
        EXPECT_EQ(pit_channel0_edges(&pit, 10), 1);        /* the control word */
        EXPECT_EQ(pit_channel0_next_edge(&pit, 10), PIT_NO_EDGE);
        EXPECT_EQ(pit_channel0_edges(&pit, 10000000), 0);
        EXPECT_EQ(read_count(0, 10000000), 0);
        EXPECT_TRUE(output(0, 10000000));
        EXPECT_EQ(read_status(0, 10000000), 0xc0 | (controls[i] & 0x3f));   /* still null count */
    }
}

TEST(modes_1_and_5_on_counter_2_start_at_a_gate_edge)
{
    test_row("mode 1: OUT low from the clock after the trigger until terminal count");
    pit_init(&pit, 0);
    program(2, 0xb2, 10, 0);
    EXPECT_TRUE(output(2, 50));
    EXPECT_EQ(read_count(2, 50), 0);
    write_port(PIT_PORT_B, 0x01, 50);                     /* trigger */
    EXPECT_TRUE(output(2, 50));
    EXPECT_FALSE(output(2, 51));
    EXPECT_EQ(read_count(2, 51), 10);
    EXPECT_EQ(read_count(2, 54), 7);

    test_row("mode 1: retriggered mid-pulse, the pulse is stretched");
    write_port(PIT_PORT_B, 0x00, 55);
    EXPECT_FALSE(output(2, 56));                          /* GATE's level does not matter */
    EXPECT_EQ(read_count(2, 56), 5);
    write_port(PIT_PORT_B, 0x01, 57);
    EXPECT_EQ(read_count(2, 58), 10);
    EXPECT_FALSE(output(2, 67));
    EXPECT_EQ(read_count(2, 67), 1);
    EXPECT_TRUE(output(2, 68));
    EXPECT_EQ(read_count(2, 68), 0);
    EXPECT_EQ(read_count(2, 69), 0xffff);

    test_row("mode 5: strobe low N + 1 clocks after the trigger");
    pit_init(&pit, 0);
    program(2, 0xba, 4, 0);
    write_port(PIT_PORT_B, 0x01, 10);
    EXPECT_EQ(read_count(2, 11), 4);
    EXPECT_TRUE(output(2, 14));
    EXPECT_EQ(read_count(2, 14), 1);
    EXPECT_FALSE(output(2, 15));
    EXPECT_TRUE(output(2, 16));
    EXPECT_EQ(read_count(2, 16), 0xffff);

    test_row("mode 5: a new count waits for the next trigger");
    write_count(2, 100, 20);
    EXPECT_EQ(read_status(2, 30), 0x80 | 0x40 | 0x3a);
    EXPECT_EQ(read_count(2, 30), 0xfff1);
    write_port(PIT_PORT_B, 0x00, 40);
    write_port(PIT_PORT_B, 0x01, 41);
    EXPECT_EQ(read_count(2, 42), 100);
    EXPECT_EQ(read_status(2, 42), 0x80 | 0x3a);
}

TEST(modes_6_and_7_are_modes_2_and_3)
{
    test_row("mode 6: a rate generator");
    pit_init(&pit, 0);
    program(0, 0x3c, 10, 0);
    EXPECT_FALSE(output(0, 10));
    EXPECT_EQ(read_count(0, 11), 10);
    EXPECT_EQ(read_status(0, 12), 0x80 | 0x3c);

    test_row("mode 7: a square wave");
    pit_init(&pit, 0);
    program(0, 0x3e, 10, 0);
    EXPECT_TRUE(output(0, 5));
    EXPECT_FALSE(output(0, 6));
    EXPECT_EQ(read_count(0, 6), 10);
}

TEST(count_0_means_65536)
{
    test_row("mode 2: period 65536, the full count reads 0");
    pit_init(&pit, 0);
    program(0, 0x34, 0, 0);
    EXPECT_EQ(read_count(0, 1), 0);
    EXPECT_EQ(read_count(0, 2), 0xffff);
    EXPECT_EQ(read_count(0, 65536), 1);
    EXPECT_FALSE(output(0, 65536));
    EXPECT_EQ(pit_channel0_edges(&pit, 0), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 0), 65537);
    EXPECT_EQ(pit_channel0_edges(&pit, 1 + 65536 * 10), 10);

    test_row("mode 0: terminal count after 65536 clocks");
    pit_init(&pit, 0);
    program(0, 0x30, 0, 0);
    EXPECT_FALSE(output(0, 65536));
    EXPECT_TRUE(output(0, 65537));
    EXPECT_EQ(pit_channel0_next_edge(&pit, 0), 65537);

    test_row("mode 3: 32768 clocks high, 32768 low");
    pit_init(&pit, 0);
    program(0, 0x36, 0, 0);
    EXPECT_TRUE(output(0, 32768));
    EXPECT_FALSE(output(0, 32769));
    EXPECT_EQ(read_count(0, 32769), 0);
    EXPECT_TRUE(output(0, 65537));
}

TEST(bcd_counting)
{
    test_row("mode 2, BCD 0100: 100 clocks, read back in BCD");
    pit_init(&pit, 0);
    program(0, 0x35, 0x0100, 0);
    EXPECT_EQ(read_count(0, 1), 0x0100);
    EXPECT_EQ(read_count(0, 2), 0x0099);
    EXPECT_EQ(read_count(0, 11), 0x0090);
    EXPECT_EQ(read_count(0, 100), 0x0001);
    EXPECT_EQ(pit_channel0_edges(&pit, 0), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 0), 101);
    EXPECT_EQ(read_status(0, 5), 0x80 | 0x35);

    test_row("mode 0, BCD 0000: 10000 clocks, wrapping to 9999");
    pit_init(&pit, 0);
    program(0, 0x31, 0x0000, 0);
    EXPECT_EQ(read_count(0, 1), 0x0000);
    EXPECT_EQ(read_count(0, 2), 0x9999);
    EXPECT_EQ(read_count(0, 1235), 0x8766);
    EXPECT_FALSE(output(0, 10000));
    EXPECT_TRUE(output(0, 10001));
    EXPECT_EQ(read_count(0, 10002), 0x9999);
}

/* ---- Reading and writing counts ---- */

TEST(counter_latch_command)
{
    /* Mode 2, count 1000 at 0: the count at t is 1000 - (t - 1) % 1000. */
    test_row("the latched count is read until both bytes are read");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    write_port(PIT_CONTROL_PORT, 0x00, 101);               /* 900 = 0x0384 */
    EXPECT_EQ(read_port(0x40, 500), 0x84);
    EXPECT_EQ(read_port(0x40, 700), 0x03);
    EXPECT_EQ(read_count(0, 800), 201);

    test_row("a second latch before the read is ignored");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    write_port(PIT_CONTROL_PORT, 0x00, 101);
    write_port(PIT_CONTROL_PORT, 0x00, 200);
    EXPECT_EQ(read_count(0, 300), 900);
    write_port(PIT_CONTROL_PORT, 0x00, 400);
    EXPECT_EQ(read_count(0, 450), 601);

    test_row("lsb-only access: one byte releases the latch");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x14, 0);
    write_port(0x40, 200, 0);
    write_port(PIT_CONTROL_PORT, 0x04, 51);                /* the M and BCD bits are ignored */
    EXPECT_EQ(read_port(0x40, 60), 150);
    EXPECT_EQ(read_port(0x40, 60), 141);

    test_row("msb-only access");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x24, 0);
    write_port(0x40, 0x03, 0);                             /* 0x0300 = 768 */
    write_port(PIT_CONTROL_PORT, 0x00, 257);               /* 512 */
    EXPECT_EQ(read_port(0x40, 300), 0x02);
    EXPECT_EQ(read_port(0x40, 300), 0x01);                 /* live: 469 = 0x1d5 */

    test_row("a control word drops the latch and the byte pointers");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    write_port(PIT_CONTROL_PORT, 0x00, 101);
    EXPECT_EQ(read_port(0x40, 120), 0x84);
    write_port(PIT_CONTROL_PORT, 0x34, 150);               /* held at 851 = 0x0353 */
    EXPECT_EQ(read_port(0x40, 160), 0x53);
    EXPECT_EQ(read_port(0x40, 160), 0x03);

    test_row("latches on two counters are independent");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    program(1, 0x74, 500, 0);
    write_port(PIT_CONTROL_PORT, 0x00, 11);                /* counter 0: 990 */
    write_port(PIT_CONTROL_PORT, 0x40, 21);                /* counter 1: 480 */
    EXPECT_EQ(read_count(1, 30), 480);
    EXPECT_EQ(read_count(0, 30), 990);
}

TEST(linux_clocksource_read_latches_then_reads)
{
    /* i8253_read: outb_p(0x00, PIT_MODE); inb_p(PIT_CH0) twice. */
    pit_init(&pit, 0);
    program(0, 0x34, 4773, 0);
    write_port(PIT_CONTROL_PORT, 0x00, 3000);              /* 4773 - 2999 = 1774 */
    EXPECT_EQ(read_port(0x40, 3001), 1774 & 0xff);
    EXPECT_EQ(read_port(0x40, 3003), 1774 >> 8);
}

TEST(read_back_command)
{
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    program(1, 0x74, 500, 0);
    program(2, 0xb0, 0x1234, 0);                           /* gate 2 low: loaded, not counting */

    test_row("count and status of all three (0xce): status first, then the count");
    write_port(PIT_CONTROL_PORT, 0xce, 10);
    EXPECT_EQ(read_port(0x40, 50), 0xb4);
    EXPECT_EQ(read_count(0, 50), 991);
    EXPECT_EQ(read_port(0x41, 50), 0xb4);
    EXPECT_EQ(read_count(1, 50), 491);
    EXPECT_EQ(read_port(0x42, 50), 0x30);
    EXPECT_EQ(read_count(2, 50), 0x1234);
    EXPECT_EQ(read_count(0, 60), 941);                     /* live again */

    test_row("status only (0xe4): the count stays live");
    write_port(PIT_CONTROL_PORT, 0xe4, 70);
    EXPECT_EQ(read_port(0x41, 80), 0xb4);
    EXPECT_EQ(read_count(1, 80), 421);

    test_row("count only (0xd2)");
    write_port(PIT_CONTROL_PORT, 0xd2, 80);
    EXPECT_EQ(read_count(0, 90), 921);

    test_row("null count from the control word to the load");
    write_port(PIT_CONTROL_PORT, 0x34, 100);
    EXPECT_EQ(read_status(0, 100), 0xf4);
    write_count(0, 300, 100);
    EXPECT_EQ(read_status(0, 100), 0xf4);
    EXPECT_EQ(read_status(0, 101), 0xb4);

    test_row("a second status latch before the read is ignored");
    write_port(PIT_PORT_B, 0x01, 200);                     /* counter 2 counts from 200 */
    write_port(PIT_CONTROL_PORT, 0xe8, 4000);              /* OUT low: 0x30 */
    write_port(PIT_CONTROL_PORT, 0xe8, 5000);              /* OUT high by now */
    EXPECT_EQ(read_port(0x42, 5000), 0x30);
    EXPECT_EQ(read_count(2, 5000), 0xff74);                /* 4660 - 4800, wrapped */

    test_row("count latched before status: the status is still read first");
    write_port(PIT_CONTROL_PORT, 0xd8, 6000);
    write_port(PIT_CONTROL_PORT, 0xe8, 6000);
    EXPECT_EQ(read_port(0x42, 6100), 0xb0);
    EXPECT_EQ(read_count(2, 6100), 0xfb8c);                /* 4660 - 5800, wrapped */
}

TEST(access_modes_and_byte_pointers)
{
    test_row("lsb only: one byte is the whole count");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x10, 0);
    write_port(0x40, 0x34, 0);
    EXPECT_EQ(read_port(0x40, 1), 0x34);
    EXPECT_EQ(read_port(0x40, 11), 0x2a);
    EXPECT_TRUE(output(0, 53));

    test_row("msb only: the byte is the high half, the low half 0");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x20, 0);
    write_port(0x40, 0x12, 0);
    EXPECT_EQ(read_port(0x40, 1), 0x12);
    EXPECT_EQ(read_port(0x40, 257), 0x11);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1), 1 + 0x1200);

    test_row("lsb then msb: reads alternate");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    EXPECT_EQ(read_port(0x40, 1), 0xe8);
    EXPECT_EQ(read_port(0x40, 1), 0x03);
    EXPECT_EQ(read_port(0x40, 1), 0xe8);

    test_row("an lsb and an msb read at different ticks may not match, as on the part");
    EXPECT_EQ(read_port(0x40, 1), 0x03);                   /* finish the pair */
    EXPECT_EQ(read_port(0x40, 233), 0x00);                 /* 768 = 0x0300 */
    EXPECT_EQ(read_port(0x40, 234), 0x02);                 /* 767 = 0x02ff */

    test_row("read lsb, write lsb, read msb, write msb: interleaving is allowed");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    EXPECT_EQ(read_port(0x40, 101), 0x84);
    write_port(0x40, 0x00, 101);
    EXPECT_EQ(read_port(0x40, 101), 0x03);
    write_port(0x40, 0x02, 101);                           /* 512, from the next period */
    EXPECT_EQ(read_count(0, 1000), 1);
    EXPECT_EQ(read_count(0, 1001), 512);

    test_row("a control word restarts a half-written count");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x34, 0);
    write_port(0x40, 0x77, 0);
    write_port(PIT_CONTROL_PORT, 0x34, 0);
    write_count(0, 300, 0);
    EXPECT_EQ(read_count(0, 1), 300);
}

/* ---- Counter 2's gate and port B ---- */

TEST(gate_2_through_port_b)
{
    test_row("mode 0: GATE low holds the count, high resumes it");
    pit_init(&pit, 0);
    write_port(PIT_PORT_B, 0x01, 0);
    program(2, 0xb0, 100, 0);
    EXPECT_EQ(read_count(2, 21), 80);
    write_port(PIT_PORT_B, 0x00, 21);
    EXPECT_EQ(read_count(2, 30), 80);
    EXPECT_EQ(read_count(2, 50), 80);
    write_port(PIT_PORT_B, 0x01, 50);
    EXPECT_EQ(read_count(2, 51), 79);
    EXPECT_FALSE(output(2, 129));
    EXPECT_EQ(read_count(2, 130), 0);
    EXPECT_TRUE(output(2, 130));

    test_row("mode 0: a count written with GATE low is loaded, then waits");
    pit_init(&pit, 0);
    program(2, 0xb0, 50, 0);
    EXPECT_EQ(read_count(2, 10), 50);
    EXPECT_EQ(read_status(2, 10), 0x30);                   /* loaded: no null count */
    write_port(PIT_PORT_B, 0x01, 30);
    EXPECT_EQ(read_count(2, 31), 49);
    EXPECT_FALSE(output(2, 79));
    EXPECT_TRUE(output(2, 80));

    test_row("mode 2: GATE low ends the output pulse and stops; a rising edge reloads");
    pit_init(&pit, 0);
    write_port(PIT_PORT_B, 0x01, 0);
    program(2, 0xb4, 10, 0);
    EXPECT_FALSE(output(2, 10));
    write_port(PIT_PORT_B, 0x00, 10);
    EXPECT_TRUE(output(2, 10));
    EXPECT_EQ(read_count(2, 15), 1);
    EXPECT_TRUE(output(2, 15));
    write_port(PIT_PORT_B, 0x01, 20);
    EXPECT_EQ(read_count(2, 21), 10);
    EXPECT_EQ(read_count(2, 29), 2);
    EXPECT_FALSE(output(2, 30));
    EXPECT_EQ(read_count(2, 31), 10);

    test_row("mode 3: GATE low forces OUT high; a rising edge restarts the period");
    pit_init(&pit, 0);
    write_port(PIT_PORT_B, 0x01, 0);
    program(2, 0xb6, 10, 0);
    EXPECT_FALSE(output(2, 7));
    write_port(PIT_PORT_B, 0x00, 7);
    EXPECT_TRUE(output(2, 7));
    EXPECT_EQ(read_count(2, 15), 8);
    write_port(PIT_PORT_B, 0x01, 20);
    EXPECT_TRUE(output(2, 25));
    EXPECT_FALSE(output(2, 26));
    EXPECT_TRUE(output(2, 31));

    test_row("mode 3: a count written while GATE is low waits for the rising edge");
    write_port(PIT_PORT_B, 0x00, 40);
    write_count(2, 4, 41);
    EXPECT_EQ(read_status(2, 50), 0xc0 | 0x36);
    write_port(PIT_PORT_B, 0x01, 60);
    EXPECT_EQ(read_count(2, 61), 4);
    EXPECT_FALSE(output(2, 63));
    EXPECT_TRUE(output(2, 65));

    test_row("mode 2: GATE low before the period ends cancels a pending new count");
    pit_init(&pit, 0);
    write_port(PIT_PORT_B, 0x01, 0);
    program(2, 0xb4, 10, 0);
    write_count(2, 4, 3);                                  /* due at 11, the end of the period */
    write_port(PIT_PORT_B, 0x00, 5);
    EXPECT_EQ(read_count(2, 20), 6);
    EXPECT_EQ(read_status(2, 20), 0xc0 | 0x34);
    write_port(PIT_PORT_B, 0x01, 30);
    EXPECT_EQ(read_count(2, 31), 4);

    test_row("a rising edge before any count does nothing");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0xb4, 0);
    write_port(PIT_PORT_B, 0x01, 5);
    EXPECT_EQ(read_status(2, 10), 0xc0 | 0x34);
}

TEST(port_b_bits)
{
    static const struct {
        uint64_t tick;
        uint8_t value;
    } refresh[] = {
        { 0, 0x0f }, { 17, 0x0f }, { 18, 0x1f }, { 35, 0x1f }, { 36, 0x0f }, { 54, 0x1f },
    };

    pit_init(&pit, 0);
    EXPECT_EQ(read_port(PIT_PORT_B, 0), 0x00);
    write_port(PIT_PORT_B, 0xff, 0);                       /* bits 4-7 are not writable */
    for (size_t i = 0; i < sizeof refresh / sizeof refresh[0]; i++) {
        test_row("refresh bit at tick %llu", (unsigned long long)refresh[i].tick);
        EXPECT_EQ(read_port(PIT_PORT_B, refresh[i].tick), refresh[i].value);
    }

    test_row("bit 5 is OUT2");
    program(2, 0xb0, 5, 40);
    EXPECT_EQ(read_port(PIT_PORT_B, 45), 0x0f);
    EXPECT_EQ(read_port(PIT_PORT_B, 46), 0x2f);
    EXPECT_EQ(read_port(PIT_PORT_B, 54), 0x3f);
    write_port(PIT_PORT_B, 0x02, 60);
    EXPECT_EQ(read_port(PIT_PORT_B, 72), 0x22);
    EXPECT_FALSE(pit.channel[2].gate);
}

/* ---- Linux's TSC calibration on counter 2 ---- */

TEST(linux_quick_pit_calibrate)
{
    uint8_t port_b;

    pit_init(&pit, 0);
    /* outb((inb(0x61) & ~0x02) | 0x01, 0x61); tick 5000 has the refresh bit set */
    port_b = read_port(PIT_PORT_B, 5000);
    EXPECT_EQ(port_b, 0x10);
    write_port(PIT_PORT_B, (uint8_t)((port_b & ~0x02) | 0x01), 5000);
    EXPECT_TRUE(pit.channel[2].gate);
    write_port(PIT_CONTROL_PORT, 0xb0, 5000);
    write_port(0x42, 0xff, 5000);
    write_port(0x42, 0xff, 5000);
    /* pit_verify_msb(0): "The PIT starts counting at the next edge". */
    read_port(0x42, 5000);
    EXPECT_EQ(read_port(0x42, 5000), 0x00);

    test_row("pit_verify_msb reads: lsb, then msb, no latch");
    EXPECT_EQ(read_count(2, 5001), 0xffff);
    EXPECT_EQ(read_count(2, 5256), 0xff00);
    EXPECT_EQ(read_count(2, 5257), 0xfeff);
    EXPECT_EQ(read_count(2, 5512), 0xfe00);
    EXPECT_EQ(read_count(2, 5513), 0xfdff);

    test_row("each MSB lasts exactly 256 ticks");
    for (unsigned i = 3; i <= 40; i++) {
        uint64_t change = 5001 + 256 * (uint64_t)i;

        read_port(0x42, change - 1);
        EXPECT_EQ(read_port(0x42, change - 1), 0xff - i + 1);
        read_port(0x42, change);
        EXPECT_EQ(read_port(0x42, change), 0xff - i);
    }
}

TEST(linux_pit_calibrate_tsc_polls_out2)
{
    static const struct {
        uint16_t latch;
        uint64_t start;
    } rows[] = {
        { 11931, 7000 },                 /* CAL_LATCH: 10 ms */
        { 59659, 123456 },               /* CAL2_LATCH: 50 ms */
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint64_t start = rows[i].start;
        uint8_t port_b;

        test_row("latch %u at %llu: OUT2 high at %llu", rows[i].latch,
                 (unsigned long long)start, (unsigned long long)(start + 1 + rows[i].latch));
        pit_init(&pit, 0);
        port_b = read_port(PIT_PORT_B, start);
        write_port(PIT_PORT_B, (uint8_t)((port_b & ~0x02) | 0x01), start);
        write_port(PIT_CONTROL_PORT, 0xb0, start);
        write_port(0x42, (uint8_t)rows[i].latch, start);
        write_port(0x42, (uint8_t)(rows[i].latch >> 8), start);
        EXPECT_EQ(read_port(PIT_PORT_B, start + 1) & 0x20, 0);
        EXPECT_EQ(read_port(PIT_PORT_B, start + rows[i].latch) & 0x20, 0);
        EXPECT_EQ(read_port(PIT_PORT_B, start + 1 + rows[i].latch) & 0x20, 0x20);
        EXPECT_EQ(read_port(PIT_PORT_B, start + 1000000) & 0x20, 0x20);
    }
}

/* ---- Linux's clockevent on counter 0 ---- */

TEST(linux_clockevent_sequences)
{
    test_row("oneshot: control 0x38 (mode 4), then each event's delta, lsb and msb");
    pit_init(&pit, 0);
    write_port(PIT_CONTROL_PORT, 0x38, 1000);
    EXPECT_EQ(pit_channel0_edges(&pit, 1000), 1);          /* OUT from low to high */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1000), PIT_NO_EDGE);
    write_count(0, 1193, 2000);                            /* 1 ms */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 2000), 3195);
    EXPECT_EQ(pit_channel0_edges(&pit, 3194), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 3195), 1);
    write_count(0, 0x0f, 4000);                            /* the minimum delta */
    EXPECT_EQ(pit_channel0_next_edge(&pit, 4000), 4017);
    EXPECT_EQ(pit_channel0_edges(&pit, 100000), 1);

    test_row("shutdown: 0x30, count 0, 0x30 again stops it for good");
    pit_init(&pit, 0);
    program(0, 0x34, 4773, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 10000), 3);
    write_port(PIT_CONTROL_PORT, 0x30, 10000);
    write_count(0, 0, 10000);
    write_port(PIT_CONTROL_PORT, 0x30, 10000);
    EXPECT_FALSE(output(0, 10000));
    EXPECT_EQ(pit_channel0_next_edge(&pit, 10000), PIT_NO_EDGE);
    EXPECT_EQ(pit_channel0_edges(&pit, 100000000), 0);

    test_row("older shutdown: 0x30 and count 0: one last edge 65537 clocks later");
    pit_init(&pit, 0);
    program(0, 0x34, 4773, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 10000), 3);
    write_port(PIT_CONTROL_PORT, 0x30, 10000);
    write_count(0, 0, 10000);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 10000), 10000 + 1 + 65536);
    EXPECT_EQ(pit_channel0_edges(&pit, 100000000), 1);

    test_row("a mode 0 one-shot: 0x30 and the count, an edge N + 1 clocks later");
    pit_init(&pit, 0);
    program(0, 0x30, 1193, 1000);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1000), 2194);
    EXPECT_EQ(pit_channel0_edges(&pit, 2194), 1);
}

/* ---- Counter 0's edges ---- */

/* Edges of a mode 2 or 3 counter 0 programmed at 0 with period n (count
 * written at 0, loaded at 1), plus the one from its control word. */
static uint64_t periodic_edges_until(uint64_t period, uint64_t t)
{
    return 1 + (t >= 1 ? (t - 1) / period : 0);
}

TEST(channel0_edges_over_irregular_intervals)
{
    static const struct {
        uint8_t control;
        uint16_t period;
    } rows[] = {
        { 0x34, 4773 }, { 0x34, 2 }, { 0x36, 11 }, { 0x36, 4772 }, { 0x34, 0 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint64_t period = rows[i].period ? rows[i].period : 65536;
        uint64_t now = 0, total = 0, seed = 12345 + i;
        bool exact = true;

        test_row("control 0x%02x, period %llu: 3000 calls 0-40000 ticks apart",
                 rows[i].control, (unsigned long long)period);
        pit_init(&pit, 0);
        program(0, rows[i].control, rows[i].period, 0);
        for (int call = 0; call < 3000; call++) {
            uint64_t edges;

            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            now += (seed >> 33) % 40001;
            edges = pit_channel0_edges(&pit, now);
            exact &= edges == periodic_edges_until(period, now) - total;
            total += edges;
        }
        EXPECT_TRUE(exact);
        EXPECT_EQ(total, periodic_edges_until(period, now));
    }

    test_row("the same tick twice, and a tick in the past: nothing more");
    pit_init(&pit, 0);
    program(0, 0x34, 100, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 1001), 11);
    EXPECT_EQ(pit_channel0_edges(&pit, 1001), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 500), 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 1101), 1);
}

TEST(channel0_edges_over_enormous_gaps)
{
    const uint64_t far = 1ull << 62;

    test_row("mode 2, period 2, up to 2^62: computed, not stepped");
    pit_init(&pit, 0);
    program(0, 0x34, 2, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, far), 1 + (far - 1) / 2);
    EXPECT_EQ(pit_channel0_next_edge(&pit, far), far + 1);
    EXPECT_EQ(pit_channel0_edges(&pit, far + 1), 1);

    test_row("mode 3, period 65536, up to 2^62");
    pit_init(&pit, 0);
    program(0, 0x36, 0, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, far), 1 + (far - 1) / 65536);
    EXPECT_EQ(pit_channel0_next_edge(&pit, far), far + 1);
    EXPECT_EQ(read_count(0, far), 2);                      /* the last clock of a low half */

    test_row("mode 0 after 2^62 ticks: its one edge, long ago");
    pit_init(&pit, 0);
    program(0, 0x30, 1000, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, far), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, far), PIT_NO_EDGE);
}

/* ---- Reprogramming ---- */

TEST(reprogramming_mid_count)
{
    test_row("mode 0: the first byte stops the count and lowers OUT, the second restarts");
    pit_init(&pit, 0);
    program(0, 0x30, 1000, 0);
    write_port(0x40, 100, 500);
    EXPECT_EQ(read_count(0, 600), 501);
    EXPECT_FALSE(output(0, 600));
    write_port(0x40, 0, 600);
    EXPECT_EQ(read_count(0, 601), 100);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 600), 701);
    EXPECT_EQ(pit_channel0_edges(&pit, 701), 1);

    test_row("mode 0 after terminal count: a new count lowers OUT, one more edge");
    write_count(0, 50, 800);
    EXPECT_FALSE(output(0, 800));
    EXPECT_EQ(pit_channel0_edges(&pit, 851), 1);

    test_row("mode 2: a new count takes effect at the end of the period");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 500), 1);
    write_count(0, 200, 500);
    EXPECT_EQ(read_status(0, 500), 0xf4);                  /* null count until the reload */
    EXPECT_EQ(read_count(0, 1000), 1);
    EXPECT_FALSE(output(0, 1000));
    EXPECT_EQ(pit_channel0_next_edge(&pit, 500), 1001);
    EXPECT_EQ(read_count(0, 1001), 200);
    EXPECT_EQ(read_status(0, 1001), 0xb4);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 1001), 1201);
    EXPECT_EQ(pit_channel0_edges(&pit, 1401), 3);

    test_row("mode 2: edges across the reload counted when the call comes after it");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    write_count(0, 200, 500);
    EXPECT_EQ(pit_channel0_edges(&pit, 1401), 4);

    test_row("mode 3: a new count in the high half starts at the low half");
    pit_init(&pit, 0);
    program(0, 0x36, 10, 0);
    write_count(0, 20, 3);
    EXPECT_EQ(pit_channel0_edges(&pit, 3), 1);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 3), 16);
    EXPECT_EQ(read_count(0, 5), 2);
    EXPECT_TRUE(output(0, 5));
    EXPECT_EQ(read_count(0, 6), 20);
    EXPECT_FALSE(output(0, 6));
    EXPECT_EQ(read_count(0, 15), 2);
    EXPECT_FALSE(output(0, 15));
    EXPECT_TRUE(output(0, 16));
    EXPECT_EQ(read_count(0, 16), 20);
    EXPECT_EQ(pit_channel0_edges(&pit, 36), 2);

    test_row("mode 3: a new count in the low half starts at the next high half");
    pit_init(&pit, 0);
    program(0, 0x36, 10, 0);
    write_count(0, 20, 7);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 7), 11);
    EXPECT_FALSE(output(0, 10));
    EXPECT_EQ(read_count(0, 10), 2);
    EXPECT_TRUE(output(0, 11));
    EXPECT_EQ(read_count(0, 11), 20);
    EXPECT_TRUE(output(0, 20));
    EXPECT_FALSE(output(0, 21));
    EXPECT_EQ(pit_channel0_next_edge(&pit, 11), 31);

    test_row("a control word and count restart a running counter");
    pit_init(&pit, 0);
    program(0, 0x34, 1000, 0);
    EXPECT_EQ(pit_channel0_edges(&pit, 500), 1);
    program(0, 0x34, 300, 500);
    EXPECT_EQ(pit_channel0_next_edge(&pit, 500), 801);
    EXPECT_EQ(read_count(0, 501), 300);
    EXPECT_EQ(pit_channel0_edges(&pit, 801), 1);
}
