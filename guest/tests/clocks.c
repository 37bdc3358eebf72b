/* Time on the guest's PC: the 8254's channels counting in real time (channel 2
 * gated and read through port 0x61) and the CMOS clock's status registers and date.
 * See: Intel 82C54 datasheet (modes 0 and 2, read-back command, status byte),
 * IBM PC AT Technical Reference (port 0x61), Motorola MC146818A datasheet (registers A-D). */
#include "guest/pc_platform.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

/* Port 0x61: bits 0-3 are written and read back, bits 4-7 are status. */
#define SYSTEM_CONTROL_PORT_B  0x61
#define PORT_B_TIMER2_GATE     0x01
#define PORT_B_SPEAKER_DATA    0x02
#define PORT_B_WRITABLE_BITS   0x0f
#define PORT_B_TIMER2_OUTPUT   0x20

#define RTC_INDEX_PORT         0x70
#define RTC_DATA_PORT          0x71
#define RTC_INDEX_NMI_DISABLE  0x80   /* bit 7 of the index also masks NMIs on the PC */
#define RTC_SECONDS            0x00
#define RTC_MINUTES            0x02
#define RTC_HOURS              0x04
#define RTC_DAY_OF_MONTH       0x07
#define RTC_MONTH              0x08
#define RTC_YEAR               0x09
#define RTC_REGISTER_A         0x0a
#define RTC_REGISTER_B         0x0b
#define RTC_REGISTER_D         0x0d
#define RTC_A_DIVIDER_BITS     0x70
#define RTC_A_DIVIDER_32768_HZ 0x20   /* DV2-DV0 = 010: the only setting in which time runs */
#define RTC_B_24_HOUR          0x02   /* with DM (bit 2) clear: BCD */
#define RTC_D_VALID_RAM_TIME   0x80

static uint8_t rtc_read(uint8_t index)
{
    outb(RTC_INDEX_PORT, index);
    return inb(RTC_DATA_PORT);
}

/* Channel 0 as a rate generator (mode 2), as its read-back status shows the control word. */
#define RATE_GENERATOR_STATUS \
    (PIT_CONTROL_WORD(0, PIT_MODE_RATE_GENERATOR) & PIT_STATUS_CONTROL_BITS)
_Static_assert(PIT_CONTROL_WORD(0, PIT_MODE_RATE_GENERATOR) == 0x34, "as the test says");
_Static_assert((PIT_STATUS_OUTPUT | PIT_STATUS_NULL_COUNT | RATE_GENERATOR_STATUS) == 0xf4 &&
                   (PIT_STATUS_OUTPUT | RATE_GENERATOR_STATUS) == 0xb4,
               "as the test says");
_Static_assert(PIT_COUNT_FOR_MS(10) == 11932, "as the test says");

/* Right after the control word the channel has no count (NULL COUNT 1) and OUT is at
 * the mode's initial level, high for mode 2; once the count is in the counting
 * element, NULL COUNT is 0. */
static void test_pit_status(void)
{
    test_begin("pit: channel 0 read-back status is 0xf4 after control word 0x34, "
               "0xb4 once the count is loaded");
    pit_set_mode(0, PIT_MODE_RATE_GENERATOR);
    uint8_t before_count = pit_read_status(0);
    pit_write_count(0, 0xffff);
    bool loaded = pit_wait_for_status(0, PIT_STATUS_NULL_COUNT, 0);
    uint8_t after_count = pit_read_status(0);
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);

    test_check_equal("status after the control word",
                     PIT_STATUS_OUTPUT | PIT_STATUS_NULL_COUNT | RATE_GENERATOR_STATUS,
                     before_count);
    test_check(loaded, "NULL COUNT still set when the wait was over");
    test_check_equal("status with the count loaded", PIT_STATUS_OUTPUT | RATE_GENERATOR_STATUS,
                     after_count);
    test_end();
}

/* A fresh count of 0xffff in mode 2 lasts 55 ms before it reloads; the second
 * latched value, taken as soon as the count has moved, must be below the first. */
static void test_pit_counts_down(void)
{
    test_begin("pit: channel 0 counts down in real time (mode 2, count 0xffff)");
    pit_start(0, PIT_MODE_RATE_GENERATOR, 0xffff);
    bool loaded = pit_wait_for_status(0, PIT_STATUS_NULL_COUNT, 0);
    uint16_t first = pit_read_count(0);
    uint16_t second = first;
    for (uint64_t deadline = pc_wait_deadline(); second == first && !pc_wait_over(deadline);)
        second = pit_read_count(0);
    pit_set_mode(0, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);

    test_check(loaded, "NULL COUNT still set when the wait was over");
    test_check(second != first, "the count stayed at 0x%x until the wait was over", first);
    test_check(second < first, "second count 0x%x is not below the first, 0x%x", second, first);
    test_end();
}

/* Mode 0 drives OUT low at the control word and high at terminal count, 10 ms after
 * the count is loaded while the gate (port 0x61 bit 0) is high. */
static void test_pit_channel2(void)
{
    test_begin("pit: channel 2, gated by port 0x61, reaches terminal count in mode 0 "
               "(count 11932, OUT2 in bit 5)");
    uint8_t port_b = inb(SYSTEM_CONTROL_PORT_B);
    uint8_t writable = port_b & PORT_B_WRITABLE_BITS & ~(PORT_B_TIMER2_GATE | PORT_B_SPEAKER_DATA);
    outb(SYSTEM_CONTROL_PORT_B, writable | PORT_B_TIMER2_GATE);
    uint8_t gate_bits = inb(SYSTEM_CONTROL_PORT_B) & (PORT_B_TIMER2_GATE | PORT_B_SPEAKER_DATA);
    pit_start(2, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT, (uint16_t)PIT_COUNT_FOR_MS(10));
    uint8_t right_after = inb(SYSTEM_CONTROL_PORT_B);
    bool reached = false;
    for (uint64_t deadline = pc_wait_deadline(); !reached && !pc_wait_over(deadline);)
        reached = (inb(SYSTEM_CONTROL_PORT_B) & PORT_B_TIMER2_OUTPUT) != 0;
    pit_set_mode(2, PIT_MODE_INTERRUPT_ON_TERMINAL_COUNT);
    outb(SYSTEM_CONTROL_PORT_B, port_b & PORT_B_WRITABLE_BITS);

    test_check_equal("port 0x61 gate and speaker bits as written", PORT_B_TIMER2_GATE, gate_bits);
    test_check_equal("OUT2 right after the count was written", 0,
                     right_after & PORT_B_TIMER2_OUTPUT);
    test_check(reached, "OUT2 still low when the wait was over");
    test_end();
}

static void test_rtc_registers(void)
{
    test_begin("rtc: register A's time base runs, B reads 0x02 (24-hour, BCD), D reads 0x80; "
               "also with NMIs disabled");
    uint8_t register_a = rtc_read(RTC_REGISTER_A);
    test_check_equal("register A bits 6-4 (DV2-DV0)", RTC_A_DIVIDER_32768_HZ,
                     register_a & RTC_A_DIVIDER_BITS);
    test_check_equal("register B", RTC_B_24_HOUR, rtc_read(RTC_REGISTER_B));
    test_check_equal("register D", RTC_D_VALID_RAM_TIME, rtc_read(RTC_REGISTER_D));
    /* Bit 7 of the index is the PC's NMI mask, not part of the register number. */
    test_check_equal("register B through index 0x8b", RTC_B_24_HOUR,
                     rtc_read(RTC_INDEX_NMI_DISABLE | RTC_REGISTER_B));
    rtc_read(RTC_REGISTER_D);   /* an index without bit 7: NMIs enabled again */
    test_end();
}

/* The clock's registers, each two BCD digits in its range (24-hour mode). One
 * register at a time is enough: each is valid on its own, even during an update. */
static const struct clock_field {
    uint8_t index;
    const char *name;
    unsigned minimum, maximum;
} clock_fields[] = {
    { RTC_YEAR, "year", 0, 99 },
    { RTC_MONTH, "month", 1, 12 },
    { RTC_DAY_OF_MONTH, "day of month", 1, 31 },
    { RTC_HOURS, "hours", 0, 23 },
    { RTC_MINUTES, "minutes", 0, 59 },
    { RTC_SECONDS, "seconds", 0, 59 },
};

#define CLOCK_FIELDS (sizeof clock_fields / sizeof clock_fields[0])

static void test_rtc_date(void)
{
    uint8_t values[CLOCK_FIELDS];

    test_begin("rtc: year, month, day, hours, minutes and seconds are BCD and in range");
    for (unsigned i = 0; i < CLOCK_FIELDS; i++) {
        const struct clock_field *field = &clock_fields[i];
        uint8_t value = rtc_read(field->index);
        unsigned tens = value >> 4, units = value & 0x0f;

        values[i] = value;
        test_check(tens <= 9 && units <= 9 && tens * 10 + units >= field->minimum &&
                       tens * 10 + units <= field->maximum,
                   "%s: 0x%02x is not BCD %u-%u", field->name, value, field->minimum,
                   field->maximum);
    }
    /* In the table's order: yy-mm-dd hh:mm:ss. */
    test_note("the clock read %02x-%02x-%02x %02x:%02x:%02x", values[0], values[1], values[2],
              values[3], values[4], values[5]);
    test_end();
}

void test_clocks(void)
{
    test_pit_status();
    test_pit_counts_down();
    test_pit_channel2();
    test_rtc_registers();
    test_rtc_date();
}
