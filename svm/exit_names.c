/* Readable names for #VMEXIT codes, for log lines and VMCB dumps.
 * See: APM Appendix C (SVM intercept exit codes), §15.14.5. */
#include "svm/vmcb.h"

static const char *const cr_read_names[16] = {
    "CR0 read", "CR1 read", "CR2 read", "CR3 read", "CR4 read", "CR5 read",
    "CR6 read", "CR7 read", "CR8 read", "CR9 read", "CR10 read", "CR11 read",
    "CR12 read", "CR13 read", "CR14 read", "CR15 read",
};

static const char *const cr_write_names[16] = {
    "CR0 write", "CR1 write", "CR2 write", "CR3 write", "CR4 write", "CR5 write",
    "CR6 write", "CR7 write", "CR8 write", "CR9 write", "CR10 write", "CR11 write",
    "CR12 write", "CR13 write", "CR14 write", "CR15 write",
};

static const char *const dr_read_names[16] = {
    "DR0 read", "DR1 read", "DR2 read", "DR3 read", "DR4 read", "DR5 read",
    "DR6 read", "DR7 read", "DR8 read", "DR9 read", "DR10 read", "DR11 read",
    "DR12 read", "DR13 read", "DR14 read", "DR15 read",
};

static const char *const dr_write_names[16] = {
    "DR0 write", "DR1 write", "DR2 write", "DR3 write", "DR4 write", "DR5 write",
    "DR6 write", "DR7 write", "DR8 write", "DR9 write", "DR10 write", "DR11 write",
    "DR12 write", "DR13 write", "DR14 write", "DR15 write",
};

static const char *const cr_write_trap_names[16] = {
    "CR0 write trap", "CR1 write trap", "CR2 write trap", "CR3 write trap",
    "CR4 write trap", "CR5 write trap", "CR6 write trap", "CR7 write trap",
    "CR8 write trap", "CR9 write trap", "CR10 write trap", "CR11 write trap",
    "CR12 write trap", "CR13 write trap", "CR14 write trap", "CR15 write trap",
};

/* Vectors without an architectural mnemonic are named by number. */
static const char *const exception_names[32] = {
    "#DE exception", "#DB exception", "vector 2 exception", "#BP exception",
    "#OF exception", "#BR exception", "#UD exception", "#NM exception",
    "#DF exception", "vector 9 exception", "#TS exception", "#NP exception",
    "#SS exception", "#GP exception", "#PF exception", "vector 15 exception",
    "#MF exception", "#AC exception", "#MC exception", "#XF exception",
    "vector 20 exception", "#CP exception", "vector 22 exception", "vector 23 exception",
    "vector 24 exception", "vector 25 exception", "vector 26 exception", "vector 27 exception",
    "#HV exception", "#VC exception", "#SX exception", "vector 31 exception",
};

/* Exit codes 0x060-0x0a6 in order; NULL marks a code the APM does not define. */
static const char *const event_and_instruction_names[] = {
    [SVM_EXIT_INTR - SVM_EXIT_INTR] = "INTR",
    [SVM_EXIT_NMI - SVM_EXIT_INTR] = "NMI",
    [SVM_EXIT_SMI - SVM_EXIT_INTR] = "SMI",
    [SVM_EXIT_INIT - SVM_EXIT_INTR] = "INIT",
    [SVM_EXIT_VINTR - SVM_EXIT_INTR] = "VINTR",
    [SVM_EXIT_CR0_SEL_WRITE - SVM_EXIT_INTR] = "selective CR0 write",
    [SVM_EXIT_IDTR_READ - SVM_EXIT_INTR] = "IDTR read",
    [SVM_EXIT_GDTR_READ - SVM_EXIT_INTR] = "GDTR read",
    [SVM_EXIT_LDTR_READ - SVM_EXIT_INTR] = "LDTR read",
    [SVM_EXIT_TR_READ - SVM_EXIT_INTR] = "TR read",
    [SVM_EXIT_IDTR_WRITE - SVM_EXIT_INTR] = "IDTR write",
    [SVM_EXIT_GDTR_WRITE - SVM_EXIT_INTR] = "GDTR write",
    [SVM_EXIT_LDTR_WRITE - SVM_EXIT_INTR] = "LDTR write",
    [SVM_EXIT_TR_WRITE - SVM_EXIT_INTR] = "TR write",
    [SVM_EXIT_RDTSC - SVM_EXIT_INTR] = "RDTSC",
    [SVM_EXIT_RDPMC - SVM_EXIT_INTR] = "RDPMC",
    [SVM_EXIT_PUSHF - SVM_EXIT_INTR] = "PUSHF",
    [SVM_EXIT_POPF - SVM_EXIT_INTR] = "POPF",
    [SVM_EXIT_CPUID - SVM_EXIT_INTR] = "CPUID",
    [SVM_EXIT_RSM - SVM_EXIT_INTR] = "RSM",
    [SVM_EXIT_IRET - SVM_EXIT_INTR] = "IRET",
    [SVM_EXIT_SWINT - SVM_EXIT_INTR] = "INTn",
    [SVM_EXIT_INVD - SVM_EXIT_INTR] = "INVD",
    [SVM_EXIT_PAUSE - SVM_EXIT_INTR] = "PAUSE",
    [SVM_EXIT_HLT - SVM_EXIT_INTR] = "HLT",
    [SVM_EXIT_INVLPG - SVM_EXIT_INTR] = "INVLPG",
    [SVM_EXIT_INVLPGA - SVM_EXIT_INTR] = "INVLPGA",
    [SVM_EXIT_IOIO - SVM_EXIT_INTR] = "IOIO",
    [SVM_EXIT_MSR - SVM_EXIT_INTR] = "MSR",
    [SVM_EXIT_TASK_SWITCH - SVM_EXIT_INTR] = "task switch",
    [SVM_EXIT_FERR_FREEZE - SVM_EXIT_INTR] = "FERR_FREEZE",
    [SVM_EXIT_SHUTDOWN - SVM_EXIT_INTR] = "SHUTDOWN",
    [SVM_EXIT_VMRUN - SVM_EXIT_INTR] = "VMRUN",
    [SVM_EXIT_VMMCALL - SVM_EXIT_INTR] = "VMMCALL",
    [SVM_EXIT_VMLOAD - SVM_EXIT_INTR] = "VMLOAD",
    [SVM_EXIT_VMSAVE - SVM_EXIT_INTR] = "VMSAVE",
    [SVM_EXIT_STGI - SVM_EXIT_INTR] = "STGI",
    [SVM_EXIT_CLGI - SVM_EXIT_INTR] = "CLGI",
    [SVM_EXIT_SKINIT - SVM_EXIT_INTR] = "SKINIT",
    [SVM_EXIT_RDTSCP - SVM_EXIT_INTR] = "RDTSCP",
    [SVM_EXIT_ICEBP - SVM_EXIT_INTR] = "ICEBP",
    [SVM_EXIT_WBINVD - SVM_EXIT_INTR] = "WBINVD",
    [SVM_EXIT_MONITOR - SVM_EXIT_INTR] = "MONITOR",
    [SVM_EXIT_MWAIT - SVM_EXIT_INTR] = "MWAIT",
    [SVM_EXIT_MWAIT_COND - SVM_EXIT_INTR] = "MWAIT (monitor armed)",
    [SVM_EXIT_XSETBV - SVM_EXIT_INTR] = "XSETBV",
    [SVM_EXIT_RDPRU - SVM_EXIT_INTR] = "RDPRU",
    [SVM_EXIT_EFER_WRITE_TRAP - SVM_EXIT_INTR] = "EFER write trap",
    [SVM_EXIT_INVLPGB - SVM_EXIT_INTR] = "INVLPGB",
    [SVM_EXIT_INVLPGB_ILLEGAL - SVM_EXIT_INTR] = "illegal INVLPGB",
    [SVM_EXIT_INVPCID - SVM_EXIT_INTR] = "INVPCID",
    [SVM_EXIT_MCOMMIT - SVM_EXIT_INTR] = "MCOMMIT",
    [SVM_EXIT_TLBSYNC - SVM_EXIT_INTR] = "TLBSYNC",
    [SVM_EXIT_BUS_LOCK - SVM_EXIT_INTR] = "bus lock",
    [SVM_EXIT_IDLE_HLT - SVM_EXIT_INTR] = "idle HLT",
};

#define EVENT_AND_INSTRUCTION_COUNT \
    (sizeof event_and_instruction_names / sizeof event_and_instruction_names[0])

const char *svm_exit_name(uint64_t exit_code)
{
    const char *name = NULL;

    if (svm_exit_is_invalid(exit_code))
        return "VMEXIT_INVALID";
    if (exit_code <= SVM_EXIT_LAST_EXCP) {
        unsigned index = (unsigned)exit_code & 0xf;

        switch (exit_code >> 4) {
        case 0: return cr_read_names[index];
        case 1: return cr_write_names[index];
        case 2: return dr_read_names[index];
        case 3: return dr_write_names[index];
        default: return exception_names[exit_code - SVM_EXIT_EXCP_BASE];
        }
    }
    if (exit_code >= SVM_EXIT_CR0_WRITE_TRAP && exit_code <= SVM_EXIT_CR15_WRITE_TRAP)
        return cr_write_trap_names[exit_code - SVM_EXIT_CR0_WRITE_TRAP];
    if (exit_code >= SVM_EXIT_INTR && exit_code - SVM_EXIT_INTR < EVENT_AND_INSTRUCTION_COUNT)
        name = event_and_instruction_names[exit_code - SVM_EXIT_INTR];
    if (name)
        return name;
    switch (exit_code) {
    case SVM_EXIT_NPF: return "NPF";
    case SVM_EXIT_AVIC_INCOMPLETE_IPI: return "AVIC incomplete IPI";
    case SVM_EXIT_AVIC_UNACCELERATED_ACCESS: return "AVIC unaccelerated access";
    case SVM_EXIT_VMGEXIT: return "VMGEXIT";
    default: return "unknown";
    }
}
