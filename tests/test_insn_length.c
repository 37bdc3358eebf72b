/* Unit tests for svm/insn_length: every handled exit with and without
 * prefixes, opcodes that do not match the exit, short buffers, the 15-byte limit.
 * See: APM Vol. 3 §1.2 (prefixes), Appendix A (opcodes); svm-reference §1.8. */
#include "tests/test.h"

#include "hv/errno.h"
#include "svm/insn_length.h"
#include "svm/svm_defs.h"

#define NOT_SET 0xdeadu   /* what *length holds when the call must not write it */

struct length_row {
    const char *name;
    uint64_t exit_code;
    uint8_t bytes[INSN_LENGTH_MAX + 2];
    size_t available;
    int expected_error;
    unsigned expected_length;
};

static void run_rows(const struct length_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        unsigned length = NOT_SET;

        test_row("%s", rows[i].name);
        EXPECT_EQ(insn_length_for_exit(rows[i].exit_code, rows[i].bytes,
                                       rows[i].available, &length),
                  rows[i].expected_error);
        EXPECT_EQ(length, rows[i].expected_length);
    }
}

#define ROWS(rows) run_rows(rows, sizeof rows / sizeof rows[0])

TEST(every_exit_without_prefixes)
{
    /* available is 15, as when the caller reads a whole maximal window. */
    static const struct length_row rows[] = {
        { "cpuid 0F A2",          SVM_EXIT_CPUID,   { 0x0f, 0xa2 },       15, HV_OK, 2 },
        { "hlt F4",               SVM_EXIT_HLT,     { 0xf4 },             15, HV_OK, 1 },
        { "invd 0F 08",           SVM_EXIT_INVD,    { 0x0f, 0x08 },       15, HV_OK, 2 },
        { "wbinvd 0F 09",         SVM_EXIT_WBINVD,  { 0x0f, 0x09 },       15, HV_OK, 2 },
        { "rdmsr 0F 32",          SVM_EXIT_MSR,     { 0x0f, 0x32 },       15, HV_OK, 2 },
        { "wrmsr 0F 30",          SVM_EXIT_MSR,     { 0x0f, 0x30 },       15, HV_OK, 2 },
        { "vmmcall 0F 01 D9",     SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0xd9 }, 15, HV_OK, 3 },
        { "xsetbv 0F 01 D1",      SVM_EXIT_XSETBV,  { 0x0f, 0x01, 0xd1 }, 15, HV_OK, 3 },
        { "rdtsc 0F 31",          SVM_EXIT_RDTSC,   { 0x0f, 0x31 },       15, HV_OK, 2 },
        { "rdtscp 0F 01 F9",      SVM_EXIT_RDTSCP,  { 0x0f, 0x01, 0xf9 }, 15, HV_OK, 3 },
        { "rdpmc 0F 33",          SVM_EXIT_RDPMC,   { 0x0f, 0x33 },       15, HV_OK, 2 },
        { "pause F3 90",          SVM_EXIT_PAUSE,   { 0xf3, 0x90 },       15, HV_OK, 2 },
        { "in al, imm8 E4 80",    SVM_EXIT_IOIO,    { 0xe4, 0x80 },       15, HV_OK, 2 },
        { "in eax, imm8 E5 80",   SVM_EXIT_IOIO,    { 0xe5, 0x80 },       15, HV_OK, 2 },
        { "out imm8, al E6 80",   SVM_EXIT_IOIO,    { 0xe6, 0x80 },       15, HV_OK, 2 },
        { "out imm8, eax E7 80",  SVM_EXIT_IOIO,    { 0xe7, 0x80 },       15, HV_OK, 2 },
        { "in al, dx EC",         SVM_EXIT_IOIO,    { 0xec },             15, HV_OK, 1 },
        { "in eax, dx ED",        SVM_EXIT_IOIO,    { 0xed },             15, HV_OK, 1 },
        { "out dx, al EE",        SVM_EXIT_IOIO,    { 0xee },             15, HV_OK, 1 },
        { "out dx, eax EF",       SVM_EXIT_IOIO,    { 0xef },             15, HV_OK, 1 },
        { "insb 6C",              SVM_EXIT_IOIO,    { 0x6c },             15, HV_OK, 1 },
        { "insd 6D",              SVM_EXIT_IOIO,    { 0x6d },             15, HV_OK, 1 },
        { "outsb 6E",             SVM_EXIT_IOIO,    { 0x6e },             15, HV_OK, 1 },
        { "outsd 6F",             SVM_EXIT_IOIO,    { 0x6f },             15, HV_OK, 1 },
    };

    ROWS(rows);
}

TEST(prefixes_add_to_the_length)
{
    static const struct length_row rows[] = {
        { "66 ED in ax, dx",            SVM_EXIT_IOIO,    { 0x66, 0xed },             15, HV_OK, 2 },
        { "66 E5 80 in ax, imm8",       SVM_EXIT_IOIO,    { 0x66, 0xe5, 0x80 },       15, HV_OK, 3 },
        { "F3 6C rep insb",             SVM_EXIT_IOIO,    { 0xf3, 0x6c },             15, HV_OK, 2 },
        { "F3 66 6F rep outsw",         SVM_EXIT_IOIO,    { 0xf3, 0x66, 0x6f },       15, HV_OK, 3 },
        { "67 F3 6D rep insd, 32-bit addresses", SVM_EXIT_IOIO, { 0x67, 0xf3, 0x6d }, 15, HV_OK, 3 },
        { "2E F3 6E rep outsb cs:",     SVM_EXIT_IOIO,    { 0x2e, 0xf3, 0x6e },       15, HV_OK, 3 },
        { "64 6E outsb fs:",            SVM_EXIT_IOIO,    { 0x64, 0x6e },             15, HV_OK, 2 },
        { "65 6F outsd gs:",            SVM_EXIT_IOIO,    { 0x65, 0x6f },             15, HV_OK, 2 },
        { "36 3E 26 6E outsb, three segments", SVM_EXIT_IOIO, { 0x36, 0x3e, 0x26, 0x6e }, 15, HV_OK, 4 },
        { "48 0F A2 REX.W cpuid",       SVM_EXIT_CPUID,   { 0x48, 0x0f, 0xa2 },       15, HV_OK, 3 },
        { "2E 0F 01 D9 cs: vmmcall",    SVM_EXIT_VMMCALL, { 0x2e, 0x0f, 0x01, 0xd9 }, 15, HV_OK, 4 },
        { "F3 0F 01 D9 vmgexit form",   SVM_EXIT_VMMCALL, { 0xf3, 0x0f, 0x01, 0xd9 }, 15, HV_OK, 4 },
        { "F3 0F 09 wbnoinvd",          SVM_EXIT_WBINVD,  { 0xf3, 0x0f, 0x09 },       15, HV_OK, 3 },
        { "66 48 0F 32 rdmsr",          SVM_EXIT_MSR,     { 0x66, 0x48, 0x0f, 0x32 }, 15, HV_OK, 4 },
        { "F0 0F 30 lock wrmsr",        SVM_EXIT_MSR,     { 0xf0, 0x0f, 0x30 },       15, HV_OK, 3 },
        { "F2 0F 01 D1 xsetbv",         SVM_EXIT_XSETBV,  { 0xf2, 0x0f, 0x01, 0xd1 }, 15, HV_OK, 4 },
        { "3E F4 ds: hlt",              SVM_EXIT_HLT,     { 0x3e, 0xf4 },             15, HV_OK, 2 },
        { "41 0F 31 REX.B rdtsc",       SVM_EXIT_RDTSC,   { 0x41, 0x0f, 0x31 },       15, HV_OK, 3 },
        { "66 F3 90 pause",             SVM_EXIT_PAUSE,   { 0x66, 0xf3, 0x90 },       15, HV_OK, 3 },
        { "F3 48 90 pause, REX.W",      SVM_EXIT_PAUSE,   { 0xf3, 0x48, 0x90 },       15, HV_OK, 3 },
        { "41 F3 90 pause, REX.B ignored before F3", SVM_EXIT_PAUSE, { 0x41, 0xf3, 0x90 }, 15, HV_OK, 3 },
        /* A REX followed by another prefix is ignored but still fetched. */
        { "48 66 0F A2 REX before 66",  SVM_EXIT_CPUID,   { 0x48, 0x66, 0x0f, 0xa2 }, 15, HV_OK, 4 },
        { "40 48 0F A2 two REX",        SVM_EXIT_CPUID,   { 0x40, 0x48, 0x0f, 0xa2 }, 15, HV_OK, 4 },
    };

    ROWS(rows);
}

TEST(bytes_that_do_not_match_the_exit)
{
    static const struct length_row rows[] = {
        { "nop at a cpuid exit",         SVM_EXIT_CPUID,   { 0x90 },                   15, HV_EINVAL, NOT_SET },
        { "rdtsc at a cpuid exit",       SVM_EXIT_CPUID,   { 0x0f, 0x31 },             15, HV_EINVAL, NOT_SET },
        { "cpuid at an msr exit",        SVM_EXIT_MSR,     { 0x0f, 0xa2 },             15, HV_EINVAL, NOT_SET },
        { "vmrun at a vmmcall exit",     SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0xd8 },       15, HV_EINVAL, NOT_SET },
        { "xsetbv at a vmmcall exit",    SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0xd1 },       15, HV_EINVAL, NOT_SET },
        { "rdtscp at an xsetbv exit",    SVM_EXIT_XSETBV,  { 0x0f, 0x01, 0xf9 },       15, HV_EINVAL, NOT_SET },
        { "plain nop at a pause exit",   SVM_EXIT_PAUSE,   { 0x90 },                   15, HV_EINVAL, NOT_SET },
        { "F2 90 at a pause exit",       SVM_EXIT_PAUSE,   { 0xf2, 0x90 },             15, HV_EINVAL, NOT_SET },
        { "F3 41 90 xchg r8d, eax",      SVM_EXIT_PAUSE,   { 0xf3, 0x41, 0x90 },       15, HV_EINVAL, NOT_SET },
        { "hlt at an ioio exit",         SVM_EXIT_IOIO,    { 0xf4 },                   15, HV_EINVAL, NOT_SET },
        { "cpuid at an ioio exit",       SVM_EXIT_IOIO,    { 0x0f, 0xa2 },             15, HV_EINVAL, NOT_SET },
        { "invd at a wbinvd exit",       SVM_EXIT_WBINVD,  { 0x0f, 0x08 },             15, HV_EINVAL, NOT_SET },
        { "REX between 0F and A2",       SVM_EXIT_CPUID,   { 0x0f, 0x48, 0xa2 },       15, HV_EINVAL, NOT_SET },
        { "66 between 0F 01 and D9",     SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0x66, 0xd9 }, 15, HV_EINVAL, NOT_SET },
        /* Known mismatch wins over too few bytes. */
        { "0F 02 cut short at vmmcall",  SVM_EXIT_VMMCALL, { 0x0f, 0x02 },             2,  HV_EINVAL, NOT_SET },
    };

    ROWS(rows);
}

TEST(exits_without_an_instruction_to_decode)
{
    static const struct length_row rows[] = {
        { "#NPF",          SVM_EXIT_NPF,      { 0x0f, 0xa2 }, 15, HV_ENOENT, NOT_SET },
        { "INTR",          SVM_EXIT_INTR,     { 0xf4 },       15, HV_ENOENT, NOT_SET },
        { "SHUTDOWN",      SVM_EXIT_SHUTDOWN, { 0xf4 },       15, HV_ENOENT, NOT_SET },
        { "VMEXIT_INVALID", SVM_EXIT_ERR,     { 0xf4 },       15, HV_ENOENT, NOT_SET },
    };

    ROWS(rows);
}

TEST(too_few_bytes)
{
    static const struct length_row rows[] = {
        { "nothing available",           SVM_EXIT_HLT,     { 0xf4 },                   0, HV_ERANGE, NOT_SET },
        { "0F of cpuid only",            SVM_EXIT_CPUID,   { 0x0f, 0xa2 },             1, HV_ERANGE, NOT_SET },
        { "0F 01 of vmmcall only",       SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0xd9 },       2, HV_ERANGE, NOT_SET },
        { "prefixes only",               SVM_EXIT_IOIO,    { 0x66, 0xf3, 0x6c },       2, HV_ERANGE, NOT_SET },
        { "REX only",                    SVM_EXIT_CPUID,   { 0x48, 0x0f, 0xa2 },       1, HV_ERANGE, NOT_SET },
        { "in imm8 without its port",    SVM_EXIT_IOIO,    { 0xe4, 0x80 },             1, HV_ERANGE, NOT_SET },
        { "66 E7 without its port",      SVM_EXIT_IOIO,    { 0x66, 0xe7, 0x80 },       2, HV_ERANGE, NOT_SET },
        { "exactly enough for cpuid",    SVM_EXIT_CPUID,   { 0x0f, 0xa2 },             2, HV_OK, 2 },
        { "exactly enough for in imm8",  SVM_EXIT_IOIO,    { 0xe4, 0x80 },             2, HV_OK, 2 },
    };

    ROWS(rows);
}

/* Bytes with prefix_count ES overrides, then the given opcode bytes. */
static size_t fill_with_prefixes(uint8_t *bytes, size_t prefix_count,
                                 const uint8_t *opcode, size_t opcode_length)
{
    memset(bytes, 0x26, prefix_count);
    memcpy(bytes + prefix_count, opcode, opcode_length);
    return prefix_count + opcode_length;
}

TEST(the_fifteen_byte_limit)
{
    static const uint8_t cpuid[] = { 0x0f, 0xa2 };
    static const uint8_t in_imm8[] = { 0xe4, 0x80 };
    static const uint8_t hlt[] = { 0xf4 };
    static const struct {
        const char *name;
        uint64_t exit_code;
        const uint8_t *opcode;
        size_t opcode_length;
        size_t prefix_count;
        int expected_error;
        unsigned expected_length;
    } rows[] = {
        { "13 prefixes + cpuid = 15",   SVM_EXIT_CPUID, cpuid,   2, 13, HV_OK, 15 },
        { "14 prefixes + cpuid = 16",   SVM_EXIT_CPUID, cpuid,   2, 14, HV_ERANGE, NOT_SET },
        { "14 prefixes + hlt = 15",     SVM_EXIT_HLT,   hlt,     1, 14, HV_OK, 15 },
        { "15 prefixes + hlt = 16",     SVM_EXIT_HLT,   hlt,     1, 15, HV_ERANGE, NOT_SET },
        { "13 prefixes + in imm8 = 15", SVM_EXIT_IOIO,  in_imm8, 2, 13, HV_OK, 15 },
        { "14 prefixes + in imm8 = 16", SVM_EXIT_IOIO,  in_imm8, 2, 14, HV_ERANGE, NOT_SET },
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t bytes[32];
        unsigned length = NOT_SET;
        size_t filled;

        test_row("%s", rows[i].name);
        filled = fill_with_prefixes(bytes, rows[i].prefix_count, rows[i].opcode,
                                    rows[i].opcode_length);
        /* Offer more than 15 bytes: the limit, not the buffer, must stop it. */
        memset(bytes + filled, 0x90, sizeof bytes - filled);
        EXPECT_EQ(insn_length_for_exit(rows[i].exit_code, bytes, sizeof bytes, &length),
                  rows[i].expected_error);
        EXPECT_EQ(length, rows[i].expected_length);
    }
}
