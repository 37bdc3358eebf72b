/* Ending a run. Under QEMU, success powers off through the firmware (QEMU exits 0)
 * and failure writes the status to isa-debug-exit (QEMU exits 2*status+1); on bare
 * metal the CPU halts with the summary on screen. */
#include "hv/platform.h"

#include <string.h>

#include "hv/console.h"
#include "hv/x86.h"

#define CPUID_HYPERVISOR_PRESENT (1u << 31) /* leaf 1 ECX[31] */
#define CPUID_HYPERVISOR_LEAF    0x40000000u

static platform_shutdown_fn firmware_shutdown;

bool platform_is_qemu(void)
{
    if (!(cpuid(1, 0).ecx & CPUID_HYPERVISOR_PRESENT))
        return false;
    struct cpuid_result r = cpuid(CPUID_HYPERVISOR_LEAF, 0);
    char signature[13];
    memcpy(signature + 0, &r.ebx, 4);
    memcpy(signature + 4, &r.ecx, 4);
    memcpy(signature + 8, &r.edx, 4);
    signature[12] = '\0';
    return strcmp(signature, "TCGTCGTCGTCG") == 0 || strcmp(signature, "KVMKVMKVM") == 0;
}

void platform_set_shutdown(platform_shutdown_fn shutdown)
{
    firmware_shutdown = shutdown;
}

void platform_finish(enum minisvm_status status)
{
    log_line("hv", "minisvm finished: status %d", (int)status);
    if (platform_is_qemu()) {
        if (status == MINISVM_OK && firmware_shutdown)
            firmware_shutdown();
        /* Ends QEMU when it was started with -device isa-debug-exit,iobase=0xf4. */
        outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
    } else {
        log_line("hv", "the CPU halts now; reset the machine to continue");
    }
    halt_forever();
}
