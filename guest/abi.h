/* The guest/hypervisor ABI of minisvm: the guest's start state, the hypercalls and
 * the result protocol. Included by both sides (hv/ and guest/), so it holds only
 * plain C types and constants. See: design.md §3 and §6. */
#ifndef GUEST_ABI_H
#define GUEST_ABI_H

#include <stdint.h>

#define MINISVM_ABI_VERSION 1

/* ---- Guest memory map and start state ----------------------------------------
 * RAM is GPA 0 .. ram_bytes (default 32 MiB); nothing else is mapped.
 * The image is loaded at GUEST_IMAGE_GPA and entered at its first byte, in 64-bit
 * mode at CPL 0 with flat segments, identity page tables over all of RAM built by
 * the hypervisor at GUEST_BOOT_TABLES_GPA (2 MiB pages), RSP = top of RAM,
 * RFLAGS = 2, gPAT = 0x0007040600070406, and RDI = GUEST_BOOT_INFO_GPA. */
#define GUEST_BOOT_INFO_GPA    0x1000ull
#define GUEST_BOOT_TABLES_GPA  0x2000ull   /* PML4, PDPT, PD: three pages */
#define GUEST_IMAGE_GPA        0x100000ull /* 1 MiB */
#define GUEST_DEFAULT_RAM_BYTES (32ull << 20)

struct guest_boot_info {
    uint32_t abi_version;
    uint32_t vm_id;             /* 0 for vm0, 1 for vm1, ... */
    uint64_t ram_bytes;
    uint64_t features;          /* GUEST_FEATURE_* */
    char vm_name[16];           /* "vm0" */
};

#define GUEST_FEATURE_GMET_ENABLED   (1ull << 0) /* GMET is on for this VM */
#define GUEST_FEATURE_GMET_REQUESTED (1ull << 1) /* configured, CPU may lack it */
#define GUEST_FEATURE_PAT_INTERCEPT  (1ull << 2) /* pat=intercept (else passthrough) */
#define GUEST_FEATURE_NRIPS          (1ull << 3)
#define GUEST_FEATURE_HOST_NXE       (1ull << 4) /* nested NX is honoured */
#define GUEST_FEATURE_TRIPLE_FAULT   (1ull << 5) /* the broken VM: triple-fault on purpose */
#define GUEST_FEATURE_HANG           (1ull << 6) /* the broken VM: spin forever, never exit */

/* ---- Hypercalls ----------------------------------------------------------------
 * VMMCALL with RAX = number and arguments in RDI, RSI, RDX; the result comes back
 * in RAX: 0 or a positive value on success, a negative HC_E* code on error. Every
 * argument is checked: guest-physical ranges must lie inside the VM's RAM. */
enum minisvm_hypercall {
    HC_ABI_VERSION = 0,      /* -> MINISVM_ABI_VERSION */
    HC_DONE = 1,             /* rdi = passed, rsi = failed, rdx = skipped: the guest has finished */
    HC_EXPECT_NPF = 2,       /* rdi = recovery RIP, rsi = GPA of a struct npf_report to fill
                                (8-byte aligned, wholly inside RAM) */
    HC_CANCEL_EXPECT = 3,    /* disarm a pending HC_EXPECT_NPF */
    HC_SET_NPT_ACCESS = 4,   /* rdi = page-aligned GPA, rsi = bytes, rdx = NPT_ACCESS_* */
    HC_READ_HOST_PAT = 5,    /* -> the host's IA32_PAT (hPAT) */
    HC_READ_VMCB_GPAT = 6,   /* -> this VM's VMCB G_PAT */
    HC_DECLARE_KERNEL_TEXT = 7, /* rdi = page-aligned GPA, rsi = bytes */
    HC_YIELD = 8,            /* let the next VM run (interleaved mode) */
    HC_PAT_SEPARATION = 9,   /* rdi = the PAT the guest wrote (pat=passthrough) -> PAT_SEPARATION_* */
    HC_COUNT
};

/* HC_SET_NPT_ACCESS: what the nested page tables allow for the range. */
#define NPT_ACCESS_PRESENT   (1u << 0)
#define NPT_ACCESS_WRITE     (1u << 1)
#define NPT_ACCESS_USER      (1u << 2)
#define NPT_ACCESS_NO_EXEC   (1u << 3)
#define NPT_ACCESS_DEFAULT   (NPT_ACCESS_PRESENT | NPT_ACCESS_WRITE | NPT_ACCESS_USER)

/* HC_PAT_SEPARATION: what minisvm saw at this VM's exits so far. */
#define PAT_SEPARATION_HOST_INTACT  (1u << 0) /* the host's IA32_PAT held hPAT at every exit */
#define PAT_SEPARATION_GPAT_SAVED   (1u << 1) /* the VMCB's G_PAT held the guest's value */

#define HC_OK       0
#define HC_EPERM  (-1)   /* called from CPL 1-3: hypercalls are the guest kernel's */
#define HC_EFAULT (-14)  /* a guest-physical range outside the VM's RAM */
#define HC_EINVAL (-22)  /* a bad argument (alignment, length, flags) */
#define HC_ENOSYS (-38)  /* no such hypercall */
#define HC_EBUSY  (-16)  /* a fault is already expected */

/* Filled by the hypervisor when an expected #NPF (or other expected exit) happens,
 * before the guest resumes at the recovery RIP. */
struct npf_report {
    uint64_t exit_code;
    uint64_t exit_info_1;
    uint64_t exit_info_2;
    uint64_t guest_rip;       /* RIP of the faulting instruction */
    uint64_t guest_cpl;
    uint64_t count;           /* incremented at each report */
};

#endif
