/* A small test framework for the host-side unit tests: TEST() registers a test,
 * EXPECT_*() records failures with the values seen, test_row() splits a
 * table-driven test into one counted case per row. Output is TAP. */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *file, const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *what);
void test_fail_u64(const char *file, int line, const char *actual_expr,
                   const char *expected_expr, uint64_t actual, uint64_t expected);
/* Start a new counted case inside the running test (e.g. one row of a table).
 * The name is formatted like printf. */
void test_row(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define TEST(name)                                                     \
    static void name(void);                                            \
    __attribute__((constructor)) static void register_##name(void)     \
    {                                                                  \
        test_register(__FILE__, #name, name);                          \
    }                                                                  \
    static void name(void)

#define EXPECT_EQ(actual, expected)                                        \
    do {                                                                   \
        uint64_t actual_ = (uint64_t)(actual);                             \
        uint64_t expected_ = (uint64_t)(expected);                         \
        if (actual_ != expected_)                                          \
            test_fail_u64(__FILE__, __LINE__, #actual, #expected,          \
                          actual_, expected_);                             \
    } while (0)

#define EXPECT_TRUE(cond)                                                  \
    do {                                                                   \
        if (!(cond))                                                       \
            test_fail(__FILE__, __LINE__, "expected true: " #cond);        \
    } while (0)

#define EXPECT_FALSE(cond)                                                 \
    do {                                                                   \
        if (cond)                                                          \
            test_fail(__FILE__, __LINE__, "expected false: " #cond);       \
    } while (0)

#define EXPECT_STR_EQ(actual, expected)                                    \
    do {                                                                   \
        const char *actual_ = (actual);                                    \
        const char *expected_ = (expected);                                \
        if (strcmp(actual_, expected_) != 0) {                             \
            char what_[512];                                               \
            snprintf(what_, sizeof what_, "%.100s is \"%.180s\", expected \"%.180s\"", \
                     #actual, actual_, expected_);                         \
            test_fail(__FILE__, __LINE__, what_);                          \
        }                                                                  \
    } while (0)

#endif
