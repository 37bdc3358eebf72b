/* Shared by the #NPF tests (npf.c, isolation.c, gmet.c): the report minisvm
 * fills and the check of its exact contents. */
#ifndef GUEST_TESTS_NPF_CHECK_H
#define GUEST_TESTS_NPF_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/abi.h"

struct npf_report *npf_test_report(void);

/* The EXITINFO1 bits a test can compare on this VM: all of them without GMET.
 * With GMET the US bit shows the guest's privilege instead of always 1, and
 * hardware may report it wrongly (erratum 1218), so it is left out. */
uint64_t npf_exit_info_1_mask(void);

/* Checks an expected #NPF: the arm succeeded, exactly one report arrived, and it
 * holds EXITCODE 0x400, the given EXITINFO1 (compared under npf_exit_info_1_mask()),
 * EXITINFO2 = gpa, the faulting RIP and CPL 0. Disarms when no fault came.
 * Returns whether everything matched. */
bool npf_check_report(int64_t arm_result, uint64_t count_before, uint64_t exit_info_1,
                      uint64_t gpa, uint64_t rip);
/* The same with the EXITINFO1 bits to compare and the CPL of the access given. */
bool npf_check_report_masked(int64_t arm_result, uint64_t count_before, uint64_t exit_info_1,
                             uint64_t compare_mask, uint64_t gpa, uint64_t rip, uint64_t cpl);
/* An armed access that must not fault: nothing reported, then disarm. */
void npf_check_no_fault(int64_t arm_result, uint64_t count_before);

#endif
