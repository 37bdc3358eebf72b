; The code the GMET tests fetch from (guest/tests/gmet.c): a little kernel text, and
; user text with one page of its own whose nested permissions the tests change.
; See: APM Vol. 2 §15.25.13 (GMET, Table 15-21), §15.25.7 (nested NX), gmet_code.h.

bits 64
default rel

; The same values as gmet_code.h.
%define GMET_USER_PAGE_VALUE    0x75736572706167   ; "userpag"
%define GMET_USER_RECOVERED     0xfa117ed0         ; 32 bits: loaded with mov edi
%define GMET_KERNEL_TEXT_VALUE  0x6b65726e74657874 ; "kerntext"

; ---- Kernel text: declared to minisvm, so nested U/S = 0 and read-only --------
section .text

; A target for npf_probe_fetch(), which calls it: it must keep RAX, R8 and R9.
global gmet_kernel_routine, gmet_kernel_routine_end
gmet_kernel_routine:
        nop
        nop
        ret
gmet_kernel_routine_end:

; Data inside the kernel text, never executed: the write test aims at it. The
; write stores the value it already holds, so even a platform that lets the
; write through changes nothing.
align 8
global gmet_kernel_text_word
gmet_kernel_text_word:
        dq GMET_KERNEL_TEXT_VALUE

; ---- User text (guest U/S = 1) ------------------------------------------------
; The section is page aligned here and its first page belongs to these routines
; alone, so a test can change that page's nested permissions without touching
; any other code.
section .user_text progbits alloc exec nowrite align=4096

global gmet_user_page, gmet_user_page_entry, gmet_user_page_ret, gmet_user_page_value
gmet_user_page:
; CPL 3: a fetch from this page and a read of it; returns the word through int 0x80.
gmet_user_page_entry:
        mov rdi, [gmet_user_page_value]
        int 0x80
        ud2                             ; never reached: int 0x80 does not come back

; CPL 0: a target for npf_probe_fetch().
align 16
gmet_user_page_ret:
        ret

align 8
gmet_user_page_value:
        dq GMET_USER_PAGE_VALUE

        times 4096 - ($ - gmet_user_page) db 0xcc   ; int3: the rest of the page
global gmet_user_page_end
gmet_user_page_end:

; From here on the user text keeps minisvm's access for it: U/S = 1.

; CPL 0: a target for npf_probe_fetch() in a nested U/S = 1 page.
global gmet_user_text_ret
gmet_user_text_ret:
        ret

; The recovery RIP of a #NPF at CPL 3. minisvm resumes the guest there with the
; state of the fault, so still at CPL 3 on the user stack: the only way back to
; the kernel is the system call, which reports that the fault was recovered.
global gmet_user_recover
gmet_user_recover:
        mov edi, GMET_USER_RECOVERED
        int 0x80
        ud2

section .note.GNU-stack noalloc noexec nowrite progbits
