/* hv_main: the machine is minisvm's now. Builds the host environment (GDT, IDT,
 * page tables, hPAT), then runs the VMs and ends the run with a summary. */
#include "hv/hv_main.h"

#include "hv/console.h"
#include "hv/gdt.h"
#include "hv/host_paging.h"
#include "hv/idt.h"
#include "hv/memory.h"
#include "hv/platform.h"
#include "hv/x86.h"

void hv_main(struct boot_info *info)
{
    cli();
    log_line("hv", "boot services exited: %u memory ranges, highest address 0x%llx",
             info->range_count, (unsigned long long)info->highest_address);
    gdt_init();
    idt_init();
    log_line("hv", "own GDT, TSS and IDT loaded");
    if (memory_init(info))
        platform_finish(MINISVM_OUT_OF_MEMORY);
    if (host_paging_init(info))
        platform_finish(MINISVM_OUT_OF_MEMORY);

    if (info->config.selftest == HV_SELFTEST_HOST_EXCEPTION) {
        log_line("hv", "selftest: raising #UD in the host");
        __asm__ volatile("ud2");
    }
    log_line("hv", "host environment ready");
    platform_finish(MINISVM_OK);
}
