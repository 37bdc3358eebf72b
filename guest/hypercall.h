/* Hypercall wrappers: VMMCALL with RAX = number and RDI, RSI, RDX as arguments;
 * the result comes back in RAX and every other register is preserved.
 * See: guest/abi.h; APM Vol. 2 §15.9 (VMMCALL is intercepted, exit code 0x81). */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>

#include "guest/abi.h"

/* "memory": the hypervisor may write guest RAM (the npf_report), and a hypercall
 * must not be moved across the memory accesses it is meant to order. */
static inline int64_t hypercall3(uint64_t number, uint64_t first, uint64_t second,
                                 uint64_t third)
{
    int64_t result;

    __asm__ volatile("vmmcall"
                     : "=a"(result)
                     : "a"(number), "D"(first), "S"(second), "d"(third)
                     : "memory");
    return result;
}

static inline int64_t hypercall_abi_version(void)
{
    return hypercall3(HC_ABI_VERSION, 0, 0, 0);
}

static inline int64_t hypercall_done(uint64_t passed, uint64_t failed, uint64_t skipped)
{
    return hypercall3(HC_DONE, passed, failed, skipped);
}

static inline int64_t hypercall_expect_npf(uint64_t recovery_rip, struct npf_report *report)
{
    return hypercall3(HC_EXPECT_NPF, recovery_rip, (uint64_t)(uintptr_t)report, 0);
}

static inline int64_t hypercall_cancel_expect(void)
{
    return hypercall3(HC_CANCEL_EXPECT, 0, 0, 0);
}

static inline int64_t hypercall_set_npt_access(uint64_t gpa, uint64_t bytes, uint64_t access)
{
    return hypercall3(HC_SET_NPT_ACCESS, gpa, bytes, access);
}

static inline int64_t hypercall_declare_kernel_text(uint64_t gpa, uint64_t bytes)
{
    return hypercall3(HC_DECLARE_KERNEL_TEXT, gpa, bytes, 0);
}

static inline int64_t hypercall_yield(void)
{
    return hypercall3(HC_YIELD, 0, 0, 0);
}

#endif
