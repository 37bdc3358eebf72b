/* A software walk of the 4-level nested page tables and the nested permission
 * rules with and without GMET, used to explain every #NPF and to classify GMET
 * violations. See: APM §15.25.3-§15.25.7 (NPT format, faults), §15.25.13 (GMET). */
#ifndef MM_NPT_WALK_H
#define MM_NPT_WALK_H

#include <stdbool.h>
#include <stdint.h>

/* EXITINFO1 of #VMEXIT(NPF): a #PF-style error code plus where the fault came
 * from (APM §15.25.6). Names follow Linux's PFERR_* masks. */
#define PFERR_PRESENT_MASK      (1ull << 0)   /* 0: the nested entry was not present */
#define PFERR_WRITE_MASK        (1ull << 1)
#define PFERR_USER_MASK         (1ull << 2)
#define PFERR_RSVD_MASK         (1ull << 3)
#define PFERR_FETCH_MASK        (1ull << 4)
#define PFERR_GUEST_FINAL_MASK  (1ull << 32)  /* translating the final guest-physical address */
#define PFERR_GUEST_PAGE_MASK   (1ull << 33)  /* translating a guest page-table access */

/* Erratum 1218: with GMET the US bit that hardware reports may be wrong, so
 * compare EXITINFO1 values with it masked and take the CPL from the VMCB. */
#define NPF_EXITINFO1_COMPARE_MASK  (~PFERR_USER_MASK)

enum npt_access_kind {
    NPT_WALK_READ,
    NPT_WALK_WRITE,
    NPT_WALK_FETCH,
};

/* How the VM and the host are set up; the same for every access of a VM. */
struct npt_environment {
    bool gmet;                  /* VMCB misc_ctl bit 3 set and CPUID 8000000A EDX[17] = 1 */
    bool host_nxe;              /* host EFER.NXE at VMRUN: nested NX usable, else reserved */
    bool host_smep;             /* host CR4.SMEP: only changes whether ID is reported */
    unsigned host_max_phys_addr; /* CPUID 80000008 EAX[7:0]; bits 51:this are reserved */
};

/* One guest access as the nested level sees it. */
struct npt_access {
    uint64_t gpa;
    enum npt_access_kind kind;  /* what the guest instruction did */
    unsigned guest_cpl;         /* 0..3, from the VMCB save area (erratum 1218) */
    /* true: the processor was reading or updating the guest's own page tables
     * on the way to gpa; that is a data write at the nested level whatever
     * kind says (APM §15.25.5). false: gpa is the final access. */
    bool guest_page_walk;
    struct npt_environment environment;
};

/* Permissions accumulated over every present entry the walk read. */
struct npt_permissions {
    bool writable;              /* AND of R/W */
    bool user;                  /* AND of U/S */
    bool no_execute;            /* OR of NX */
};

struct npt_walk_result {
    /* The last entry read: the leaf, or the entry that stopped the walk. */
    uint64_t entry;
    int level;                  /* of entry: 4 = PML4E, 3 = PDPE (1 GiB leaf), 2 = PDE (2 MiB), 1 = PTE */
    uint64_t table_physical;    /* the table that holds entry, or that could not be read */
    bool mapped;                /* a leaf was reached: host_physical is valid */
    uint64_t host_physical;     /* where gpa lands in host memory */
    bool not_present;           /* entry has P = 0 */
    bool reserved_bit;          /* entry has a reserved bit set */
    int fault_level;            /* level of the not-present or reserved entry, 0 if none */
    struct npt_permissions effective;
    bool allowed;               /* the access passes every nested check */
};

/* Returns the table at host-physical address phys, readable by the caller, or
 * NULL if that address is outside what the hypervisor can read. */
typedef uint64_t *(*npt_table_at_fn)(void *context, uint64_t phys);

/* Walk the nested tables rooted at ncr3 for access and fill result. A fault
 * (not present, reserved bit, permission) is a successful walk: the result
 * describes it. Returns HV_OK, HV_ERANGE when table_at returned NULL (result
 * then names the level and table), HV_EINVAL for an impossible access
 * (CPL > 3, unknown kind, MAXPHYADDR outside 12..52, gpa beyond 48 bits). */
int npt_walk(npt_table_at_fn table_at, void *context, uint64_t ncr3,
             const struct npt_access *access, struct npt_walk_result *result);

/* The nested permission rules alone (svm-reference §4.2, §5.1, §5.4), for a
 * walk that reached a leaf. */
bool npt_access_allowed(const struct npt_permissions *effective,
                        const struct npt_access *access);

/* The EXITINFO1 the hardware reports for the access, 0 if it does not fault.
 * Uses only not_present, reserved_bit and effective from result. */
uint64_t npt_expected_exit_info_1(const struct npt_walk_result *result,
                                  const struct npt_access *access);

/* The bits of a hardware EXITINFO1 that can be compared with the expected
 * value for this access: all but US with GMET (erratum 1218), and all but ID
 * where the reference does not say whether ID is reported (see npt_walk.c). */
uint64_t npt_exit_info_1_compare_mask(const struct npt_access *access);

/* Why an access faults, in the order the hardware checks (NPT_FAULT_NONE when
 * it does not): the #NPF report names it, and the GMET policy acts on it. */
enum npt_fault_kind {
    NPT_FAULT_NONE,
    NPT_FAULT_NOT_PRESENT,
    NPT_FAULT_RESERVED_BIT,
    NPT_FAULT_PAGE_WALK,        /* a guest page-table access needs a writable user page */
    NPT_FAULT_SUPERVISOR_PAGE,  /* U/S=0 without GMET blocks every access */
    NPT_FAULT_READ_ONLY,
    NPT_FAULT_NO_EXECUTE,
    NPT_FAULT_GMET,             /* supervisor fetch from a U/S=1 page with GMET on */
};

enum npt_fault_kind npt_classify_fault(const struct npt_walk_result *result,
                                       const struct npt_access *access);
const char *npt_fault_kind_name(enum npt_fault_kind kind);

/* A plain-words reason for the #NPF report: "not present", "reserved bit set",
 * ..., or "no fault" when the access is allowed. Never NULL. */
const char *npt_fault_reason(const struct npt_walk_result *result,
                             const struct npt_access *access);

#endif
