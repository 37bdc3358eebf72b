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
global guest_code_start
global guest_vmmcall, guest_read, guest_write, guest_jump
global guest_rdmsr_pat, guest_wrmsr_pat, guest_cpl_switch, guest_user_syscall
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

; One guest run that fetches the same page at CPL 3 and then at CPL 0, to
; check that the two fetch permissions are kept apart (GMET, APM 15.25.13).
; Starts at CPL 0; RAX = the GVA of guest_user_syscall on a nested U/S=1 page.
; SYSCALL/SYSRET switch privilege without a guest GDT, IDT or TSS; the guest
; needs EFER.SCE, STAR and LSTAR, which it sets itself.
guest_cpl_switch:
        mov rbx, rax
        mov rdx, [rbx]                  ; CPL 0 read of the user page first
        mov ecx, 0xC0000081             ; STAR: SYSCALL CS 0x08, SYSRET CS base 0x10
        xor eax, eax
        mov edx, 0x00100008
        wrmsr
        mov ecx, 0xC0000082             ; LSTAR
        lea rax, [rel .kernel_again]
        mov rdx, rax
        shr rdx, 32
        wrmsr
        mov rcx, rbx                    ; SYSRET to guest_user_syscall at CPL 3
        mov r11d, 2                     ; RFLAGS
        o64 sysret
.kernel_again:                          ; CPL 0 again; RCX = the user RIP after SYSCALL
        jmp rcx                         ; supervisor fetch from the U/S=1 page: #NPF
guest_user_syscall:                     ; CPL 3
        syscall
        vmmcall                         ; reached only if the CPL 0 fetch was allowed
        ud2
guest_code_end:

; The size, computed here: C may not subtract pointers to different objects.
section .rodata
align 8
global guest_code_bytes
guest_code_bytes:
        dq guest_code_end - guest_code_start

section .note.GNU-stack noalloc noexec nowrite progbits
