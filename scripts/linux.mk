# Debian's Linux kernel as a guest of minisvm, in vm0 (the built-in test guest runs
# in vm1 beside it). Included by the top Makefile, which defines BUILD, TIMEOUT,
# TRACE, SCHEDULE and the targets deps, run and clean.
#   make linux          boot minisvm in QEMU with Linux in vm0 (ESP: build/esp-linux)
#   make bench-linux    time Linux's boot to /init under plain QEMU and under minisvm
# Variables: TIMEOUT (180 by default for these two), TRACE, SCHEDULE as for make run;
# RUNS= (bench-linux: boots of each kind, median printed; default 3).

# The command line minisvm gives the kernel by default: the console on COM1, no ACPI
# and no APIC (vm0 has the 8259 PIC pair, the 8254 PIT and the 8250 UART), and a
# panic reboots at once, which minisvm reports as a reset request.
LINUX_CMDLINE := console=ttyS0 acpi=off nolapic noapic panic=-1

LINUX_KERNEL_GLOB := /boot/vmlinuz-*-cloud-amd64
# The newest one installed, so that a kernel update is copied again. Empty before
# deps has installed the package: the recipe looks again.
LINUX_KERNEL := $(shell ls -v $(LINUX_KERNEL_GLOB) 2>/dev/null | tail -n 1)
LINUX_FILES  := vmlinuz initrd.gz
LINUX_ESP    := $(BUILD)/esp-linux

.PHONY: linux bench-linux linux-esp linux-clean

# Debian installs the kernel readable by root only: sudo reads it when needed.
$(BUILD)/linux/vmlinuz: $(LINUX_KERNEL) | deps
	@set -e; \
	kernel=$$(ls -v $(LINUX_KERNEL_GLOB) 2>/dev/null | tail -n 1); \
	if [ -z "$$kernel" ]; then \
		echo "linux: no $(LINUX_KERNEL_GLOB): install the package linux-image-cloud-amd64 (scripts/deps.sh)" >&2; \
		exit 1; \
	fi; \
	mkdir -p $(dir $@); \
	if [ -r "$$kernel" ]; then \
		cp "$$kernel" $@.tmp; \
	else \
		echo "linux: $$kernel is readable by root only: reading it with sudo"; \
		sudo cat "$$kernel" > $@.tmp || { \
			rm -f $@.tmp; \
			echo "linux: could not read $$kernel with sudo: copy it to $@ as root" >&2; \
			exit 1; \
		}; \
	fi; \
	chmod 644 $@.tmp; \
	mv $@.tmp $@; \
	echo "linux: $@ from $$kernel ($$(stat -c %s $@) bytes)"

$(BUILD)/linux/initrd.gz: scripts/make-initramfs.sh guest/linux/init $(wildcard /bin/busybox) | deps
	scripts/make-initramfs.sh $@ guest/linux/init

# The ESP of make linux: minisvm, the kernel and initramfs, and a configuration
# that gives them to vm0 (paths relative to \minisvm\).
$(LINUX_ESP)/EFI/BOOT/BOOTX64.EFI: $(BUILD)/minisvm.efi
	@mkdir -p $(dir $@)
	cp $< $@

$(LINUX_FILES:%=$(LINUX_ESP)/minisvm/linux/%): $(LINUX_ESP)/minisvm/linux/%: $(BUILD)/linux/%
	@mkdir -p $(dir $@)
	cp $< $@

linux-esp: $(LINUX_ESP)/EFI/BOOT/BOOTX64.EFI $(LINUX_FILES:%=$(LINUX_ESP)/minisvm/linux/%)
	@printf '%s\n' 'vm0.kernel=linux/vmlinuz' 'vm0.initrd=linux/initrd.gz' \
		'vm0.cmdline=$(LINUX_CMDLINE)' 'vm0.ram=128' \
		'trace=$(if $(TRACE),1,0)' 'schedule=$(SCHEDULE)' \
		> $(LINUX_ESP)/minisvm/minisvm.cfg

# Linux boots slowly under nested SVM emulated by TCG: more time than make run's
# 60 s, unless TIMEOUT was given.
ifeq ($(origin TIMEOUT),file)
linux bench-linux: TIMEOUT = 180
endif

linux: linux-esp | deps
	scripts/run-qemu.sh --esp $(LINUX_ESP)

bench-linux: linux-esp | deps
	scripts/bench-linux.sh $(if $(RUNS),-n $(RUNS)) $(LINUX_ESP)

# make run's ESP holds them too, for a minisvm.cfg written by hand.
$(LINUX_FILES:%=$(BUILD)/esp/minisvm/linux/%): $(BUILD)/esp/minisvm/linux/%: $(BUILD)/linux/%
	@mkdir -p $(dir $@)
	cp $< $@

run: $(LINUX_FILES:%=$(BUILD)/esp/minisvm/linux/%)

clean: linux-clean
linux-clean:
	rm -rf $(BUILD)/linux $(LINUX_ESP) $(BUILD)/bench-linux
