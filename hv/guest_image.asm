; The test-guest payload (build/guest/guest.bin, built from guest/) embedded in
; minisvm.efi, so that a single file on the ESP boots everything.

section .rodata
align 16
global guest_image_start
global guest_image_bytes
guest_image_start:
    incbin "guest/guest.bin"
guest_image_end:

; The size, computed here: C may not subtract pointers to different objects.
align 8
guest_image_bytes:
    dq guest_image_end - guest_image_start

section .note.GNU-stack noalloc noexec nowrite progbits
