/* Unit tests for svm/vmcb.h and scripts/gen_vmcb_offsets.c: every field offset
 * is a _Static_assert in the header already, so these check what the compiler
 * cannot: the text of the nasm include, the intercept helpers, VMEXIT_INVALID.
 * See: APM Appendix B Tables B-1 and B-2, §15.5.1. */
#include "test.h"

#include <stdlib.h>

/* The generator is built here without its main(), so the test reads exactly
 * the lines the build writes to vmcb_offsets.inc. */
#define VMCB_OFFSETS_NO_MAIN
#include "scripts/gen_vmcb_offsets.c"

/* Absolute offsets as APM Tables B-1 and B-2 state them, typed here on
 * purpose: the generator must agree with the manual, not only with itself. */
static const struct {
    const char *name;
    uint64_t offset;
} expected_defines[] = {
    { "VMCB_SIZE", 0x1000 },
    { "VMCB_CONTROL_EXIT_CODE", 0x070 },
    { "VMCB_CONTROL_EXIT_INFO_1", 0x078 },
    { "VMCB_CONTROL_EXIT_INFO_2", 0x080 },
    { "VMCB_CONTROL_NEXT_RIP", 0x0c8 },
    { "VMCB_SAVE_CR2", 0x640 },
    { "VMCB_SAVE_RAX", 0x5f8 },
    { "VMCB_SAVE_RFLAGS", 0x570 },
    { "VMCB_SAVE_RIP", 0x578 },
    { "VMCB_SAVE_RSP", 0x5d8 },
    /* The world switch's register frame, svm/guest_registers.h. */
    { "GUEST_RBX", 0x00 }, { "GUEST_RCX", 0x08 }, { "GUEST_RDX", 0x10 },
    { "GUEST_RSI", 0x18 }, { "GUEST_RDI", 0x20 }, { "GUEST_RBP", 0x28 },
    { "GUEST_R8", 0x30 },  { "GUEST_R9", 0x38 },  { "GUEST_R10", 0x40 },
    { "GUEST_R11", 0x48 }, { "GUEST_R12", 0x50 }, { "GUEST_R13", 0x58 },
    { "GUEST_R14", 0x60 }, { "GUEST_R15", 0x68 },
    { "GUEST_FXSAVE", 0x80 }, { "HOST_FXSAVE", 0x280 },
};

#define EXPECTED_DEFINE_COUNT (sizeof expected_defines / sizeof expected_defines[0])

static char include_text[4096];

static void generate_include(void)
{
    FILE *out = fmemopen(include_text, sizeof include_text, "w");

    if (!out) {
        test_fail(__FILE__, __LINE__, "fmemopen failed");
        return;
    }
    vmcb_offsets_print(out);
    fclose(out);
}

TEST(generated_include_has_each_offset)
{
    generate_include();
    for (size_t i = 0; i < EXPECTED_DEFINE_COUNT; i++) {
        char line[128];

        test_row("%%define %s 0x%llx", expected_defines[i].name,
                 (unsigned long long)expected_defines[i].offset);
        snprintf(line, sizeof line, "\n%%define %s 0x%llx\n", expected_defines[i].name,
                 (unsigned long long)expected_defines[i].offset);
        EXPECT_TRUE(strstr(include_text, line) != NULL);
    }
}

TEST(generated_include_has_nothing_else)
{
    size_t defines = 0;
    size_t comments = 0;
    char copy[sizeof include_text];

    generate_include();
    memcpy(copy, include_text, sizeof copy);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "%define ", 8) == 0)
            defines++;
        else if (line[0] == ';')
            comments++;
        else
            test_fail(__FILE__, __LINE__, "a line that nasm would not accept as a define");
    }
    EXPECT_EQ(defines, EXPECTED_DEFINE_COUNT);
    EXPECT_EQ(comments, 1);
}

static const struct {
    const char *name;
    unsigned intercept;
    unsigned word;
    unsigned bit;
} intercept_positions[] = {
    { "CR0 read", INTERCEPT_CR0_READ, 0, 0 },
    { "CR8 write", INTERCEPT_CR8_WRITE, 0, 24 },
    { "DR7 write", INTERCEPT_DR7_WRITE, 1, 23 },
    { "#PF", INTERCEPT_EXCEPTION(14), 2, 14 },
    { "#MC", INTERCEPT_EXCEPTION(18), 2, 18 },
    { "INTR", INTERCEPT_INTR, 3, 0 },
    { "NMI", INTERCEPT_NMI, 3, 1 },
    { "CPUID", INTERCEPT_CPUID, 3, 18 },
    { "INVD", INTERCEPT_INVD, 3, 22 },
    { "HLT", INTERCEPT_HLT, 3, 24 },
    { "INVLPGA", INTERCEPT_INVLPGA, 3, 26 },
    { "IOIO_PROT", INTERCEPT_IOIO_PROT, 3, 27 },
    { "MSR_PROT", INTERCEPT_MSR_PROT, 3, 28 },
    { "SHUTDOWN", INTERCEPT_SHUTDOWN, 3, 31 },
    { "VMRUN", INTERCEPT_VMRUN, 4, 0 },
    { "VMMCALL", INTERCEPT_VMMCALL, 4, 1 },
    { "VMLOAD", INTERCEPT_VMLOAD, 4, 2 },
    { "VMSAVE", INTERCEPT_VMSAVE, 4, 3 },
    { "STGI", INTERCEPT_STGI, 4, 4 },
    { "CLGI", INTERCEPT_CLGI, 4, 5 },
    { "SKINIT", INTERCEPT_SKINIT, 4, 6 },
    { "XSETBV", INTERCEPT_XSETBV, 4, 13 },
    { "INVLPGB", INTERCEPT_INVLPGB, 5, 0 },
    { "idle HLT", INTERCEPT_IDLE_HLT, 5, 6 },
};

TEST(intercept_helpers_use_the_vector_words)
{
    static struct vmcb vmcb;

    for (size_t i = 0; i < sizeof intercept_positions / sizeof intercept_positions[0]; i++) {
        unsigned word = intercept_positions[i].word;

        test_row("intercept %s is word %u (offset 0x%03x) bit %u", intercept_positions[i].name,
                 word, word * 4, intercept_positions[i].bit);
        memset(&vmcb, 0, sizeof vmcb);
        vmcb_set_intercept(&vmcb.control, intercept_positions[i].intercept);
        EXPECT_EQ(vmcb.control.intercepts[word], UINT32_C(1) << intercept_positions[i].bit);
        EXPECT_TRUE(vmcb_is_intercept(&vmcb.control, intercept_positions[i].intercept));
        vmcb_clear_intercept(&vmcb.control, intercept_positions[i].intercept);
        EXPECT_EQ(vmcb.control.intercepts[word], 0);
        EXPECT_FALSE(vmcb_is_intercept(&vmcb.control, intercept_positions[i].intercept));
    }
}

TEST(intercept_helpers_ignore_numbers_past_the_last_word)
{
    static struct vmcb vmcb;

    memset(&vmcb, 0, sizeof vmcb);
    vmcb_set_intercept(&vmcb.control, 32 * VMCB_INTERCEPT_WORDS);
    EXPECT_FALSE(vmcb_is_intercept(&vmcb.control, 32 * VMCB_INTERCEPT_WORDS));
    for (size_t i = 0; i < sizeof vmcb.control.reserved_0x018; i++)
        EXPECT_EQ(vmcb.control.reserved_0x018[i], 0);
}

TEST(vmexit_invalid_from_hardware_and_from_qemu)
{
    static const struct {
        uint64_t exit_code;
        bool invalid;
    } codes[] = {
        { SVM_EXIT_ERR, true },
        { UINT64_C(0xffffffffffffffff), true },
        { UINT64_C(0x00000000ffffffff), true },   /* QEMU 7.2 TCG */
        { SVM_EXIT_NPF, false },
        { SVM_EXIT_VMMCALL, false },
        { 0, false },
        { UINT64_C(0xfffffffe), false },
        { UINT64_C(0xffffffff00000000), false },
    };

    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        test_row("exit code 0x%llx is %s", (unsigned long long)codes[i].exit_code,
                 codes[i].invalid ? "VMEXIT_INVALID" : "a real exit");
        EXPECT_EQ(svm_exit_is_invalid(codes[i].exit_code), codes[i].invalid);
    }
}
