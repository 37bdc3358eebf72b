/* Every SVM instruction but VMMCALL (the hypercall) raises #UD in the guest:
 * minisvm intercepts them and injects #UD, as a CPU without SVM would raise it.
 * See: APM Vol. 2 §15.4 (enabling SVM), §15.20 (event injection), Vol. 3 (VMRUN...INVLPGA). */
#include "guest/idt.h"
#include "guest/probes.h"
#include "guest/test.h"
#include "guest/tests/tests.h"
#include "guest/x86.h"

struct svm_instruction_probe {
    const char *name;
    const char *encoding;
    void (*probe)(void);
    const uint8_t *instruction;
    const uint8_t *resume;
};

#define SVM_PROBE(mnemonic, encoding) \
    { #mnemonic, encoding, probe_##mnemonic, probe_##mnemonic##_instruction, probe_##mnemonic##_resume }

static const struct svm_instruction_probe svm_probes[] = {
    SVM_PROBE(vmrun, "0F 01 D8"),
    SVM_PROBE(vmload, "0F 01 DA"),
    SVM_PROBE(vmsave, "0F 01 DB"),
    SVM_PROBE(stgi, "0F 01 DC"),
    SVM_PROBE(clgi, "0F 01 DD"),
    SVM_PROBE(skinit, "0F 01 DE"),
    SVM_PROBE(invlpga, "0F 01 DF"),
};

void test_svm_instructions(void)
{
    for (unsigned i = 0; i < sizeof svm_probes / sizeof svm_probes[0]; i++) {
        const struct svm_instruction_probe *p = &svm_probes[i];

        test_begin("svm: %s (%s) raises #UD (vector 6, no error code)", p->name, p->encoding);
        exception_expect(ADDRESS_OF(p->resume));
        p->probe();
        struct exception_record record = exception_outcome();
        if (test_check(record.happened, "%s executed without an exception", p->name)) {
            test_check_equal("vector", VECTOR_INVALID_OPCODE, record.vector);
            /* #UD pushes no error code; an injection with EV = 1 would have pushed
             * one, shifting the frame so that the RIP below would be wrong. */
            test_check_equal("error code", 0, record.error_code);
            test_check_equal("rip", ADDRESS_OF(p->instruction), record.rip);
        }
        test_end();
    }
}
