/* The L1 test program: a tiny 64-bit kernel that runs one L2 guest under
 * AMD SVM with nested paging and checks what the (emulated) CPU reports.
 * See docs/qemu.md. Freestanding: no libc. */
#ifndef L1_H
#define L1_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define MSR_EFER        0xC0000080u
#define MSR_VM_HSAVE_PA 0xC0010117u
#define MSR_PAT         0x277u
#define EFER_SVME       (1ull << 12)
#define EFER_NXE        (1ull << 11)
#define EFER_LMA        (1ull << 10)
#define EFER_LME        (1ull << 8)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return lo | (uint64_t)hi << 32;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* lib.c */
void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
_Noreturn void qemu_exit(unsigned code);
_Noreturn void l1_exception(uint64_t vector, uint64_t error, uint64_t rip);
void idt_install(void);

/* svm.asm */
void svm_vmrun(uint64_t vmcb_pa);
extern const uint8_t guest_code_start[];
extern const uint64_t guest_code_bytes;
extern const uint8_t guest_vmmcall[], guest_read[], guest_write[], guest_jump[];
extern const uint8_t guest_rdmsr_pat[], guest_wrmsr_pat[];
extern const uint8_t guest_cpl_switch[], guest_user_syscall[];

/* The VMCB, APM vol. 2 appendix B; only the fields this program uses are named. */
struct vmcb_seg {
    uint16_t selector, attrib;
    uint32_t limit;
    uint64_t base;
} __attribute__((packed));

struct vmcb {
    /* control area */
    uint32_t intercept_cr;          /* 0x000 */
    uint32_t intercept_dr;          /* 0x004 */
    uint32_t intercept_exceptions;  /* 0x008 */
    uint32_t intercept_misc1;       /* 0x00c */
    uint32_t intercept_misc2;       /* 0x010 */
    uint8_t  reserved_014[0x058 - 0x014];
    uint32_t asid;                  /* 0x058 */
    uint8_t  tlb_control;           /* 0x05c */
    uint8_t  reserved_05d[0x070 - 0x05d];
    uint64_t exit_code;             /* 0x070 */
    uint64_t exit_info_1;           /* 0x078 */
    uint64_t exit_info_2;           /* 0x080 */
    uint8_t  reserved_088[0x090 - 0x088];
    uint64_t misc_ctl;              /* 0x090: bit 0 NP_ENABLE, bit 3 GMET */
    uint8_t  reserved_098[0x0b0 - 0x098];
    uint64_t nested_cr3;            /* 0x0b0 */
    uint8_t  reserved_0b8[0x400 - 0x0b8];
    /* state-save area */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t  reserved_4a0[0x4cb - 0x4a0];
    uint8_t  cpl;                   /* 0x4cb */
    uint8_t  reserved_4cc[4];
    uint64_t efer;                  /* 0x4d0 */
    uint8_t  reserved_4d8[0x548 - 0x4d8];
    uint64_t cr4;                   /* 0x548 */
    uint64_t cr3;                   /* 0x550 */
    uint64_t cr0;                   /* 0x558 */
    uint64_t dr7;                   /* 0x560 */
    uint64_t dr6;                   /* 0x568 */
    uint64_t rflags;                /* 0x570 */
    uint64_t rip;                   /* 0x578 */
    uint8_t  reserved_580[0x5d8 - 0x580];
    uint64_t rsp;                   /* 0x5d8 */
    uint8_t  reserved_5e0[0x5f8 - 0x5e0];
    uint64_t rax;                   /* 0x5f8 */
    uint8_t  reserved_600[0x668 - 0x600];
    uint64_t g_pat;                 /* 0x668 */
    uint8_t  reserved_670[0x1000 - 0x670];
} __attribute__((packed));

_Static_assert(offsetof(struct vmcb, intercept_exceptions) == 0x008, "vmcb");
_Static_assert(offsetof(struct vmcb, intercept_misc2) == 0x010, "vmcb");
_Static_assert(offsetof(struct vmcb, asid) == 0x058, "vmcb");
_Static_assert(offsetof(struct vmcb, exit_code) == 0x070, "vmcb");
_Static_assert(offsetof(struct vmcb, misc_ctl) == 0x090, "vmcb");
_Static_assert(offsetof(struct vmcb, nested_cr3) == 0x0b0, "vmcb");
_Static_assert(offsetof(struct vmcb, tr) == 0x490, "vmcb");
_Static_assert(offsetof(struct vmcb, cpl) == 0x4cb, "vmcb");
_Static_assert(offsetof(struct vmcb, efer) == 0x4d0, "vmcb");
_Static_assert(offsetof(struct vmcb, cr4) == 0x548, "vmcb");
_Static_assert(offsetof(struct vmcb, rip) == 0x578, "vmcb");
_Static_assert(offsetof(struct vmcb, rsp) == 0x5d8, "vmcb");
_Static_assert(offsetof(struct vmcb, rax) == 0x5f8, "vmcb");
_Static_assert(offsetof(struct vmcb, g_pat) == 0x668, "vmcb");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb");

#endif
