/* The test subjects of the guest, one file each in guest/tests/, run in this
 * order by guest_main(). */
#ifndef GUEST_TESTS_TESTS_H
#define GUEST_TESTS_TESTS_H

void test_exceptions(void);
void test_cpuid(void);
void test_svm_instructions(void);
void test_msr(void);
void test_pat(void);
void test_io(void);
void test_instructions(void);
void test_interrupts(void);
void test_clocks(void);
void test_user_mode(void);
void test_hypercalls(void);
void test_npf(void);
void test_isolation(void);
void test_gmet(void);
void test_hypercall_storm(void);
_Noreturn void triple_fault_on_purpose(void);
_Noreturn void hang_on_purpose(void);

#endif
