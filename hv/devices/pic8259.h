/* The PC's two cascaded Intel 8259A interrupt controllers: the master at ports
 * 0x20/0x21 takes ISA IRQ 0-7, the slave at 0xA0/0xA1 takes IRQ 8-15 and drives
 * the master's IR2. Follows the Intel 8259A datasheet (sections "Interrupt
 * Sequence", "Programming the 8259A", "Operation Command Words", "Cascade Mode"). */
#ifndef HV_DEVICES_PIC8259_H
#define HV_DEVICES_PIC8259_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_COMMAND_PORT 0x20
#define PIC_MASTER_DATA_PORT    0x21
#define PIC_SLAVE_COMMAND_PORT  0xA0
#define PIC_SLAVE_DATA_PORT     0xA1

#define PIC_IRQ_COUNT           16
#define PIC_CASCADE_IRQ         2      /* the master input wired to the slave's INT */
#define PIC_SPURIOUS_LEVEL      7      /* the level a chip answers when its request vanished */

/* What the next data-port write is: OCW1 (the mask) once initialised, else the
 * next initialisation command word. */
enum pic_init_step {
    PIC_INIT_DONE,
    PIC_INIT_EXPECT_ICW2,
    PIC_INIT_EXPECT_ICW3,
    PIC_INIT_EXPECT_ICW4,
};

/* One 8259A. Bit n of each 8-bit register stands for input IRn. */
struct pic8259 {
    uint8_t irr;                 /* interrupt request register */
    uint8_t isr;                 /* in-service register */
    uint8_t imr;                 /* interrupt mask register (OCW1) */
    uint8_t line_levels;         /* last level seen on each IR input: edge detection */
    uint8_t vector_base;         /* ICW2 bits 7-3; the level fills bits 2-0 */
    uint8_t cascade;             /* ICW3: master: bit n = a slave on IRn; slave: its ID */
    uint8_t lowest_priority;     /* the level with the lowest priority: 7 unless rotated */
    enum pic_init_step init_step;
    bool is_master;              /* the SP/EN pin: tied high on the master, low on the slave */
    bool icw4_needed;            /* ICW1 IC4 */
    bool single;                 /* ICW1 SNGL: no cascade, no ICW3 */
    bool level_triggered;        /* ICW1 LTIM */
    bool x86_mode;               /* ICW4 uPM: stored; the acknowledge always answers x86 vectors */
    bool auto_eoi;               /* ICW4 AEOI */
    bool special_fully_nested;   /* ICW4 SFNM */
    bool rotate_on_auto_eoi;     /* OCW2 0x80 sets, 0x00 clears */
    bool special_mask_mode;      /* OCW3 ESMM/SMM */
    bool read_isr;               /* OCW3 RR/RIS: the command port reads ISR, else IRR */
    bool poll_pending;           /* OCW3 P: the next read is a poll */
};

struct pic_pair {
    struct pic8259 master;
    struct pic8259 slave;
};

/* The state at power-on. A real 8259A's registers are undefined until its ICW1;
 * the model starts as a PC BIOS leaves the pair (vectors 0x08 and 0x70, x86 mode,
 * the slave on IR2, edge triggered) but with every line masked (IMR 0xff on both
 * chips), so that nothing reaches the CPU before the guest programs the chips. */
void pic_pair_init(struct pic_pair *pair);

/* 0x20, 0x21, 0xA0, 0xA1. (PC chipsets also alias the chips through 0x3f and
 * 0xbf; nothing uses the aliases, so the model does not claim them.) */
bool pic_pair_claims_port(uint16_t port);

/* A read: IRR or ISR from a command port (as OCW3 selected; IRR after ICW1), the
 * IMR from a data port, or the poll byte after an OCW3 poll command. A port the
 * pair does not claim reads 0xff. A read can change state (a poll acknowledges). */
uint8_t pic_pair_read(struct pic_pair *pair, uint16_t port);

/* A write: ICW1/OCW2/OCW3 on a command port, ICW2-4 or OCW1 on a data port. */
void pic_pair_write(struct pic_pair *pair, uint16_t port, uint8_t value);

/* The level of ISA interrupt line irq (0-15); other numbers are ignored, and so
 * is 2: on the PC that master input belongs to the slave's INT output.
 * In edge-triggered mode (the PC's) a rising edge sets the IRR bit, and the
 * request lasts only while the line stays high: the datasheet requires the line
 * to stay high until the acknowledge, and a request lowered before it is
 * answered with the spurious IR7 vector. A line held high does not request again
 * until it has gone low and high. In level-triggered mode the IRR bit follows
 * the line. */
void pic_pair_set_irq(struct pic_pair *pair, unsigned irq, bool level);

/* A rising edge that stays up: the line is driven low, then high, and left high.
 * This is the PIT's OUT in mode 2 (low for one clock each period), and the way for
 * a device model to signal "one interrupt" so that the request survives until the
 * CPU acknowledges it. */
void pic_pair_pulse_irq(struct pic_pair *pair, unsigned irq);

/* Whether the master's INT output to the CPU is asserted: an unmasked IRR bit
 * whose priority is above every in-service level that counts (with special mask
 * mode, a masked in-service level does not count). The slave's requests arrive
 * through the master's IR2. */
bool pic_pair_interrupt_pending(const struct pic_pair *pair);

/* The CPU's interrupt acknowledge (the two INTA cycles): returns the vector and
 * moves the winning request from IRR to ISR (not kept there in auto-EOI mode).
 * With nothing to answer -- the request went away after INT rose, or there was
 * none -- the master answers its IR7 vector (base + 7) and sets no ISR bit.
 * When the master's winner is a cascaded input, the master puts it in service
 * and the slave whose ID matches supplies the vector: its own highest request,
 * or its IR7 vector (without setting its ISR) when it has none. If no slave has
 * that ID, nothing drives the bus and the CPU reads 0xff.
 * A slave request that goes away before the acknowledge takes the slave's INT,
 * and so the master's IR2, down with it: the master then answers its own IR7, as
 * for a request of its own. The slave's IR7 answer needs the master to have
 * chosen a cascaded input that the slave has nothing for, which the PC shows
 * only in a race inside the INTA cycle that an atomic acknowledge cannot have. */
int pic_pair_acknowledge(struct pic_pair *pair);

#endif
