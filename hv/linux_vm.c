/* Booting Linux in a VM: parse the bzImage's setup header, place kernel, initrd,
 * command line, zero page, GDT and identity page tables in guest RAM (the pure
 * parts are in hv/linux/), and enter the kernel's 64-bit entry point in the state
 * the protocol requires. The kernel decompresses and relocates itself (KASLR
 * stays on: the e820 map tells it which RAM it may choose from).
 * See: Linux Documentation/arch/x86/boot.rst, "64-bit BOOT PROTOCOL";
 * docs/linux.md for the whole path. */
#include "hv/linux_vm.h"

#include <string.h>

#include "hv/console.h"
#include "hv/errno.h"
#include "hv/linux/bzimage.h"
#include "hv/linux/linux_layout.h"
#include "hv/x86.h"
#include "mm/pat.h"

#define CR0_ET    (1ull << 4)
#define CR0_NE    (1ull << 5)
#define LINUX_CR0 (CR0_PG | CR0_NE | CR0_ET | CR0_PE)

static int refuse(struct vm *vm, const char *text, const char **why)
{
    strncpy(vm->refusal, text, sizeof vm->refusal - 1);
    vm->refusal[sizeof vm->refusal - 1] = '\0';
    *why = vm->refusal;
    return HV_EINVAL;
}

static int copy_in(struct vm *vm, uint64_t gpa, const void *data, uint64_t bytes)
{
    void *target = vm_guest_pointer(vm, gpa, bytes);

    if (!target)
        return HV_ERANGE;
    memcpy(target, data, bytes);
    return 0;
}

int linux_vm_load(struct vm *vm, struct vm_entry_state *entry, const char **why)
{
    const struct boot_linux_files *files = vm->config.linux_files;
    const char *cmdline = vm->config.linux_cmdline ? vm->config.linux_cmdline : "";
    static struct bzimage_info kernel;    /* large (its refusal text): not on the stack */
    static struct linux_layout layout;
    const char *reason = NULL;

    if (bzimage_parse(files->kernel, files->kernel_bytes, &kernel, &reason))
        return refuse(vm, reason, why);
    if (linux_plan_layout(&kernel, vm->config.ram_bytes, files->initrd_bytes, strlen(cmdline),
                          &layout, &reason))
        return refuse(vm, reason, why);

    struct boot_params *zero_page = vm_guest_pointer(vm, layout.zero_page_gpa, sizeof *zero_page);
    uint64_t *page_tables = vm_guest_pointer(vm, layout.page_tables_gpa, 3 * LINUX_PAGE_BYTES);
    uint64_t *gdt = vm_guest_pointer(vm, layout.gdt_gpa, LINUX_GDT_BYTES);
    if (!zero_page || !page_tables || !gdt)
        return HV_ERANGE;
    int error = copy_in(vm, layout.kernel_gpa,
                        (const uint8_t *)files->kernel + kernel.setup_bytes, kernel.kernel_bytes);
    if (!error && files->initrd)
        error = copy_in(vm, layout.initrd_gpa, files->initrd, files->initrd_bytes);
    if (!error)
        error = copy_in(vm, layout.cmdline_gpa, cmdline, strlen(cmdline) + 1);
    if (error)
        return error;
    linux_fill_boot_params(zero_page, files->kernel, &kernel, &layout);
    linux_fill_page_tables(page_tables, layout.page_tables_gpa, layout.ram_bytes);
    linux_fill_gdt(gdt, LINUX_GDT_ENTRIES);

    *entry = (struct vm_entry_state){
        .code_selector = LINUX_BOOT_CS, .code_attrib = LINUX_BOOT_CS_ATTRIB,
        .data_selector = LINUX_BOOT_DS, .data_attrib = LINUX_BOOT_DS_ATTRIB,
        .gdt_base = layout.gdt_gpa, .gdt_limit = LINUX_GDT_BYTES - 1,
        .cr0 = LINUX_CR0, .cr3 = layout.page_tables_gpa, .cr4 = CR4_PAE,
        .efer = EFER_LME | EFER_LMA,
        .rip = layout.entry_gpa, .rsp = layout.stack_top_gpa, .rsi = layout.zero_page_gpa,
    };
    log_line(vm->config.name, "Linux boot protocol %u.%02u: kernel %llu KiB at GPA 0x%llx "
             "(needs %llu MiB from there), initrd %llu KiB at 0x%llx, zero page 0x%llx, "
             "entry 0x%llx", kernel.protocol_version >> 8, kernel.protocol_version & 0xff,
             (unsigned long long)(kernel.kernel_bytes >> 10), (unsigned long long)layout.kernel_gpa,
             (unsigned long long)(kernel.init_size >> 20),
             (unsigned long long)(files->initrd_bytes >> 10), (unsigned long long)layout.initrd_gpa,
             (unsigned long long)layout.zero_page_gpa, (unsigned long long)layout.entry_gpa);
    log_line(vm->config.name, "command line: %s", cmdline);
    return 0;
}

static const char *end_description(const struct vm *vm)
{
    if (vm->state == VM_RUNNING)
        return "still running";
    return vm->end_reason ? vm->end_reason : "ended";
}

void linux_vm_report(const struct vm *vm)
{
    const char *name = vm->config.name;
    char gpat[96];

    if (vm->userspace_ms)
        log_line("hv", "%s: Linux reached userspace %llu.%03llu s after its first VMRUN", name,
                 (unsigned long long)((vm->userspace_ms - vm->started_ms) / 1000),
                 (unsigned long long)((vm->userspace_ms - vm->started_ms) % 1000));
    else
        log_line("hv", "%s: Linux never reached userspace", name);
    log_line("hv", "%s: %llu interrupts injected; ended: %s", name,
             (unsigned long long)vm->interrupts_injected, end_description(vm));
    pat_format(vm->vmcb->save.g_pat, gpat, sizeof gpat);
    log_line("hv", "%s: gPAT = %s (the VMCB's G_PAT)", name, gpat);
}
