/* The 8259A register model behind pic8259.h: edge detection, the priority
 * resolver with rotation and special mask mode, EOIs, the ICW sequence, and the
 * cascade through which the slave answers for the master's IR2. Comments quote
 * or name the Intel 8259A datasheet section a rule comes from. */
#include "hv/devices/pic8259.h"

#include <stddef.h>
#include <string.h>

#define PIC_LEVELS          8u
#define NO_LEVEL            (-1)
/* What the CPU reads when no chip drives the data bus. */
#define FLOATING_BUS        0xff

#define ICW1_SELECT         0x10   /* on a command port: this is ICW1 */
#define ICW1_LTIM           0x08
#define ICW1_SNGL           0x02
#define ICW1_IC4            0x01
#define ICW2_VECTOR_MASK    0xf8   /* x86 mode: the level fills bits 2-0 */
#define ICW3_SLAVE_ID_MASK  0x07
#define ICW4_X86            0x01
#define ICW4_AEOI           0x02
#define ICW4_SFNM           0x10
#define OCW2_COMMAND_SHIFT  5      /* bits 7-5: R, SL, EOI */
#define OCW2_LEVEL_MASK     0x07
#define OCW3_SELECT         0x08   /* on a command port without ICW1_SELECT: OCW3, else OCW2 */
#define OCW3_ESMM           0x40
#define OCW3_SMM            0x20
#define OCW3_POLL           0x04
#define OCW3_RR             0x02
#define OCW3_RIS            0x01
#define POLL_INTERRUPT      0x80   /* poll byte: I = a request was there; bits 2-0 its level */

/* OCW2 bits 7-5, as the datasheet's OCW2 table lists them. */
enum ocw2_command {
    OCW2_CLEAR_ROTATE_IN_AUTO_EOI = 0,
    OCW2_NON_SPECIFIC_EOI = 1,
    OCW2_NO_OPERATION = 2,
    OCW2_SPECIFIC_EOI = 3,
    OCW2_SET_ROTATE_IN_AUTO_EOI = 4,
    OCW2_ROTATE_ON_NON_SPECIFIC_EOI = 5,
    OCW2_SET_PRIORITY = 6,
    OCW2_ROTATE_ON_SPECIFIC_EOI = 7,
};

/* ---- Priority ("Priority Resolver", "Interrupt Priorities") ---- */

static uint8_t level_bit(unsigned level)
{
    return (uint8_t)(1u << level);
}

/* 0 is the highest priority: the level just after the lowest-priority one. */
static unsigned priority_rank(const struct pic8259 *chip, unsigned level)
{
    return (level - chip->lowest_priority - 1) % PIC_LEVELS;
}

static int highest_priority_level(const struct pic8259 *chip, uint8_t levels)
{
    for (unsigned rank = 0; rank < PIC_LEVELS; rank++) {
        unsigned level = (chip->lowest_priority + 1 + rank) % PIC_LEVELS;

        if (levels & level_bit(level))
            return (int)level;
    }
    return NO_LEVEL;
}

/* The inputs with a slave behind them; a slave chip has none. */
static uint8_t slave_inputs(const struct pic8259 *chip)
{
    return chip->is_master && !chip->single ? chip->cascade : 0;
}

/* The in-service levels that hold back requests of their own or lower priority.
 * "In the special mask mode, when a mask bit is set in OCW1, it inhibits further
 * interrupts at that level and enables interrupts from all other levels (lower as
 * well as higher) that are not masked." The same set is what a non-specific EOI
 * may clear: "an IS bit that is masked by an IMR bit will not be cleared by a
 * non-specific EOI if the 8259A is in the Special Mask Mode". */
static uint8_t levels_in_service_that_count(const struct pic8259 *chip)
{
    return chip->special_mask_mode ? chip->isr & ~chip->imr : chip->isr;
}

/* The level the chip's INT output stands for, or NO_LEVEL when INT is low. */
static int chip_highest_request(const struct pic8259 *chip)
{
    int request = highest_priority_level(chip, chip->irr & ~chip->imr);
    int serving = highest_priority_level(chip, levels_in_service_that_count(chip));

    if (request == NO_LEVEL || serving == NO_LEVEL)
        return request;
    if (priority_rank(chip, (unsigned)request) < priority_rank(chip, (unsigned)serving))
        return request;
    /* Special fully nested mode: a slave in service may interrupt again; its
     * own ISR lets through only requests above the one being served. */
    if (request == serving && chip->special_fully_nested &&
        (slave_inputs(chip) & level_bit((unsigned)request)))
        return request;
    return NO_LEVEL;
}

/* ---- Inputs, acknowledge, end of interrupt ---- */

/* "Edge Triggered Mode": a rising edge latches the request, which is then ANDed
 * with the line: lowered before the acknowledge, it is gone (the datasheet's
 * "default IR7"). In level-triggered mode the line itself is the request. */
static void chip_set_line(struct pic8259 *chip, unsigned line, bool level)
{
    uint8_t bit = level_bit(line);
    bool rising = level && !(chip->line_levels & bit);

    if (level) {
        chip->line_levels |= bit;
        if (rising || chip->level_triggered)
            chip->irr |= bit;
    } else {
        chip->line_levels &= (uint8_t)~bit;
        chip->irr &= (uint8_t)~bit;
    }
}

/* The first INTA (or the read after a poll command): the winning request moves
 * from IRR to ISR. In auto-EOI mode the ISR bit is cleared again at the last
 * INTA, so it is never seen set. Returns the level, or NO_LEVEL. */
static int chip_acknowledge(struct pic8259 *chip)
{
    int level = chip_highest_request(chip);
    uint8_t bit;

    if (level == NO_LEVEL)
        return NO_LEVEL;
    bit = level_bit((unsigned)level);
    /* The edge is used up; a level-triggered input still high requests again. */
    chip->irr &= (uint8_t)~bit;
    if (chip->level_triggered)
        chip->irr |= chip->line_levels & bit;
    if (!chip->auto_eoi)
        chip->isr |= bit;
    else if (chip->rotate_on_auto_eoi)
        chip->lowest_priority = (uint8_t)level;
    return level;
}

static void chip_end_of_interrupt(struct pic8259 *chip, int level, bool rotate)
{
    if (level == NO_LEVEL)
        return;
    chip->isr &= (uint8_t)~level_bit((unsigned)level);
    if (rotate)
        chip->lowest_priority = (uint8_t)level;
}

/* ---- Programming ("Initialization Command Words", "Operation Command Words") ---- */

/* ICW1 and what the datasheet says it does: "(a) the edge sense circuit is
 * reset ... (b) the Interrupt Mask Register is cleared. (c) IR7 input is
 * assigned priority 7. (d) The slave mode address is set to 7. (e) Special Mask
 * Mode is cleared and Status Read is set to IRR. (f) If IC4 = 0, then all
 * functions selected in ICW4 are set to zero." */
static void chip_write_icw1(struct pic8259 *chip, uint8_t value)
{
    chip->level_triggered = value & ICW1_LTIM;
    chip->single = value & ICW1_SNGL;
    chip->icw4_needed = value & ICW1_IC4;
    /* (a): pending edges are forgotten; the line levels are kept, so a line
     * already high must go low and high again to request. */
    chip->irr = chip->level_triggered ? chip->line_levels : 0;
    /* The datasheet does not say; an in-service bit left over would block its
     * level and all below it forever, so the model clears it. */
    chip->isr = 0;
    chip->imr = 0;
    chip->lowest_priority = PIC_LEVELS - 1;
    if (!chip->is_master)
        chip->cascade = PIC_LEVELS - 1;
    chip->special_mask_mode = false;
    chip->read_isr = false;
    if (!chip->icw4_needed) {
        chip->x86_mode = false;
        chip->auto_eoi = false;
        chip->special_fully_nested = false;
    }
    chip->rotate_on_auto_eoi = false;
    chip->poll_pending = false;
    chip->init_step = PIC_INIT_EXPECT_ICW2;
}

static enum pic_init_step step_after_icw3(const struct pic8259 *chip)
{
    return chip->icw4_needed ? PIC_INIT_EXPECT_ICW4 : PIC_INIT_DONE;
}

/* ICW2-4 while initialising, else OCW1. BUF and M/S in ICW4 only say how the
 * SP/EN pin is used; on the PC the board wiring decides master and slave. */
static void chip_write_data(struct pic8259 *chip, uint8_t value)
{
    switch (chip->init_step) {
    case PIC_INIT_EXPECT_ICW2:
        chip->vector_base = value & ICW2_VECTOR_MASK;
        chip->init_step = chip->single ? step_after_icw3(chip) : PIC_INIT_EXPECT_ICW3;
        break;
    case PIC_INIT_EXPECT_ICW3:
        chip->cascade = value;
        chip->init_step = step_after_icw3(chip);
        break;
    case PIC_INIT_EXPECT_ICW4:
        chip->x86_mode = value & ICW4_X86;
        chip->auto_eoi = value & ICW4_AEOI;
        chip->special_fully_nested = value & ICW4_SFNM;
        chip->init_step = PIC_INIT_DONE;
        break;
    case PIC_INIT_DONE:
        chip->imr = value;
        break;
    }
}

static void chip_write_ocw2(struct pic8259 *chip, uint8_t value)
{
    int highest_in_service = highest_priority_level(chip, levels_in_service_that_count(chip));
    int level = value & OCW2_LEVEL_MASK;

    switch ((enum ocw2_command)(value >> OCW2_COMMAND_SHIFT)) {
    case OCW2_NON_SPECIFIC_EOI:
        chip_end_of_interrupt(chip, highest_in_service, false);
        break;
    case OCW2_SPECIFIC_EOI:
        chip_end_of_interrupt(chip, level, false);
        break;
    case OCW2_ROTATE_ON_NON_SPECIFIC_EOI:
        chip_end_of_interrupt(chip, highest_in_service, true);
        break;
    case OCW2_ROTATE_ON_SPECIFIC_EOI:
        chip_end_of_interrupt(chip, level, true);
        break;
    case OCW2_SET_PRIORITY:
        chip->lowest_priority = (uint8_t)level;
        break;
    case OCW2_SET_ROTATE_IN_AUTO_EOI:
        chip->rotate_on_auto_eoi = true;
        break;
    case OCW2_CLEAR_ROTATE_IN_AUTO_EOI:
        chip->rotate_on_auto_eoi = false;
        break;
    case OCW2_NO_OPERATION:
        break;
    }
}

/* Each part acts only when its enable bit is set (ESMM for SMM, RR for RIS).
 * With P and RR in one OCW3 the poll takes the next read; the register chosen
 * serves the reads after it. */
static void chip_write_ocw3(struct pic8259 *chip, uint8_t value)
{
    if (value & OCW3_ESMM)
        chip->special_mask_mode = value & OCW3_SMM;
    if (value & OCW3_POLL)
        chip->poll_pending = true;
    if (value & OCW3_RR)
        chip->read_isr = value & OCW3_RIS;
}

static void chip_write(struct pic8259 *chip, bool data_port, uint8_t value)
{
    if (data_port)
        chip_write_data(chip, value);
    else if (value & ICW1_SELECT)
        chip_write_icw1(chip, value);
    else if (value & OCW3_SELECT)
        chip_write_ocw3(chip, value);
    else
        chip_write_ocw2(chip, value);
}

/* "Poll Command": "the 8259A treats the next RD pulse to the 8259A as an
 * interrupt acknowledge" -- the next read of either of its ports. */
static uint8_t chip_read(struct pic8259 *chip, bool data_port)
{
    if (chip->poll_pending) {
        int level;

        chip->poll_pending = false;
        level = chip_acknowledge(chip);
        return level == NO_LEVEL ? 0 : (uint8_t)(POLL_INTERRUPT | level);
    }
    if (data_port)
        return chip->imr;
    return chip->read_isr ? chip->isr : chip->irr;
}

/* ---- The pair ("Cascade Mode") ---- */

static struct pic8259 *chip_at_port(struct pic_pair *pair, uint16_t port)
{
    switch (port & ~1u) {
    case PIC_MASTER_COMMAND_PORT:
        return &pair->master;
    case PIC_SLAVE_COMMAND_PORT:
        return &pair->slave;
    default:
        return NULL;
    }
}

/* The slave's INT output is wired to the master's IR2; called after anything
 * that may change the slave's state. */
static void pair_update_cascade(struct pic_pair *pair)
{
    chip_set_line(&pair->master, PIC_CASCADE_IRQ,
                  chip_highest_request(&pair->slave) != NO_LEVEL);
}

/* The master has put the cascaded input's number on CAS0-2: the slave with that
 * ID supplies the vector in the second INTA cycle. */
static int slave_answer(struct pic_pair *pair, unsigned cascaded_level)
{
    struct pic8259 *slave = &pair->slave;
    int level;

    if ((slave->cascade & ICW3_SLAVE_ID_MASK) != cascaded_level)
        return FLOATING_BUS;
    /* The model drops the slave's INT during its acknowledge, so that a request
     * it still holds afterwards (in auto-EOI mode) reaches the master as a new
     * edge rather than being lost behind a line that never fell. */
    chip_set_line(&pair->master, PIC_CASCADE_IRQ, false);
    level = chip_acknowledge(slave);
    return slave->vector_base + (level == NO_LEVEL ? PIC_SPURIOUS_LEVEL : level);
}

void pic_pair_init(struct pic_pair *pair)
{
    static const struct {
        uint16_t port;
        uint8_t value;
    } bios_setup[] = {
        { PIC_MASTER_COMMAND_PORT, 0x11 },   /* ICW1: edge, cascade, ICW4 follows */
        { PIC_MASTER_DATA_PORT, 0x08 },      /* ICW2: vectors 0x08-0x0f */
        { PIC_MASTER_DATA_PORT, 0x04 },      /* ICW3: a slave on IR2 */
        { PIC_MASTER_DATA_PORT, 0x01 },      /* ICW4: x86 mode */
        { PIC_SLAVE_COMMAND_PORT, 0x11 },
        { PIC_SLAVE_DATA_PORT, 0x70 },       /* vectors 0x70-0x77 */
        { PIC_SLAVE_DATA_PORT, 0x02 },       /* slave ID 2 */
        { PIC_SLAVE_DATA_PORT, 0x01 },
        { PIC_MASTER_DATA_PORT, 0xff },      /* OCW1: everything masked */
        { PIC_SLAVE_DATA_PORT, 0xff },
    };

    memset(pair, 0, sizeof *pair);
    pair->master.is_master = true;
    for (size_t i = 0; i < sizeof bios_setup / sizeof bios_setup[0]; i++)
        pic_pair_write(pair, bios_setup[i].port, bios_setup[i].value);
}

bool pic_pair_claims_port(uint16_t port)
{
    return port == PIC_MASTER_COMMAND_PORT || port == PIC_MASTER_DATA_PORT ||
           port == PIC_SLAVE_COMMAND_PORT || port == PIC_SLAVE_DATA_PORT;
}

uint8_t pic_pair_read(struct pic_pair *pair, uint16_t port)
{
    struct pic8259 *chip = chip_at_port(pair, port);
    uint8_t value;

    if (!chip)
        return FLOATING_BUS;
    value = chip_read(chip, port & 1);
    pair_update_cascade(pair);
    return value;
}

void pic_pair_write(struct pic_pair *pair, uint16_t port, uint8_t value)
{
    struct pic8259 *chip = chip_at_port(pair, port);

    if (!chip)
        return;
    chip_write(chip, port & 1, value);
    pair_update_cascade(pair);
}

void pic_pair_set_irq(struct pic_pair *pair, unsigned irq, bool level)
{
    if (irq >= PIC_IRQ_COUNT || irq == PIC_CASCADE_IRQ)
        return;
    chip_set_line(irq < PIC_LEVELS ? &pair->master : &pair->slave, irq % PIC_LEVELS, level);
    pair_update_cascade(pair);
}

void pic_pair_pulse_irq(struct pic_pair *pair, unsigned irq)
{
    pic_pair_set_irq(pair, irq, false);
    pic_pair_set_irq(pair, irq, true);
}

bool pic_pair_interrupt_pending(const struct pic_pair *pair)
{
    return chip_highest_request(&pair->master) != NO_LEVEL;
}

int pic_pair_acknowledge(struct pic_pair *pair)
{
    struct pic8259 *master = &pair->master;
    int level = chip_acknowledge(master);
    int vector;

    if (level == NO_LEVEL)
        vector = master->vector_base + PIC_SPURIOUS_LEVEL;
    else if (slave_inputs(master) & level_bit((unsigned)level))
        vector = slave_answer(pair, (unsigned)level);
    else
        vector = master->vector_base + level;
    pair_update_cascade(pair);
    return vector;
}
