/* The guest's own IDT: exceptions raised and handled inside the guest, with no
 * VM exit involved, checked for vector, error code, pushed RIP and CR2.
 * See: APM Vol. 2 §8.2 (vectors, fault vs trap), §8.4.2 (#PF error code). */
#include "guest/idt.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

static void check_exception(const struct exception_record *record, uint64_t vector,
                            uint64_t error_code, uint64_t rip)
{
    if (!test_check(record->happened, "no exception happened"))
        return;
    test_check_equal("vector", vector, record->vector);
    test_check_equal("error code", error_code, record->error_code);
    test_check_equal("rip", rip, record->rip);
}

void test_exceptions(void)
{
    struct exception_record record;

    test_begin("idt: ud2 raises #UD (vector 6) at the instruction");
    exception_expect(ADDRESS_OF(probe_undefined_resume));
    probe_undefined();
    record = exception_outcome();
    check_exception(&record, VECTOR_INVALID_OPCODE, 0, ADDRESS_OF(probe_undefined_instruction));
    test_end();

    test_begin("idt: int3 raises #BP (vector 3), a trap: RIP after the instruction");
    exception_expect(ADDRESS_OF(probe_breakpoint_resume));
    probe_breakpoint();
    record = exception_outcome();
    check_exception(&record, VECTOR_BREAKPOINT, 0, ADDRESS_OF(probe_breakpoint_resume));
    test_end();

    test_begin("idt: div by zero raises #DE (vector 0) at the instruction");
    exception_expect(ADDRESS_OF(probe_divide_by_zero_resume));
    probe_divide_by_zero();
    record = exception_outcome();
    check_exception(&record, VECTOR_DIVIDE_ERROR, 0, ADDRESS_OF(probe_divide_by_zero_instruction));
    test_end();

    /* Guest paging is the guest's business: a not-present guest PTE is a guest #PF,
     * delivered through the guest's IDT, not a #NPF (APM §15.25.6, order of checks). */
    test_begin("idt: read of an unmapped guest page raises #PF with error code 0 and CR2");
    uint64_t unmapped = WINDOW_BASE + 7 * PAGE_SIZE + 0x123;
    paging_unmap_window(7);
    exception_expect(ADDRESS_OF(probe_read_resume));
    probe_read(unmapped);
    record = exception_outcome();
    check_exception(&record, VECTOR_PAGE_FAULT, 0, ADDRESS_OF(probe_read_instruction));
    test_check_equal("cr2", unmapped, record.cr2);
    test_end();

    test_begin("idt: null pointer read (page 0 is unmapped) raises #PF with CR2 = 0x8");
    exception_expect(ADDRESS_OF(probe_read_resume));
    probe_read(0x8);
    record = exception_outcome();
    check_exception(&record, VECTOR_PAGE_FAULT, 0, ADDRESS_OF(probe_read_instruction));
    test_check_equal("cr2", 0x8, record.cr2);
    test_end();
}
