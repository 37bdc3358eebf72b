/* The MC146818A register model behind rtc_cmos.h: a Gregorian calendar counted
 * in seconds since 0000-01-01, shown in BCD or binary, 24- or 12-hour, as register
 * B asks. Comments name the register of the Motorola MC146818A datasheet whose
 * description a rule comes from. */
#include "hv/devices/rtc_cmos.h"

#include <stddef.h>
#include <string.h>

#define SECONDS_PER_DAY        86400u
#define DAYS_PER_400_YEARS     146097u /* the Gregorian calendar repeats every 400 years */
#define DAYS_PER_WEEK          7u
/* What a read returns where nothing drives the bus: port 0x70 is write-only. */
#define FLOATING_BUS           0xff
#define NO_CLOCK_FIELD         (-1)

/* ---- The calendar ---- */

static bool leap_year(uint64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned days_in_month(uint64_t year, unsigned month)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return month == 2 && leap_year(year) ? 29 : days[month - 1];
}

/* Year 0 is a leap year (proleptic Gregorian calendar), hence the + 1. */
static uint64_t days_before_year(uint64_t year)
{
    uint64_t leap_years = year == 0 ? 0 : (year - 1) / 4 - (year - 1) / 100 + (year - 1) / 400 + 1;

    return 365 * year + leap_years;
}

/* Days since 0000-01-01; a day past the end of its month runs into the next. */
static uint64_t day_number(const struct rtc_date *date)
{
    uint64_t days = days_before_year(date->year);

    for (unsigned month = 1; month < date->month; month++)
        days += days_in_month(date->year, month);
    return days + date->day - 1;
}

static uint64_t seconds_since_year_0(const struct rtc_date *date)
{
    return day_number(date) * SECONDS_PER_DAY + date->hour * 3600u + date->minute * 60u +
           date->second;
}

static struct rtc_date date_from_seconds(uint64_t seconds)
{
    uint64_t days = seconds / SECONDS_PER_DAY;
    uint64_t second_of_day = seconds % SECONDS_PER_DAY;
    /* Whole 400-year cycles, then days / 366: a year is never longer, so this
     * stays at or below the true year and the loop below steps up at most twice. */
    uint64_t year = days / DAYS_PER_400_YEARS * 400 + days % DAYS_PER_400_YEARS / 366;
    unsigned month = 1;
    struct rtc_date date;

    while (days_before_year(year + 1) <= days)
        year++;
    days -= days_before_year(year);
    while (days >= days_in_month(year, month))
        days -= days_in_month(year, month++);
    date.year = (uint16_t)year;
    date.month = (uint8_t)month;
    date.day = (uint8_t)(days + 1);
    date.hour = (uint8_t)(second_of_day / 3600);
    date.minute = (uint8_t)(second_of_day / 60 % 60);
    date.second = (uint8_t)(second_of_day % 60);
    return date;
}

/* 0000-01-01 was a Saturday (day 7 with Sunday = 1), as was 2000-01-01:
 * 2000 years are exactly 5 cycles of 146097 = 7 * 20871 days. */
static uint8_t day_of_week(const struct rtc_date *date)
{
    return (uint8_t)((day_number(date) + 6) % DAYS_PER_WEEK + 1);
}

static uint8_t clamp(uint8_t value, uint8_t lowest, uint8_t highest)
{
    return value < lowest ? lowest : value > highest ? highest : value;
}

/* Any field values become a real date: see rtc_write in rtc_cmos.h. */
static struct rtc_date normalised(struct rtc_date date)
{
    date.second = clamp(date.second, 0, 59);
    date.minute = clamp(date.minute, 0, 59);
    date.hour = clamp(date.hour, 0, 23);
    date.day = clamp(date.day, 1, 31);
    date.month = clamp(date.month, 1, 12);
    return date_from_seconds(seconds_since_year_0(&date));
}

static struct rtc_date current_date(const struct rtc_cmos *rtc, uint64_t elapsed_seconds)
{
    uint64_t since_base = elapsed_seconds > rtc->base_elapsed_seconds
                              ? elapsed_seconds - rtc->base_elapsed_seconds
                              : 0;

    return date_from_seconds(seconds_since_year_0(&rtc->base_date) + since_base);
}

/* ---- Register encodings (register B: DM and 24/12) ---- */

static bool binary_mode(uint8_t register_b)
{
    return register_b & RTC_B_DM_BINARY;
}

static uint8_t encode_number(unsigned value, uint8_t register_b)
{
    value %= 100;
    return binary_mode(register_b) ? (uint8_t)value : (uint8_t)(value / 10 << 4 | value % 10);
}

/* A byte that is not valid BCD decodes digit by digit (0xff = 165) and is then
 * clamped with the rest of the date. */
static uint8_t decode_number(uint8_t byte, uint8_t register_b)
{
    return binary_mode(register_b) ? byte : (uint8_t)((byte >> 4) * 10 + (byte & 0x0f));
}

/* 12-hour mode counts 12, 1, ..., 11 with bit 7 set in the afternoon. */
static uint8_t encode_hour(unsigned hour, uint8_t register_b)
{
    unsigned hour_12 = hour % 12 == 0 ? 12 : hour % 12;

    if (register_b & RTC_B_24_HOUR)
        return encode_number(hour, register_b);
    return encode_number(hour_12, register_b) | (hour >= 12 ? RTC_HOUR_PM : 0);
}

static uint8_t decode_hour(uint8_t byte, uint8_t register_b)
{
    bool afternoon = byte & RTC_HOUR_PM;

    if (register_b & RTC_B_24_HOUR)
        return decode_number(byte, register_b);
    return (uint8_t)(decode_number(byte & (uint8_t)~RTC_HOUR_PM, register_b) % 12 +
                     (afternoon ? 12 : 0));
}

static void encode_clock(const struct rtc_date *date, uint8_t register_b,
                         uint8_t bytes[RTC_CLOCK_FIELDS])
{
    bytes[RTC_FIELD_SECOND] = encode_number(date->second, register_b);
    bytes[RTC_FIELD_MINUTE] = encode_number(date->minute, register_b);
    bytes[RTC_FIELD_HOUR] = encode_hour(date->hour, register_b);
    bytes[RTC_FIELD_DAY_OF_WEEK] = encode_number(day_of_week(date), register_b);
    bytes[RTC_FIELD_DAY] = encode_number(date->day, register_b);
    bytes[RTC_FIELD_MONTH] = encode_number(date->month, register_b);
    bytes[RTC_FIELD_YEAR] = encode_number(date->year % 100, register_b);
    bytes[RTC_FIELD_CENTURY] = encode_number(date->year / 100, register_b);
}

/* The day of week is not decoded: the date decides it. */
static struct rtc_date decode_clock(const uint8_t bytes[RTC_CLOCK_FIELDS], uint8_t register_b)
{
    struct rtc_date date;

    date.second = decode_number(bytes[RTC_FIELD_SECOND], register_b);
    date.minute = decode_number(bytes[RTC_FIELD_MINUTE], register_b);
    date.hour = decode_hour(bytes[RTC_FIELD_HOUR], register_b);
    date.day = decode_number(bytes[RTC_FIELD_DAY], register_b);
    date.month = decode_number(bytes[RTC_FIELD_MONTH], register_b);
    date.year = (uint16_t)(decode_number(bytes[RTC_FIELD_CENTURY], register_b) * 100 +
                           decode_number(bytes[RTC_FIELD_YEAR], register_b));
    return normalised(date);
}

static int clock_field(uint8_t index)
{
    switch (index) {
    case RTC_SECONDS:      return RTC_FIELD_SECOND;
    case RTC_MINUTES:      return RTC_FIELD_MINUTE;
    case RTC_HOURS:        return RTC_FIELD_HOUR;
    case RTC_DAY_OF_WEEK:  return RTC_FIELD_DAY_OF_WEEK;
    case RTC_DAY_OF_MONTH: return RTC_FIELD_DAY;
    case RTC_MONTH:        return RTC_FIELD_MONTH;
    case RTC_YEAR:         return RTC_FIELD_YEAR;
    case RTC_CENTURY:      return RTC_FIELD_CENTURY;
    default:               return NO_CLOCK_FIELD;
    }
}

/* ---- Setting the clock ---- */

static bool updates_stopped(const struct rtc_cmos *rtc)
{
    return rtc->register_b & RTC_B_SET;
}

/* The time registers stop where the clock is now, in the current encoding. */
static void hold_clock(struct rtc_cmos *rtc, uint64_t elapsed_seconds)
{
    struct rtc_date now = current_date(rtc, elapsed_seconds);

    encode_clock(&now, rtc->register_b, rtc->held_time);
}

/* The clock runs on from the held bytes, from this second. */
static void restart_clock(struct rtc_cmos *rtc, uint64_t elapsed_seconds)
{
    rtc->base_date = decode_clock(rtc->held_time, rtc->register_b);
    rtc->base_elapsed_seconds = elapsed_seconds;
}

/* Without SET, a write lands in a running clock: hold, change, restart. */
static void write_clock_field(struct rtc_cmos *rtc, int field, uint8_t value,
                              uint64_t elapsed_seconds)
{
    bool running = !updates_stopped(rtc);

    if (running)
        hold_clock(rtc, elapsed_seconds);
    rtc->held_time[field] = value;
    if (running)
        restart_clock(rtc, elapsed_seconds);
}

static uint8_t read_clock_field(const struct rtc_cmos *rtc, int field, uint64_t elapsed_seconds)
{
    struct rtc_date now;
    uint8_t bytes[RTC_CLOCK_FIELDS];

    if (updates_stopped(rtc))
        return rtc->held_time[field];
    now = current_date(rtc, elapsed_seconds);
    encode_clock(&now, rtc->register_b, bytes);
    return bytes[field];
}

/* The held bytes are encoded in the data mode of the write that sets SET and
 * decoded in that of the write that clears it, so a guest that changes DM or
 * 24/12 together with SET sees and writes the new format throughout. */
static void write_register_b(struct rtc_cmos *rtc, uint8_t value, uint64_t elapsed_seconds)
{
    bool was_set = updates_stopped(rtc);
    bool set = value & RTC_B_SET;

    if (set && !was_set)
        value &= (uint8_t)~RTC_B_UIE; /* register B, UIE: "the SET bit going high clears" it */
    rtc->register_b = value;
    if (set && !was_set)
        hold_clock(rtc, elapsed_seconds);
    if (was_set && !set)
        restart_clock(rtc, elapsed_seconds);
}

/* ---- Port access ---- */

void rtc_init(struct rtc_cmos *rtc, const struct rtc_date *start)
{
    memset(rtc, 0, sizeof *rtc);
    rtc->register_a = RTC_A_DEFAULT;
    rtc->register_b = RTC_B_DEFAULT;
    rtc->base_date = normalised(*start);
}

bool rtc_claims_port(uint16_t port)
{
    return port == RTC_INDEX_PORT || port == RTC_DATA_PORT;
}

bool rtc_nmi_disabled(const struct rtc_cmos *rtc)
{
    return rtc->nmi_disabled;
}

static uint8_t read_register(struct rtc_cmos *rtc, uint64_t elapsed_seconds)
{
    uint8_t index = rtc->index;
    int field = clock_field(index);

    if (field != NO_CLOCK_FIELD)
        return read_clock_field(rtc, field, elapsed_seconds);
    switch (index) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
        return rtc->alarm[index / 2];
    case RTC_REGISTER_A:
        /* UIP stays 0: each read is one consistent snapshot, so there is no
         * update cycle to wait for. Linux polls UIP and also re-reads the
         * seconds, which covers a second that ends between two reads. */
        return rtc->register_a;
    case RTC_REGISTER_B:
        return rtc->register_b;
    case RTC_REGISTER_C:
        /* No interrupt flag (IRQF, PF, AF, UF) is ever raised: IRQ 8 is not
         * modelled, so the read-to-clear register is always empty. */
        return 0;
    case RTC_REGISTER_D:
        return RTC_D_VRT;
    default:
        return rtc->ram[index - RTC_FIRST_RAM_INDEX];
    }
}

static void write_register(struct rtc_cmos *rtc, uint8_t value, uint64_t elapsed_seconds)
{
    uint8_t index = rtc->index;
    int field = clock_field(index);

    if (field != NO_CLOCK_FIELD) {
        write_clock_field(rtc, field, value, elapsed_seconds);
        return;
    }
    switch (index) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
        rtc->alarm[index / 2] = value;
        break;
    case RTC_REGISTER_A:
        /* The divider and rate bits are kept but change nothing: the clock
         * follows elapsed_seconds whatever the time base. */
        rtc->register_a = value & (uint8_t)~RTC_A_UIP;
        break;
    case RTC_REGISTER_B:
        write_register_b(rtc, value, elapsed_seconds);
        break;
    case RTC_REGISTER_C:
    case RTC_REGISTER_D:
        break; /* read-only */
    default:
        rtc->ram[index - RTC_FIRST_RAM_INDEX] = value;
        break;
    }
}

uint8_t rtc_read(struct rtc_cmos *rtc, uint16_t port, uint64_t elapsed_seconds)
{
    if (port != RTC_DATA_PORT)
        return FLOATING_BUS;
    return read_register(rtc, elapsed_seconds);
}

void rtc_write(struct rtc_cmos *rtc, uint16_t port, uint8_t value, uint64_t elapsed_seconds)
{
    if (port == RTC_INDEX_PORT) {
        rtc->index = value & RTC_INDEX_MASK;
        rtc->nmi_disabled = value & RTC_INDEX_NMI_DISABLE;
    } else if (port == RTC_DATA_PORT) {
        write_register(rtc, value, elapsed_seconds);
    }
}
