/* The part of the i8042 keyboard controller a guest needs to reset its PC: the
 * "pulse output port" command that pulls the CPU's reset line. There is no
 * keyboard and no controller behind the other commands. The status port says so
 * at once: its output buffer never empties (0xFF waits in it, as on a bus with
 * nothing there) while its input buffer is always free. A driver that drains the
 * output buffer first (Linux reads 16 bytes) gives up on the controller after a
 * few reads instead of waiting for answers that never come, and a reset request
 * never waits for the input buffer. */
#ifndef HV_DEVICES_I8042_H
#define HV_DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#define I8042_DATA_PORT    0x60
#define I8042_COMMAND_PORT 0x64   /* status when read */

bool i8042_claims_port(uint16_t port);
uint8_t i8042_read(uint16_t port);
/* A write; true when it asks for a reset of the machine. */
bool i8042_write_requests_reset(uint16_t port, uint8_t value);

#endif
