; Entry stubs for the 32 CPU exception vectors (hv/exception_frame.inc): the common
; path saves the general registers and calls exception_report, which never returns.
; See: APM §8.2 (vectors and error codes), §8.9.3 (long-mode interrupt stack frame).

bits 64
default rel

%include "hv/exception_frame.inc"

section .text

extern exception_report
global exception_stub_table

%assign v 0
%rep 32
    EXCEPTION_STUB v
  %assign v v + 1
%endrep

exception_common:
    PUSH_GENERAL_REGISTERS
    mov rdi, rsp            ; struct exception_frame *
    and rsp, -16
    cld
    call exception_report   ; does not return
.hang:
    cli
    hlt
    jmp .hang

section .data
align 8
exception_stub_table:
%assign v 0
%rep 32
    dq exception_stub_ %+ v
  %assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
