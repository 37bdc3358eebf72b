/* The length of the guest instruction behind an intercept, decoded from its
 * bytes, for CPUs without NRIPS where nRIP is 0 and RIP must be advanced by hand.
 * See: APM Vol. 2 §15.7.1 (nRIP), §15.10 (IOIO exit information); Vol. 3 §1.2 (prefixes). */
#ifndef SVM_INSN_LENGTH_H
#define SVM_INSN_LENGTH_H

#include <stddef.h>
#include <stdint.h>

/* The architectural limit: a longer instruction raises #GP, so never exits. */
#define INSN_LENGTH_MAX 15

/*
 * Decode the instruction at the guest's RIP that caused the exit exit_code and
 * store its length, prefixes included, in *length. bytes holds the first
 * available bytes at RIP (only the first INSN_LENGTH_MAX are looked at), read
 * from guest memory after the exit.
 *
 * Handled: CPUID, HLT, INVD, WBINVD, MSR (RDMSR or WRMSR, both accepted),
 * VMMCALL, XSETBV, RDTSC, RDTSCP, RDPMC, PAUSE and IOIO (IN, OUT, INS, OUTS).
 * The decoder assumes 64-bit mode, where 40-4F are REX prefixes.
 *
 * For IOIO exits there is no need to decode: EXITINFO2 holds the RIP of the
 * next instruction on every SVM CPU, with or without NRIPS (svm-reference
 * §3.1), so a caller should prefer RIP = EXITINFO2 there.
 *
 * Returns HV_OK, or
 *   HV_ENOENT  exit_code is not an instruction intercept handled here;
 *   HV_EINVAL  the bytes are not an instruction that causes this exit (the
 *              guest changed its code after the exit, or read the wrong RIP);
 *   HV_ERANGE  the instruction runs past the available bytes, or would be
 *              longer than INSN_LENGTH_MAX.
 * *length is written only on success.
 */
int insn_length_for_exit(uint64_t exit_code, const uint8_t *bytes, size_t available,
                         unsigned *length);

#endif
