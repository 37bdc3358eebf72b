/* Unit tests for hv/devices/rtc_cmos.c: BCD and binary, 12- and 24-hour, calendar
 * rollovers (leap years and centuries), day of week, the NMI mask, registers A-D,
 * and setting the clock with B.SET as Linux does. Follows the Motorola MC146818A
 * datasheet. Known instants: Unix time 1700000000 = 2023-11-14 22:13:20 UTC. */
#include "test.h"

#include "hv/devices/rtc_cmos.h"

static struct rtc_cmos rtc;

static uint8_t read_register(uint8_t index, uint64_t elapsed_seconds)
{
    rtc_write(&rtc, RTC_INDEX_PORT, index, elapsed_seconds);
    return rtc_read(&rtc, RTC_DATA_PORT, elapsed_seconds);
}

static void write_register(uint8_t index, uint8_t value, uint64_t elapsed_seconds)
{
    rtc_write(&rtc, RTC_INDEX_PORT, index, elapsed_seconds);
    rtc_write(&rtc, RTC_DATA_PORT, value, elapsed_seconds);
}

static void start_at(struct rtc_date start)
{
    rtc_init(&rtc, &start);
}

/* Reads the clock in binary 24-hour mode, so that a date compares field by field. */
static struct rtc_date read_date(uint64_t elapsed_seconds)
{
    struct rtc_date date;

    write_register(RTC_REGISTER_B, RTC_B_DM_BINARY | RTC_B_24_HOUR, elapsed_seconds);
    date.second = read_register(RTC_SECONDS, elapsed_seconds);
    date.minute = read_register(RTC_MINUTES, elapsed_seconds);
    date.hour = read_register(RTC_HOURS, elapsed_seconds);
    date.day = read_register(RTC_DAY_OF_MONTH, elapsed_seconds);
    date.month = read_register(RTC_MONTH, elapsed_seconds);
    date.year = (uint16_t)(read_register(RTC_CENTURY, elapsed_seconds) * 100 +
                           read_register(RTC_YEAR, elapsed_seconds));
    return date;
}

static void expect_date(struct rtc_date actual, struct rtc_date expected)
{
    EXPECT_EQ(actual.year, expected.year);
    EXPECT_EQ(actual.month, expected.month);
    EXPECT_EQ(actual.day, expected.day);
    EXPECT_EQ(actual.hour, expected.hour);
    EXPECT_EQ(actual.minute, expected.minute);
    EXPECT_EQ(actual.second, expected.second);
}

/* Saturday 9 March 2024, 13:45:07. */
static const struct rtc_date SATURDAY = { 2024, 3, 9, 13, 45, 7 };

/* ---- Ports and registers ---- */

TEST(claims_ports_0x70_and_0x71_only)
{
    static const struct {
        uint16_t port;
        bool claimed;
    } rows[] = {
        { 0x6f, false }, { 0x70, true }, { 0x71, true }, { 0x72, false }, { 0x170, false },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("port 0x%03x %s", rows[i].port, rows[i].claimed ? "claimed" : "not claimed");
        EXPECT_EQ(rtc_claims_port(rows[i].port), rows[i].claimed);
    }
}

TEST(registers_a_to_d_at_reset)
{
    start_at(SATURDAY);
    EXPECT_EQ(read_register(RTC_REGISTER_A, 0), 0x26);
    EXPECT_EQ(read_register(RTC_REGISTER_B, 0), 0x02);
    EXPECT_EQ(read_register(RTC_REGISTER_C, 0), 0x00);
    EXPECT_EQ(read_register(RTC_REGISTER_D, 0), 0x80);
    EXPECT_FALSE(rtc_nmi_disabled(&rtc));
}

TEST(register_a_uip_never_set_and_not_writable)
{
    start_at(SATURDAY);
    test_row("UIP reads 0 at every second; writing it changes nothing");
    for (uint64_t elapsed = 0; elapsed < 3; elapsed++)
        EXPECT_EQ(read_register(RTC_REGISTER_A, elapsed) & RTC_A_UIP, 0);
    write_register(RTC_REGISTER_A, 0xa6, 5);
    EXPECT_EQ(read_register(RTC_REGISTER_A, 5), 0x26);
    test_row("divider bits kept (Linux writes 0x70 while setting the clock)");
    write_register(RTC_REGISTER_A, 0x76, 5);
    EXPECT_EQ(read_register(RTC_REGISTER_A, 5), 0x76);
}

TEST(registers_c_and_d_are_read_only)
{
    start_at(SATURDAY);
    write_register(RTC_REGISTER_B, 0x72, 0); /* PIE, AIE, UIE enabled: still no flags */
    EXPECT_EQ(read_register(RTC_REGISTER_C, 100), 0x00);
    EXPECT_EQ(read_register(RTC_REGISTER_C, 100), 0x00);
    write_register(RTC_REGISTER_C, 0xf0, 100);
    write_register(RTC_REGISTER_D, 0x00, 100);
    EXPECT_EQ(read_register(RTC_REGISTER_C, 100), 0x00);
    EXPECT_EQ(read_register(RTC_REGISTER_D, 100), RTC_D_VRT);
}

TEST(index_port_keeps_the_nmi_mask)
{
    start_at(SATURDAY);
    test_row("bit 7 set: NMIs disabled, index is the low 7 bits");
    rtc_write(&rtc, RTC_INDEX_PORT, RTC_INDEX_NMI_DISABLE | RTC_REGISTER_D, 0);
    EXPECT_TRUE(rtc_nmi_disabled(&rtc));
    EXPECT_EQ(rtc.index, RTC_REGISTER_D);
    EXPECT_EQ(rtc_read(&rtc, RTC_DATA_PORT, 0), RTC_D_VRT);
    test_row("data port accesses leave the mask alone");
    rtc_write(&rtc, RTC_DATA_PORT, 0x00, 0);
    EXPECT_TRUE(rtc_nmi_disabled(&rtc));
    test_row("bit 7 clear: NMIs enabled again");
    rtc_write(&rtc, RTC_INDEX_PORT, RTC_REGISTER_B, 0);
    EXPECT_FALSE(rtc_nmi_disabled(&rtc));
    EXPECT_EQ(rtc_read(&rtc, RTC_DATA_PORT, 0), 0x02);
    test_row("port 0x70 is write-only: reads 0xff");
    EXPECT_EQ(rtc_read(&rtc, RTC_INDEX_PORT, 0), 0xff);
    test_row("a port that is not ours reads 0xff and ignores writes");
    EXPECT_EQ(rtc_read(&rtc, 0x72, 0), 0xff);
    rtc_write(&rtc, 0x72, 0x8a, 0);
    EXPECT_EQ(rtc.index, RTC_REGISTER_B);
    EXPECT_FALSE(rtc_nmi_disabled(&rtc));
}

TEST(cmos_ram_and_alarms_keep_what_is_written)
{
    unsigned mismatches = 0;

    start_at(SATURDAY);
    test_row("RAM 0x0e-0x7f except 0x32 reads 0 after rtc_init");
    for (unsigned index = RTC_FIRST_RAM_INDEX; index < RTC_INDEX_COUNT; index++)
        if (index != RTC_CENTURY)
            mismatches += read_register((uint8_t)index, 0) != 0;
    EXPECT_EQ(mismatches, 0);

    test_row("RAM 0x0e-0x7f except 0x32 reads back");
    for (unsigned index = RTC_FIRST_RAM_INDEX; index < RTC_INDEX_COUNT; index++)
        if (index != RTC_CENTURY)
            write_register((uint8_t)index, (uint8_t)(index ^ 0xa5), 0);
    for (unsigned index = RTC_FIRST_RAM_INDEX; index < RTC_INDEX_COUNT; index++)
        if (index != RTC_CENTURY)
            mismatches += read_register((uint8_t)index, 7) != (uint8_t)(index ^ 0xa5);
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(read_register(RTC_CENTURY, 7), 0x20);
    expect_date(read_date(0), SATURDAY);

    test_row("alarm registers read back and leave the clock alone");
    write_register(RTC_SECONDS_ALARM, 0x30, 0);
    write_register(RTC_MINUTES_ALARM, 0xc0, 0);
    write_register(RTC_HOURS_ALARM, 0x23, 0);
    EXPECT_EQ(read_register(RTC_SECONDS_ALARM, 0), 0x30);
    EXPECT_EQ(read_register(RTC_MINUTES_ALARM, 0), 0xc0);
    EXPECT_EQ(read_register(RTC_HOURS_ALARM, 0), 0x23);
    expect_date(read_date(0), SATURDAY);
}

/* ---- Encodings ---- */

TEST(time_registers_in_bcd_and_binary)
{
    static const struct {
        uint8_t index;
        uint8_t bcd;
        uint8_t binary;
    } rows[] = {
        { RTC_SECONDS, 0x07, 7 }, { RTC_MINUTES, 0x45, 45 }, { RTC_HOURS, 0x13, 13 },
        { RTC_DAY_OF_WEEK, 0x07, 7 }, { RTC_DAY_OF_MONTH, 0x09, 9 }, { RTC_MONTH, 0x03, 3 },
        { RTC_YEAR, 0x24, 24 }, { RTC_CENTURY, 0x20, 20 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("register 0x%02x: BCD 0x%02x, binary %u", rows[i].index, rows[i].bcd,
                 rows[i].binary);
        start_at(SATURDAY);
        EXPECT_EQ(read_register(rows[i].index, 0), rows[i].bcd);
        write_register(RTC_REGISTER_B, RTC_B_DM_BINARY | RTC_B_24_HOUR, 0);
        EXPECT_EQ(read_register(rows[i].index, 0), rows[i].binary);
    }
}

TEST(hours_in_12_and_24_hour_modes)
{
    static const struct {
        uint8_t hour;
        uint8_t bcd_12;
        uint8_t binary_12;
        uint8_t bcd_24;
    } rows[] = {
        { 0, 0x12, 0x0c, 0x00 },  { 1, 0x01, 0x01, 0x01 },  { 9, 0x09, 0x09, 0x09 },
        { 10, 0x10, 0x0a, 0x10 }, { 11, 0x11, 0x0b, 0x11 }, { 12, 0x92, 0x8c, 0x12 },
        { 13, 0x81, 0x81, 0x13 }, { 19, 0x87, 0x87, 0x19 }, { 21, 0x89, 0x89, 0x21 },
        { 22, 0x90, 0x8a, 0x22 }, { 23, 0x91, 0x8b, 0x23 },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct rtc_date start = { 2024, 6, 1, rows[i].hour, 0, 0 };

        test_row("%02u:00: 12-hour BCD 0x%02x, binary 0x%02x; 24-hour BCD 0x%02x",
                 rows[i].hour, rows[i].bcd_12, rows[i].binary_12, rows[i].bcd_24);
        start_at(start);
        EXPECT_EQ(read_register(RTC_HOURS, 0), rows[i].bcd_24);
        write_register(RTC_REGISTER_B, 0, 0);
        EXPECT_EQ(read_register(RTC_HOURS, 0), rows[i].bcd_12);
        write_register(RTC_REGISTER_B, RTC_B_DM_BINARY, 0);
        EXPECT_EQ(read_register(RTC_HOURS, 0), rows[i].binary_12);
    }
}

/* ---- The calendar ---- */

TEST(date_rollovers)
{
    static const struct {
        const char *what;
        struct rtc_date start;
        uint64_t elapsed_seconds;
        struct rtc_date expected;
    } rows[] = {
        { "end of a minute", { 2024, 3, 9, 13, 45, 59 }, 1, { 2024, 3, 9, 13, 46, 0 } },
        { "end of an hour", { 2024, 3, 9, 13, 59, 59 }, 1, { 2024, 3, 9, 14, 0, 0 } },
        { "end of a day", { 2024, 3, 9, 23, 59, 59 }, 1, { 2024, 3, 10, 0, 0, 0 } },
        { "end of a 30-day month", { 2024, 4, 30, 23, 59, 59 }, 1, { 2024, 5, 1, 0, 0, 0 } },
        { "end of a 31-day month", { 2024, 1, 31, 23, 59, 59 }, 1, { 2024, 2, 1, 0, 0, 0 } },
        { "end of a year", { 2023, 12, 31, 23, 59, 59 }, 1, { 2024, 1, 1, 0, 0, 0 } },
        { "Feb 28 in a leap year", { 2024, 2, 28, 23, 59, 59 }, 1, { 2024, 2, 29, 0, 0, 0 } },
        { "Feb 29", { 2024, 2, 29, 23, 59, 59 }, 1, { 2024, 3, 1, 0, 0, 0 } },
        { "Feb 28 in a common year", { 2023, 2, 28, 23, 59, 59 }, 1, { 2023, 3, 1, 0, 0, 0 } },
        { "2000 is a leap year (400)", { 2000, 2, 28, 23, 59, 59 }, 1, { 2000, 2, 29, 0, 0, 0 } },
        { "2100 is not (100)", { 2100, 2, 28, 23, 59, 59 }, 1, { 2100, 3, 1, 0, 0, 0 } },
        { "1900 is not (100)", { 1900, 2, 28, 12, 0, 0 }, 86400, { 1900, 3, 1, 12, 0, 0 } },
        { "end of a century", { 1999, 12, 31, 23, 59, 59 }, 1, { 2000, 1, 1, 0, 0, 0 } },
        { "end of 2099", { 2099, 12, 31, 23, 59, 59 }, 1, { 2100, 1, 1, 0, 0, 0 } },
        { "a leap year in days", { 2024, 1, 1, 0, 0, 0 }, 366 * 86400ull, { 2025, 1, 1, 0, 0, 0 } },
        { "five years 2020-2024", { 2020, 1, 1, 0, 0, 0 }, 1827 * 86400ull + 3661,
          { 2025, 1, 1, 1, 1, 1 } },
        { "Unix time 1700000000", { 1970, 1, 1, 0, 0, 0 }, 1700000000ull,
          { 2023, 11, 14, 22, 13, 20 } },
        { "Unix time 2^31", { 1970, 1, 1, 0, 0, 0 }, 2147483648ull, { 2038, 1, 19, 3, 14, 8 } },
        { "Unix time 4102444800", { 1970, 1, 1, 0, 0, 0 }, 4102444800ull,
          { 2100, 1, 1, 0, 0, 0 } },
        { "400 years", { 2000, 1, 1, 0, 0, 0 }, 146097 * 86400ull, { 2400, 1, 1, 0, 0, 0 } },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("%s: +%llu s", rows[i].what, (unsigned long long)rows[i].elapsed_seconds);
        start_at(rows[i].start);
        expect_date(read_date(0), rows[i].start);
        expect_date(read_date(rows[i].elapsed_seconds), rows[i].expected);
    }
}

TEST(century_rollover_in_bcd)
{
    start_at((struct rtc_date){ 2099, 12, 31, 23, 59, 59 });
    EXPECT_EQ(read_register(RTC_YEAR, 0), 0x99);
    EXPECT_EQ(read_register(RTC_CENTURY, 0), 0x20);
    EXPECT_EQ(read_register(RTC_YEAR, 1), 0x00);
    EXPECT_EQ(read_register(RTC_CENTURY, 1), 0x21);
    EXPECT_EQ(read_register(RTC_MONTH, 1), 0x01);
    EXPECT_EQ(read_register(RTC_DAY_OF_MONTH, 1), 0x01);
}

TEST(day_of_week_sunday_is_1)
{
    static const struct {
        struct rtc_date date;
        uint8_t day_of_week;
        const char *name;
    } rows[] = {
        { { 2024, 3, 10, 0, 0, 0 }, 1, "Sunday" },
        { { 1900, 1, 1, 0, 0, 0 }, 2, "Monday" },
        { { 2023, 11, 14, 0, 0, 0 }, 3, "Tuesday" },
        { { 2038, 1, 19, 0, 0, 0 }, 3, "Tuesday" },
        { { 1970, 1, 1, 0, 0, 0 }, 5, "Thursday" },
        { { 2024, 2, 29, 0, 0, 0 }, 5, "Thursday" },
        { { 2100, 1, 1, 0, 0, 0 }, 6, "Friday" },
        { { 2000, 1, 1, 0, 0, 0 }, 7, "Saturday" },
        { { 2024, 3, 9, 0, 0, 0 }, 7, "Saturday" },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("%04u-%02u-%02u is a %s (%u)", rows[i].date.year, rows[i].date.month,
                 rows[i].date.day, rows[i].name, rows[i].day_of_week);
        start_at(rows[i].date);
        EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 0), rows[i].day_of_week);
    }

    test_row("Saturday 23:59:59 + 1 s is Sunday (7 -> 1)");
    start_at((struct rtc_date){ 2024, 3, 9, 23, 59, 59 });
    EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 0), 7);
    EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 1), 1);
}

/* ---- Setting the clock ---- */

/* mc146818_set_time in Linux: SET and the divider reset, the fields in the
 * current mode, then register B and A restored. */
TEST(set_then_clear_moves_the_clock)
{
    uint8_t saved_control, saved_frequency;

    start_at(SATURDAY);
    write_register(RTC_REGISTER_B, RTC_B_24_HOUR | RTC_B_UIE, 10);
    saved_control = read_register(RTC_REGISTER_B, 10);
    write_register(RTC_REGISTER_B, saved_control | RTC_B_SET, 10);
    test_row("SET going high clears UIE");
    EXPECT_EQ(read_register(RTC_REGISTER_B, 10), RTC_B_SET | RTC_B_24_HOUR);
    saved_frequency = read_register(RTC_REGISTER_A, 10);
    write_register(RTC_REGISTER_A, saved_frequency | 0x70, 10);

    test_row("while SET, the time registers hold still");
    EXPECT_EQ(read_register(RTC_SECONDS, 500), 0x17); /* 13:45:07 + 10 s */
    EXPECT_EQ(read_register(RTC_MINUTES, 500), 0x45);

    test_row("while SET, the registers read what was written");
    write_register(RTC_YEAR, 0x31, 20);
    write_register(RTC_MONTH, 0x12, 20);
    write_register(RTC_DAY_OF_MONTH, 0x31, 20);
    write_register(RTC_HOURS, 0x23, 20);
    write_register(RTC_MINUTES, 0x59, 20);
    write_register(RTC_SECONDS, 0x50, 20);
    write_register(RTC_CENTURY, 0x20, 20);
    write_register(RTC_DAY_OF_WEEK, 0x01, 20);
    EXPECT_EQ(read_register(RTC_SECONDS, 25), 0x50);
    EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 25), 0x01);

    test_row("SET cleared at 30 s: the clock runs from the written date");
    write_register(RTC_REGISTER_B, saved_control & (uint8_t)~RTC_B_UIE, 30);
    write_register(RTC_REGISTER_A, saved_frequency, 30);
    EXPECT_EQ(read_register(RTC_SECONDS, 30), 0x50);
    EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 30), 0x04); /* 2031-12-31 is a Wednesday */
    expect_date(read_date(39), (struct rtc_date){ 2031, 12, 31, 23, 59, 59 });
    expect_date(read_date(40), (struct rtc_date){ 2032, 1, 1, 0, 0, 0 });
    expect_date(read_date(30 + 86400), (struct rtc_date){ 2032, 1, 1, 23, 59, 50 });
}

TEST(set_in_binary_12_hour_mode)
{
    start_at(SATURDAY);
    test_row("12 PM written in binary 12-hour mode is noon");
    write_register(RTC_REGISTER_B, RTC_B_SET | RTC_B_DM_BINARY, 0);
    write_register(RTC_HOURS, RTC_HOUR_PM | 12, 0); /* 12 PM: noon */
    write_register(RTC_MINUTES, 30, 0);
    write_register(RTC_REGISTER_B, RTC_B_DM_BINARY, 0);
    EXPECT_EQ(read_register(RTC_HOURS, 0), RTC_HOUR_PM | 12);
    expect_date(read_date(0), (struct rtc_date){ 2024, 3, 9, 12, 30, 7 });

    test_row("12 AM is midnight");
    write_register(RTC_REGISTER_B, RTC_B_SET, 0);
    write_register(RTC_HOURS, 0x12, 0);
    write_register(RTC_REGISTER_B, 0, 0);
    expect_date(read_date(0), (struct rtc_date){ 2024, 3, 9, 0, 30, 7 });
}

TEST(a_time_register_written_without_set_moves_the_clock_at_once)
{
    start_at(SATURDAY);
    test_row("minutes written at 100 s: the clock runs on from 13:10:47");
    write_register(RTC_MINUTES, 0x10, 100); /* 13:46:47 becomes 13:10:47 */
    expect_date(read_date(100), (struct rtc_date){ 2024, 3, 9, 13, 10, 47 });
    expect_date(read_date(113), (struct rtc_date){ 2024, 3, 9, 13, 11, 0 });
    test_row("the day-of-week register cannot move the date");
    write_register(RTC_REGISTER_B, RTC_B_24_HOUR, 113);
    write_register(RTC_DAY_OF_WEEK, 0x02, 113);
    EXPECT_EQ(read_register(RTC_DAY_OF_WEEK, 113), 0x07);
    expect_date(read_date(113), (struct rtc_date){ 2024, 3, 9, 13, 11, 0 });
}

TEST(impossible_dates_are_normalised)
{
    static const struct {
        const char *what;
        uint8_t index;
        uint8_t value;
        struct rtc_date expected;
    } rows[] = {
        { "Feb 30 in a leap year is March 1st", RTC_DAY_OF_MONTH, 0x30, { 2024, 3, 1, 13, 45, 7 } },
        { "month 0x13 is December", RTC_MONTH, 0x13, { 2024, 12, 29, 13, 45, 7 } },
        { "month 0 is January", RTC_MONTH, 0x00, { 2024, 1, 29, 13, 45, 7 } },
        { "day 0 is the 1st", RTC_DAY_OF_MONTH, 0x00, { 2024, 2, 1, 13, 45, 7 } },
        { "second 0x99 is 59", RTC_SECONDS, 0x99, { 2024, 2, 29, 13, 45, 59 } },
        { "minute 0xff (not BCD: 165) is 59", RTC_MINUTES, 0xff, { 2024, 2, 29, 13, 59, 7 } },
        { "hour 0x24 is 23", RTC_HOURS, 0x24, { 2024, 2, 29, 23, 45, 7 } },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("%s", rows[i].what);
        start_at((struct rtc_date){ 2024, 2, 29, 13, 45, 7 });
        write_register(RTC_REGISTER_B, RTC_B_SET | RTC_B_24_HOUR, 0);
        write_register(rows[i].index, rows[i].value, 0);
        write_register(RTC_REGISTER_B, RTC_B_24_HOUR, 0);
        expect_date(read_date(0), rows[i].expected);
    }

    test_row("an impossible start date: 2023-02-29 is March 1st");
    start_at((struct rtc_date){ 2023, 2, 29, 25, 61, 61 });
    expect_date(read_date(0), (struct rtc_date){ 2023, 3, 1, 23, 59, 59 });
}

TEST(held_bytes_follow_the_data_mode_of_the_b_writes)
{
    test_row("SET together with binary mode: held and written in binary");
    start_at(SATURDAY);
    write_register(RTC_REGISTER_B, RTC_B_SET | RTC_B_DM_BINARY | RTC_B_24_HOUR, 0);
    EXPECT_EQ(read_register(RTC_HOURS, 0), 13);
    EXPECT_EQ(read_register(RTC_YEAR, 0), 24);
    write_register(RTC_MINUTES, 16, 0);
    write_register(RTC_REGISTER_B, RTC_B_DM_BINARY | RTC_B_24_HOUR, 0);
    expect_date(read_date(0), (struct rtc_date){ 2024, 3, 9, 13, 16, 7 });

    test_row("held in BCD, SET cleared with binary mode: every byte read as binary");
    start_at(SATURDAY);
    write_register(RTC_REGISTER_B, RTC_B_SET | RTC_B_24_HOUR, 0);
    write_register(RTC_MINUTES, 0x10, 0);
    write_register(RTC_REGISTER_B, RTC_B_DM_BINARY | RTC_B_24_HOUR, 0);
    /* 0x07 s, 0x10 min, 0x13 h, day 0x09, month 0x03, year 0x20 0x24 */
    expect_date(read_date(0), (struct rtc_date){ 3236, 3, 9, 19, 16, 7 });
}

TEST(elapsed_time_never_runs_backwards)
{
    start_at(SATURDAY);
    write_register(RTC_SECONDS, 0x00, 50);
    expect_date(read_date(10), (struct rtc_date){ 2024, 3, 9, 13, 45, 0 });
    expect_date(read_date(51), (struct rtc_date){ 2024, 3, 9, 13, 45, 1 });
}
