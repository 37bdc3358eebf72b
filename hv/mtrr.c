/* The MTRR MSRs of one VM as registers that keep what the guest writes, checked as
 * the CPU checks them: MTRRcap is read-only; reserved bits and undefined memory
 * types raise #GP. See: APM Vol. 2 §7.7.1 (MTRR MSRs), Table 7-7 (memory types). */
#include "hv/mtrr.h"

#define MTRR_CAP_VARIABLE_COUNT  MTRR_VARIABLE_COUNT
#define MTRR_CAP_FIXED           (1ull << 8)
#define MTRR_CAP_WRITE_COMBINING (1ull << 10)
#define MTRR_DEF_TYPE_MASK       0xffull
#define MTRR_DEF_FIXED_ENABLE    (1ull << 10)
#define MTRR_DEF_ENABLE          (1ull << 11)
#define MTRR_VARIABLE_VALID      (1ull << 11)
#define MTRR_TYPE_WRITE_BACK     6u
#define MTRR_FIXED_ALL_WRITE_BACK 0x0606060606060606ull
#define MSR_MTRR_VARIABLE_FIRST  0x200u
#define PAGE_FRAME_MASK          0x000ffffffffff000ull

/* The fixed-range MTRRs in the order of struct mtrr_state's fixed[]. */
static const uint32_t fixed_msrs[MTRR_FIXED_COUNT] = {
    0x250,                                            /* 64K_00000 */
    0x258, 0x259,                                     /* 16K_80000, 16K_A0000 */
    0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f, /* 4K_C0000 ... 4K_F8000 */
};

/* UC 0, WC 1, WT 4, WP 5, WB 6; 2, 3 and 7 and up are reserved (Table 7-7). */
static bool memory_type_is_valid(uint64_t type)
{
    return type == 0 || type == 1 || type == 4 || type == 5 || type == 6;
}

void mtrr_init(struct mtrr_state *mtrr, unsigned physical_address_bits)
{
    if (physical_address_bits < 36 || physical_address_bits > 52)
        physical_address_bits = 48;
    *mtrr = (struct mtrr_state){
        .def_type = MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE | MTRR_TYPE_WRITE_BACK,
        .physical_address_mask = PAGE_FRAME_MASK & ((1ull << physical_address_bits) - 1),
    };
    for (unsigned i = 0; i < MTRR_FIXED_COUNT; i++)
        mtrr->fixed[i] = MTRR_FIXED_ALL_WRITE_BACK;
}

static int fixed_index(uint32_t msr)
{
    for (unsigned i = 0; i < MTRR_FIXED_COUNT; i++) {
        if (fixed_msrs[i] == msr)
            return (int)i;
    }
    return -1;
}

static bool is_variable(uint32_t msr)
{
    return msr >= MSR_MTRR_VARIABLE_FIRST && msr < MSR_MTRR_VARIABLE_FIRST + 2 * MTRR_VARIABLE_COUNT;
}

bool mtrr_is_mtrr_msr(uint32_t msr)
{
    return msr == MSR_MTRR_CAP || msr == MSR_MTRR_DEF_TYPE || fixed_index(msr) >= 0 ||
           is_variable(msr);
}

bool mtrr_read(const struct mtrr_state *mtrr, uint32_t msr, uint64_t *value)
{
    int fixed = fixed_index(msr);

    if (msr == MSR_MTRR_CAP)
        *value = MTRR_CAP_WRITE_COMBINING | MTRR_CAP_FIXED | MTRR_CAP_VARIABLE_COUNT;
    else if (msr == MSR_MTRR_DEF_TYPE)
        *value = mtrr->def_type;
    else if (fixed >= 0)
        *value = mtrr->fixed[fixed];
    else if (is_variable(msr) && (msr - MSR_MTRR_VARIABLE_FIRST) % 2 == 0)
        *value = mtrr->variable_base[(msr - MSR_MTRR_VARIABLE_FIRST) / 2];
    else if (is_variable(msr))
        *value = mtrr->variable_mask[(msr - MSR_MTRR_VARIABLE_FIRST) / 2];
    else
        return false;
    return true;
}

static bool fixed_value_is_valid(uint64_t value)
{
    for (unsigned byte = 0; byte < 8; byte++) {
        if (!memory_type_is_valid((value >> (8 * byte)) & 0xff))
            return false;
    }
    return true;
}

bool mtrr_write(struct mtrr_state *mtrr, uint32_t msr, uint64_t value)
{
    int fixed = fixed_index(msr);
    uint64_t def_type_bits = MTRR_DEF_ENABLE | MTRR_DEF_FIXED_ENABLE | MTRR_DEF_TYPE_MASK;

    if (msr == MSR_MTRR_DEF_TYPE) {
        if ((value & ~def_type_bits) || !memory_type_is_valid(value & MTRR_DEF_TYPE_MASK))
            return false;
        mtrr->def_type = value;
    } else if (fixed >= 0) {
        if (!fixed_value_is_valid(value))
            return false;
        mtrr->fixed[fixed] = value;
    } else if (is_variable(msr) && (msr - MSR_MTRR_VARIABLE_FIRST) % 2 == 0) {
        uint64_t allowed = mtrr->physical_address_mask | MTRR_DEF_TYPE_MASK;
        if ((value & ~allowed) || !memory_type_is_valid(value & MTRR_DEF_TYPE_MASK))
            return false;
        mtrr->variable_base[(msr - MSR_MTRR_VARIABLE_FIRST) / 2] = value;
    } else if (is_variable(msr)) {
        if (value & ~(mtrr->physical_address_mask | MTRR_VARIABLE_VALID))
            return false;
        mtrr->variable_mask[(msr - MSR_MTRR_VARIABLE_FIRST) / 2] = value;
    } else {
        return false;   /* MTRRcap is read-only; anything else is not ours */
    }
    return true;
}
