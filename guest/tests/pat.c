/* The guest's PAT (gPAT) as minisvm presents it in pat=intercept mode: its own,
 * starting at the power-on default, kept in the VMCB's G_PAT, validated on write
 * (#GP(0) for a reserved encoding), never the host's PAT (hPAT), never another VM's.
 * See: APM Vol. 2 §7.8.1 (PAT MSR, Table 7-9), §15.25.4, §15.25.8 (G_PAT), docs/pat.md. */
#include "guest/idt.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/pat.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

/* How many times every VM but vm0 yields before it looks at its own gPAT. In
 * interleaved mode minisvm switches VMs at every hypercall, so the VMs advance in
 * step, one hypercall per turn; vm0 writes its layout two hypercalls into this
 * suite. The suites before this one make the same hypercalls in every VM, so a
 * margin of 256 turns puts vm0's write well before the check. In sequential mode
 * vm0 has finished before vm1 starts, and HC_YIELD does nothing. */
#define CROSS_VM_YIELDS 256

/* The encodings a WRMSR of PAT must refuse in each byte: the two reserved values
 * below 8, the first value with a reserved bit (bit 3), and all bits set. */
static const uint8_t reserved_encodings[] = { 0x02, 0x03, 0x08, 0xff };
static const uint8_t valid_encodings[] = {
    PAT_TYPE_UC, PAT_TYPE_WC, PAT_TYPE_WT, PAT_TYPE_WP, PAT_TYPE_WB, PAT_TYPE_UC_MINUS,
};
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

uint64_t pat_layout_of_vm(uint32_t vm_id)
{
    static const uint64_t layouts[] = {
        0x0105040600070406ull,   /* WB WT UC- UC WB WT WP WC */
        0x0406010500070406ull,   /* WB WT UC- UC WP WC WB WT */
        0x0001060400070406ull,   /* WB WT UC- UC WT WB WC UC */
        0x0600010400070406ull,   /* WB WT UC- UC WT WC UC WB */
    };
    return layouts[vm_id % COUNT(layouts)];
}

uint64_t pat_with_byte(uint64_t pat, unsigned index, uint8_t byte)
{
    unsigned shift = 8 * index;

    return (pat & ~(0xffull << shift)) | ((uint64_t)byte << shift);
}

const char *pat_type_text(uint8_t encoding)
{
    switch (encoding) {
    case PAT_TYPE_UC:       return "UC";
    case PAT_TYPE_WC:       return "WC";
    case PAT_TYPE_WT:       return "WT";
    case PAT_TYPE_WP:       return "WP";
    case PAT_TYPE_WB:       return "WB";
    case PAT_TYPE_UC_MINUS: return "UC-";
    default:                return "reserved";
    }
}

void pat_check_host_pat(void)
{
    test_check_equal("hPAT (HC_READ_HOST_PAT)", PAT_HOST_MINISVM, hypercall_read_host_pat());
}

static void test_initial_state(void)
{
    test_begin("pat: the initial gPAT reads the power-on default 0x%016lx", PAT_DEFAULT);
    test_check_equal("RDMSR PAT", PAT_DEFAULT, rdmsr(MSR_PAT));
    test_end();

    test_begin("pat: hPAT (HC_READ_HOST_PAT) is minisvm's 0x%016lx, not the guest's PAT",
               PAT_HOST_MINISVM);
    uint64_t host = hypercall_read_host_pat();
    test_check_equal("hPAT", PAT_HOST_MINISVM, host);
    test_check(host != rdmsr(MSR_PAT), "hPAT and gPAT both read 0x%016lx", host);
    test_end();

    test_begin("pat: the VMCB's G_PAT (HC_READ_VMCB_GPAT) holds the default before any write");
    test_check_equal("G_PAT", PAT_DEFAULT, hypercall_read_vmcb_gpat());
    test_end();
}

/* vm1 (and any VM after vm0) checks that vm0's write did not reach its gPAT, before
 * it writes a PAT of its own. See CROSS_VM_YIELDS for why the order holds. */
static void test_other_vm_untouched(void)
{
    if (boot_info.vm_id == 0)
        return;
    for (unsigned i = 0; i < CROSS_VM_YIELDS; i++)
        hypercall_yield();
    test_begin("pat: %s still reads its own default 0x%016lx after vm0 wrote 0x%016lx",
               boot_info.vm_name, PAT_DEFAULT, pat_layout_of_vm(0));
    test_check_equal("RDMSR PAT", PAT_DEFAULT, rdmsr(MSR_PAT));
    test_check_equal("G_PAT", PAT_DEFAULT, hypercall_read_vmcb_gpat());
    test_end();
}

/* Writes a valid layout and checks it everywhere it must (and must not) appear. */
static void test_valid_write(const char *what, uint64_t layout)
{
    test_begin("pat: %s 0x%016lx writes and reads back exactly; hPAT unchanged", what, layout);
    wrmsr(MSR_PAT, layout);
    test_check_equal("RDMSR PAT", layout, rdmsr(MSR_PAT));
    test_check_equal("G_PAT", layout, hypercall_read_vmcb_gpat());
    pat_check_host_pat();
    test_end();
}

static void check_general_protection(const struct exception_record *record)
{
    if (!test_check(record->happened, "no exception: the WRMSR was accepted"))
        return;
    test_check_equal("vector", VECTOR_GENERAL_PROTECTION, record->vector);
    test_check_equal("error code", 0, record->error_code);
    test_check_equal("rip", ADDRESS_OF(probe_wrmsr_instruction), record->rip);
}

/* One test per (byte, encoding): 8 x 4 = 32 TAP lines. */
static void test_reserved_encodings(uint64_t layout)
{
    for (unsigned index = 0; index < PAT_ENTRIES; index++) {
        for (unsigned e = 0; e < COUNT(reserved_encodings); e++) {
            uint8_t encoding = reserved_encodings[e];
            uint64_t value = pat_with_byte(layout, index, encoding);

            test_begin("pat: PA%u = 0x%02x (0x%016lx) raises #GP(0), gPAT and hPAT unchanged",
                       index, encoding, value);
            exception_expect(ADDRESS_OF(probe_wrmsr_resume));
            probe_wrmsr(MSR_PAT, value);
            struct exception_record record = exception_outcome();
            check_general_protection(&record);
            test_check_equal("RDMSR PAT", layout, rdmsr(MSR_PAT));
            test_check_equal("G_PAT", layout, hypercall_read_vmcb_gpat());
            pat_check_host_pat();
            test_end();
        }
    }
}

/* Every valid encoding in every byte but PA0 (see pat.h for why PA0 stays WB). */
static void test_valid_encodings(uint64_t layout)
{
    unsigned written = 0, wrong = 0, host_changed = 0;

    test_begin("pat: each valid type (UC WC WT WP WB UC-) in PA1-PA7 writes and reads back");
    for (unsigned index = 1; index < PAT_ENTRIES; index++) {
        for (unsigned e = 0; e < COUNT(valid_encodings); e++) {
            uint64_t value = pat_with_byte(layout, index, valid_encodings[e]);

            exception_expect(ADDRESS_OF(probe_wrmsr_resume));
            probe_wrmsr(MSR_PAT, value);
            struct exception_record record = exception_outcome();
            uint64_t back = rdmsr(MSR_PAT);
            written++;
            host_changed += hypercall_read_host_pat() != PAT_HOST_MINISVM;
            if (record.happened || back != value) {
                if (wrong++ < 4)
                    test_check(false, "PA%u = %s (0x%016lx): %s, reads 0x%016lx", index,
                               pat_type_text(valid_encodings[e]), value,
                               record.happened ? "exception" : "accepted", back);
            }
        }
    }
    test_check_equal("writes that did not read back", 0, wrong);
    test_check_equal("writes after which hPAT was not minisvm's", 0, host_changed);
    wrmsr(MSR_PAT, layout);
    test_check_equal("RDMSR PAT after restoring the layout", layout, rdmsr(MSR_PAT));
    pat_check_host_pat();
    test_note("%u writes", written);
    test_end();
}

static void test_every_byte_reserved(uint64_t layout)
{
    uint64_t value = 0x0202020202020202ull;

    test_begin("pat: all eight bytes reserved (0x%016lx) raises #GP(0), gPAT unchanged", value);
    exception_expect(ADDRESS_OF(probe_wrmsr_resume));
    probe_wrmsr(MSR_PAT, value);
    struct exception_record record = exception_outcome();
    check_general_protection(&record);
    test_check_equal("RDMSR PAT", layout, rdmsr(MSR_PAT));
    pat_check_host_pat();
    test_end();
}

static void test_vmcb_holds_last_write(uint64_t layout)
{
    test_begin("pat: %s's VMCB G_PAT (HC_READ_VMCB_GPAT) equals its last write 0x%016lx",
               boot_info.vm_name, layout);
    test_check_equal("G_PAT", layout, hypercall_read_vmcb_gpat());
    test_check_equal("RDMSR PAT", layout, rdmsr(MSR_PAT));
    test_end();
}

static void test_pat_intercepted(void)
{
    uint64_t layout = pat_layout_of_vm(boot_info.vm_id);

    test_comment("pat: pat=intercept: WRMSR/RDMSR of PAT go to minisvm, which keeps gPAT in "
                 "G_PAT; the platform conformance check runs only with pat=passthrough");
    test_initial_state();
    test_other_vm_untouched();
    test_valid_write("this VM's layout", layout);
    test_reserved_encodings(layout);
    test_every_byte_reserved(layout);
    test_valid_encodings(layout);
    test_pat_across_exits(layout);
    test_vmcb_holds_last_write(layout);
    test_valid_write("a second layout", PAT_SECOND_LAYOUT);
    test_valid_write("the default again", PAT_DEFAULT);
}

void test_pat(void)
{
    if (boot_info.features & GUEST_FEATURE_PAT_INTERCEPT)
        test_pat_intercepted();
    else
        test_pat_passthrough();
}
