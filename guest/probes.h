/* The probes of probes.asm: accesses that may fault, and instructions that let
 * a pending interrupt in, each with the address of its instruction and of its
 * recovery label, so tests can check the reported RIP exactly. */
#ifndef GUEST_PROBES_H
#define GUEST_PROBES_H

#include <stdint.h>

#include "guest/abi.h"

#define PROBE_SENTINEL 0x5e5e5e5e5e5e5e5eull

/* #NPF probes: return the HC_EXPECT_NPF result (0 = armed). */
int64_t npf_probe_read(uint64_t address, struct npf_report *report, uint64_t *value);
int64_t npf_probe_write(uint64_t address, struct npf_report *report, uint64_t value);
int64_t npf_probe_fetch(uint64_t address, struct npf_report *report);
int64_t npf_probe_registers(uint64_t address, struct npf_report *report);
extern const uint8_t npf_probe_read_access[], npf_probe_write_access[];
extern const uint8_t npf_probe_registers_access[];

/* Makes hypercall number with every other register loaded from the patterns;
 * stores them all to the snapshot afterwards; returns RAX. */
int64_t hypercall_probe_registers(uint64_t number);

/* Register order of npf_register_patterns and npf_register_snapshot:
 * rax rbx rcx rdx rsi rdi rbp r8 ... r15, then (snapshot only) rsp. */
#define NPF_PROBE_REGISTERS 15
extern uint64_t npf_register_patterns[16], npf_register_snapshot[16];
extern uint64_t npf_register_rsp_before, npf_register_flags_before, npf_register_flags_after;

/* Exception probes: probe_X() runs the instruction at probe_X_instruction and
 * returns; probe_X_resume is the recovery RIP to arm with exception_expect(). */
#define DECLARE_PROBE(name, type, ...)                      \
    type name(__VA_ARGS__);                                 \
    extern const uint8_t name##_instruction[], name##_resume[]

DECLARE_PROBE(probe_vmrun, void, void);
DECLARE_PROBE(probe_vmload, void, void);
DECLARE_PROBE(probe_vmsave, void, void);
DECLARE_PROBE(probe_stgi, void, void);
DECLARE_PROBE(probe_clgi, void, void);
DECLARE_PROBE(probe_skinit, void, void);
DECLARE_PROBE(probe_invlpga, void, void);
DECLARE_PROBE(probe_rdmsr, uint64_t, uint32_t msr);
DECLARE_PROBE(probe_wrmsr, void, uint32_t msr, uint64_t value);
DECLARE_PROBE(probe_read, uint64_t, uint64_t address);
DECLARE_PROBE(probe_undefined, void, void);
DECLARE_PROBE(probe_breakpoint, void, void);
DECLARE_PROBE(probe_divide_by_zero, void, void);

/* Interrupt probes: each ends with IF=0; a pending interrupt must be taken with
 * name_resume as the interrupted RIP, right after name_instruction. */
DECLARE_PROBE(probe_halt, void, void);                  /* sti; hlt */
DECLARE_PROBE(probe_port_write, void, uint16_t port, uint8_t value); /* out, IF as it is */
DECLARE_PROBE(probe_enable_by_popf, void, void);        /* popfq with IF=1 */

#define ADDRESS_OF(symbol) ((uint64_t)(uintptr_t)(symbol))

#endif
