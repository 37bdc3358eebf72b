; The test-guest payload (build/guest/guest.bin, built from guest/) embedded in
; minisvm.efi, so that a single file on the ESP boots everything.

section .rodata
align 16
global guest_image_start
global guest_image_end
guest_image_start:
    incbin "guest/guest.bin"
guest_image_end:

section .note.GNU-stack noalloc noexec nowrite progbits
