/* The host address space: an identity map of all physical memory up to the highest
 * address the firmware reported (at least 4 GiB, where the local APIC and other MMIO
 * live), write-back through hPAT entry 0, with the GOP framebuffer write-combining
 * through hPAT entry 4. Page 0 stays unmapped so that a NULL dereference faults.
 * MMIO outside the framebuffer keeps PAT type WB and gets UC from the firmware's
 * MTRRs (PAT WB combined with MTRR UC is UC).
 * See: APM §5.3 (long-mode paging), §7.8 (PAT), §7.7 (MTRRs). */
#include "hv/host_paging.h"

#include "hv/console.h"
#include "hv/errno.h"
#include "hv/memory.h"
#include "hv/x86.h"
#include "mm/pat.h"

#define FOUR_GIB (4ull << 30)

static struct page_table host_table;

static uint64_t round_up(uint64_t value, uint64_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

/* hPAT: written before the switch to the new tables; the APM asks for a cache and
 * TLB flush around a PAT change so that no line keeps a stale memory type. */
static void host_pat_install(void)
{
    char text[96];

    uint64_t previous = rdmsr(MSR_IA32_CR_PAT);
    __asm__ volatile("wbinvd" ::: "memory");
    wrmsr(MSR_IA32_CR_PAT, HOST_PAT_VALUE);
    pat_format(HOST_PAT_VALUE, text, sizeof text);
    log_line("hv", "hPAT = %s (firmware had 0x%016llx)", text, (unsigned long long)previous);
}

int host_paging_init(const struct boot_info *info)
{
    int max_leaf_level = info->features.page_1gb ? 3 : 2;
    uint64_t top = info->highest_address;
    int error;

    if (info->has_framebuffer) {
        uint64_t fb_end = (uint64_t)(uintptr_t)info->framebuffer.base + info->framebuffer_bytes;
        if (fb_end > top)
            top = fb_end;
    }
    if (top < FOUR_GIB)
        top = FOUR_GIB;
    top = round_up(top, PAGE_SIZE_1G);

    error = pt_init(&host_table, &identity_table_ops, NULL, max_leaf_level);
    if (!error)
        error = pt_map(&host_table, 0, 0, top, PTE_WRITABLE, HOST_PAT_INDEX_WB);
    if (!error)
        error = pt_unmap(&host_table, 0, PAGE_SIZE_4K);
    if (!error && info->has_framebuffer) {
        uint64_t fb_base = (uint64_t)(uintptr_t)info->framebuffer.base & ~(PAGE_SIZE_4K - 1);
        uint64_t fb_end = round_up((uint64_t)(uintptr_t)info->framebuffer.base +
                                   info->framebuffer_bytes, PAGE_SIZE_4K);
        error = pt_set_memtype(&host_table, fb_base, fb_end - fb_base, HOST_PAT_INDEX_WC);
    }
    if (error) {
        log_line("hv", "building the host page tables failed: %s", hv_strerror(error));
        return error;
    }

    host_pat_install();
    /* NXE: nested NX is only honoured with host EFER.NXE=1 (APM §15.25.7). */
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    write_cr3(host_table.root_phys);
    log_line("hv", "host page tables: identity map of 0..0x%llx with %s pages, "
             "framebuffer write-combining, page 0 unmapped",
             (unsigned long long)top, max_leaf_level == 3 ? "1 GiB" : "2 MiB");
    return 0;
}
