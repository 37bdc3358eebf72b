/* Runs every registered unit test and prints TAP plus one summary line,
 * "unit: N passed, N failed"; exits non-zero when anything failed. */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#define MAX_TESTS 512

struct registered_test {
    const char *file;
    const char *name;
    test_fn fn;
};

static struct registered_test tests[MAX_TESTS];
static int test_count;

static int cases_passed;
static int cases_failed;
static int case_number;
static int case_open;
static int case_failed;
static int case_is_test_header; /* the case named after the TEST itself */
static char case_name[256];

void test_register(const char *file, const char *name, test_fn fn)
{
    if (test_count == MAX_TESTS) {
        fprintf(stderr, "too many tests (raise MAX_TESTS)\n");
        exit(2);
    }
    tests[test_count++] = (struct registered_test){ file, name, fn };
}

static void case_close(void)
{
    if (!case_open)
        return;
    case_number++;
    if (case_failed) {
        cases_failed++;
        printf("not ok %d - %s\n", case_number, case_name);
    } else {
        cases_passed++;
        printf("ok %d - %s\n", case_number, case_name);
    }
    case_open = 0;
}

static void case_start(const char *name)
{
    case_close();
    snprintf(case_name, sizeof case_name, "%s", name);
    case_open = 1;
    case_failed = 0;
}

void test_row(const char *fmt, ...)
{
    char name[256];
    va_list ap;

    /* A table-driven test counts its rows, not itself, unless it failed
     * before its first row. */
    if (case_open && case_is_test_header && !case_failed)
        case_open = 0;
    case_is_test_header = 0;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    case_start(name);
}

void test_fail(const char *file, int line, const char *what)
{
    case_failed = 1;
    printf("#   %s:%d: %s (in %s)\n", file, line, what, case_name);
}

void test_fail_u64(const char *file, int line, const char *actual_expr,
                   const char *expected_expr, uint64_t actual, uint64_t expected)
{
    char what[512];

    snprintf(what, sizeof what, "%s = 0x%llx, expected %s = 0x%llx", actual_expr,
             (unsigned long long)actual, expected_expr, (unsigned long long)expected);
    test_fail(file, line, what);
}

int main(void)
{
    for (int i = 0; i < test_count; i++) {
        const char *base = strrchr(tests[i].file, '/');
        char name[256];

        snprintf(name, sizeof name, "%s: %s", base ? base + 1 : tests[i].file,
                 tests[i].name);
        case_start(name);
        case_is_test_header = 1;
        tests[i].fn();
        case_close();
    }
    printf("1..%d\n", case_number);
    printf("unit: %d passed, %d failed\n", cases_passed, cases_failed);
    return cases_failed ? 1 : 0;
}
