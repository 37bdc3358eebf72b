/* Hypercalls: VMMCALL with the number in RAX and arguments in RDI, RSI, RDX; the
 * result goes back in RAX. Every argument is checked before use, and a guest-
 * physical range must lie inside the VM's RAM, so nothing a guest passes makes
 * minisvm read or write outside that VM's memory. The ABI is guest/abi.h.
 * See: APM §15.9 (VMMCALL intercept), design.md §6 (expected-fault protocol). */
#include "hv/exit.h"

#include "hv/console.h"
#include "hv/guest_state.h"
#include "hv/hypervisor.h"
#include "hv/x86.h"
#include "mm/pat.h"
#include "mm/pte.h"

#define HC_NPT_ACCESS_KNOWN (NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE | NPT_ACCESS_USER | \
                             NPT_ACCESS_NO_EXEC)
/* A generous bound: the guest's test counts are small numbers. */
#define HC_MAX_RESULT_COUNT 0xffffffffull

struct hypercall_args {
    uint64_t a0, a1, a2;
};

typedef int64_t (*hypercall_fn)(struct vm *vm, const struct hypercall_args *args);

static bool is_canonical(uint64_t address)
{
    return (uint64_t)(((int64_t)address << 16) >> 16) == address;
}

/* A page-aligned, non-empty range that lies inside the VM's RAM. */
static int64_t check_page_range(const struct vm *vm, uint64_t gpa, uint64_t bytes)
{
    if (bytes == 0 || (gpa | bytes) & (PAGE_SIZE_4K - 1))
        return HC_EINVAL;
    if (gpa >= vm->config.ram_bytes || bytes > vm->config.ram_bytes - gpa)
        return HC_EFAULT;
    return HC_OK;
}

static int64_t hc_abi_version(struct vm *vm, const struct hypercall_args *args)
{
    (void)vm;
    (void)args;
    return MINISVM_ABI_VERSION;
}

static int64_t hc_done(struct vm *vm, const struct hypercall_args *args)
{
    if (args->a0 > HC_MAX_RESULT_COUNT || args->a1 > HC_MAX_RESULT_COUNT ||
        args->a2 > HC_MAX_RESULT_COUNT)
        return HC_EINVAL;
    vm->results_passed = args->a0;
    vm->results_failed = args->a1;
    vm->results_skipped = args->a2;
    vm->state = VM_FINISHED;
    return HC_OK;
}

static int64_t hc_expect_npf(struct vm *vm, const struct hypercall_args *args)
{
    uint64_t report_gpa = args->a1;

    if (!is_canonical(args->a0) || (report_gpa & 7))
        return HC_EINVAL;
    if (!vm_guest_pointer(vm, report_gpa, sizeof(struct npf_report)))
        return HC_EFAULT;
    if (vm->npf_expected.armed)
        return HC_EBUSY;
    vm->npf_expected = (struct npf_expectation){
        .armed = true, .recovery_rip = args->a0, .report_gpa = report_gpa };
    return HC_OK;
}

static int64_t hc_cancel_expect(struct vm *vm, const struct hypercall_args *args)
{
    (void)args;
    vm->npf_expected.armed = false;
    return HC_OK;
}

static int64_t hc_set_npt_access(struct vm *vm, const struct hypercall_args *args)
{
    uint64_t gpa = args->a0, bytes = args->a1, access = args->a2;
    int64_t error = check_page_range(vm, gpa, bytes);

    if (error)
        return error;
    if (access & ~(uint64_t)HC_NPT_ACCESS_KNOWN)
        return HC_EINVAL;
    if (!(access & NPT_ACCESS_PRESENT))
        return npt_unmap(&vm->npt, gpa, bytes) ? HC_EINVAL : HC_OK;
    uint64_t perm = ((access & NPT_ACCESS_WRITE) ? PTE_WRITABLE : 0) |
                    ((access & NPT_ACCESS_USER) ? PTE_USER : 0) |
                    ((access & NPT_ACCESS_NO_EXEC) ? PTE_NX : 0);
    return npt_map(&vm->npt, gpa, vm->ram_hpa + gpa, bytes, perm, HOST_PAT_INDEX_WB)
               ? HC_EINVAL : HC_OK;
}

static int64_t hc_read_host_pat(struct vm *vm, const struct hypercall_args *args)
{
    (void)vm;
    (void)args;
    return (int64_t)rdmsr(MSR_IA32_CR_PAT);
}

static int64_t hc_read_vmcb_gpat(struct vm *vm, const struct hypercall_args *args)
{
    (void)args;
    return (int64_t)vm->vmcb->save.g_pat;
}

/* Kernel code integrity with GMET (design.md §4): the declared text becomes
 * supervisor-executable (U/S=0) and read-only; every other page stays U/S=1, so a
 * supervisor fetch from it is a GMET #NPF. Without GMET, U/S=0 would block every
 * access, so the declaration is recorded but not enforced (result 1). */
static int64_t hc_declare_kernel_text(struct vm *vm, const struct hypercall_args *args)
{
    int64_t error = check_page_range(vm, args->a0, args->a1);

    if (error)
        return error;
    if (!vm->gmet_enabled)
        return 1;
    if (vm->kernel_text_count == VM_KERNEL_TEXT_RANGES)
        return HC_EINVAL;
    /* The first declaration turns the policy on: from now on only declared text
     * is supervisor-executable. */
    if (!vm->kernel_text_declared &&
        npt_protect(&vm->npt, 0, vm->config.ram_bytes, PTE_USER, 0))
        return HC_EINVAL;
    vm->kernel_text_declared = true;
    if (npt_protect(&vm->npt, args->a0, args->a1, 0, PTE_USER | PTE_WRITABLE))
        return HC_EINVAL;
    vm->kernel_text[vm->kernel_text_count].gpa = args->a0;
    vm->kernel_text[vm->kernel_text_count].bytes = args->a1;
    vm->kernel_text_count++;
    log_line(vm->config.name, "kernel text declared: GPA 0x%llx-0x%llx is now the only "
             "supervisor-executable memory (GMET)", (unsigned long long)args->a0,
             (unsigned long long)(args->a0 + args->a1 - 1));
    return HC_OK;
}

static int64_t hc_yield(struct vm *vm, const struct hypercall_args *args)
{
    (void)args;
    vm->yield_requested = true;
    return HC_OK;
}

/* The platform conformance check of pat=passthrough (design.md §5): did the
 * host's PAT survive the guest's WRMSR, and did #VMEXIT save the guest's PAT into
 * G_PAT? Both hold on AMD hardware and on KVM with nested gPAT support. */
static int64_t hc_pat_separation(struct vm *vm, const struct hypercall_args *args)
{
    if (vm->config.pat_mode != PAT_MODE_PASSTHROUGH)
        return HC_EINVAL;
    if (!pat_value_is_valid(args->a0))
        return HC_EINVAL;
    int64_t result = 0;
    vm->pat_separation_checked = true;
    /* Any exit of this VM that found the guest's PAT in the host's MSR counts, not
     * only this one: an asynchronous exit (the watchdog's timer) between the guest's
     * WRMSR and this hypercall would have restored hPAT already. */
    if (!vm->platform_shared_pat)
        result |= PAT_SEPARATION_HOST_INTACT;
    if (vm->vmcb->save.g_pat == args->a0)
        result |= PAT_SEPARATION_GPAT_SAVED;
    return result;
}

static const hypercall_fn hypercalls[HC_COUNT] = {
    [HC_ABI_VERSION] = hc_abi_version,
    [HC_DONE] = hc_done,
    [HC_EXPECT_NPF] = hc_expect_npf,
    [HC_CANCEL_EXPECT] = hc_cancel_expect,
    [HC_SET_NPT_ACCESS] = hc_set_npt_access,
    [HC_READ_HOST_PAT] = hc_read_host_pat,
    [HC_READ_VMCB_GPAT] = hc_read_vmcb_gpat,
    [HC_DECLARE_KERNEL_TEXT] = hc_declare_kernel_text,
    [HC_YIELD] = hc_yield,
    [HC_PAT_SEPARATION] = hc_pat_separation,
};

enum exit_action exit_vmmcall(struct vm *vm)
{
    struct vmcb_save_area *s = &vm->vmcb->save;
    uint64_t number = s->rax;
    struct hypercall_args args = { vm->registers.rdi, vm->registers.rsi, vm->registers.rdx };

    /* Skip first: a hypercall that redirects RIP (none yet) would come after. */
    int error = guest_skip_instruction(vm);
    if (error)
        return exit_end_undecodable(vm, error);
    int64_t result;
    if (s->cpl != 0)
        result = HC_EPERM;
    else if (number < HC_COUNT && hypercalls[number])
        result = hypercalls[number](vm, &args);
    else
        result = HC_ENOSYS;
    s->rax = (uint64_t)result;
    if (hypervisor.config.interleave)
        vm->yield_requested = true;
    return vm->state == VM_FINISHED ? EXIT_END_VM : EXIT_RESUME;
}
