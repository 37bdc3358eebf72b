/* guest_main: the test guest's kernel. It takes over the machine minisvm handed
 * it (its own GDT, TSS, IDT and page tables), runs every test subject, prints the
 * TAP summary and reports the totals with HC_DONE. See: design.md §3, §6. */
#include "guest/abi.h"
#include "guest/gdt.h"
#include "guest/idt.h"
#include "guest/paging.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

_Noreturn void guest_main(const struct guest_boot_info *info);
_Noreturn void guest_main(const struct guest_boot_info *info)
{
    /* Copy the boot information first: the page holding it is not the guest's. */
    boot_info = *info;
    boot_info.vm_name[sizeof boot_info.vm_name - 1] = '\0';

    if (boot_info.features & GUEST_FEATURE_TRIPLE_FAULT)
        triple_fault_on_purpose();
    if (boot_info.features & GUEST_FEATURE_HANG)
        hang_on_purpose();

    test_comment("minisvm test guest on %s (vm_id %u): %lu MiB of RAM, features 0x%lx, ABI %u",
                 boot_info.vm_name, boot_info.vm_id, boot_info.ram_bytes >> 20,
                 boot_info.features, boot_info.abi_version);
    gdt_init();
    idt_init();
    paging_init();
    test_comment("own GDT, TSS, IDT and 4 KiB page tables in place (CR3 0x%lx)", read_cr3());

    test_exceptions();
    test_cpuid();
    test_svm_instructions();
    test_msr();
    test_pat();
    test_io();
    test_instructions();
    test_interrupts();
    test_clocks();
    test_user_mode();
    test_hypercalls();
    test_npf();
    test_isolation();
    test_gmet();
    test_hypercall_storm();

    test_finish();
}
