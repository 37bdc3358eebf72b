/* Instruction-length decoding for intercepted instructions: skip the prefixes,
 * check the opcode is one the exit code allows, add the opcode and immediate.
 * See: APM Vol. 3 §1.2.1-§1.2.7 (legacy and REX prefixes), Appendix A (opcodes). */
#include "svm/insn_length.h"

#include <stdbool.h>

#include "hv/errno.h"
#include "svm/svm_defs.h"

#define OPCODE_BYTES_MAX  3
#define PREFIX_REPEAT     0xf3   /* REP / REPE: part of PAUSE (F3 90) */
#define REX_FIRST         0x40
#define REX_LAST          0x4f
#define REX_B             0x01   /* extends the register in the opcode byte */

/*
 * One instruction an exit code may stand for. None of these has a ModRM byte,
 * so prefixes never change the length: 66 and 67 change the operand or
 * address size, not the size of the imm8 port number of IN/OUT, and REX.W is
 * ignored by all of them. Mandatory-prefix variants (F3 0F 09 is WBNOINVD,
 * F3 0F 01 D9 is VMGEXIT) are intercepted like the plain form, so prefixes
 * are accepted without asking which variant the CPU saw: the exit code says that.
 */
struct exit_instruction {
    uint64_t exit_code;
    uint8_t opcode[OPCODE_BYTES_MAX];
    uint8_t opcode_length;
    uint8_t immediate_length;
    bool needs_repeat_prefix;   /* PAUSE is F3 90; plain 90 is NOP and never exits */
};

static const struct exit_instruction exit_instructions[] = {
    { SVM_EXIT_CPUID,   { 0x0f, 0xa2 },       2, 0, false },
    { SVM_EXIT_HLT,     { 0xf4 },             1, 0, false },
    { SVM_EXIT_INVD,    { 0x0f, 0x08 },       2, 0, false },
    { SVM_EXIT_WBINVD,  { 0x0f, 0x09 },       2, 0, false },
    { SVM_EXIT_MSR,     { 0x0f, 0x32 },       2, 0, false },   /* RDMSR */
    { SVM_EXIT_MSR,     { 0x0f, 0x30 },       2, 0, false },   /* WRMSR */
    { SVM_EXIT_VMMCALL, { 0x0f, 0x01, 0xd9 }, 3, 0, false },
    { SVM_EXIT_XSETBV,  { 0x0f, 0x01, 0xd1 }, 3, 0, false },
    { SVM_EXIT_RDTSC,   { 0x0f, 0x31 },       2, 0, false },
    { SVM_EXIT_RDTSCP,  { 0x0f, 0x01, 0xf9 }, 3, 0, false },
    { SVM_EXIT_RDPMC,   { 0x0f, 0x33 },       2, 0, false },
    { SVM_EXIT_PAUSE,   { 0x90 },             1, 0, true  },
    /* IN AL/eAX, imm8 and OUT imm8, AL/eAX: the port is the immediate. */
    { SVM_EXIT_IOIO,    { 0xe4 },             1, 1, false },
    { SVM_EXIT_IOIO,    { 0xe5 },             1, 1, false },
    { SVM_EXIT_IOIO,    { 0xe6 },             1, 1, false },
    { SVM_EXIT_IOIO,    { 0xe7 },             1, 1, false },
    /* IN and OUT with the port in DX. */
    { SVM_EXIT_IOIO,    { 0xec },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0xed },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0xee },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0xef },             1, 0, false },
    /* INS and OUTS, with or without REP. */
    { SVM_EXIT_IOIO,    { 0x6c },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0x6d },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0x6e },             1, 0, false },
    { SVM_EXIT_IOIO,    { 0x6f },             1, 0, false },
};

#define EXIT_INSTRUCTION_COUNT (sizeof exit_instructions / sizeof exit_instructions[0])

/* What a run of prefixes told us. */
struct prefixes {
    size_t count;
    bool repeat;        /* F3 seen */
    uint8_t rex;        /* the REX directly before the opcode, 0 if none */
};

static bool is_legacy_prefix(uint8_t byte)
{
    switch (byte) {
    case 0x66: case 0x67:                       /* operand size, address size */
    case 0xf0: case 0xf2: case 0xf3:            /* LOCK, REPNE, REP */
    case 0x2e: case 0x36: case 0x3e: case 0x26: /* CS, SS, DS, ES overrides */
    case 0x64: case 0x65:                       /* FS, GS overrides */
        return true;
    default:
        return false;
    }
}

static bool is_rex_prefix(uint8_t byte)
{
    return byte >= REX_FIRST && byte <= REX_LAST;
}

/*
 * Count the prefixes at the start of bytes, looking at no more than limit
 * bytes. A REX that is followed by another prefix is ignored by the CPU
 * (APM Vol. 3 §1.2.7) but still part of the instruction, so it is counted;
 * only the last one, directly before the opcode, is remembered.
 */
static struct prefixes read_prefixes(const uint8_t *bytes, size_t limit)
{
    struct prefixes prefixes = { 0, false, 0 };

    while (prefixes.count < limit) {
        uint8_t byte = bytes[prefixes.count];

        if (is_legacy_prefix(byte)) {
            prefixes.repeat |= byte == PREFIX_REPEAT;
            prefixes.rex = 0;
        } else if (is_rex_prefix(byte)) {
            prefixes.rex = byte;
        } else {
            break;
        }
        prefixes.count++;
    }
    return prefixes;
}

enum match {
    MATCH_NO,
    MATCH_YES,
    MATCH_CUT_SHORT,    /* agrees as far as the bytes go, but they end too soon */
};

/* Compare the bytes after the prefixes (limit of them readable) with one
 * candidate opcode. */
static enum match match_opcode(const struct exit_instruction *candidate,
                               const struct prefixes *prefixes,
                               const uint8_t *opcode, size_t limit)
{
    if (candidate->needs_repeat_prefix
        && (!prefixes->repeat || (prefixes->rex & REX_B)))
        return MATCH_NO;   /* REX.B 90 is XCHG r8, rAX, not NOP or PAUSE */
    for (size_t i = 0; i < candidate->opcode_length; i++) {
        if (i == limit)
            return MATCH_CUT_SHORT;
        if (opcode[i] != candidate->opcode[i])
            return MATCH_NO;
    }
    return MATCH_YES;
}

int insn_length_for_exit(uint64_t exit_code, const uint8_t *bytes, size_t available,
                         unsigned *length)
{
    /* A byte beyond the fifteenth can never belong to the instruction. */
    size_t limit = available < INSN_LENGTH_MAX ? available : INSN_LENGTH_MAX;
    struct prefixes prefixes = read_prefixes(bytes, limit);
    bool known_exit = false;
    bool cut_short = false;

    for (size_t i = 0; i < EXIT_INSTRUCTION_COUNT; i++) {
        const struct exit_instruction *candidate = &exit_instructions[i];
        size_t total;

        if (candidate->exit_code != exit_code)
            continue;
        known_exit = true;
        switch (match_opcode(candidate, &prefixes, bytes + prefixes.count,
                             limit - prefixes.count)) {
        case MATCH_NO:
            continue;
        case MATCH_CUT_SHORT:
            cut_short = true;
            continue;
        case MATCH_YES:
            break;
        }
        /* The immediate is not decoded, but it must be there: the CPU fetched
         * the whole instruction before the intercept, so a caller that could
         * not read it has read the wrong place. */
        total = prefixes.count + candidate->opcode_length + candidate->immediate_length;
        if (total > limit)
            return HV_ERANGE;
        *length = (unsigned)total;
        return HV_OK;
    }
    if (!known_exit)
        return HV_ENOENT;
    return cut_short ? HV_ERANGE : HV_EINVAL;
}
