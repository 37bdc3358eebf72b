# Make fragment for the patched QEMU and its L1 tests (docs/qemu.md).
# Included from the top Makefile; paths are relative to the repository root.
#
#   make qemu          build $(BUILD)/qemu/qemu-system-x86_64 (cached by the patches' hash)
#   make qemu-l1-test  build the L1 test program and run it under stock QEMU and,
#                      if it has been built, under the patched QEMU

QEMU_STOCK   ?= qemu-system-x86_64
BUILD        ?= build
QEMU_PATCHED ?= $(BUILD)/qemu/qemu-system-x86_64
QEMU_L1_CPU  ?= max

L1_DIR   := tests/qemu-l1
L1_OUT   := $(BUILD)/qemu-l1
L1_ELF   := $(L1_OUT)/l1.elf
L1_CFLAGS := -m64 -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-stack-protector \
             -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
             -fno-asynchronous-unwind-tables -mno-sse -nostdinc -isystem $(shell $(CC) -print-file-name=include)
L1_C     := $(L1_DIR)/l1.c $(L1_DIR)/lib.c
L1_ASM   := $(L1_DIR)/boot.asm $(L1_DIR)/svm.asm
L1_OBJS  := $(patsubst $(L1_DIR)/%,$(L1_OUT)/%.o,$(L1_C) $(L1_ASM))

.PHONY: qemu qemu-l1 qemu-l1-test

qemu:
	BUILD=$(BUILD) scripts/qemu/build.sh

qemu-l1: $(L1_ELF)

$(L1_OUT)/%.c.o: $(L1_DIR)/%.c $(L1_DIR)/l1.h
	@mkdir -p $(L1_OUT)
	$(CC) $(L1_CFLAGS) -c $< -o $@

$(L1_OUT)/%.asm.o: $(L1_DIR)/%.asm
	@mkdir -p $(L1_OUT)
	nasm -f elf64 $< -o $@

# Linked as a 64-bit ELF at 1 MiB, then rewritten as ELF32, the only ELF class
# QEMU's multiboot loader accepts; the 32-bit entry switches to long mode itself.
$(L1_ELF): $(L1_OBJS) $(L1_DIR)/linker.ld
	ld -m elf_x86_64 -nostdlib -static -z noexecstack --no-warn-rwx-segments -T $(L1_DIR)/linker.ld -o $(L1_OUT)/l1-64.elf $(L1_OBJS)
	objcopy -I elf64-x86-64 -O elf32-i386 $(L1_OUT)/l1-64.elf $@

qemu-l1-test: $(L1_ELF)
	$(L1_DIR)/run.sh stock "$(QEMU_STOCK)" $(L1_ELF) $(QEMU_L1_CPU)
	@if [ -x "$(QEMU_PATCHED)" ]; then \
	  $(L1_DIR)/run.sh patched "$(QEMU_PATCHED)" $(L1_ELF) $(QEMU_L1_CPU); \
	else \
	  echo "qemu-l1-test: $(QEMU_PATCHED) not built (make qemu): patched run skipped"; \
	fi
