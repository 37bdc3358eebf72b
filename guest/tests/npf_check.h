/* Shared by the #NPF tests (npf.c, isolation.c): the report minisvm fills and the
 * check of its exact contents. */
#ifndef GUEST_TESTS_NPF_CHECK_H
#define GUEST_TESTS_NPF_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/abi.h"

struct npf_report *npf_test_report(void);

/* Checks an expected #NPF: the arm succeeded, exactly one report arrived, and it
 * holds EXITCODE 0x400, the given EXITINFO1, EXITINFO2 = gpa, the faulting RIP
 * and CPL 0. Disarms when no fault came. Returns whether everything matched. */
bool npf_check_report(int64_t arm_result, uint64_t count_before, uint64_t exit_info_1,
                      uint64_t gpa, uint64_t rip);

#endif
