/* How a run ends: under QEMU the process exits with minisvm's status (isa-debug-exit,
 * or a firmware power-off for success); on bare metal the results stay on screen and
 * the CPU halts until the user resets the machine. */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

#include <stdbool.h>

/* minisvm's exit statuses. Under QEMU, isa-debug-exit turns status s into the
 * process exit code (s << 1) | 1, so a failure never reads as 0. */
enum minisvm_status {
    MINISVM_OK = 0,
    MINISVM_TESTS_FAILED = 1,
    MINISVM_UNSUPPORTED_CPU = 2,
    MINISVM_HOST_FAULT = 3,
    MINISVM_OUT_OF_MEMORY = 4,
    MINISVM_BOOT_ERROR = 5,
};

#define QEMU_DEBUG_EXIT_PORT 0xf4

typedef void (*platform_shutdown_fn)(void);

/* True when the CPUID hypervisor leaf names QEMU's TCG or KVM. */
bool platform_is_qemu(void);
/* The firmware power-off routine, used to end a successful run with status 0. */
void platform_set_shutdown(platform_shutdown_fn shutdown);
__attribute__((noreturn)) void platform_finish(enum minisvm_status status);

#endif
