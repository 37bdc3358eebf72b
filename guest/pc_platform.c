/* The 8259A pair and the 8254 as the test guest programs them (see pc_platform.h).
 * Each function is one datasheet sequence of port accesses, nothing more.
 * See: Intel 8259A datasheet, Intel 82C54 datasheet. */
#include "guest/pc_platform.h"

/* ICW1: bit 4 says "this is ICW1", bit 0 "ICW4 follows"; bits 3 (LTIM) and 1
 * (SNGL) clear: edge-triggered requests, cascaded chips. */
#define PIC_ICW1_WITH_ICW4        0x11
/* ICW3: the master has a slave on IR2; the slave's identity is 2. */
#define PIC_ICW3_MASTER_SLAVE_IR2 (1u << IRQ_CASCADE)
#define PIC_ICW3_SLAVE_IDENTITY   IRQ_CASCADE
/* ICW4: 8086/8088 mode; normal EOI (not automatic), not buffered. */
#define PIC_ICW4_8086_MODE        0x01

/* Counter latch command: the channel's control-word slot with RW1-RW0 = 00. */
#define PIT_LATCH_COUNT(channel)  ((uint8_t)((channel) << 6))
/* Read-back command: bits 7-6 = 11; bit 5 set = do not latch the count, bit 4
 * clear = latch the status; bits 3-1 select channels 2, 1, 0. */
#define PIT_READ_BACK_STATUS(channel) ((uint8_t)(0xc0 | 0x20 | (2u << (channel))))

static void initialise_chip(uint16_t command_port, uint16_t data_port, uint8_t vector_base,
                            uint8_t cascade)
{
    outb(command_port, PIC_ICW1_WITH_ICW4);
    outb(data_port, vector_base);       /* ICW2 */
    outb(data_port, cascade);           /* ICW3 */
    outb(data_port, PIC_ICW4_8086_MODE);
}

void pic_init(void)
{
    initialise_chip(PIC_MASTER_COMMAND_PORT, PIC_MASTER_DATA_PORT, PIC_MASTER_VECTOR_BASE,
                    PIC_ICW3_MASTER_SLAVE_IR2);
    initialise_chip(PIC_SLAVE_COMMAND_PORT, PIC_SLAVE_DATA_PORT, PIC_SLAVE_VECTOR_BASE,
                    PIC_ICW3_SLAVE_IDENTITY);
    pic_set_mask(PIC_ALL_MASKED);
}

/* OCW1 is any write to the data port once initialisation is over. */
void pic_set_mask(uint16_t mask)
{
    outb(PIC_MASTER_DATA_PORT, (uint8_t)mask);
    outb(PIC_SLAVE_DATA_PORT, (uint8_t)(mask >> 8));
}

uint16_t pic_read_mask(void)
{
    return (uint16_t)(inb(PIC_MASTER_DATA_PORT) | inb(PIC_SLAVE_DATA_PORT) << 8);
}

static uint16_t read_both(uint8_t ocw3)
{
    outb(PIC_MASTER_COMMAND_PORT, ocw3);
    outb(PIC_SLAVE_COMMAND_PORT, ocw3);
    return (uint16_t)(inb(PIC_MASTER_COMMAND_PORT) | inb(PIC_SLAVE_COMMAND_PORT) << 8);
}

uint16_t pic_read_requests(void)
{
    return read_both(PIC_OCW3_READ_IRR);
}

uint16_t pic_read_in_service(void)
{
    return read_both(PIC_OCW3_READ_ISR);
}

void pic_end_of_interrupt(unsigned irq)
{
    if (irq >= 8)
        outb(PIC_SLAVE_COMMAND_PORT, PIC_OCW2_NON_SPECIFIC_EOI);
    outb(PIC_MASTER_COMMAND_PORT, PIC_OCW2_NON_SPECIFIC_EOI);
}

void pit_set_mode(unsigned channel, unsigned mode)
{
    outb(PIT_CONTROL_PORT, PIT_CONTROL_WORD(channel, mode));
}

void pit_write_count(unsigned channel, uint16_t count)
{
    outb((uint16_t)PIT_CHANNEL_PORT(channel), (uint8_t)count);
    outb((uint16_t)PIT_CHANNEL_PORT(channel), (uint8_t)(count >> 8));
}

void pit_start(unsigned channel, unsigned mode, uint16_t count)
{
    pit_set_mode(channel, mode);
    pit_write_count(channel, count);
}

uint16_t pit_read_count(unsigned channel)
{
    outb(PIT_CONTROL_PORT, PIT_LATCH_COUNT(channel));
    uint8_t low = inb((uint16_t)PIT_CHANNEL_PORT(channel));
    uint8_t high = inb((uint16_t)PIT_CHANNEL_PORT(channel));
    return (uint16_t)(low | high << 8);
}

uint8_t pit_read_status(unsigned channel)
{
    outb(PIT_CONTROL_PORT, PIT_READ_BACK_STATUS(channel));
    return inb((uint16_t)PIT_CHANNEL_PORT(channel));
}

bool pit_wait_for_status(unsigned channel, uint8_t mask, uint8_t value)
{
    for (uint64_t deadline = pc_wait_deadline(); !pc_wait_over(deadline);) {
        if ((pit_read_status(channel) & mask) == value)
            return true;
    }
    return false;
}
