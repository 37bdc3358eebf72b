/* Unit tests for the error-code descriptions (hv/errno.c): every code has its
 * own text, and an unknown code still gives one. */
#include "test.h"

#include "hv/errno.h"

TEST(error_descriptions)
{
    static const struct {
        int code;
        const char *text;
    } rows[] = {
        { HV_OK, "success" },          { HV_ENOENT, "not present" },
        { HV_ENOMEM, "out of memory" }, { HV_EEXIST, "already present" },
        { HV_EINVAL, "invalid argument" }, { HV_ENOSPC, "table full" },
        { HV_ERANGE, "out of range" },  { -9999, "unknown error" },
        { 5, "unknown error" },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        test_row("hv_strerror(%d)", rows[i].code);
        EXPECT_STR_EQ(hv_strerror(rows[i].code), rows[i].text);
    }
}

TEST(error_codes_are_negative)
{
    EXPECT_TRUE(HV_ENOENT < 0 && HV_ENOMEM < 0 && HV_EEXIST < 0 && HV_EINVAL < 0 &&
                HV_ENOSPC < 0 && HV_ERANGE < 0);
}
