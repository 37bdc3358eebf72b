/* The i8042's reset command. Commands 0xF0-0xFF pulse the output-port bits whose
 * command bits are 0 for about 6 us; output-port bit 0 is wired to the CPU's
 * reset line, so any of them with bit 0 clear (0xFE by convention) resets the PC.
 * See: IBM PC/AT Technical Reference, "Keyboard Controller" (commands, status). */
#include "hv/devices/i8042.h"

#define I8042_PULSE_COMMANDS 0xf0u
#define I8042_PULSE_RESET    0x01u   /* a 0 here pulses the reset line */
#define I8042_STATUS_EMPTY   0x00u   /* output buffer empty, input buffer empty */

bool i8042_claims_port(uint16_t port)
{
    return port == I8042_DATA_PORT || port == I8042_COMMAND_PORT;
}

uint8_t i8042_read(uint16_t port)
{
    (void)port; /* no data ever, and a status that never makes a writer wait */
    return I8042_STATUS_EMPTY;
}

bool i8042_write_requests_reset(uint16_t port, uint8_t value)
{
    return port == I8042_COMMAND_PORT && (value & I8042_PULSE_COMMANDS) == I8042_PULSE_COMMANDS &&
           !(value & I8042_PULSE_RESET);
}
