/* The guest's test framework: each test is begun, checked with exact expected
 * values, and ended with one TAP line on COM1 ("ok 7 - npf: ..."), followed by
 * "#   " diagnostic lines when it failed. See design.md §6. */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/abi.h"

/* A copy of what minisvm put at GUEST_BOOT_INFO_GPA, taken before anything else runs. */
extern struct guest_boot_info boot_info;

struct test_totals {
    unsigned passed, failed, skipped;
};

void test_begin(const char *name_format, ...) __attribute__((format(printf, 1, 2)));
/* Fails the current test unless got == expected; the diagnostic names both. */
bool test_check_equal(const char *what, uint64_t expected, uint64_t got);
/* Fails the current test unless condition holds, with a diagnostic line. */
bool test_check(bool condition, const char *diagnostic_format, ...)
    __attribute__((format(printf, 2, 3)));
/* Adds a diagnostic line that is printed whatever the outcome. */
void test_note(const char *note_format, ...) __attribute__((format(printf, 1, 2)));
/* Prints the TAP line of the current test and its diagnostics; returns whether it passed. */
bool test_end(void);
/* Ends the current test as skipped, printing only the reason: "ok 9 # SKIP reason". */
void test_skip(const char *reason_format, ...) __attribute__((format(printf, 1, 2)));

/* Prints a TAP comment line ("# ..."), outside any test. */
void test_comment(const char *format, ...) __attribute__((format(printf, 1, 2)));

struct test_totals test_totals(void);
/* Prints the plan and "vm0: N passed, N failed, N skipped", reports the totals to
 * minisvm with HC_DONE and halts for good. */
_Noreturn void test_finish(void);
/* An unexpected event made further testing meaningless: counts the current test
 * as failed, prints "Bail out! reason" and finishes. */
_Noreturn void test_bail_out(const char *reason_format, ...)
    __attribute__((format(printf, 1, 2)));

#endif
