/* The part of the i8042 keyboard controller a guest needs to reset its PC: the
 * "pulse output port" command that pulls the CPU's reset line. There is no
 * keyboard: the status port says both buffers are empty, so a driver sees a
 * controller that never answers, and a reboot never waits for it. */
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
