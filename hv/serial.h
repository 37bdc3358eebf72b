/* The COM1 16550 UART: the console that works before and after ExitBootServices,
 * under QEMU (-serial stdio) and on boards with a serial port. */
#ifndef HV_SERIAL_H
#define HV_SERIAL_H

#include <stddef.h>

#define COM1_PORT 0x3f8

void serial_init(void);
void serial_write(const char *text, size_t length);

#endif
