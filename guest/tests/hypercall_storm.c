/* A storm of hypercalls with pseudo-random numbers and arguments, every one of
 * which must be refused: unknown numbers with HC_ENOSYS, bad guest-physical
 * pointers and ranges with HC_EFAULT or HC_EINVAL. No call in the storm may
 * succeed, so it leaves the VM exactly as it found it. See: guest/abi.h. */
#include "guest/hypercall.h"
#include "guest/paging.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/npf_check.h"
#include "guest/tests/tests.h"

#define STORM_CALLS 10240
#define NOTED_FAILURES 6

enum storm_kind {
    STORM_UNKNOWN_NUMBER,
    STORM_EXPECT_REPORT_OUTSIDE,
    STORM_EXPECT_REPORT_UNALIGNED,
    STORM_NPT_OUTSIDE,
    STORM_NPT_UNALIGNED,
    STORM_NPT_ZERO,
    STORM_NPT_OVERFLOW,
    STORM_NPT_UNKNOWN_FLAGS,
    STORM_TEXT_OUTSIDE,
    STORM_TEXT_UNALIGNED,
    STORM_TEXT_ZERO,
    STORM_TEXT_OVERFLOW,
    STORM_KINDS
};

/* Scratch pages: where a call that should be refused but is not does the least
 * harm (a range made NPT_ACCESS_DEFAULT, which it already is). */
static uint8_t scratch[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

struct call {
    uint64_t number, first, second, third;
};

/* xorshift64 (Marsaglia): fast, and reproducible from the seed alone. */
static uint64_t random_next(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* A page-aligned GPA at or above the end of RAM, or a range that straddles it. */
static uint64_t gpa_outside(uint64_t random, uint64_t ram)
{
    switch (random % 4) {
    case 0:  return ram;
    case 1:  return (ram + (random >> 8) % (1ull << 40)) & ~(PAGE_SIZE - 1);
    case 2:  return (random | (1ull << 63)) & ~(PAGE_SIZE - 1);   /* far above */
    default: return ram - PAGE_SIZE;                            /* straddles the end */
    }
}

static struct call make_call(enum storm_kind kind, uint64_t *state)
{
    uint64_t ram = boot_info.ram_bytes;
    uint64_t r = random_next(state), s = random_next(state);
    uint64_t scratch_gpa = (uint64_t)(uintptr_t)scratch;
    uint64_t recovery = ADDRESS_OF(npf_probe_read_access);
    uint64_t pages = PAGE_SIZE * (1 + s % 16);

    switch (kind) {
    case STORM_UNKNOWN_NUMBER:
        return (struct call){ r < HC_COUNT ? r + HC_COUNT : r, s, random_next(state),
                              random_next(state) };
    case STORM_EXPECT_REPORT_OUTSIDE: {
        uint64_t report;
        switch (s % 3) {
        case 0:  report = (ram + (r % (1ull << 36))) & ~7ull; break;
        case 1:  report = ram - 8 * (1 + r % 5); break;   /* the 48-byte report crosses the end */
        default: report = ~7ull - 8 * (r % 4); break;     /* wraps around 2^64 */
        }
        return (struct call){ HC_EXPECT_NPF, recovery, report, 0 };
    }
    case STORM_EXPECT_REPORT_UNALIGNED:
        return (struct call){ HC_EXPECT_NPF, recovery, scratch_gpa + 1 + r % 7, 0 };
    case STORM_NPT_OUTSIDE:
        return (struct call){ HC_SET_NPT_ACCESS, gpa_outside(r, ram),
                              (r % 4 == 3) ? 2 * PAGE_SIZE : pages, NPT_ACCESS_DEFAULT };
    case STORM_NPT_UNALIGNED:
        if (s & 1)
            return (struct call){ HC_SET_NPT_ACCESS, scratch_gpa + 1 + r % (PAGE_SIZE - 1),
                                  PAGE_SIZE, NPT_ACCESS_DEFAULT };
        return (struct call){ HC_SET_NPT_ACCESS, scratch_gpa, PAGE_SIZE + 1 + r % (PAGE_SIZE - 1),
                              NPT_ACCESS_DEFAULT };
    case STORM_NPT_ZERO:
        return (struct call){ HC_SET_NPT_ACCESS, scratch_gpa, 0, NPT_ACCESS_DEFAULT };
    case STORM_NPT_OVERFLOW:
        return (struct call){ HC_SET_NPT_ACCESS, scratch_gpa, (~0ull - r % (1ull << 30)) & ~(PAGE_SIZE - 1),
                              NPT_ACCESS_DEFAULT };
    case STORM_NPT_UNKNOWN_FLAGS:
        return (struct call){ HC_SET_NPT_ACCESS, scratch_gpa, PAGE_SIZE,
                              NPT_ACCESS_DEFAULT | (1ull << (4 + r % 60)) };
    case STORM_TEXT_OUTSIDE:
        return (struct call){ HC_DECLARE_KERNEL_TEXT, gpa_outside(r, ram),
                              (r % 4 == 3) ? 2 * PAGE_SIZE : pages, 0 };
    case STORM_TEXT_UNALIGNED:
        return (struct call){ HC_DECLARE_KERNEL_TEXT, scratch_gpa + 1 + r % (PAGE_SIZE - 1),
                              PAGE_SIZE, 0 };
    case STORM_TEXT_ZERO:
        return (struct call){ HC_DECLARE_KERNEL_TEXT, scratch_gpa, 0, 0 };
    case STORM_TEXT_OVERFLOW:
    default:
        return (struct call){ HC_DECLARE_KERNEL_TEXT, scratch_gpa,
                              (~0ull - r % (1ull << 30)) & ~(PAGE_SIZE - 1), 0 };
    }
}

void test_hypercall_storm(void)
{
    uint64_t state = 0x9e3779b97f4a7c15ull ^ ((uint64_t)boot_info.vm_id + 1) * 0xbf58476d1ce4e5b9ull;
    unsigned enosys = 0, efault = 0, einval = 0, other = 0, wrong = 0;

    test_begin("hypercall: a storm of %u bad hypercalls is refused with HC_ENOSYS/EFAULT/EINVAL",
               STORM_CALLS);
    uint64_t seed = state;
    for (unsigned i = 0; i < STORM_CALLS; i++) {
        uint64_t pick = random_next(&state) % 15;
        /* About a quarter unknown numbers, the rest spread over the pointer kinds. */
        enum storm_kind kind = pick < 4 ? STORM_UNKNOWN_NUMBER : (enum storm_kind)(pick - 3);
        struct call call = make_call(kind, &state);
        int64_t result = hypercall3(call.number, call.first, call.second, call.third);

        bool expected;
        if (kind == STORM_UNKNOWN_NUMBER)
            expected = result == HC_ENOSYS;
        else
            expected = result == HC_EFAULT || result == HC_EINVAL;
        if (result == HC_ENOSYS)
            enosys++;
        else if (result == HC_EFAULT)
            efault++;
        else if (result == HC_EINVAL)
            einval++;
        else
            other++;
        if (!expected) {
            if (wrong++ < NOTED_FAILURES)
                test_note("call %u: hypercall 0x%lx (0x%lx, 0x%lx, 0x%lx) returned %ld",
                          i, call.number, call.first, call.second, call.third, result);
            /* An accepted expectation would swallow a later fault: take it back. */
            if (call.number == HC_EXPECT_NPF && result == HC_OK)
                hypercall_cancel_expect();
        }
    }
    test_check_equal("calls not refused as expected", 0, wrong);
    test_check(enosys > 0 && efault > 0 && einval > 0,
               "not every error kind was seen (HC_ENOSYS, HC_EFAULT, HC_EINVAL)");
    test_check_equal("results that were not an error", 0, other);
    /* The storm changed nothing: an expectation can still be armed and cancelled. */
    test_check_equal("HC_EXPECT_NPF after the storm", HC_OK,
                     (uint64_t)hypercall_expect_npf(ADDRESS_OF(npf_probe_read_access),
                                                    npf_test_report()));
    test_check_equal("HC_CANCEL_EXPECT after the storm", HC_OK, (uint64_t)hypercall_cancel_expect());
    test_note("%u calls (seed 0x%lx): %u HC_ENOSYS, %u HC_EFAULT, %u HC_EINVAL, %u other",
              STORM_CALLS, seed, enosys, efault, einval, other);
    test_end();
}
