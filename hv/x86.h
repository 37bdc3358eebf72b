/* Thin wrappers around the x86-64 instructions minisvm needs from C: CPUID, MSR
 * access, port I/O, control registers, TLB invalidation, descriptor tables. Plain
 * inline assembly over <stdint.h>, shared by the hypervisor and the test guest.
 * See: APM Vol. 2 §3.1 (control registers), §3.2 (MSRs), §4.6 (descriptor tables). */
#ifndef HV_X86_H
#define HV_X86_H

#include <stdint.h>

#define MSR_EFER          0xc0000080u
#define MSR_VM_HSAVE_PA   0xc0010117u

#define EFER_SCE          (1ull << 0)
#define EFER_LME          (1ull << 8)
#define EFER_LMA          (1ull << 10)
#define EFER_NXE          (1ull << 11)
#define EFER_SVME         (1ull << 12)

#define CR0_PE            (1ull << 0)
#define CR0_WP            (1ull << 16)
#define CR0_NW            (1ull << 29)
#define CR0_CD            (1ull << 30)
#define CR0_PG            (1ull << 31)
#define CR4_PAE           (1ull << 5)
#define CR4_PGE           (1ull << 7)
#define CR4_LA57          (1ull << 12)
#define CR4_SMEP          (1ull << 20)
#define CR4_CET           (1ull << 23)
#define RFLAGS_IF         (1ull << 9)
#define RFLAGS_VM         (1ull << 17)

struct cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_result cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct cpuid_result r;

    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr"
                     :
                     : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
                     : "memory");
}

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;

    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;

    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t value;

    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

#define DEFINE_CR_ACCESSORS(n)                                             \
    static inline uint64_t read_cr##n(void)                                \
    {                                                                      \
        uint64_t value;                                                    \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(value));              \
        return value;                                                      \
    }                                                                      \
    static inline void write_cr##n(uint64_t value)                         \
    {                                                                      \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(value) : "memory");     \
    }
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint16_t read_cs(void)
{
    uint16_t value;

    __asm__ volatile("mov %%cs, %0" : "=r"(value));
    return value;
}

static inline void invlpg(uint64_t virtual_address)
{
    __asm__ volatile("invlpg (%0)" : : "r"(virtual_address) : "memory");
}

struct descriptor_table_register {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static inline uint64_t rdtsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

__attribute__((noreturn)) static inline void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

#endif
