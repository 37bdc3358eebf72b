/* hv_main: the machine is minisvm's now. Builds the host environment (GDT, IDT,
 * page tables, hPAT), enables SVM, creates the VMs, runs them and ends the run with
 * a summary whose status says whether every guest test passed.
 * See: APM §15.4 (enabling SVM), docs/tour.md for the whole path. */
#include "hv/hv_main.h"

#include "hv/console.h"
#include "hv/errno.h"
#include "hv/gdt.h"
#include "hv/guest_image.h"
#include "hv/host_paging.h"
#include "hv/host_time.h"
#include "hv/hypervisor.h"
#include "hv/idt.h"
#include "hv/linux_vm.h"
#include "hv/lapic_timer.h"
#include "hv/memory.h"
#include "hv/platform.h"
#include "hv/scheduler.h"
#include "hv/vm.h"
#include "hv/x86.h"
#include "mm/pat.h"

struct hypervisor hypervisor;

/* vm0 asks for GMET, vm1 does not; vm2 is deliberately broken and must end alone. */
static const struct vm_config vm_configs[] = {
    { .name = "vm0", .ram_bytes = GUEST_DEFAULT_RAM_BYTES, .gmet = true,
      .pat_mode = PAT_MODE_INTERCEPT },
    { .name = "vm1", .ram_bytes = GUEST_DEFAULT_RAM_BYTES, .gmet = false,
      .pat_mode = PAT_MODE_INTERCEPT },
    { .name = "vm2", .ram_bytes = GUEST_DEFAULT_RAM_BYTES, .gmet = false,
      .pat_mode = PAT_MODE_INTERCEPT, .expected_end = VM_END_TRIPLE_FAULT,
      .extra_features = GUEST_FEATURE_TRIPLE_FAULT },
    /* PAT not intercepted: checks whether the platform keeps hPAT and gPAT apart. */
    { .name = "vm3", .ram_bytes = GUEST_DEFAULT_RAM_BYTES, .gmet = false,
      .pat_mode = PAT_MODE_PASSTHROUGH },
};
#define VM_CONFIG_COUNT (sizeof vm_configs / sizeof vm_configs[0])
/* A guest of the user's (guest=NAME) runs in vm0 and vm1 only: the broken VM and
 * the PAT conformance VM need the built-in test guest. So does a configuration
 * with a Linux kernel: vm0 and vm1, and vm2 or vm3 only if they boot a kernel. */
#define VM_COUNT_OWN_GUEST 2
#define LINUX_DEFAULT_RAM_BYTES (128ull << 20)

static struct vm vms[VM_CONFIG_COUNT];
static unsigned vm_count;
static unsigned vms_left_out;

/* The self-tests of minisvm's own error paths: a VMCB that breaks a consistency
 * rule (CR0.NW=1 with CD=0, APM §15.5.1) is refused by name before VMRUN, or, when
 * the check is bypassed, makes VMRUN fail with VMEXIT_INVALID. Either way only that
 * VM ends. */
static void break_vmcb_for_selftest(struct vm *vm, enum hv_selftest selftest)
{
    if (selftest != HV_SELFTEST_REFUSED_VMCB && selftest != HV_SELFTEST_VMEXIT_INVALID)
        return;
    log_line("hv", "selftest: setting CR0.NW=1 with CD=0 in %s's VMCB%s", vm->config.name,
             selftest == HV_SELFTEST_VMEXIT_INVALID ? ", skipping the check before VMRUN" : "");
    vm->vmcb->save.cr0 |= CR0_NW;
    vm_mark_changed(vm, VMCB_CR);
    if (selftest == HV_SELFTEST_VMEXIT_INVALID)
        vm->vmcb_changed = false;
}

/* vmN.gmet=, vmN.pat=, vmN.ram= and vmN.kernel= from minisvm.cfg override the
 * built-in choices. */
static void apply_vm_settings(struct vm_config *config, unsigned index,
                              const struct boot_info *info)
{
    if (index >= HV_CONFIG_VMS)
        return;
    if (hypervisor.config.vm_kernel[index][0] != '\0') {
        config->linux_files = &info->linux_files[index];
        config->linux_cmdline = hypervisor.config.vm_cmdline[index];
        config->ram_bytes = LINUX_DEFAULT_RAM_BYTES;
        config->expected_end = VM_END_HALTED;   /* "poweroff -f" without ACPI */
        config->extra_features = 0;
    }
    if (hypervisor.config.vm_ram_mib[index])
        config->ram_bytes = (uint64_t)hypervisor.config.vm_ram_mib[index] << 20;
    if (hypervisor.config.vm_gmet[index] != HV_VM_SETTING_DEFAULT)
        config->gmet = hypervisor.config.vm_gmet[index] == HV_VM_SETTING_ON;
    if (hypervisor.config.vm_pat_intercept[index] != HV_VM_SETTING_DEFAULT)
        config->pat_mode = hypervisor.config.vm_pat_intercept[index] == HV_VM_SETTING_ON
                               ? PAT_MODE_INTERCEPT : PAT_MODE_PASSTHROUGH;
}

static int pages_alloc(uint64_t count, uint64_t align, uint64_t *pa)
{
    return memory_alloc_zeroed(count, align, pa);
}

/* A VM that was meant to finish must have reported with HC_DONE; the broken one
 * must have ended the way it was built to. */
static bool vm_outcome_as_expected(const struct vm *vm)
{
    if (vm->config.expected_end == VM_END_FINISHED)
        return vm->state == VM_FINISHED;
    return vm->state == VM_ENDED && vm->end_cause == vm->config.expected_end;
}

static const char *expected_end_text(enum vm_end_cause cause)
{
    switch (cause) {
    case VM_END_FINISHED:
        return "finish its tests";
    case VM_END_TRIPLE_FAULT:
        return "end by a triple fault";
    case VM_END_WATCHDOG:
        return "be ended by the watchdog";
    case VM_END_HALTED:
        return "halt with interrupts disabled (Linux: poweroff -f)";
    default:
        return "end";
    }
}

static enum minisvm_status summarize(void)
{
    uint64_t passed = 0, failed = 0, skipped = 0;
    bool outcomes_ok = true;

    for (unsigned i = 0; i < vm_count; i++) {
        const struct vm *vm = &vms[i];
        bool expected = vm_outcome_as_expected(vm);

        if (vm_is_linux(vm))
            linux_vm_report(vm);
        if (vm->state == VM_FINISHED)
            log_line("hv", "%s: %llu passed, %llu failed, %llu skipped", vm->config.name,
                     (unsigned long long)vm->results_passed,
                     (unsigned long long)vm->results_failed,
                     (unsigned long long)vm->results_skipped);
        else
            log_line("hv", "%s: ended (%s)%s", vm->config.name, vm->end_reason,
                     expected ? ", as this VM was built to" : "");
        if (!expected)
            log_line("hv", "%s: FAILED: it was expected to %s", vm->config.name,
                     expected_end_text(vm->config.expected_end));
        outcomes_ok &= expected;
        passed += vm->results_passed;
        failed += vm->results_failed;
        skipped += vm->results_skipped;
    }
    for (unsigned i = 0; i < vm_count; i++) {
        if (vms[i].config.pat_mode != PAT_MODE_PASSTHROUGH)
            continue;
        log_line("hv", "platform finding (%s, pat=passthrough): %s", vms[i].config.name,
                 !vms[i].pat_separation_checked
                     ? "not checked: the guest did not run the conformance check"
                 : vms[i].platform_shared_pat
                     ? "the platform SHARES one PAT between host and guest: the guest's "
                       "WRMSR reached the host's PAT (minisvm restored hPAT)"
                     : "the platform keeps hPAT and gPAT apart");
    }
    if (vms_left_out) {
        log_line("hv", "FAILED: %u configured VM%s left out (see above)", vms_left_out,
                 vms_left_out == 1 ? " was" : "s were");
        outcomes_ok = false;
    }
    char hpat[96];
    uint64_t host_pat = rdmsr(MSR_IA32_CR_PAT);
    pat_format(host_pat, hpat, sizeof hpat);
    log_line("hv", "hPAT at the end = %s (%s)", hpat,
             host_pat == HOST_PAT_VALUE ? "intact" : "CHANGED");
    if (host_pat != HOST_PAT_VALUE)
        outcomes_ok = false;
    log_line("hv", "total: %llu passed, %llu failed, %llu skipped", (unsigned long long)passed,
             (unsigned long long)failed, (unsigned long long)skipped);
    return failed == 0 && outcomes_ok ? MINISVM_OK : MINISVM_TESTS_FAILED;
}

void hv_main(struct boot_info *info)
{
    uint64_t tsc_at_hv_main = rdtsc();   /* make bench: boot time in instructions */

    cli();
    hypervisor.features = info->features;
    hypervisor.config = info->config;
    hypervisor.boot_date = info->date;
    if (info->guest_image) {
        hypervisor.guest_image = info->guest_image;
        hypervisor.guest_image_bytes = info->guest_image_bytes;
    } else {
        hypervisor.guest_image = guest_image_start;
        hypervisor.guest_image_bytes = guest_image_bytes;
    }
    log_line("hv", "boot services exited: %u memory ranges, highest address 0x%llx",
             info->range_count, (unsigned long long)info->highest_address);
    log_line("hv", "tsc at hv_main: %llu", (unsigned long long)tsc_at_hv_main);
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

    int error = svm_enable(&hypervisor.cpu, pages_alloc);
    if (error) {
        log_line("svm", "cannot enable SVM: %s", hv_strerror(error));
        platform_finish(MINISVM_OUT_OF_MEMORY);
    }
    log_line("svm", "SVM enabled: EFER.SVME=1, VM_HSAVE_PA=0x%llx",
             (unsigned long long)hypervisor.cpu.host_save_area_pa);
    bool linux_configured = false;
    for (unsigned i = 0; i < HV_CONFIG_VMS; i++)
        linux_configured |= hypervisor.config.vm_kernel[i][0] != '\0';
    /* The host timer drives the watchdog, time slices and the guests' PITs. */
    bool host_timer = (hypervisor.config.watchdog_seconds || linux_configured) &&
                      lapic_timer_start();
    if (!host_timer)
        hypervisor.config.watchdog_seconds = 0;
    if (hypervisor.config.watchdog_seconds)
        log_line("hv", "watchdog: a VM still running after %u s is ended",
                 hypervisor.config.watchdog_seconds);

    unsigned candidates = info->guest_image || linux_configured ? VM_COUNT_OWN_GUEST
                                                                : VM_CONFIG_COUNT;
    unsigned limit = hypervisor.config.vm_limit ? hypervisor.config.vm_limit : VM_CONFIG_COUNT;
    for (unsigned i = 0; i < limit; i++) {
        bool has_kernel = i < HV_CONFIG_VMS && hypervisor.config.vm_kernel[i][0] != '\0';
        if (i >= candidates && !has_kernel)
            continue;
        struct vm_config config = vm_configs[i];
        apply_vm_settings(&config, i, info);
        if (hypervisor.config.selftest == HV_SELFTEST_HUNG_GUEST &&
            config.expected_end == VM_END_TRIPLE_FAULT) {
            config.expected_end = VM_END_WATCHDOG;
            config.extra_features = GUEST_FEATURE_HANG;
        }
        const char *why = NULL;
        if (config.linux_files && config.linux_files->error[0])
            why = config.linux_files->error;
        else if (config.linux_files && !host_timer)
            why = "a Linux guest needs the host timer (local APIC), which could not be started";
        if (why) {
            log_line("hv", "%s left out: %s", config.name, why);
            vms_left_out++;
            continue;
        }
        error = vm_create(&vms[vm_count], i, &config, &why);
        if (error && why) {
            log_line("hv", "%s left out: kernel refused: %s", config.name, why);
            vms_left_out++;
            continue;
        }
        if (error) {
            log_line("hv", "cannot create %s: %s", config.name, hv_strerror(error));
            platform_finish(MINISVM_OUT_OF_MEMORY);
        }
        vm_count++;
    }
    if (vm_count > 1)
        break_vmcb_for_selftest(&vms[1], hypervisor.config.selftest);
    log_line("hv", "tsc before first VMRUN: %llu", (unsigned long long)rdtsc());
    run_vms(vms, vm_count, hypervisor.config.interleave, linux_configured);
    svm_disable();
    platform_finish(summarize());
}
