/* The TAP test framework of the guest (see test.h). A test's diagnostics are
 * collected while it runs and printed after its "ok"/"not ok" line, as TAP wants
 * them below the line they explain. */
#include "guest/test.h"

#include <stdarg.h>

#include "guest/console.h"
#include "guest/format.h"
#include "guest/hypercall.h"
#include "guest/x86.h"

#define TEST_NAME_BYTES        160
#define DIAGNOSTIC_LINES       12
#define DIAGNOSTIC_LINE_BYTES  160

struct guest_boot_info boot_info;

static struct {
    bool running;
    bool failed;
    unsigned number;
    char name[TEST_NAME_BYTES];
    unsigned diagnostic_count;
    unsigned diagnostics_dropped;
    char diagnostics[DIAGNOSTIC_LINES][DIAGNOSTIC_LINE_BYTES];
} current;

static struct test_totals totals;

void test_begin(const char *name_format, ...)
{
    va_list arguments;

    current.running = true;
    current.failed = false;
    current.number++;
    current.diagnostic_count = 0;
    current.diagnostics_dropped = 0;
    va_start(arguments, name_format);
    format_string_list(current.name, sizeof current.name, name_format, arguments);
    va_end(arguments);
}

static void add_diagnostic(const char *format, va_list arguments)
{
    if (current.diagnostic_count == DIAGNOSTIC_LINES) {
        current.diagnostics_dropped++;
        return;
    }
    format_string_list(current.diagnostics[current.diagnostic_count++], DIAGNOSTIC_LINE_BYTES,
                       format, arguments);
}

static void add_diagnostic_line(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void add_diagnostic_line(const char *format, ...)
{
    va_list arguments;

    va_start(arguments, format);
    add_diagnostic(format, arguments);
    va_end(arguments);
}

bool test_check_equal(const char *what, uint64_t expected, uint64_t got)
{
    if (expected == got)
        return true;
    current.failed = true;
    add_diagnostic_line("%s: expected 0x%lx, got 0x%lx", what, expected, got);
    return false;
}

bool test_check(bool condition, const char *diagnostic_format, ...)
{
    va_list arguments;

    if (condition)
        return true;
    current.failed = true;
    va_start(arguments, diagnostic_format);
    add_diagnostic(diagnostic_format, arguments);
    va_end(arguments);
    return false;
}

void test_note(const char *note_format, ...)
{
    va_list arguments;

    va_start(arguments, note_format);
    add_diagnostic(note_format, arguments);
    va_end(arguments);
}

bool test_end(void)
{
    bool passed = !current.failed;

    console_print("%s %u - %s\n", passed ? "ok" : "not ok", current.number, current.name);
    for (unsigned i = 0; i < current.diagnostic_count; i++)
        console_print("#   %s\n", current.diagnostics[i]);
    if (current.diagnostics_dropped > 0)
        console_print("#   (%u more diagnostic lines dropped)\n", current.diagnostics_dropped);
    if (passed)
        totals.passed++;
    else
        totals.failed++;
    current.running = false;
    return passed;
}

void test_skip(const char *reason_format, ...)
{
    char reason[DIAGNOSTIC_LINE_BYTES];
    va_list arguments;

    va_start(arguments, reason_format);
    format_string_list(reason, sizeof reason, reason_format, arguments);
    va_end(arguments);
    console_print("ok %u # SKIP %s\n", current.number, reason);
    totals.skipped++;
    current.running = false;
}

void test_comment(const char *format, ...)
{
    va_list arguments;

    console_print("# ");
    va_start(arguments, format);
    console_print_list(format, arguments);
    va_end(arguments);
    console_print("\n");
}

struct test_totals test_totals(void)
{
    return totals;
}

_Noreturn void test_finish(void)
{
    console_print("1..%u\n", current.number);
    console_print("%s: %u passed, %u failed, %u skipped\n", boot_info.vm_name,
                  totals.passed, totals.failed, totals.skipped);
    hypercall_done(totals.passed, totals.failed, totals.skipped);
    /* HC_DONE ends the VM; should minisvm resume it anyway, HLT with IF=0 ends it:
     * nothing can wake the vCPU. */
    halt_forever();
    __builtin_unreachable();
}

_Noreturn void test_bail_out(const char *reason_format, ...)
{
    va_list arguments;

    if (current.running) {
        console_print("not ok %u - %s\n", current.number, current.name);
        totals.failed++;
        current.running = false;
    }
    console_print("Bail out! ");
    va_start(arguments, reason_format);
    console_print_list(reason_format, arguments);
    va_end(arguments);
    console_print("\n");
    test_finish();
}
