; The world switch: svm_vcpu_run(guest_vmcb_pa, registers, host_save_pa).
; VMRUN itself switches RAX, RSP, RIP, RFLAGS, the control registers and the
; segment registers CS/SS/DS/ES; everything else is ours to switch:
;   - the other general-purpose registers: loaded from and stored to the frame
;     struct guest_registers (svm/guest_registers.h);
;   - FS, GS, TR, LDTR, KernelGsBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*:
;     VMSAVE/VMLOAD, the host's kept in its own state-save page;
;   - x87/SSE state: FXSAVE64/FXRSTOR64 into the frame.
; GIF is cleared around the switch (CLGI ... STGI) so that no interrupt, NMI or
; SMI is taken while host and guest state are half swapped.
; See: APM §15.5 (VMRUN), §15.5.2 (VMSAVE/VMLOAD), §15.6 (#VMEXIT), §15.17 (GIF).
; Offsets come from build/gen/vmcb_offsets.inc, generated from the C structs.

%include "vmcb_offsets.inc"

bits 64
default rel
section .text

global svm_vcpu_run

; System V: rdi = guest VMCB physical address, rsi = struct guest_registers *,
; rdx = host state-save page physical address. Memory is identity mapped, so the
; frame's address is also usable as is.
svm_vcpu_run:
    push rbp
    mov rbp, rsp
    push rbx
    push r12
    push r13
    push r14
    push r15
    push rdi                        ; [rbp-48] guest VMCB
    push rsi                        ; [rbp-56] register frame
    push rdx                        ; [rbp-64] host save page

    clgi
    ; IF=1 while the guest runs, so that a physical interrupt (minisvm's APIC
    ; timer) makes it exit (INTR intercept, V_INTR_MASKING); GIF=0 keeps it pending
    ; in the host until the exit handler lets it in. See: APM §15.21.1-2.
    sti

    fxsave64 [rsi + HOST_FXSAVE]
    fxrstor64 [rsi + GUEST_FXSAVE]

    mov rax, rdx
    vmsave                          ; host FS/GS/TR/LDTR/... into the host page
    mov rax, rdi
    vmload                          ; guest FS/GS/TR/LDTR/... from its VMCB

    mov rax, rsi
    mov rbx, [rax + GUEST_RBX]
    mov rcx, [rax + GUEST_RCX]
    mov rdx, [rax + GUEST_RDX]
    mov rdi, [rax + GUEST_RDI]
    mov rbp, [rax + GUEST_RBP]
    mov r8,  [rax + GUEST_R8]
    mov r9,  [rax + GUEST_R9]
    mov r10, [rax + GUEST_R10]
    mov r11, [rax + GUEST_R11]
    mov r12, [rax + GUEST_R12]
    mov r13, [rax + GUEST_R13]
    mov r14, [rax + GUEST_R14]
    mov r15, [rax + GUEST_R15]
    mov rsi, [rax + GUEST_RSI]
    mov rax, [rsp + 16]             ; guest VMCB (RSP is still the host's)

    vmrun                           ; rax = guest VMCB

    ; #VMEXIT: RAX and RSP are the host's again (RAX = the VMCB address we
    ; passed); every other register still holds the guest's value.
    mov rax, [rsp + 8]              ; register frame
    mov [rax + GUEST_RBX], rbx
    mov [rax + GUEST_RCX], rcx
    mov [rax + GUEST_RDX], rdx
    mov [rax + GUEST_RSI], rsi
    mov [rax + GUEST_RDI], rdi
    mov [rax + GUEST_RBP], rbp
    mov [rax + GUEST_R8],  r8
    mov [rax + GUEST_R9],  r9
    mov [rax + GUEST_R10], r10
    mov [rax + GUEST_R11], r11
    mov [rax + GUEST_R12], r12
    mov [rax + GUEST_R13], r13
    mov [rax + GUEST_R14], r14
    mov [rax + GUEST_R15], r15

    mov rax, [rsp + 16]
    vmsave                          ; guest FS/GS/TR/LDTR/... back into its VMCB
    mov rax, [rsp]
    vmload                          ; host's, before anything uses GS or TR

    mov rax, [rsp + 8]
    fxsave64 [rax + GUEST_FXSAVE]
    fxrstor64 [rax + HOST_FXSAVE]

    cli                             ; the host runs with IF=0 (VMRUN saved IF=1)
    stgi

    add rsp, 24
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
