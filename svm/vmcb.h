/* The Virtual Machine Control Block: one 4 KiB page holding the control area
 * (what to intercept, how to enter, why we exited) and the guest's saved state.
 * See: APM §15.5.1 (VMRUN), Appendix B Tables B-1 (control area) and B-2 (save area). */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "svm/svm_defs.h"

/* The world-switch assembly must not type these offsets a second time:
 * scripts/gen_vmcb_offsets.c includes this header and prints them as a nasm
 * include (build/tools/gen_vmcb_offsets > build/gen/vmcb_offsets.inc). */

#define VMCB_BYTES              4096
#define VMCB_CONTROL_AREA_BYTES 1024
#define VMCB_SAVE_AREA_BYTES    0x2e8
#define VMCB_INTERCEPT_WORDS    6

/* One segment register as VMRUN loads it, hidden part included (APM §15.5.1).
 * attrib packs descriptor bits 55:52 and 47:40, see SVM_SELECTOR_* in svm_defs.h. */
struct __attribute__((packed)) vmcb_seg {
    uint16_t selector; /* 0x0 */
    uint16_t attrib;   /* 0x2 */
    uint32_t limit;    /* 0x4 */
    uint64_t base;     /* 0x8 */
};

_Static_assert(sizeof(struct vmcb_seg) == 16, "vmcb_seg size");
_Static_assert(offsetof(struct vmcb_seg, selector) == 0x0, "vmcb_seg.selector");
_Static_assert(offsetof(struct vmcb_seg, attrib) == 0x2, "vmcb_seg.attrib");
_Static_assert(offsetof(struct vmcb_seg, limit) == 0x4, "vmcb_seg.limit");
_Static_assert(offsetof(struct vmcb_seg, base) == 0x8, "vmcb_seg.base");

/* Offsets 0x000-0x3ff. Every byte not named here is reserved and must be zero,
 * which is why a VMCB always starts life zeroed (APM Appendix B). */
struct __attribute__((packed)) vmcb_control_area {
    uint32_t intercepts[VMCB_INTERCEPT_WORDS]; /* 0x000 CR, DR, exceptions, misc 3/4/5 */
    uint8_t reserved_0x018[0x3c - 0x18];      /* 0x018 */
    uint16_t pause_filter_thresh;             /* 0x03c */
    uint16_t pause_filter_count;              /* 0x03e */
    uint64_t iopm_base_pa;                    /* 0x040 bits 11:0 ignored */
    uint64_t msrpm_base_pa;                   /* 0x048 bits 11:0 ignored */
    uint64_t tsc_offset;                      /* 0x050 */
    uint32_t asid;                            /* 0x058 must not be 0 */
    uint8_t tlb_ctl;                          /* 0x05c TLB_CONTROL_* */
    uint8_t erap_ctl;                         /* 0x05d ERAPS controls */
    uint8_t reserved_0x05e[2];                /* 0x05e */
    uint32_t int_ctl;                         /* 0x060 V_TPR, V_IRQ, V_INTR_MASKING ... */
    uint32_t int_vector;                      /* 0x064 V_INTR_VECTOR in bits 7:0 */
    uint32_t int_state;                       /* 0x068 interrupt shadow */
    uint8_t reserved_0x06c[4];                /* 0x06c */
    uint64_t exit_code;                       /* 0x070 SVM_EXIT_* */
    uint64_t exit_info_1;                     /* 0x078 */
    uint64_t exit_info_2;                     /* 0x080 */
    uint32_t exit_int_info;                   /* 0x088 event being delivered at exit */
    uint32_t exit_int_info_err;               /* 0x08c its error code */
    uint64_t misc_ctl;                        /* 0x090 SVM_MISC_ENABLE_NP, _GMET ... */
    uint64_t avic_vapic_bar;                  /* 0x098 */
    uint64_t ghcb_gpa;                        /* 0x0a0 SEV-ES only */
    uint32_t event_inj;                       /* 0x0a8 SVM_EVTINJ_* */
    uint32_t event_inj_err;                   /* 0x0ac error code pushed if VALID_ERR */
    uint64_t nested_cr3;                      /* 0x0b0 host-physical NPT root */
    uint64_t misc_ctl2;                       /* 0x0b8 SVM_MISC2_ENABLE_* */
    uint32_t clean;                           /* 0x0c0 VMCB_* clean bits */
    uint32_t reserved_0x0c4;                  /* 0x0c4 */
    uint64_t next_rip;                        /* 0x0c8 nRIP, 0 without NRIPS */
    uint8_t insn_len;                         /* 0x0d0 */
    uint8_t insn_bytes[15];                   /* 0x0d1 */
    uint64_t avic_backing_page;               /* 0x0e0 */
    uint8_t reserved_0x0e8[8];                /* 0x0e8 */
    uint64_t avic_logical_id;                 /* 0x0f0 */
    uint64_t avic_physical_id;                /* 0x0f8 */
    uint8_t reserved_0x100[8];                /* 0x100 */
    uint64_t vmsa_pa;                         /* 0x108 SEV-ES only */
    uint8_t reserved_0x110[16];               /* 0x110 VMGEXIT RAX/CPL, SEV-ES only */
    uint16_t bus_lock_counter;                /* 0x120 */
    uint8_t reserved_0x122[0x138 - 0x122];    /* 0x122 */
    uint64_t allowed_sev_features;            /* 0x138 */
    uint64_t guest_sev_features;              /* 0x140 */
    uint8_t reserved_0x148[0x3e0 - 0x148];    /* 0x148 */
    uint8_t reserved_sw[32];                  /* 0x3e0 for host software */
};

/* Offsets relative to the save area, which starts at VMCB offset 0x400 for a
 * guest without SEV-ES (APM Table B-2). FS, GS, LDTR, TR and the SYSCALL/SYSENTER
 * MSRs are loaded and stored only by VMLOAD/VMSAVE, not by VMRUN/#VMEXIT. */
struct __attribute__((packed)) vmcb_save_area {
    struct vmcb_seg es;                       /* 0x000 */
    struct vmcb_seg cs;                       /* 0x010 */
    struct vmcb_seg ss;                       /* 0x020 */
    struct vmcb_seg ds;                       /* 0x030 */
    struct vmcb_seg fs;                       /* 0x040 */
    struct vmcb_seg gs;                       /* 0x050 */
    struct vmcb_seg gdtr;                     /* 0x060 */
    struct vmcb_seg ldtr;                     /* 0x070 */
    struct vmcb_seg idtr;                     /* 0x080 */
    struct vmcb_seg tr;                       /* 0x090 */
    uint8_t reserved_0x0a0[0xca - 0xa0];      /* 0x0a0 */
    uint8_t vmpl;                             /* 0x0ca SEV-SNP only */
    uint8_t cpl;                              /* 0x0cb the guest's CPL; CS.DPL is not used */
    uint8_t reserved_0x0cc[4];                /* 0x0cc */
    uint64_t efer;                            /* 0x0d0 */
    uint8_t reserved_0x0d8[0x148 - 0xd8];     /* 0x0d8 PMC virtualization counters */
    uint64_t cr4;                             /* 0x148 */
    uint64_t cr3;                             /* 0x150 */
    uint64_t cr0;                             /* 0x158 */
    uint64_t dr7;                             /* 0x160 */
    uint64_t dr6;                             /* 0x168 */
    uint64_t rflags;                          /* 0x170 */
    uint64_t rip;                             /* 0x178 */
    uint8_t reserved_0x180[0x1d8 - 0x180];    /* 0x180 */
    uint64_t rsp;                             /* 0x1d8 */
    uint64_t s_cet;                           /* 0x1e0 */
    uint64_t ssp;                             /* 0x1e8 */
    uint64_t isst_addr;                       /* 0x1f0 */
    uint64_t rax;                             /* 0x1f8 */
    uint64_t star;                            /* 0x200 */
    uint64_t lstar;                           /* 0x208 */
    uint64_t cstar;                           /* 0x210 */
    uint64_t sfmask;                          /* 0x218 */
    uint64_t kernel_gs_base;                  /* 0x220 */
    uint64_t sysenter_cs;                     /* 0x228 */
    uint64_t sysenter_esp;                    /* 0x230 */
    uint64_t sysenter_eip;                    /* 0x238 */
    uint64_t cr2;                             /* 0x240 */
    uint8_t reserved_0x248[0x268 - 0x248];    /* 0x248 */
    uint64_t g_pat;                           /* 0x268 guest PAT, used only with NP */
    uint64_t dbgctl;                          /* 0x270 used only with LBR virtualization */
    uint64_t br_from;                         /* 0x278 */
    uint64_t br_to;                           /* 0x280 */
    uint64_t last_excp_from;                  /* 0x288 */
    uint64_t last_excp_to;                    /* 0x290 */
    uint64_t dbgextnctl;                      /* 0x298 */
    uint8_t reserved_0x2a0[0x2e0 - 0x2a0];    /* 0x2a0 */
    uint64_t spec_ctrl;                       /* 0x2e0 */
};

struct __attribute__((packed)) vmcb {
    struct vmcb_control_area control;         /* 0x000 */
    struct vmcb_save_area save;               /* 0x400 */
    uint8_t reserved_0x6e8[VMCB_BYTES - VMCB_CONTROL_AREA_BYTES - VMCB_SAVE_AREA_BYTES];
};

/* Every named field is asserted, not only the sizes: a wrong offset here would
 * otherwise surface as a guest that misbehaves for no visible reason. */
#define VMCB_ASSERT_CONTROL(field, offset) \
    _Static_assert(offsetof(struct vmcb_control_area, field) == (offset), "control." #field)
#define VMCB_ASSERT_SAVE(field, offset) \
    _Static_assert(offsetof(struct vmcb_save_area, field) == (offset), "save." #field)

_Static_assert(sizeof(struct vmcb_control_area) == VMCB_CONTROL_AREA_BYTES, "control area size");
_Static_assert(sizeof(struct vmcb_save_area) == VMCB_SAVE_AREA_BYTES, "save area size");
_Static_assert(sizeof(struct vmcb) == VMCB_BYTES, "VMCB is one 4 KiB page");
_Static_assert(offsetof(struct vmcb, control) == 0x000, "vmcb.control");
_Static_assert(offsetof(struct vmcb, save) == 0x400, "vmcb.save");
_Static_assert(offsetof(struct vmcb, reserved_0x6e8) == 0x6e8, "vmcb padding");

VMCB_ASSERT_CONTROL(intercepts, 0x000);
VMCB_ASSERT_CONTROL(reserved_0x018, 0x018);
VMCB_ASSERT_CONTROL(pause_filter_thresh, 0x03c);
VMCB_ASSERT_CONTROL(pause_filter_count, 0x03e);
VMCB_ASSERT_CONTROL(iopm_base_pa, 0x040);
VMCB_ASSERT_CONTROL(msrpm_base_pa, 0x048);
VMCB_ASSERT_CONTROL(tsc_offset, 0x050);
VMCB_ASSERT_CONTROL(asid, 0x058);
VMCB_ASSERT_CONTROL(tlb_ctl, 0x05c);
VMCB_ASSERT_CONTROL(erap_ctl, 0x05d);
VMCB_ASSERT_CONTROL(reserved_0x05e, 0x05e);
VMCB_ASSERT_CONTROL(int_ctl, 0x060);
VMCB_ASSERT_CONTROL(int_vector, 0x064);
VMCB_ASSERT_CONTROL(int_state, 0x068);
VMCB_ASSERT_CONTROL(reserved_0x06c, 0x06c);
VMCB_ASSERT_CONTROL(exit_code, 0x070);
VMCB_ASSERT_CONTROL(exit_info_1, 0x078);
VMCB_ASSERT_CONTROL(exit_info_2, 0x080);
VMCB_ASSERT_CONTROL(exit_int_info, 0x088);
VMCB_ASSERT_CONTROL(exit_int_info_err, 0x08c);
VMCB_ASSERT_CONTROL(misc_ctl, 0x090);
VMCB_ASSERT_CONTROL(avic_vapic_bar, 0x098);
VMCB_ASSERT_CONTROL(ghcb_gpa, 0x0a0);
VMCB_ASSERT_CONTROL(event_inj, 0x0a8);
VMCB_ASSERT_CONTROL(event_inj_err, 0x0ac);
VMCB_ASSERT_CONTROL(nested_cr3, 0x0b0);
VMCB_ASSERT_CONTROL(misc_ctl2, 0x0b8);
VMCB_ASSERT_CONTROL(clean, 0x0c0);
VMCB_ASSERT_CONTROL(reserved_0x0c4, 0x0c4);
VMCB_ASSERT_CONTROL(next_rip, 0x0c8);
VMCB_ASSERT_CONTROL(insn_len, 0x0d0);
VMCB_ASSERT_CONTROL(insn_bytes, 0x0d1);
VMCB_ASSERT_CONTROL(avic_backing_page, 0x0e0);
VMCB_ASSERT_CONTROL(reserved_0x0e8, 0x0e8);
VMCB_ASSERT_CONTROL(avic_logical_id, 0x0f0);
VMCB_ASSERT_CONTROL(avic_physical_id, 0x0f8);
VMCB_ASSERT_CONTROL(reserved_0x100, 0x100);
VMCB_ASSERT_CONTROL(vmsa_pa, 0x108);
VMCB_ASSERT_CONTROL(reserved_0x110, 0x110);
VMCB_ASSERT_CONTROL(bus_lock_counter, 0x120);
VMCB_ASSERT_CONTROL(reserved_0x122, 0x122);
VMCB_ASSERT_CONTROL(allowed_sev_features, 0x138);
VMCB_ASSERT_CONTROL(guest_sev_features, 0x140);
VMCB_ASSERT_CONTROL(reserved_0x148, 0x148);
VMCB_ASSERT_CONTROL(reserved_sw, 0x3e0);

VMCB_ASSERT_SAVE(es, 0x000);
VMCB_ASSERT_SAVE(cs, 0x010);
VMCB_ASSERT_SAVE(ss, 0x020);
VMCB_ASSERT_SAVE(ds, 0x030);
VMCB_ASSERT_SAVE(fs, 0x040);
VMCB_ASSERT_SAVE(gs, 0x050);
VMCB_ASSERT_SAVE(gdtr, 0x060);
VMCB_ASSERT_SAVE(ldtr, 0x070);
VMCB_ASSERT_SAVE(idtr, 0x080);
VMCB_ASSERT_SAVE(tr, 0x090);
VMCB_ASSERT_SAVE(reserved_0x0a0, 0x0a0);
VMCB_ASSERT_SAVE(vmpl, 0x0ca);
VMCB_ASSERT_SAVE(cpl, 0x0cb);
VMCB_ASSERT_SAVE(reserved_0x0cc, 0x0cc);
VMCB_ASSERT_SAVE(efer, 0x0d0);
VMCB_ASSERT_SAVE(reserved_0x0d8, 0x0d8);
VMCB_ASSERT_SAVE(cr4, 0x148);
VMCB_ASSERT_SAVE(cr3, 0x150);
VMCB_ASSERT_SAVE(cr0, 0x158);
VMCB_ASSERT_SAVE(dr7, 0x160);
VMCB_ASSERT_SAVE(dr6, 0x168);
VMCB_ASSERT_SAVE(rflags, 0x170);
VMCB_ASSERT_SAVE(rip, 0x178);
VMCB_ASSERT_SAVE(reserved_0x180, 0x180);
VMCB_ASSERT_SAVE(rsp, 0x1d8);
VMCB_ASSERT_SAVE(s_cet, 0x1e0);
VMCB_ASSERT_SAVE(ssp, 0x1e8);
VMCB_ASSERT_SAVE(isst_addr, 0x1f0);
VMCB_ASSERT_SAVE(rax, 0x1f8);
VMCB_ASSERT_SAVE(star, 0x200);
VMCB_ASSERT_SAVE(lstar, 0x208);
VMCB_ASSERT_SAVE(cstar, 0x210);
VMCB_ASSERT_SAVE(sfmask, 0x218);
VMCB_ASSERT_SAVE(kernel_gs_base, 0x220);
VMCB_ASSERT_SAVE(sysenter_cs, 0x228);
VMCB_ASSERT_SAVE(sysenter_esp, 0x230);
VMCB_ASSERT_SAVE(sysenter_eip, 0x238);
VMCB_ASSERT_SAVE(cr2, 0x240);
VMCB_ASSERT_SAVE(reserved_0x248, 0x248);
VMCB_ASSERT_SAVE(g_pat, 0x268);
VMCB_ASSERT_SAVE(dbgctl, 0x270);
VMCB_ASSERT_SAVE(br_from, 0x278);
VMCB_ASSERT_SAVE(br_to, 0x280);
VMCB_ASSERT_SAVE(last_excp_from, 0x288);
VMCB_ASSERT_SAVE(last_excp_to, 0x290);
VMCB_ASSERT_SAVE(dbgextnctl, 0x298);
VMCB_ASSERT_SAVE(reserved_0x2a0, 0x2a0);
VMCB_ASSERT_SAVE(spec_ctrl, 0x2e0);

/* Intercepts use one flat bit number, 32 * word + bit, over the six u32
 * vectors at 0x000-0x014 (INTERCEPT_* in svm_defs.h). A number past the last
 * vector is ignored rather than written beyond the array. */
static inline bool vmcb_intercept_in_range(unsigned intercept)
{
    return intercept < 32u * VMCB_INTERCEPT_WORDS;
}

static inline void vmcb_set_intercept(struct vmcb_control_area *control, unsigned intercept)
{
    if (vmcb_intercept_in_range(intercept))
        control->intercepts[intercept / 32] |= UINT32_C(1) << (intercept % 32);
}

static inline void vmcb_clear_intercept(struct vmcb_control_area *control, unsigned intercept)
{
    if (vmcb_intercept_in_range(intercept))
        control->intercepts[intercept / 32] &= ~(UINT32_C(1) << (intercept % 32));
}

static inline bool vmcb_is_intercept(const struct vmcb_control_area *control, unsigned intercept)
{
    return vmcb_intercept_in_range(intercept) &&
           (control->intercepts[intercept / 32] >> (intercept % 32)) & 1;
}

/* Hardware reports VMEXIT_INVALID as all ones; QEMU 7.2 TCG stores only the
 * low 32 bits (0x00000000FFFFFFFF). Accept both, so a failed VMRUN is never
 * mistaken for an ordinary exit. No real exit code has its low 32 bits all set. */
static inline bool svm_exit_is_invalid(uint64_t exit_code)
{
    return (uint32_t)exit_code == UINT32_MAX;
}

/* A short name for an exit code, e.g. "CPUID" or "#PF exception"; never NULL. */
const char *svm_exit_name(uint64_t exit_code);

#endif
