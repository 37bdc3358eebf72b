/* Unit tests for hv/devices/pic8259.c: Linux's own programming sequences, then
 * each 8259A rule as a scenario of port accesses, line changes and acknowledges
 * with the exact values the datasheet gives. See: Intel 8259A datasheet. */
#include "test.h"

#include <limits.h>

#include "hv/devices/pic8259.h"

static struct pic_pair pair;

/* ---- Scenarios: one table row is a list of steps run from Linux's setup ---- */

enum step_kind {
    STEP_END,
    STEP_WRITE,        /* what = port, value = byte */
    STEP_READ,         /* what = port, value = expected byte */
    STEP_RAISE,        /* what = irq */
    STEP_LOWER,
    STEP_PULSE,
    STEP_ACKNOWLEDGE,  /* value = expected vector */
    STEP_PENDING,      /* value = whether INT is expected */
};

struct step {
    enum step_kind kind;
    uint16_t what;
    int value;
};

#define MAX_STEPS 24

struct scenario {
    const char *name;
    struct step steps[MAX_STEPS];
};

#define WRITE(port, byte)     { STEP_WRITE, port, byte }
#define READ(port, byte)      { STEP_READ, port, byte }
#define RAISE(irq)            { STEP_RAISE, irq, 0 }
#define LOWER(irq)            { STEP_LOWER, irq, 0 }
#define PULSE(irq)            { STEP_PULSE, irq, 0 }
#define ACK(vector)           { STEP_ACKNOWLEDGE, 0, vector }
#define PENDING               { STEP_PENDING, 0, 1 }
#define QUIET                 { STEP_PENDING, 0, 0 }
/* Linux's way to read an ISR (i8259A_irq_real): select ISR, read, back to IRR. */
#define MASTER_ISR(byte)      WRITE(0x20, 0x0b), READ(0x20, byte), WRITE(0x20, 0x0a)
#define SLAVE_ISR(byte)       WRITE(0xa0, 0x0b), READ(0xa0, byte), WRITE(0xa0, 0x0a)

static void write_port(uint16_t port, uint8_t value)
{
    pic_pair_write(&pair, port, value);
}

static uint8_t read_port(uint16_t port)
{
    return pic_pair_read(&pair, port);
}

/* init_8259A(0) of Linux's arch/x86/kernel/i8259.c, as port writes: mask both,
 * ICW1-4 to the master (vectors 0x30-0x37, slave on IR2, x86 mode), the same to
 * the slave (0x38-0x3f, ID 2). ICW1 clears the masks. */
static void linux_init(void)
{
    static const uint8_t master[] = { 0x30, 0x04, 0x01 };
    static const uint8_t slave[] = { 0x38, 0x02, 0x01 };

    pic_pair_init(&pair);
    write_port(0x21, 0xff);
    write_port(0xa1, 0xff);
    write_port(0x20, 0x11);
    for (size_t i = 0; i < sizeof master; i++)
        write_port(0x21, master[i]);
    write_port(0xa0, 0x11);
    for (size_t i = 0; i < sizeof slave; i++)
        write_port(0xa1, slave[i]);
}

static void expect_step(int index, const char *what, uint64_t actual, uint64_t expected)
{
    char label[64];

    if (actual == expected)
        return;
    snprintf(label, sizeof label, "step %d (%s)", index + 1, what);
    test_fail_u64(__FILE__, __LINE__, label, "expected", actual, expected);
}

static void run_step(int index, const struct step *step)
{
    switch (step->kind) {
    case STEP_WRITE:
        write_port(step->what, (uint8_t)step->value);
        break;
    case STEP_READ:
        expect_step(index, "read", read_port(step->what), (uint64_t)step->value);
        break;
    case STEP_RAISE:
        pic_pair_set_irq(&pair, step->what, true);
        break;
    case STEP_LOWER:
        pic_pair_set_irq(&pair, step->what, false);
        break;
    case STEP_PULSE:
        pic_pair_pulse_irq(&pair, step->what);
        break;
    case STEP_ACKNOWLEDGE:
        expect_step(index, "acknowledge", (uint64_t)pic_pair_acknowledge(&pair),
                    (uint64_t)step->value);
        break;
    case STEP_PENDING:
        expect_step(index, "pending", pic_pair_interrupt_pending(&pair), (uint64_t)step->value);
        break;
    case STEP_END:
        break;
    }
}

/* Each row starts from Linux's setup with every line unmasked. */
static void run_scenarios(const struct scenario *scenarios, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        test_row("%s", scenarios[i].name);
        linux_init();
        for (int s = 0; s < MAX_STEPS && scenarios[i].steps[s].kind != STEP_END; s++)
            run_step(s, &scenarios[i].steps[s]);
    }
}

#define RUN(table) run_scenarios(table, sizeof table / sizeof table[0])

/* ---- Linux's sequences, literally ---- */

TEST(linux_init_sequence_then_irq0_is_vector_0x30)
{
    linux_init();
    EXPECT_EQ(pair.master.init_step, PIC_INIT_DONE);
    EXPECT_EQ(pair.slave.init_step, PIC_INIT_DONE);
    EXPECT_EQ(read_port(0x21), 0x00);          /* ICW1 cleared the mask */
    EXPECT_EQ(pair.master.vector_base, 0x30);
    EXPECT_EQ(pair.slave.vector_base, 0x38);
    EXPECT_EQ(pair.master.cascade, 0x04);
    EXPECT_EQ(pair.slave.cascade, 0x02);
    EXPECT_TRUE(pair.master.x86_mode);
    EXPECT_FALSE(pair.master.auto_eoi);

    /* udelay(100), then the cached masks: only IRQ0 and the cascade open. */
    write_port(0x21, 0xfa);
    write_port(0xa1, 0xff);
    pic_pair_set_irq(&pair, 0, true);
    EXPECT_TRUE(pic_pair_interrupt_pending(&pair));
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x30);
    EXPECT_EQ(pair.master.isr, 0x01);
    EXPECT_EQ(pair.master.irr, 0x00);
    EXPECT_FALSE(pic_pair_interrupt_pending(&pair));

    /* mask_and_ack_8259A(0): dummy IMR read, mask IRQ0, specific EOI. */
    EXPECT_EQ(read_port(0x21), 0xfa);
    write_port(0x21, 0xfb);
    write_port(0x20, 0x60);
    EXPECT_EQ(pair.master.isr, 0x00);
    /* The handler ran; unmask. A line still high does not request again. */
    write_port(0x21, 0xfa);
    EXPECT_FALSE(pic_pair_interrupt_pending(&pair));
    pic_pair_pulse_irq(&pair, 0);
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x30);
}

TEST(linux_irq12_through_the_slave_and_its_two_eois)
{
    linux_init();
    write_port(0x21, 0xfb);                    /* the cascade open */
    write_port(0xa1, 0xef);                    /* IRQ12 open */
    pic_pair_set_irq(&pair, 12, true);
    EXPECT_EQ(pair.slave.irr, 0x10);
    EXPECT_EQ(pair.master.irr, 0x04);          /* the slave's INT on IR2 */
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x3c);
    EXPECT_EQ(pair.master.isr, 0x04);
    EXPECT_EQ(pair.slave.isr, 0x10);
    EXPECT_EQ(pair.master.irr, 0x00);
    EXPECT_EQ(pair.slave.irr, 0x00);

    /* mask_and_ack_8259A(12) */
    EXPECT_EQ(read_port(0xa1), 0xef);
    write_port(0xa1, 0xff);
    write_port(0xa0, 0x64);
    EXPECT_EQ(pair.slave.isr, 0x00);
    EXPECT_EQ(pair.master.isr, 0x04);
    write_port(0x20, 0x62);
    EXPECT_EQ(pair.master.isr, 0x00);
    EXPECT_FALSE(pic_pair_interrupt_pending(&pair));
}

TEST(linux_probe_reads_the_mask_back)
{
    static const struct {
        uint16_t port;
        uint8_t value;
    } probes[] = {
        { 0x21, 0xff }, { 0x21, 0xfb }, { 0x21, 0x00 }, { 0xa1, 0xff }, { 0xa1, 0x5a },
    };

    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        test_row("write 0x%02x to 0x%02x, read it back", probes[i].value, probes[i].port);
        pic_pair_init(&pair);
        write_port(probes[i].port, 0xff);
        write_port(probes[i].port, probes[i].value);
        EXPECT_EQ(read_port(probes[i].port), probes[i].value);
    }
}

TEST(linux_spurious_check_reads_isr_bit_7)
{
    static const struct scenario scenarios[] = {
        { "IRQ7 really in service: ISR bit 7 set", {
            PULSE(7), ACK(0x37), MASTER_ISR(0x80), WRITE(0x20, 0x67), MASTER_ISR(0x00),
        } },
        { "IRQ7 spurious: ISR bit 7 clear, no EOI needed", {
            RAISE(7), PENDING, LOWER(7), QUIET, ACK(0x37), MASTER_ISR(0x00), PULSE(5), ACK(0x35),
        } },
    };

    RUN(scenarios);
}

/* ---- Power-on, ports, initialisation ---- */

TEST(power_on_state_masks_every_line)
{
    pic_pair_init(&pair);
    EXPECT_EQ(read_port(0x21), 0xff);
    EXPECT_EQ(read_port(0xa1), 0xff);
    EXPECT_EQ(pair.master.vector_base, 0x08);
    EXPECT_EQ(pair.slave.vector_base, 0x70);
    EXPECT_EQ(pair.master.init_step, PIC_INIT_DONE);
    EXPECT_TRUE(pair.master.is_master);
    EXPECT_FALSE(pair.slave.is_master);
    pic_pair_set_irq(&pair, 0, true);
    pic_pair_set_irq(&pair, 8, true);
    EXPECT_FALSE(pic_pair_interrupt_pending(&pair));
    EXPECT_EQ(read_port(0x20), 0x01);          /* held in IRR */
    EXPECT_EQ(read_port(0xa0), 0x01);
    write_port(0x21, 0xfe);
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x08);
}

TEST(claims_exactly_the_four_ports)
{
    static const struct {
        uint16_t port;
        bool claimed;
    } ports[] = {
        { 0x20, true }, { 0x21, true }, { 0xa0, true }, { 0xa1, true }, { 0x1f, false },
        { 0x22, false }, { 0x9f, false }, { 0xa2, false }, { 0x30, false }, { 0x4d0, false },
        { 0x120, false },
    };
    struct pic_pair before;

    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++) {
        test_row("port 0x%03x %s", ports[i].port, ports[i].claimed ? "claimed" : "not claimed");
        EXPECT_EQ(pic_pair_claims_port(ports[i].port), ports[i].claimed);
        if (ports[i].claimed)
            continue;
        linux_init();
        memcpy(&before, &pair, sizeof pair);
        EXPECT_EQ(read_port(ports[i].port), 0xff);
        write_port(ports[i].port, 0x11);
        EXPECT_TRUE(memcmp(&before, &pair, sizeof pair) == 0);
    }
}

TEST(initialisation_word_sequences)
{
    static const struct {
        const char *name;
        uint8_t icw1;
        uint8_t bytes[4];                  /* written to the data port in turn */
        enum pic_init_step steps[4];       /* the step after each byte */
        uint8_t vector_base;
    } rows[] = {
        { "cascade, ICW4: ICW2, ICW3, ICW4", 0x11, { 0x30, 0x04, 0x01, 0xaa },
          { PIC_INIT_EXPECT_ICW3, PIC_INIT_EXPECT_ICW4, PIC_INIT_DONE, PIC_INIT_DONE }, 0x30 },
        { "single, ICW4: no ICW3", 0x13, { 0x48, 0x01, 0xaa, 0x55 },
          { PIC_INIT_EXPECT_ICW4, PIC_INIT_DONE, PIC_INIT_DONE, PIC_INIT_DONE }, 0x48 },
        { "cascade, no ICW4", 0x10, { 0x50, 0x04, 0xaa, 0x55 },
          { PIC_INIT_EXPECT_ICW3, PIC_INIT_DONE, PIC_INIT_DONE, PIC_INIT_DONE }, 0x50 },
        { "single, no ICW4: ICW2 only", 0x12, { 0x68, 0xaa, 0x55, 0x0f },
          { PIC_INIT_DONE, PIC_INIT_DONE, PIC_INIT_DONE, PIC_INIT_DONE }, 0x68 },
        { "ICW2's low 3 bits are ignored", 0x13, { 0x37, 0x01, 0xaa, 0x55 },
          { PIC_INIT_EXPECT_ICW4, PIC_INIT_DONE, PIC_INIT_DONE, PIC_INIT_DONE }, 0x30 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("%s", rows[i].name);
        pic_pair_init(&pair);
        write_port(0x20, rows[i].icw1);
        EXPECT_EQ(pair.master.init_step, PIC_INIT_EXPECT_ICW2);
        EXPECT_EQ(read_port(0x21), 0x00);      /* (b) the mask is cleared */
        for (int b = 0; b < 4; b++) {
            write_port(0x21, rows[i].bytes[b]);
            EXPECT_EQ(pair.master.init_step, rows[i].steps[b]);
        }
        EXPECT_EQ(pair.master.vector_base, rows[i].vector_base);
        EXPECT_EQ(read_port(0x21), rows[i].bytes[3]);   /* the last byte was OCW1 */
    }
}

TEST(icw1_and_icw4_mode_bits)
{
    test_row("LTIM, SNGL and IC4 are stored");
    pic_pair_init(&pair);
    write_port(0x20, 0x1b);
    EXPECT_TRUE(pair.master.level_triggered);
    EXPECT_TRUE(pair.master.single);
    EXPECT_TRUE(pair.master.icw4_needed);

    test_row("ICW4: uPM, AEOI, SFNM");
    write_port(0x21, 0x30);
    write_port(0x21, 0x13);
    EXPECT_TRUE(pair.master.x86_mode);
    EXPECT_TRUE(pair.master.auto_eoi);
    EXPECT_TRUE(pair.master.special_fully_nested);

    test_row("(f) no ICW4: its functions are zero");
    write_port(0x20, 0x10);
    EXPECT_FALSE(pair.master.x86_mode);
    EXPECT_FALSE(pair.master.auto_eoi);
    EXPECT_FALSE(pair.master.special_fully_nested);
    EXPECT_FALSE(pair.master.level_triggered);

    test_row("(d) the slave's address is set to 7");
    linux_init();
    write_port(0xa0, 0x13);
    EXPECT_EQ(pair.slave.cascade, 7);
    EXPECT_EQ(pair.master.cascade, 0x04);
}

TEST(a_second_icw1_reinitialises_mid_operation)
{
    linux_init();
    write_port(0x21, 0x10);                    /* IRQ4 masked */
    pic_pair_pulse_irq(&pair, 3);
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x33);
    pic_pair_pulse_irq(&pair, 4);
    pic_pair_set_irq(&pair, 1, true);          /* held high across the ICW1 */
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x31);
    write_port(0x20, 0x6b);                    /* special mask mode, read ISR */
    write_port(0x20, 0xc4);                    /* IR4 lowest */
    EXPECT_EQ(read_port(0x20), 0x0a);

    write_port(0x20, 0x11);
    EXPECT_EQ(pair.master.init_step, PIC_INIT_EXPECT_ICW2);
    EXPECT_EQ(pair.master.irr, 0x00);
    EXPECT_EQ(pair.master.isr, 0x00);
    EXPECT_EQ(pair.master.lowest_priority, 7);
    EXPECT_FALSE(pair.master.special_mask_mode);
    EXPECT_EQ(read_port(0x21), 0x00);
    EXPECT_EQ(read_port(0x20), 0x00);          /* IRR again, not ISR */
    write_port(0x21, 0x40);                    /* ICW2: a new base */
    EXPECT_EQ(pair.master.init_step, PIC_INIT_EXPECT_ICW3);
    write_port(0x21, 0x04);
    write_port(0x21, 0x01);
    EXPECT_FALSE(pic_pair_interrupt_pending(&pair));   /* (a) IRQ1 is still high: no edge */
    pic_pair_pulse_irq(&pair, 1);
    EXPECT_EQ(pic_pair_acknowledge(&pair), 0x41);
}

/* ---- Priority, masks, cascade ---- */

TEST(priority_between_requests)
{
    static const struct scenario scenarios[] = {
        { "IRQ0 before IRQ1, which waits for the EOI", {
            PULSE(1), PULSE(0), ACK(0x30), QUIET, WRITE(0x20, 0x20), ACK(0x31),
        } },
        { "a lower request waits while a higher one is in service", {
            PULSE(3), ACK(0x33), PULSE(5), QUIET, WRITE(0x20, 0x63), ACK(0x35),
        } },
        { "a higher request preempts the one in service", {
            PULSE(3), ACK(0x33), PULSE(1), PENDING, ACK(0x31), MASTER_ISR(0x0a),
        } },
        { "the same level waits for its own EOI", {
            PULSE(3), ACK(0x33), PULSE(3), QUIET, WRITE(0x20, 0x20), ACK(0x33),
        } },
        { "the slave ranks at IR2: IRQ12 before IRQ3", {
            PULSE(3), PULSE(12), ACK(0x3c),
        } },
        { "IRQ1 before IRQ12", {
            PULSE(12), PULSE(1), ACK(0x31),
        } },
        { "IRQ8 before IRQ15", {
            PULSE(15), PULSE(8), ACK(0x38),
        } },
        { "a slave in service holds back the slave's higher requests until both EOIs", {
            PULSE(9), ACK(0x39), PULSE(8), QUIET, WRITE(0xa0, 0x61), QUIET,
            WRITE(0x20, 0x62), ACK(0x38),
        } },
        { "IRQ0 preempts a slave in service", {
            PULSE(12), ACK(0x3c), PULSE(0), ACK(0x30), MASTER_ISR(0x05), SLAVE_ISR(0x10),
        } },
        { "IRQ4 waits while a slave is in service", {
            PULSE(12), ACK(0x3c), PULSE(4), QUIET, WRITE(0x20, 0x62), ACK(0x34),
        } },
    };

    RUN(scenarios);
}

TEST(masked_requests_wait_in_irr)
{
    static const struct scenario scenarios[] = {
        { "a masked request is held in IRR, not pending", {
            WRITE(0x21, 0x10), PULSE(4), QUIET, READ(0x20, 0x10), WRITE(0x21, 0x00), ACK(0x34),
        } },
        { "masking a pending request takes INT away; unmasking brings it back", {
            PULSE(6), PENDING, WRITE(0x21, 0x40), QUIET, WRITE(0x21, 0x00), ACK(0x36),
        } },
        { "a request masked on the slave does not reach the master", {
            WRITE(0xa1, 0x10), PULSE(12), QUIET, READ(0xa0, 0x10), READ(0x20, 0x00),
            WRITE(0xa1, 0x00), READ(0x20, 0x04), ACK(0x3c),
        } },
        { "masking the master's IR2 holds back every slave request", {
            WRITE(0x21, 0x04), PULSE(12), QUIET, READ(0x20, 0x04), WRITE(0x21, 0x00), ACK(0x3c),
        } },
        { "a masked request does not block lower ones", {
            WRITE(0x21, 0x01), PULSE(0), PULSE(5), ACK(0x35), READ(0x20, 0x01),
        } },
    };

    RUN(scenarios);
}

TEST(end_of_interrupt_commands)
{
    /* IRQ5, 3, 1 in service (each preempting the last): master ISR 0x2a. */
#define NESTED_5_3_1 PULSE(5), ACK(0x35), PULSE(3), ACK(0x33), PULSE(1), ACK(0x31)
    static const struct scenario scenarios[] = {
        { "master non-specific EOI clears the highest level", {
            NESTED_5_3_1, WRITE(0x20, 0x20), MASTER_ISR(0x28),
        } },
        { "master non-specific EOIs, one per level", {
            NESTED_5_3_1, WRITE(0x20, 0x20), WRITE(0x20, 0x20), MASTER_ISR(0x20),
            WRITE(0x20, 0x20), MASTER_ISR(0x00), WRITE(0x20, 0x20), MASTER_ISR(0x00),
        } },
        { "master specific EOI 0x63", {
            NESTED_5_3_1, WRITE(0x20, 0x63), MASTER_ISR(0x22),
        } },
        { "master specific EOI of a level not in service", {
            NESTED_5_3_1, WRITE(0x20, 0x67), MASTER_ISR(0x2a),
        } },
        { "master no-operation 0x40", {
            NESTED_5_3_1, WRITE(0x20, 0x40), MASTER_ISR(0x2a),
        } },
        { "slave non-specific EOI", {
            PULSE(13), ACK(0x3d), WRITE(0xa0, 0x20), SLAVE_ISR(0x00), MASTER_ISR(0x04),
        } },
        { "slave specific EOI 0x65", {
            PULSE(13), ACK(0x3d), WRITE(0xa0, 0x65), SLAVE_ISR(0x00), MASTER_ISR(0x04),
        } },
        { "slave specific EOI of another level", {
            PULSE(13), ACK(0x3d), WRITE(0xa0, 0x61), SLAVE_ISR(0x20),
        } },
        { "master specific EOI of the cascade input 0x62", {
            PULSE(13), ACK(0x3d), WRITE(0x20, 0x62), MASTER_ISR(0x00), SLAVE_ISR(0x20),
        } },
        { "master non-specific EOI with a slave and IRQ1 in service", {
            PULSE(13), ACK(0x3d), PULSE(1), ACK(0x31), MASTER_ISR(0x06), WRITE(0x20, 0x20),
            MASTER_ISR(0x04),
        } },
    };
#undef NESTED_5_3_1

    RUN(scenarios);
}

/* ---- Spurious interrupts ---- */

TEST(spurious_irq7_when_the_request_goes_away)
{
    static const struct scenario scenarios[] = {
        { "IRQ3 lowered before INTA: vector 0x37, nothing in service", {
            RAISE(3), PENDING, READ(0x20, 0x08), LOWER(3), READ(0x20, 0x00), QUIET, ACK(0x37),
            MASTER_ISR(0x00), READ(0x20, 0x00),
        } },
        { "acknowledge with nothing requested at all: vector 0x37", {
            ACK(0x37), MASTER_ISR(0x00), SLAVE_ISR(0x00),
        } },
        { "masked after INT rose: vector 0x37, the request stays in IRR", {
            PULSE(4), WRITE(0x21, 0x10), ACK(0x37), READ(0x20, 0x10), MASTER_ISR(0x00),
        } },
        { "a spurious IRQ7 does not disturb a level in service", {
            PULSE(5), ACK(0x35), RAISE(3), LOWER(3), ACK(0x37), MASTER_ISR(0x20),
        } },
    };

    RUN(scenarios);
}

TEST(spurious_on_the_slave)
{
    static const struct scenario scenarios[] = {
        /* The slave's INT falls with its request, and the master's IR2 with it. */
        { "IRQ12 lowered before INTA: the master answers its IR7", {
            RAISE(12), PENDING, READ(0x20, 0x04), LOWER(12), READ(0x20, 0x00), ACK(0x37),
            MASTER_ISR(0x00), SLAVE_ISR(0x00),
        } },
        /* Master ICW3 0x24 (slaves on IR2 and IR5), slave ID 5: IRQ5 on the
         * master makes it ask a slave that has nothing. */
        { "a cascaded input the slave has nothing for: the slave answers IR7", {
            WRITE(0x20, 0x11), WRITE(0x21, 0x30), WRITE(0x21, 0x24), WRITE(0x21, 0x01),
            WRITE(0xa0, 0x11), WRITE(0xa1, 0x38), WRITE(0xa1, 0x05), WRITE(0xa1, 0x01),
            PULSE(5), ACK(0x3f), MASTER_ISR(0x20), SLAVE_ISR(0x00),
        } },
        { "a cascaded input no slave answers for: the bus floats, 0xff", {
            WRITE(0x20, 0x11), WRITE(0x21, 0x30), WRITE(0x21, 0x20), WRITE(0x21, 0x01),
            PULSE(5), ACK(0xff), MASTER_ISR(0x20),
        } },
        { "the master not in cascade mode answers for IR2 itself", {
            WRITE(0x20, 0x13), WRITE(0x21, 0x30), WRITE(0x21, 0x01),
            PULSE(12), ACK(0x32), MASTER_ISR(0x04), SLAVE_ISR(0x00), READ(0xa0, 0x10),
        } },
    };

    RUN(scenarios);
}

/* ---- Modes ---- */

TEST(auto_eoi_mode)
{
    /* init_8259A(1): the master's ICW4 0x03. */
#define MASTER_AUTO_EOI WRITE(0x20, 0x11), WRITE(0x21, 0x30), WRITE(0x21, 0x04), WRITE(0x21, 0x03)
#define SLAVE_AUTO_EOI  WRITE(0xa0, 0x11), WRITE(0xa1, 0x38), WRITE(0xa1, 0x02), WRITE(0xa1, 0x03)
    static const struct scenario scenarios[] = {
        { "nothing stays in service; a lower request follows at once", {
            MASTER_AUTO_EOI, PULSE(3), PULSE(5), ACK(0x33), MASTER_ISR(0x00), PENDING, ACK(0x35),
            MASTER_ISR(0x00),
        } },
        { "rotate in auto-EOI (0x80): the level served becomes the lowest", {
            MASTER_AUTO_EOI, WRITE(0x20, 0x80), PULSE(0), ACK(0x30), PULSE(0), PULSE(1),
            ACK(0x31), ACK(0x30),
        } },
        { "rotate in auto-EOI cleared (0x00): priorities stay", {
            MASTER_AUTO_EOI, WRITE(0x20, 0x80), WRITE(0x20, 0x00), PULSE(0), ACK(0x30),
            PULSE(1), PULSE(0), ACK(0x30),
        } },
        { "auto-EOI on the slave: two requests both reach the CPU", {
            MASTER_AUTO_EOI, SLAVE_AUTO_EOI, PULSE(9), PULSE(10), ACK(0x39), PENDING, ACK(0x3a),
            QUIET, SLAVE_ISR(0x00),
        } },
    };
#undef MASTER_AUTO_EOI
#undef SLAVE_AUTO_EOI

    RUN(scenarios);
}

TEST(ocw3_selects_the_register_a_command_port_reads)
{
    /* IRR 0x10 (IRQ4 masked, pending), ISR 0x01 (IRQ0 in service), IMR 0x10. */
    static const struct scenario scenarios[] = {
        { "IRR after initialisation; 0x0b ISR; 0x0a IRR", {
            WRITE(0x21, 0x10), PULSE(4), PULSE(0), ACK(0x30),
            READ(0x20, 0x10), READ(0x20, 0x10), WRITE(0x20, 0x0b), READ(0x20, 0x01),
            READ(0x20, 0x01), WRITE(0x20, 0x0a), READ(0x20, 0x10), READ(0x21, 0x10),
        } },
        { "RR clear (0x08, 0x09): the choice stays", {
            WRITE(0x21, 0x10), PULSE(4), PULSE(0), ACK(0x30),
            WRITE(0x20, 0x0b), WRITE(0x20, 0x08), READ(0x20, 0x01), WRITE(0x20, 0x0a),
            WRITE(0x20, 0x09), READ(0x20, 0x10),
        } },
        { "the data port reads the mask whatever OCW3 chose", {
            WRITE(0x21, 0x10), WRITE(0x20, 0x0b), READ(0x21, 0x10), WRITE(0xa1, 0x81),
            READ(0xa1, 0x81),
        } },
    };

    RUN(scenarios);
}

TEST(poll_command)
{
    static const struct scenario scenarios[] = {
        { "nothing requested: 0x00, then the usual IRR read", {
            WRITE(0x20, 0x0c), READ(0x20, 0x00), PULSE(6), WRITE(0x21, 0x40), READ(0x20, 0x40),
        } },
        { "IRQ3: 0x83, put in service, INT gone", {
            PULSE(3), WRITE(0x20, 0x0c), READ(0x20, 0x83), QUIET, MASTER_ISR(0x08),
            READ(0x20, 0x00),
        } },
        { "the highest request wins: IRQ2's slave before IRQ5", {
            PULSE(5), PULSE(9), WRITE(0x20, 0x0c), READ(0x20, 0x82), MASTER_ISR(0x04),
            WRITE(0xa0, 0x0c), READ(0xa0, 0x81), SLAVE_ISR(0x02),
        } },
        { "the next read of the data port is the poll too, then IMR again", {
            PULSE(5), WRITE(0x20, 0x0c), READ(0x21, 0x85), READ(0x21, 0x00),
        } },
        { "poll and read-ISR in one OCW3: the poll first, then ISR", {
            PULSE(1), WRITE(0x20, 0x0f), READ(0x20, 0x81), READ(0x20, 0x02),
        } },
        { "a level in service blocks lower ones from the poll", {
            PULSE(1), ACK(0x31), PULSE(4), WRITE(0x20, 0x0c), READ(0x20, 0x00),
        } },
    };

    RUN(scenarios);
}

TEST(special_mask_mode)
{
    static const struct scenario scenarios[] = {
        { "masking the level in service lets lower levels in (0x68)", {
            PULSE(3), ACK(0x33), PULSE(5), QUIET, WRITE(0x21, 0x08), WRITE(0x20, 0x68), PENDING,
            ACK(0x35), MASTER_ISR(0x28),
        } },
        { "non-specific EOI skips the masked level in service", {
            PULSE(3), ACK(0x33), WRITE(0x21, 0x08), WRITE(0x20, 0x68), PULSE(5), ACK(0x35),
            WRITE(0x20, 0x20), MASTER_ISR(0x08), WRITE(0x20, 0x20), MASTER_ISR(0x08),
            WRITE(0x20, 0x63), MASTER_ISR(0x00),
        } },
        { "an unmasked level in service still blocks", {
            PULSE(3), ACK(0x33), WRITE(0x20, 0x68), PULSE(5), QUIET,
        } },
        { "reset (0x48): the level in service blocks again", {
            PULSE(3), ACK(0x33), WRITE(0x21, 0x08), WRITE(0x20, 0x68), WRITE(0x20, 0x48),
            PULSE(5), QUIET,
        } },
        { "SMM without ESMM (0x28) changes nothing", {
            PULSE(3), ACK(0x33), WRITE(0x21, 0x08), WRITE(0x20, 0x68), WRITE(0x20, 0x28),
            PULSE(5), PENDING,
        } },
    };

    RUN(scenarios);
}

TEST(priority_rotation)
{
    static const struct scenario scenarios[] = {
        { "set priority 0xc3: IR4 highest, IR3 lowest", {
            WRITE(0x20, 0xc3), PULSE(3), PULSE(0), PULSE(4), ACK(0x34), WRITE(0x20, 0x64),
            ACK(0x30),
        } },
        { "set priority 0xc7: back to IR0 highest", {
            WRITE(0x20, 0xc3), WRITE(0x20, 0xc7), PULSE(4), PULSE(0), ACK(0x30),
        } },
        { "after 0xc3, IR4 in service blocks IR0", {
            WRITE(0x20, 0xc3), PULSE(4), ACK(0x34), PULSE(0), QUIET,
        } },
        { "rotate on non-specific EOI (0xa0): IR0 served becomes lowest", {
            PULSE(0), ACK(0x30), WRITE(0x20, 0xa0), MASTER_ISR(0x00), PULSE(0), PULSE(1),
            ACK(0x31), WRITE(0x20, 0xa0), ACK(0x30),
        } },
        { "rotate on specific EOI (0xe5): IR6 highest", {
            PULSE(5), ACK(0x35), WRITE(0x20, 0xe5), MASTER_ISR(0x00), PULSE(0), PULSE(6),
            ACK(0x36),
        } },
        { "rotate on non-specific EOI with nothing in service: no rotation", {
            WRITE(0x20, 0xa0), PULSE(1), PULSE(0), ACK(0x30),
        } },
        { "rotation on the slave orders its own levels", {
            WRITE(0xa0, 0xc1), PULSE(9), PULSE(10), PULSE(8), ACK(0x3a),
        } },
    };

    RUN(scenarios);
}

TEST(special_fully_nested_mode)
{
    /* Master ICW4 0x11: SFNM. */
#define MASTER_FULLY_NESTED \
    WRITE(0x20, 0x11), WRITE(0x21, 0x30), WRITE(0x21, 0x04), WRITE(0x21, 0x11)
    static const struct scenario scenarios[] = {
        { "a higher slave request interrupts a slave in service", {
            MASTER_FULLY_NESTED, PULSE(13), ACK(0x3d), PULSE(9), PENDING, ACK(0x39),
            SLAVE_ISR(0x22), MASTER_ISR(0x04),
        } },
        { "a lower slave request still waits", {
            MASTER_FULLY_NESTED, PULSE(13), ACK(0x3d), PULSE(14), QUIET,
        } },
        { "a master request below IR2 still waits", {
            MASTER_FULLY_NESTED, PULSE(13), ACK(0x3d), PULSE(3), QUIET,
        } },
    };
#undef MASTER_FULLY_NESTED

    RUN(scenarios);
}

/* ---- Lines ---- */

TEST(edge_detection)
{
    static const struct scenario scenarios[] = {
        { "a line held high does not request again", {
            RAISE(1), ACK(0x31), WRITE(0x20, 0x20), QUIET, RAISE(1), QUIET, READ(0x20, 0x00),
            LOWER(1), QUIET, RAISE(1), ACK(0x31),
        } },
        { "a pulse is one edge, and leaves the line high", {
            PULSE(1), ACK(0x31), WRITE(0x20, 0x20), QUIET, PULSE(1), ACK(0x31),
        } },
        { "edges before the acknowledge make one request", {
            PULSE(3), PULSE(3), PULSE(3), ACK(0x33), WRITE(0x20, 0x20), QUIET,
        } },
        { "level-triggered (LTIM): requests again after the EOI while high", {
            WRITE(0x20, 0x19), WRITE(0x21, 0x30), WRITE(0x21, 0x04), WRITE(0x21, 0x01),
            RAISE(1), ACK(0x31), READ(0x20, 0x02), WRITE(0x20, 0x20), ACK(0x31),
            WRITE(0x20, 0x20), LOWER(1), QUIET, READ(0x20, 0x00),
        } },
        { "level-triggered: a line already high requests after ICW1", {
            RAISE(1), ACK(0x31), WRITE(0x20, 0x19), WRITE(0x21, 0x30), WRITE(0x21, 0x04),
            WRITE(0x21, 0x01), ACK(0x31),
        } },
    };

    RUN(scenarios);
}

TEST(out_of_range_and_cascade_irqs_are_ignored)
{
    static const unsigned irqs[] = { 2, 16, 17, 255, 1000, UINT_MAX };
    struct pic_pair before;

    for (size_t i = 0; i < sizeof irqs / sizeof irqs[0]; i++) {
        test_row("irq %u", irqs[i]);
        linux_init();
        memcpy(&before, &pair, sizeof pair);
        pic_pair_set_irq(&pair, irqs[i], true);
        pic_pair_pulse_irq(&pair, irqs[i]);
        pic_pair_set_irq(&pair, irqs[i], false);
        EXPECT_TRUE(memcmp(&before, &pair, sizeof pair) == 0);
        EXPECT_FALSE(pic_pair_interrupt_pending(&pair));
    }
}
