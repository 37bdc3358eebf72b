/* The code of gmet_code.asm that the GMET tests fetch from, at CPL 0 and CPL 3.
 * See: APM Vol. 2 §15.25.13 (GMET, Table 15-21). */
#ifndef GUEST_GMET_CODE_H
#define GUEST_GMET_CODE_H

#include <stdint.h>

/* The same values as gmet_code.asm. */
#define GMET_USER_PAGE_VALUE    0x75736572706167ull    /* returned by gmet_user_page_entry */
#define GMET_USER_RECOVERED     0xfa117ed0ull          /* returned by gmet_user_recover */
#define GMET_KERNEL_TEXT_VALUE  0x6b65726e74657874ull  /* held by gmet_kernel_text_word */

/* In the kernel text: nop; nop; ret, and a word that is never executed. */
extern const uint8_t gmet_kernel_routine[], gmet_kernel_routine_end[];
extern const uint64_t gmet_kernel_text_word;

/* The first page of the user text, [gmet_user_page, gmet_user_page_end): */
extern const uint8_t gmet_user_page[], gmet_user_page_end[];
extern void gmet_user_page_entry(void);          /* CPL 3: int 0x80 with the page's word */
extern const uint8_t gmet_user_page_ret[];       /* CPL 0: ret */
extern const uint64_t gmet_user_page_value;

/* Further user text, left with minisvm's access: */
extern const uint8_t gmet_user_text_ret[];       /* CPL 0: ret */
extern const uint8_t gmet_user_recover[];        /* CPL 3 recovery: int 0x80, GMET_USER_RECOVERED */

#endif
