/* The guest state that VMRUN does not switch: the general-purpose registers other
 * than RAX and RSP (those live in the VMCB save area) and the x87/SSE state. The
 * world switch (svm/vmrun.asm) loads and stores this frame around VMRUN.
 * See: APM §15.5.1 (what VMRUN saves and loads), svm-reference §7.4. */
#ifndef SVM_GUEST_REGISTERS_H
#define SVM_GUEST_REGISTERS_H

#include <stddef.h>
#include <stdint.h>

#define FXSAVE_AREA_BYTES 512

struct guest_registers {
    uint64_t rbx;   /* 0x00 */
    uint64_t rcx;   /* 0x08 */
    uint64_t rdx;   /* 0x10 */
    uint64_t rsi;   /* 0x18 */
    uint64_t rdi;   /* 0x20 */
    uint64_t rbp;   /* 0x28 */
    uint64_t r8;    /* 0x30 */
    uint64_t r9;    /* 0x38 */
    uint64_t r10;   /* 0x40 */
    uint64_t r11;   /* 0x48 */
    uint64_t r12;   /* 0x50 */
    uint64_t r13;   /* 0x58 */
    uint64_t r14;   /* 0x60 */
    uint64_t r15;   /* 0x68 */
    uint64_t reserved; /* 0x70: keeps the FXSAVE areas 16-byte aligned */
    uint64_t padding;  /* 0x78 */
    /* FXSAVE64 images: the guest's while the host runs, and the host's while the
     * guest runs (the hypervisor uses SSE through newlib and the compiler). */
    uint8_t guest_fxsave[FXSAVE_AREA_BYTES] __attribute__((aligned(16))); /* 0x080 */
    uint8_t host_fxsave[FXSAVE_AREA_BYTES] __attribute__((aligned(16)));  /* 0x280 */
};

_Static_assert(offsetof(struct guest_registers, rbx) == 0x00, "rbx");
_Static_assert(offsetof(struct guest_registers, rcx) == 0x08, "rcx");
_Static_assert(offsetof(struct guest_registers, rdx) == 0x10, "rdx");
_Static_assert(offsetof(struct guest_registers, rsi) == 0x18, "rsi");
_Static_assert(offsetof(struct guest_registers, rdi) == 0x20, "rdi");
_Static_assert(offsetof(struct guest_registers, rbp) == 0x28, "rbp");
_Static_assert(offsetof(struct guest_registers, r8) == 0x30, "r8");
_Static_assert(offsetof(struct guest_registers, r9) == 0x38, "r9");
_Static_assert(offsetof(struct guest_registers, r10) == 0x40, "r10");
_Static_assert(offsetof(struct guest_registers, r11) == 0x48, "r11");
_Static_assert(offsetof(struct guest_registers, r12) == 0x50, "r12");
_Static_assert(offsetof(struct guest_registers, r13) == 0x58, "r13");
_Static_assert(offsetof(struct guest_registers, r14) == 0x60, "r14");
_Static_assert(offsetof(struct guest_registers, r15) == 0x68, "r15");
_Static_assert(offsetof(struct guest_registers, guest_fxsave) == 0x80, "guest_fxsave");
_Static_assert(offsetof(struct guest_registers, host_fxsave) == 0x280, "host_fxsave");

#endif
