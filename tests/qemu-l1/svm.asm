; VMRUN wrapper and the L2 guest's code.
bits 64
section .text

; void svm_vmrun(uint64_t vmcb_pa)
; VMRUN saves and restores only RAX, RSP, RIP, RFLAGS, segment and control
; state through the host save area (APM vol. 2, 15.5.1); the other registers
; come back holding the guest's values, so keep the callee-saved ones here.
global svm_vmrun
svm_vmrun:
        push rbx
        push rbp
        push r12
        push r13
        push r14
        push r15
        mov rax, rdi
        clgi                            ; no interrupt between VMRUN and the exit handling
        vmrun
        stgi
        pop r15
        pop r14
        pop r13
        pop r12
        pop rbp
        pop rbx
        ret

; The L2 guest: small position-independent pieces copied into guest pages.
; The guest's only input is RAX, which VMRUN loads from the VMCB; its only
; output is RAX, which #VMEXIT saves there. Every piece ends in VMMCALL,
; which the test intercepts (exit 0x81).
section .rodata
global guest_code_start, guest_code_end
global guest_vmmcall, guest_read, guest_write, guest_jump
global guest_rdmsr_pat, guest_wrmsr_pat
guest_code_start:
guest_vmmcall:
        vmmcall
        ud2
guest_read:                             ; read the qword at [RAX]
        mov rbx, [rax]
        vmmcall
        ud2
guest_write:                            ; write 0x5a5a to [RAX]
        mov qword [rax], 0x5a5a
        vmmcall
        ud2
guest_jump:                             ; fetch from RAX
        jmp rax
guest_rdmsr_pat:                        ; RAX = PAT
        mov ecx, 0x277
        rdmsr
        shl rdx, 32
        or rax, rdx
        vmmcall
        ud2
guest_wrmsr_pat:                        ; PAT = RAX
        mov rdx, rax
        shr rdx, 32
        mov ecx, 0x277
        wrmsr
        vmmcall
        ud2
guest_code_end:

section .note.GNU-stack noalloc noexec nowrite progbits
