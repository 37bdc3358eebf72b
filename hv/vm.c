/* Creating a VM: guest RAM, nested page tables mapping it, permission maps, the
 * guest's start state (image, identity page tables, GDT, boot information) and the
 * VMCB that describes it all. See: APM §15.5.1 (VMRUN and its checks), §15.10-15.11
 * (IOPM, MSRPM), §15.25 (nested paging), svm-reference §7.2-7.3. */
#include "hv/vm.h"

#include <string.h>

#include "hv/console.h"
#include "hv/descriptors.h"
#include "hv/errno.h"
#include "hv/hypervisor.h"
#include "hv/linux_vm.h"
#include "hv/memory.h"
#include "hv/x86.h"
#include "mm/pat.h"
#include "mm/pte.h"
#include "svm/iopm.h"
#include "svm/msrpm.h"

#define GUEST_GDT_GPA      0x5000ull
#define GUEST_SELECTOR_CS  0x08
#define GUEST_SELECTOR_DS  0x10
#define GUEST_CR0          0x80050033ull  /* PG AM WP NE ET MP PE */
#define GUEST_CR4          0x00000620ull  /* PAE OSFXSR OSXMMEXCPT */
#define GUEST_DR6          0xffff0ff0ull
#define GUEST_DR7          0x00000400ull
#define GUEST_RFLAGS       0x2ull
#define GUEST_CODE_ATTRIB  0x0a9bu        /* present, DPL 0, code read/execute, L=1, G=1 */
#define GUEST_DATA_ATTRIB  0x0c93u        /* present, DPL 0, data read/write, D/B=1, G=1 */
#define FXSAVE_MXCSR_OFFSET 24
#define MXCSR_DEFAULT      0x1f80u
#define FXSAVE_FCW_DEFAULT 0x037fu

/* The VMCB-backed MSRs that VMLOAD/VMSAVE switch: the guest may use them directly. */
static const uint32_t passthrough_msrs[] = {
    0xc0000100, 0xc0000101, 0xc0000102,  /* FS_BASE, GS_BASE, KERNEL_GS_BASE */
    0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,  /* STAR, LSTAR, CSTAR, SFMASK */
    0x174, 0x175, 0x176,                 /* SYSENTER_CS, _ESP, _EIP */
};

void *vm_guest_pointer(struct vm *vm, uint64_t gpa, uint64_t bytes)
{
    if (gpa >= vm->config.ram_bytes || bytes > vm->config.ram_bytes - gpa)
        return NULL;
    return (void *)(uintptr_t)(vm->ram_hpa + gpa);
}

bool vm_in_kernel_text(const struct vm *vm, uint64_t gpa)
{
    for (unsigned i = 0; i < vm->kernel_text_count; i++) {
        if (gpa >= vm->kernel_text[i].gpa && gpa - vm->kernel_text[i].gpa < vm->kernel_text[i].bytes)
            return true;
    }
    return false;
}

void vm_mark_changed(struct vm *vm, unsigned clean_bit)
{
    vm->dirty_clean_bits |= VMCB_CLEAN_BIT(clean_bit);
    vm->vmcb_changed = true;
}

void vm_end(struct vm *vm, enum vm_end_cause cause, const char *reason)
{
    vm->state = VM_ENDED;
    vm->end_cause = cause;
    vm->end_reason = reason;
    log_line(vm->config.name, "ended: %s", reason);
}

static void set_segment(struct vmcb_seg *seg, uint16_t selector, uint16_t attrib)
{
    *seg = (struct vmcb_seg){ .selector = selector, .attrib = attrib,
                              .limit = 0xffffffffu, .base = 0 };
}

/* The guest's first address space: 2 MiB identity pages over all of RAM, in guest
 * memory, so that the guest starts in long mode like any 64-bit kernel would. */
static int build_guest_boot_tables(struct vm *vm)
{
    uint64_t *pml4 = vm_guest_pointer(vm, GUEST_BOOT_TABLES_GPA, 3 * PAGE_SIZE_4K);
    uint64_t pages_2m = vm->config.ram_bytes / PAGE_SIZE_2M;

    if (!pml4 || pages_2m == 0 || pages_2m > PT_ENTRIES)
        return HV_ERANGE;
    uint64_t *pdpt = pml4 + PT_ENTRIES, *pd = pdpt + PT_ENTRIES;
    const uint64_t table = PTE_PRESENT | PTE_WRITABLE | PTE_USER;
    pml4[0] = (GUEST_BOOT_TABLES_GPA + PAGE_SIZE_4K) | table;
    pdpt[0] = (GUEST_BOOT_TABLES_GPA + 2 * PAGE_SIZE_4K) | table;
    for (uint64_t i = 0; i < pages_2m; i++)
        pd[i] = (i * PAGE_SIZE_2M) | table | PTE_LARGE;
    return 0;
}

static uint64_t guest_features(const struct vm *vm)
{
    uint64_t features = GUEST_FEATURE_HOST_NXE;

    if (vm->gmet_enabled)
        features |= GUEST_FEATURE_GMET_ENABLED;
    if (vm->config.gmet)
        features |= GUEST_FEATURE_GMET_REQUESTED;
    if (vm->config.pat_mode == PAT_MODE_INTERCEPT)
        features |= GUEST_FEATURE_PAT_INTERCEPT;
    if (hypervisor.features.has_nrips)
        features |= GUEST_FEATURE_NRIPS;
    return features | vm->config.extra_features;
}

static int load_test_guest(struct vm *vm, struct vm_entry_state *entry)
{
    uint64_t image_bytes = hypervisor.guest_image_bytes;
    void *image = vm_guest_pointer(vm, GUEST_IMAGE_GPA, image_bytes);
    struct guest_boot_info *info = vm_guest_pointer(vm, GUEST_BOOT_INFO_GPA, sizeof *info);
    uint64_t *gdt = vm_guest_pointer(vm, GUEST_GDT_GPA, 3 * sizeof(uint64_t));

    if (!image || !info || !gdt)
        return HV_ERANGE;
    memcpy(image, hypervisor.guest_image, image_bytes);
    *info = (struct guest_boot_info){
        .abi_version = MINISVM_ABI_VERSION,
        .vm_id = vm->id,
        .ram_bytes = vm->config.ram_bytes,
        .features = guest_features(vm),
    };
    strncpy(info->vm_name, vm->config.name, sizeof info->vm_name - 1);
    gdt[0] = 0;
    gdt[1] = DESCRIPTOR_CODE64_KERNEL;
    gdt[2] = DESCRIPTOR_DATA_KERNEL;
    *entry = (struct vm_entry_state){
        .code_selector = GUEST_SELECTOR_CS, .code_attrib = GUEST_CODE_ATTRIB,
        .data_selector = GUEST_SELECTOR_DS, .data_attrib = GUEST_DATA_ATTRIB,
        .gdt_base = GUEST_GDT_GPA, .gdt_limit = 3 * 8 - 1,
        .cr0 = GUEST_CR0, .cr3 = GUEST_BOOT_TABLES_GPA, .cr4 = GUEST_CR4,
        .efer = EFER_LME | EFER_LMA | EFER_NXE,
        .rip = GUEST_IMAGE_GPA, .rsp = vm->config.ram_bytes, .rdi = GUEST_BOOT_INFO_GPA,
    };
    return build_guest_boot_tables(vm);
}

static void init_control_area(struct vm *vm)
{
    struct vmcb_control_area *c = &vm->vmcb->control;
    static const unsigned intercepts[] = {
        INTERCEPT_EXCEPTION(18),           /* #MC: the host must see machine checks */
        INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_CPUID, INTERCEPT_INVD, INTERCEPT_HLT,
        INTERCEPT_INVLPGA, INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_SHUTDOWN,
        INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD, INTERCEPT_VMSAVE,
        INTERCEPT_STGI, INTERCEPT_CLGI, INTERCEPT_SKINIT, INTERCEPT_XSETBV,
    };

    for (unsigned i = 0; i < sizeof intercepts / sizeof intercepts[0]; i++)
        vmcb_set_intercept(c, intercepts[i]);
    c->iopm_base_pa = (uint64_t)(uintptr_t)vm->iopm;
    c->msrpm_base_pa = (uint64_t)(uintptr_t)vm->msrpm;
    c->asid = vm->asid;
    /* The guest's IF and TPR govern only virtual interrupts; physical ones stay
     * with the host (APM §15.21.1). */
    c->int_ctl = V_INTR_MASKING_MASK;
    c->misc_ctl = SVM_MISC_ENABLE_NP | (vm->gmet_enabled ? SVM_MISC_ENABLE_GMET : 0);
    c->nested_cr3 = npt_root(&vm->npt);
}

/* The VMCB's save area from the entry state the guest's loader chose; the rest
 * as after a reset, with a clean x87/SSE state. */
static void init_save_area(struct vm *vm, const struct vm_entry_state *entry)
{
    struct vmcb_save_area *s = &vm->vmcb->save;

    set_segment(&s->cs, entry->code_selector, entry->code_attrib);
    set_segment(&s->ss, entry->data_selector, entry->data_attrib);
    set_segment(&s->ds, entry->data_selector, entry->data_attrib);
    set_segment(&s->es, entry->data_selector, entry->data_attrib);
    set_segment(&s->fs, entry->data_selector, entry->data_attrib);
    set_segment(&s->gs, entry->data_selector, entry->data_attrib);
    s->gdtr = (struct vmcb_seg){ .limit = entry->gdt_limit, .base = entry->gdt_base };
    s->idtr = (struct vmcb_seg){ .limit = 0, .base = 0 };
    s->ldtr = (struct vmcb_seg){ 0 };
    s->tr = (struct vmcb_seg){ .attrib = 0x008b, .limit = 0x67 }; /* busy 64-bit TSS */
    s->cpl = 0;
    s->efer = entry->efer | EFER_SVME;  /* VMRUN requires SVME in the guest EFER */
    s->cr0 = entry->cr0;
    s->cr3 = entry->cr3;
    s->cr4 = entry->cr4;
    s->dr6 = GUEST_DR6;
    s->dr7 = GUEST_DR7;
    s->rflags = GUEST_RFLAGS;
    s->rip = entry->rip;
    s->rsp = entry->rsp;
    s->rax = 0;
    s->g_pat = PAT_POWER_ON_DEFAULT;
    vm->registers.rdi = entry->rdi;
    vm->registers.rsi = entry->rsi;
    /* A clean x87/SSE state, as after FNINIT with the default MXCSR. */
    memset(vm->registers.guest_fxsave, 0, sizeof vm->registers.guest_fxsave);
    vm->registers.guest_fxsave[0] = FXSAVE_FCW_DEFAULT & 0xff;
    vm->registers.guest_fxsave[1] = FXSAVE_FCW_DEFAULT >> 8;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(vm->registers.guest_fxsave + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof mxcsr);
}

static int alloc_pages(uint64_t bytes, uint64_t align, void **out)
{
    uint64_t pa;
    int error = memory_alloc_zeroed((bytes + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K, align, &pa);

    *out = (void *)(uintptr_t)pa;
    return error;
}

static int init_permission_maps(struct vm *vm)
{
    int error = alloc_pages(MSRPM_SIZE_BYTES, PAGE_SIZE_4K, (void **)&vm->msrpm);
    if (!error)
        error = alloc_pages(IOPM_SIZE_BYTES, PAGE_SIZE_4K, (void **)&vm->iopm);
    if (error)
        return error;
    /* Deny by default: every port and every MSR exits to minisvm. */
    iopm_init_intercept_all(vm->iopm);
    msrpm_init_intercept_all(vm->msrpm);
    for (unsigned i = 0; i < sizeof passthrough_msrs / sizeof passthrough_msrs[0]; i++)
        msrpm_set(vm->msrpm, passthrough_msrs[i], false, false);
    if (vm->config.pat_mode == PAT_MODE_PASSTHROUGH)
        msrpm_set(vm->msrpm, MSR_IA32_CR_PAT, false, false);
    return 0;
}

/* CPUID 8000_0008 EAX[7:0]: the CPU's physical address width. */
static unsigned physical_address_bits(void)
{
    return cpuid(0x80000008u, 0).eax & 0xff;
}

int vm_create(struct vm *vm, unsigned id, const struct vm_config *config, const char **why)
{
    struct vm_entry_state entry;
    int error;

    memset(vm, 0, sizeof *vm);
    vm->config = *config;
    vm->id = id;
    vm->state = VM_RUNNING;
    vm->first_run = true;
    vm->vmcb_changed = true;
    vm->asid = id + 1;  /* ASID 0 is the host's */
    *why = NULL;
    if (!svm_asid_is_valid_for_guest(&hypervisor.features, vm->asid))
        return HV_ERANGE;
    if (config->ram_bytes % PAGE_SIZE_2M != 0 || config->ram_bytes == 0)
        return HV_EINVAL;

    vm->gmet_enabled = config->gmet && hypervisor.features.has_gmet;
    if (config->gmet && !vm->gmet_enabled)
        log_line(config->name, "GMET requested, but the CPU lacks it (CPUID 8000_000A EDX[17]=0): "
                 "running without GMET");

    error = alloc_pages(config->ram_bytes, PAGE_SIZE_2M, (void **)&vm->ram_hpa);
    if (!error)
        error = alloc_pages(PAGE_SIZE_4K, PAGE_SIZE_4K, (void **)&vm->vmcb);
    if (!error)
        error = init_permission_maps(vm);
    if (!error)
        error = npt_init(&vm->npt, &identity_table_ops, NULL,
                         hypervisor.features.page_1gb ? 3 : 2);
    /* With GMET a U/S=0 page stays readable and writable and is executable at
     * every CPL (APM §15.25.13): RAM starts that way, so the guest's kernel can
     * run before it declares its text; then everything else becomes U/S=1
     * (hv/hypercall.c). Without GMET every nested access is a user access and
     * U/S must be 1 (APM §15.25.5). */
    if (!error)
        error = npt_map(&vm->npt, 0, vm->ram_hpa, config->ram_bytes,
                        PTE_WRITABLE | (vm->gmet_enabled ? 0 : PTE_USER), HOST_PAT_INDEX_WB);
    if (!error)
        error = vm_is_linux(vm) ? linux_vm_load(vm, &entry, why) : load_test_guest(vm, &entry);
    if (error)
        return error;
    init_control_area(vm);
    init_save_area(vm, &entry);
    vm_platform_init(vm, &hypervisor.boot_date);
    mtrr_init(&vm->mtrrs, physical_address_bits());
    log_line(config->name, "created: %s, %llu MiB RAM at host 0x%llx, ASID %u, VMCB 0x%llx, "
             "nCR3 0x%llx, GMET %s, PAT %s", vm_is_linux(vm) ? "Linux" : "test guest",
             (unsigned long long)(config->ram_bytes >> 20),
             (unsigned long long)vm->ram_hpa, (unsigned)vm->asid,
             (unsigned long long)(uintptr_t)vm->vmcb, (unsigned long long)npt_root(&vm->npt),
             vm->gmet_enabled ? "on" : "off",
             config->pat_mode == PAT_MODE_INTERCEPT ? "intercepted" : "passthrough");
    return 0;
}
