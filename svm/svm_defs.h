/* Bit numbers and field encodings that give meaning to the VMCB's raw words:
 * intercepts, exit codes, misc enables, interrupt control, event injection,
 * clean bits, #NPF and IOIO exit information, segment attributes.
 * See: APM §15.7-15.25, Appendix B Table B-1, Appendix C (exit codes). */
#ifndef SVM_SVM_DEFS_H
#define SVM_SVM_DEFS_H

#include <stdint.h>

/* ---- Intercepts: flat bit number = 32 * vector word + bit (APM Table B-1) ----
 * Word 0 (0x000) CR reads 15:0 / writes 31:16, word 1 (0x004) the same for DRs,
 * word 2 (0x008) exception vectors, words 3-5 (0x00c-0x014) instructions and events. */
#define INTERCEPT_CR0_READ            0
#define INTERCEPT_CR3_READ            3
#define INTERCEPT_CR4_READ            4
#define INTERCEPT_CR8_READ            8
#define INTERCEPT_CR0_WRITE           (16 + 0)
#define INTERCEPT_CR3_WRITE           (16 + 3)
#define INTERCEPT_CR4_WRITE           (16 + 4)
#define INTERCEPT_CR8_WRITE           (16 + 8)
#define INTERCEPT_DR0_READ            32
#define INTERCEPT_DR7_READ            (32 + 7)
#define INTERCEPT_DR0_WRITE           (48 + 0)
#define INTERCEPT_DR7_WRITE           (48 + 7)
/* The bits for vector 2 (NMI) and vector 9 are not implemented: use INTERCEPT_NMI. */
#define INTERCEPT_EXCEPTION_OFFSET    64
#define INTERCEPT_EXCEPTION(vector)   (INTERCEPT_EXCEPTION_OFFSET + (vector))

/* Word 3, offset 0x00c. */
#define INTERCEPT_INTR                96
#define INTERCEPT_NMI                 97
#define INTERCEPT_SMI                 98
#define INTERCEPT_INIT                99
#define INTERCEPT_VINTR               100
#define INTERCEPT_SELECTIVE_CR0       101
#define INTERCEPT_STORE_IDTR          102
#define INTERCEPT_STORE_GDTR          103
#define INTERCEPT_STORE_LDTR          104
#define INTERCEPT_STORE_TR            105
#define INTERCEPT_LOAD_IDTR           106
#define INTERCEPT_LOAD_GDTR           107
#define INTERCEPT_LOAD_LDTR           108
#define INTERCEPT_LOAD_TR             109
#define INTERCEPT_RDTSC               110
#define INTERCEPT_RDPMC               111
#define INTERCEPT_PUSHF               112
#define INTERCEPT_POPF                113
#define INTERCEPT_CPUID               114
#define INTERCEPT_RSM                 115
#define INTERCEPT_IRET                116
#define INTERCEPT_INTn                117
#define INTERCEPT_INVD                118
#define INTERCEPT_PAUSE               119
#define INTERCEPT_HLT                 120
#define INTERCEPT_INVLPG              121
#define INTERCEPT_INVLPGA             122
#define INTERCEPT_IOIO_PROT           123
#define INTERCEPT_MSR_PROT            124
#define INTERCEPT_TASK_SWITCH         125
#define INTERCEPT_FERR_FREEZE         126
#define INTERCEPT_SHUTDOWN            127
/* Word 4, offset 0x010. VMRUN must always be intercepted (APM §15.5.1). */
#define INTERCEPT_VMRUN               128
#define INTERCEPT_VMMCALL             129
#define INTERCEPT_VMLOAD              130
#define INTERCEPT_VMSAVE              131
#define INTERCEPT_STGI                132
#define INTERCEPT_CLGI                133
#define INTERCEPT_SKINIT              134
#define INTERCEPT_RDTSCP              135
#define INTERCEPT_ICEBP               136
#define INTERCEPT_WBINVD              137
#define INTERCEPT_MONITOR             138
#define INTERCEPT_MWAIT               139
#define INTERCEPT_MWAIT_COND          140
#define INTERCEPT_XSETBV              141
#define INTERCEPT_RDPRU               142
#define INTERCEPT_TRAP_EFER           143
#define INTERCEPT_TRAP_CR0            144   /* CRn write trap = 144 + n */
/* Word 5, offset 0x014. */
#define INTERCEPT_INVLPGB             160
#define INTERCEPT_INVLPGB_ILLEGAL     161
#define INTERCEPT_INVPCID             162
#define INTERCEPT_MCOMMIT             163
#define INTERCEPT_TLBSYNC             164
#define INTERCEPT_BUSLOCK             165
#define INTERCEPT_IDLE_HLT            166

/* ---- Exit codes (EXITCODE, VMCB 0x070), APM Appendix C ----
 * For every intercept above, the exit code equals the flat bit number. */
#define SVM_EXIT_READ_CR0             0x000
#define SVM_EXIT_READ_CR3             0x003
#define SVM_EXIT_READ_CR4             0x004
#define SVM_EXIT_READ_CR8             0x008
#define SVM_EXIT_WRITE_CR0            0x010
#define SVM_EXIT_WRITE_CR3            0x013
#define SVM_EXIT_WRITE_CR4            0x014
#define SVM_EXIT_WRITE_CR8            0x018
#define SVM_EXIT_READ_DR0             0x020
#define SVM_EXIT_READ_DR7             0x027
#define SVM_EXIT_WRITE_DR0            0x030
#define SVM_EXIT_WRITE_DR7            0x037
#define SVM_EXIT_EXCP_BASE            0x040   /* + exception vector */
#define SVM_EXIT_LAST_EXCP            0x05f
#define SVM_EXIT_INTR                 0x060
#define SVM_EXIT_NMI                  0x061
#define SVM_EXIT_SMI                  0x062
#define SVM_EXIT_INIT                 0x063
#define SVM_EXIT_VINTR                0x064
#define SVM_EXIT_CR0_SEL_WRITE        0x065
#define SVM_EXIT_IDTR_READ            0x066
#define SVM_EXIT_GDTR_READ            0x067
#define SVM_EXIT_LDTR_READ            0x068
#define SVM_EXIT_TR_READ              0x069
#define SVM_EXIT_IDTR_WRITE           0x06a
#define SVM_EXIT_GDTR_WRITE           0x06b
#define SVM_EXIT_LDTR_WRITE           0x06c
#define SVM_EXIT_TR_WRITE             0x06d
#define SVM_EXIT_RDTSC                0x06e
#define SVM_EXIT_RDPMC                0x06f
#define SVM_EXIT_PUSHF                0x070
#define SVM_EXIT_POPF                 0x071
#define SVM_EXIT_CPUID                0x072
#define SVM_EXIT_RSM                  0x073
#define SVM_EXIT_IRET                 0x074
#define SVM_EXIT_SWINT                0x075
#define SVM_EXIT_INVD                 0x076
#define SVM_EXIT_PAUSE                0x077
#define SVM_EXIT_HLT                  0x078
#define SVM_EXIT_INVLPG               0x079
#define SVM_EXIT_INVLPGA              0x07a
#define SVM_EXIT_IOIO                 0x07b
#define SVM_EXIT_MSR                  0x07c
#define SVM_EXIT_TASK_SWITCH          0x07d
#define SVM_EXIT_FERR_FREEZE          0x07e
#define SVM_EXIT_SHUTDOWN             0x07f
#define SVM_EXIT_VMRUN                0x080
#define SVM_EXIT_VMMCALL              0x081
#define SVM_EXIT_VMLOAD               0x082
#define SVM_EXIT_VMSAVE               0x083
#define SVM_EXIT_STGI                 0x084
#define SVM_EXIT_CLGI                 0x085
#define SVM_EXIT_SKINIT               0x086
#define SVM_EXIT_RDTSCP               0x087
#define SVM_EXIT_ICEBP                0x088
#define SVM_EXIT_WBINVD               0x089
#define SVM_EXIT_MONITOR              0x08a
#define SVM_EXIT_MWAIT                0x08b
#define SVM_EXIT_MWAIT_COND           0x08c
#define SVM_EXIT_XSETBV               0x08d
#define SVM_EXIT_RDPRU                0x08e
#define SVM_EXIT_EFER_WRITE_TRAP      0x08f
#define SVM_EXIT_CR0_WRITE_TRAP       0x090   /* CRn write trap = 0x090 + n */
#define SVM_EXIT_CR15_WRITE_TRAP      0x09f
#define SVM_EXIT_INVLPGB              0x0a0
#define SVM_EXIT_INVLPGB_ILLEGAL      0x0a1
#define SVM_EXIT_INVPCID              0x0a2
#define SVM_EXIT_MCOMMIT              0x0a3
#define SVM_EXIT_TLBSYNC              0x0a4
#define SVM_EXIT_BUS_LOCK             0x0a5
#define SVM_EXIT_IDLE_HLT             0x0a6
#define SVM_EXIT_NPF                  0x400
#define SVM_EXIT_AVIC_INCOMPLETE_IPI  0x401
#define SVM_EXIT_AVIC_UNACCELERATED_ACCESS 0x402
#define SVM_EXIT_VMGEXIT              0x403
/* VMEXIT_INVALID: VMRUN refused the VMCB. Test it with svm_exit_is_invalid(),
 * because QEMU 7.2 TCG writes only the low 32 bits of it. */
#define SVM_EXIT_ERR                  UINT64_MAX

_Static_assert(INTERCEPT_CPUID == SVM_EXIT_CPUID, "intercept bit = exit code");
_Static_assert(INTERCEPT_SHUTDOWN == SVM_EXIT_SHUTDOWN, "intercept bit = exit code");
_Static_assert(INTERCEPT_VMMCALL == SVM_EXIT_VMMCALL, "intercept bit = exit code");
_Static_assert(INTERCEPT_IDLE_HLT == SVM_EXIT_IDLE_HLT, "intercept bit = exit code");
_Static_assert(INTERCEPT_EXCEPTION(14) == SVM_EXIT_EXCP_BASE + 14, "intercept bit = exit code");

/* ---- misc_ctl (0x090) and misc_ctl2 (0x0b8), APM Table B-1 ---- */
#define SVM_MISC_ENABLE_NP            (UINT64_C(1) << 0)
#define SVM_MISC_ENABLE_SEV           (UINT64_C(1) << 1)
#define SVM_MISC_ENABLE_SEV_ES        (UINT64_C(1) << 2)
#define SVM_MISC_ENABLE_GMET          (UINT64_C(1) << 3)   /* APM §15.25.13 */
#define SVM_MISC_ENABLE_SSS_CHECK     (UINT64_C(1) << 4)   /* APM §15.25.14, needs NP */
#define SVM_MISC_ENABLE_VTE           (UINT64_C(1) << 5)
#define SVM_MISC_ENABLE_ROGPT         (UINT64_C(1) << 6)   /* APM §15.25.5 */
#define SVM_MISC_ENABLE_INVLPGB       (UINT64_C(1) << 7)

#define SVM_MISC2_ENABLE_V_LBR        (UINT64_C(1) << 0)
#define SVM_MISC2_ENABLE_V_VMLOAD_VMSAVE (UINT64_C(1) << 1)
#define SVM_MISC2_ENABLE_V_IBS        (UINT64_C(1) << 2)
#define SVM_MISC2_ENABLE_V_PMC        (UINT64_C(1) << 3)

/* ---- tlb_ctl (0x05c), APM §15.16.1. 3 and 7 need CPUID FlushByAsid. ---- */
#define TLB_CONTROL_DO_NOTHING        0x00
#define TLB_CONTROL_FLUSH_ALL_ASID    0x01
#define TLB_CONTROL_FLUSH_ASID        0x03
#define TLB_CONTROL_FLUSH_ASID_LOCAL  0x07   /* this ASID's non-global entries */

/* ---- int_ctl (0x060), APM §15.21 ---- */
#define V_TPR_MASK                    0x0fu
#define V_IRQ_MASK                    (UINT32_C(1) << 8)
#define V_GIF_MASK                    (UINT32_C(1) << 9)
#define V_NMI_PENDING_MASK            (UINT32_C(1) << 11)
#define V_NMI_BLOCKING_MASK           (UINT32_C(1) << 12)
#define V_INTR_PRIO_SHIFT             16
#define V_INTR_PRIO_MASK              (UINT32_C(0xf) << V_INTR_PRIO_SHIFT)
#define V_IGN_TPR_MASK                (UINT32_C(1) << 20)
/* Guest RFLAGS.IF and CR8 then mask only virtual interrupts; physical ones
 * follow the host's IF at VMRUN, so the host keeps control (APM §15.21.1). */
#define V_INTR_MASKING_MASK           (UINT32_C(1) << 24)
#define V_GIF_ENABLE_MASK             (UINT32_C(1) << 25)
#define V_NMI_ENABLE_MASK             (UINT32_C(1) << 26)   /* needs INTERCEPT_NMI */
#define X2APIC_MODE_MASK              (UINT32_C(1) << 30)
#define AVIC_ENABLE_MASK              (UINT32_C(1) << 31)

/* ---- int_state (0x068) ---- */
#define SVM_INTERRUPT_SHADOW_MASK     (UINT32_C(1) << 0)
#define SVM_GUEST_INTERRUPT_MASK      (UINT32_C(1) << 1)

/* ---- event_inj (0x0a8) and exit_int_info (0x088) share one format, APM §15.20 ---- */
#define SVM_EVTINJ_VEC_MASK           0xffu
#define SVM_EVTINJ_TYPE_SHIFT         8
#define SVM_EVTINJ_TYPE_MASK          (UINT32_C(7) << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_INTR          (UINT32_C(0) << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_NMI           (UINT32_C(2) << SVM_EVTINJ_TYPE_SHIFT)
/* INT1, INT3 and INTO are exceptions (type 3), not software interrupts. */
#define SVM_EVTINJ_TYPE_EXEPT         (UINT32_C(3) << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_SOFT          (UINT32_C(4) << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_VALID_ERR          (UINT32_C(1) << 11)
#define SVM_EVTINJ_RESERVED_MASK      UINT32_C(0x7ffff000)   /* bits 30:12 */
#define SVM_EVTINJ_VALID              (UINT32_C(1) << 31)

#define SVM_EXITINTINFO_VEC_MASK      SVM_EVTINJ_VEC_MASK
#define SVM_EXITINTINFO_TYPE_MASK     SVM_EVTINJ_TYPE_MASK
#define SVM_EXITINTINFO_VALID_ERR     SVM_EVTINJ_VALID_ERR
#define SVM_EXITINTINFO_VALID         SVM_EVTINJ_VALID

/* ---- Clean bits (0x0c0): bit numbers, APM §15.15.3 Figure 15-4 ----
 * A set bit lets the CPU reuse cached state; clear the bit of every field you
 * change. VMCB_NPT covers nested_cr3 and g_pat, and minisvm also clears it for
 * misc_ctl as Linux and Xen do (whether the APM includes 0x090 is UNVERIFIED). */
#define VMCB_INTERCEPTS               0    /* intercepts, TSC offset, pause filter */
#define VMCB_PERM_MAP                 1    /* IOPM and MSRPM base */
#define VMCB_ASID                     2
#define VMCB_INTR                     3    /* V_TPR ... V_INTR_VECTOR */
#define VMCB_NPT                      4    /* nested_cr3, g_pat (and misc_ctl) */
#define VMCB_CR                       5    /* CR0, CR3, CR4, EFER */
#define VMCB_DR                       6    /* DR6, DR7 */
#define VMCB_DT                       7    /* GDTR, IDTR */
#define VMCB_SEG                      8    /* CS, DS, SS, ES, CPL */
#define VMCB_CR2                      9
#define VMCB_LBR                      10
#define VMCB_AVIC                     11
#define VMCB_CET                      12
#define VMCB_SW                       31   /* for software; never a clean bit */
#define VMCB_CLEAN_BIT(n)             (UINT32_C(1) << (n))

/* ---- #NPF EXITINFO1 (exit 0x400), APM §15.25.6 ---- */
#define NPF_EXITINFO1_PRESENT         (UINT64_C(1) << 0)
#define NPF_EXITINFO1_WRITE           (UINT64_C(1) << 1)
#define NPF_EXITINFO1_USER            (UINT64_C(1) << 2)
#define NPF_EXITINFO1_RESERVED        (UINT64_C(1) << 3)
#define NPF_EXITINFO1_FETCH           (UINT64_C(1) << 4)
#define NPF_EXITINFO1_SHADOW_STACK    (UINT64_C(1) << 6)
#define NPF_EXITINFO1_GUEST_FINAL     (UINT64_C(1) << 32)   /* translating the final GPA */
#define NPF_EXITINFO1_GUEST_PAGE_TABLE (UINT64_C(1) << 33)  /* translating a guest table */
#define NPF_EXITINFO1_SSS             (UINT64_C(1) << 37)

/* ---- IOIO EXITINFO1 (exit 0x07b), APM §15.10.2 Figure 15-2 ---- */
#define SVM_IOIO_TYPE_IN              (UINT64_C(1) << 0)    /* 0 = OUT */
#define SVM_IOIO_STR_MASK             (UINT64_C(1) << 2)
#define SVM_IOIO_REP_MASK             (UINT64_C(1) << 3)
#define SVM_IOIO_SIZE_SHIFT           4
#define SVM_IOIO_SIZE8                (UINT64_C(1) << 4)
#define SVM_IOIO_SIZE16               (UINT64_C(1) << 5)
#define SVM_IOIO_SIZE32               (UINT64_C(1) << 6)
#define SVM_IOIO_SIZE_MASK            (UINT64_C(7) << SVM_IOIO_SIZE_SHIFT)
#define SVM_IOIO_ASIZE_SHIFT          7
#define SVM_IOIO_ADDR16               (UINT64_C(1) << 7)
#define SVM_IOIO_ADDR32               (UINT64_C(1) << 8)
#define SVM_IOIO_ADDR64               (UINT64_C(1) << 9)
#define SVM_IOIO_ASIZE_MASK           (UINT64_C(7) << SVM_IOIO_ASIZE_SHIFT)
#define SVM_IOIO_SEG_SHIFT            10
#define SVM_IOIO_SEG_MASK             (UINT64_C(7) << SVM_IOIO_SEG_SHIFT)
#define SVM_IOIO_PORT_SHIFT           16
#define SVM_IOIO_PORT_MASK            (UINT64_C(0xffff) << SVM_IOIO_PORT_SHIFT)

/* ---- MSR EXITINFO1 (exit 0x07c), APM §15.11 ---- */
#define SVM_MSR_EXITINFO1_WRITE       1    /* 0 = RDMSR */

/* ---- Segment attributes (vmcb_seg.attrib), APM §15.5.1 ----
 * The 12 bits are descriptor bits 55:52 above descriptor bits 47:40. */
#define SVM_SELECTOR_TYPE_MASK        0x00fu
#define SVM_SELECTOR_WRITE_MASK       0x002u   /* data: writable */
#define SVM_SELECTOR_READ_MASK        0x002u   /* code: readable */
#define SVM_SELECTOR_CONFORMING_MASK  0x004u   /* code: conforming */
#define SVM_SELECTOR_CODE_MASK        0x008u
#define SVM_SELECTOR_S_SHIFT          4
#define SVM_SELECTOR_S_MASK           (1u << SVM_SELECTOR_S_SHIFT)
#define SVM_SELECTOR_DPL_SHIFT        5
#define SVM_SELECTOR_DPL_MASK         (3u << SVM_SELECTOR_DPL_SHIFT)
#define SVM_SELECTOR_P_SHIFT          7
#define SVM_SELECTOR_P_MASK           (1u << SVM_SELECTOR_P_SHIFT)
#define SVM_SELECTOR_AVL_SHIFT        8
#define SVM_SELECTOR_AVL_MASK         (1u << SVM_SELECTOR_AVL_SHIFT)
#define SVM_SELECTOR_L_SHIFT          9
#define SVM_SELECTOR_L_MASK           (1u << SVM_SELECTOR_L_SHIFT)
#define SVM_SELECTOR_DB_SHIFT         10
#define SVM_SELECTOR_DB_MASK          (1u << SVM_SELECTOR_DB_SHIFT)
#define SVM_SELECTOR_G_SHIFT          11
#define SVM_SELECTOR_G_MASK           (1u << SVM_SELECTOR_G_SHIFT)

#endif
