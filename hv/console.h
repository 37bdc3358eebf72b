/* The log API: one place that writes to COM1 and, once attached, to the GOP
 * framebuffer, before and after ExitBootServices. Lines carry a subsystem prefix,
 * "[svm] ...", "[npt] ...", "[vm0] ...". */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>

#include "hv/framebuffer.h"

void console_init(void);
void console_attach_framebuffer(const struct framebuffer *fb);
void console_write(const char *text, size_t length);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One log line: "[subsystem] text\n". */
void log_line(const char *subsystem, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
