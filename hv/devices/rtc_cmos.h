/* The PC's CMOS real-time clock as a pure register model: index port 0x70 (bit 7
 * masks NMIs), data port 0x71. The clock reads a start date plus the seconds the
 * caller says have elapsed. Follows the Motorola MC146818A datasheet. */
#ifndef HV_DEVICES_RTC_CMOS_H
#define HV_DEVICES_RTC_CMOS_H

#include <stdbool.h>
#include <stdint.h>

#define RTC_INDEX_PORT 0x70
#define RTC_DATA_PORT  0x71
#define RTC_INDEX_NMI_DISABLE 0x80
#define RTC_INDEX_MASK        0x7f

/* Register indices (MC146818A "Address Map"), plus the IBM AT's century byte. */
#define RTC_SECONDS       0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES       0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS         0x04
#define RTC_HOURS_ALARM   0x05
#define RTC_DAY_OF_WEEK   0x06 /* 1-7, Sunday = 1 */
#define RTC_DAY_OF_MONTH  0x07
#define RTC_MONTH         0x08
#define RTC_YEAR          0x09 /* two digits */
#define RTC_REGISTER_A    0x0a
#define RTC_REGISTER_B    0x0b
#define RTC_REGISTER_C    0x0c
#define RTC_REGISTER_D    0x0d
#define RTC_CENTURY       0x32
#define RTC_FIRST_RAM_INDEX 0x0e
#define RTC_INDEX_COUNT     0x80
#define RTC_RAM_BYTES       (RTC_INDEX_COUNT - RTC_FIRST_RAM_INDEX) /* 114 */

#define RTC_A_UIP         0x80 /* update in progress: never set by this model */
#define RTC_A_DEFAULT     0x26 /* 32.768 kHz time base, 1024 Hz periodic rate */
#define RTC_B_SET         0x80 /* updates stopped: the guest is setting the clock */
#define RTC_B_PIE         0x40
#define RTC_B_AIE         0x20
#define RTC_B_UIE         0x10
#define RTC_B_SQWE        0x08
#define RTC_B_DM_BINARY   0x04 /* 1: binary, 0: BCD */
#define RTC_B_24_HOUR     0x02 /* 1: 24-hour, 0: 12-hour with bit 7 = PM */
#define RTC_B_DSE         0x01
#define RTC_B_DEFAULT     RTC_B_24_HOUR
#define RTC_D_VRT         0x80 /* valid RAM and time: the battery is good */
#define RTC_HOUR_PM       0x80

/* A date in binary: month 1-12, day 1-31, hour 0-23. */
struct rtc_date {
    uint16_t year;
    uint8_t month, day, hour, minute, second;
};

/* The fields the guest can set, each one register; RTC_CLOCK_FIELDS counts them. */
enum rtc_clock_field {
    RTC_FIELD_SECOND,
    RTC_FIELD_MINUTE,
    RTC_FIELD_HOUR,
    RTC_FIELD_DAY_OF_WEEK,
    RTC_FIELD_DAY,
    RTC_FIELD_MONTH,
    RTC_FIELD_YEAR,
    RTC_FIELD_CENTURY,
    RTC_CLOCK_FIELDS
};

struct rtc_cmos {
    uint8_t index;                    /* low 7 bits of the last write to port 0x70 */
    bool nmi_disabled;                /* bit 7 of that write */
    uint8_t register_a;               /* bits 6-0 as written; UIP reads 0 */
    uint8_t register_b;
    uint8_t alarm[3];                 /* seconds, minutes, hours alarm, as written */
    uint8_t ram[RTC_RAM_BYTES];       /* index 0x0e-0x7f; 0x32 is the century instead */
    /* The clock: base_date at elapsed second base_elapsed_seconds. */
    struct rtc_date base_date;
    uint64_t base_elapsed_seconds;
    /* While B.SET is set, updates stop and the time registers hold these
     * bytes: the clock when SET was set, then what the guest wrote. */
    uint8_t held_time[RTC_CLOCK_FIELDS];
};

/* Registers A-D at their defaults (0x26, 0x02, 0, 0x80), CMOS RAM all zeros,
 * NMIs enabled, the clock at *start from elapsed second 0. An impossible start
 * date is normalised (see rtc_write). */
void rtc_init(struct rtc_cmos *rtc, const struct rtc_date *start);
bool rtc_claims_port(uint16_t port);
/* elapsed_seconds: time since rtc_init, never going backwards. Port 0x70 reads
 * 0xff (write-only on the PC); other ports read 0xff and ignore writes. */
uint8_t rtc_read(struct rtc_cmos *rtc, uint16_t port, uint64_t elapsed_seconds);
/* A time register written while B.SET is clear moves the clock at once. Setting
 * SET stops the time registers at the current time, in the format of the new
 * register B; bytes written then are held, and the clock restarts from them when
 * SET is cleared, decoded in the format of that last register B value. Fields out
 * of range are clamped (second, minute 0-59, hour 0-23, month 1-12, day 1-31)
 * and a day past the end of its month runs into the next (Feb 30 = Mar 1 or 2).
 * The day of week is always computed from the date. */
void rtc_write(struct rtc_cmos *rtc, uint16_t port, uint8_t value, uint64_t elapsed_seconds);
bool rtc_nmi_disabled(const struct rtc_cmos *rtc);

#endif
