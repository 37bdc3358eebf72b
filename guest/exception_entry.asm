; The entry stubs of the guest's IDT: one per vector 0-63 (the 32 exception
; vectors, then 32 for external interrupts, where pc_platform.h puts the PIC's
; IRQs) and one for int 0x80 (the way back from CPL 3). Each builds a struct
; exception_frame (idt.h) and calls exception_dispatch(), which may change the
; frame (RIP, CS, SS, RSP, RAX) before the stub returns through it with IRETQ.
; See: APM Vol. 2 §8.2 (vectors), §8.9.3 (long-mode interrupt stack frame).

bits 64
default rel

%include "hv/exception_frame.inc"

extern exception_dispatch

; As many stubs as idt.h's STUB_VECTORS. An external interrupt pushes no error
; code, and EXCEPTION_STUB pushes a 0 for every vector above 30.
%define STUB_VECTORS 64

section .text

%assign vector 0
%rep STUB_VECTORS
EXCEPTION_STUB vector
%assign vector vector + 1
%endrep
EXCEPTION_STUB 128                      ; int 0x80

; 15 GPRs + vector + error code + the CPU's 5 words = 22 words = 176 bytes, a
; multiple of 16: as the CPU aligns RSP to 16 before pushing, the call below
; meets the ABI's alignment.
exception_common:
        PUSH_GENERAL_REGISTERS
        cld
        mov rdi, rsp
        call exception_dispatch
        POP_GENERAL_REGISTERS
        add rsp, 16                     ; vector and error code
        iretq

section .rodata
align 8
global exception_stub_table
exception_stub_table:
%assign vector 0
%rep STUB_VECTORS
        dq exception_stub_ %+ vector
%assign vector vector + 1
%endrep
global system_call_stub
system_call_stub:
        dq exception_stub_128

section .note.GNU-stack noalloc noexec nowrite progbits
