/* The i8042's reset command. Commands 0xF0-0xFF pulse the output-port bits whose
 * command bits are 0 for about 6 us; output-port bit 0 is wired to the CPU's
 * reset line, so any of them with bit 0 clear (0xFE by convention) resets the PC.
 * See: IBM PC/AT Technical Reference, "Keyboard Controller" (commands, status). */
#include "hv/devices/i8042.h"

#define I8042_PULSE_COMMANDS 0xf0u
#define I8042_PULSE_RESET    0x01u   /* a 0 here pulses the reset line */
#define I8042_STATUS_STUCK   0x01u   /* output buffer full for ever, input buffer free */
#define I8042_NO_DATA        0xffu

bool i8042_claims_port(uint16_t port)
{
    return port == I8042_DATA_PORT || port == I8042_COMMAND_PORT;
}

uint8_t i8042_read(uint16_t port)
{
    return port == I8042_COMMAND_PORT ? I8042_STATUS_STUCK : I8042_NO_DATA;
}

bool i8042_write_requests_reset(uint16_t port, uint8_t value)
{
    return port == I8042_COMMAND_PORT && (value & I8042_PULSE_COMMANDS) == I8042_PULSE_COMMANDS &&
           !(value & I8042_PULSE_RESET);
}
