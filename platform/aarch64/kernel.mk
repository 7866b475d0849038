# aarch64 kernel (included from the top-level Makefile). Uses BUILD, Q, WARN, CORE_CFLAGS.
#   make kernel-aarch64              build/aarch64/cleave.bin (arm64 Image) + cleave.elf
#   make qemu-aarch64                boot into the shell (-nographic; Ctrl-A x quits)
#   make qemu-aarch64 MODE=test      boot with cleave.test=1 under the runner: in-kernel
#                                    self tests, then init runs the conformance suite
#   make qemu-aarch64 CMD='line'     run one command line, print its output, exit with it
#   make qemu-aarch64 GDB=1          wait for gdb on :1234 and print the command to attach
# The initramfs $(BUILD)/initramfs-aarch64.cpio (mk/initramfs.mk) goes in with -initrd;
# ROOTFS_EXTRA=dir adds files to it, QEMU_EXTRA='...' appends QEMU flags.

A64_DIR := $(BUILD)/aarch64
A64_CROSS ?= aarch64-linux-gnu-
A64_CC := $(A64_CROSS)gcc
A64_OBJCOPY := $(A64_CROSS)objcopy
# -flto: the PTE codec and frame accounting inline into core's page-table loops (the
# link step repeats the code-generation flags).
A64_CFLAGS := $(CORE_CFLAGS) -O2 -g -flto -mgeneral-regs-only -mstrict-align -fno-pic -fno-pie \
	-fno-stack-protector -fno-tree-loop-distribute-patterns -fno-omit-frame-pointer \
	-nostdlib -MMD -MP -Icore
A64_ASFLAGS := -g -MMD -MP -Iplatform/aarch64
A64_LDFLAGS := $(A64_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,--no-warn-rwx-segments -T platform/aarch64/kernel.ld

A64_CORE_SRCS := $(wildcard core/lib/*.c core/mm/*.c core/elf/*.c core/proc/*.c core/fs/*.c) \
	$(filter-out core/sys/table_%.c,$(wildcard core/sys/*.c)) core/sys/table_aarch64.c
A64_PLAT_SRCS := $(wildcard platform/aarch64/*.c platform/aarch64/*.S)
# The shared core tests (also run hosted by tests/unit/test_ktest.c) join the selftest.
A64_KTEST_SRCS := $(wildcard tests/ktest/*.c)
A64_OBJS := $(patsubst %,$(A64_DIR)/%.o,$(A64_CORE_SRCS) $(A64_PLAT_SRCS) $(A64_KTEST_SRCS))

A64_MEM ?= 512M
A64_INITRD := $(BUILD)/initramfs-aarch64.cpio
A64_QEMU = qemu-system-aarch64 -M virt -cpu max,pauth=off -m $(A64_MEM) -nographic \
	-no-reboot -semihosting-config enable=on,target=native \
	-kernel $(A64_DIR)/cleave.bin -initrd $(A64_INITRD) $(QEMU_EXTRA)
A64_TIMEOUT ?= 600
A64_APPEND ?= init=/init
A64_CMD_QUOTED = '$(subst ','\'',$(value CMD))'

# The compiler emits memcpy/memset calls of its own after link-time optimisation has
# resolved symbols, so the string routines stay ordinary (non-LTO) objects.
$(A64_DIR)/core/lib/string.c.o: A64_CFLAGS += -fno-lto

$(A64_DIR)/%.c.o: %.c
	@mkdir -p $(@D)
	$(Q)$(A64_CC) $(A64_CFLAGS) -c $< -o $@

$(A64_DIR)/%.S.o: %.S
	@mkdir -p $(@D)
	$(Q)$(A64_CC) $(A64_ASFLAGS) -c $< -o $@

$(A64_DIR)/cleave.elf: $(A64_OBJS) platform/aarch64/kernel.ld
	$(Q)$(A64_CC) $(A64_LDFLAGS) $(A64_OBJS) -lgcc -o $@

$(A64_DIR)/cleave.bin: $(A64_DIR)/cleave.elf
	$(Q)$(A64_OBJCOPY) -O binary $< $@

kernel-aarch64: $(A64_DIR)/cleave.bin
KERNEL_TARGETS += kernel-aarch64

# The boot test's initramfs also holds tests/qemu/aarch64/test_a64_traps (user
# exceptions, FP/SIMD state across signal handlers, preemption, EFAULT) in /tests, so
# runtests runs it with the suite.
A64_TEST_EXTRA := $(A64_DIR)/test-rootfs
A64_TRAPS_TEST := $(A64_TEST_EXTRA)/tests/test_a64_traps
$(A64_TRAPS_TEST): tests/qemu/aarch64/test_a64_traps.c | userspace-aarch64
	@mkdir -p $(@D)
	$(Q)$(US_CC_aarch64) $(US_CFLAGS) $< -o $@ -lm

ifeq ($(MODE),test)
qemu-aarch64: kernel-aarch64 $(A64_TRAPS_TEST) userspace-aarch64
	$(Q)$(MAKE) --no-print-directory $(A64_INITRD) ROOTFS_EXTRA=$(A64_TEST_EXTRA)
	$(Q)tests/qemu/run-qemu.sh --timeout $(A64_TIMEOUT) --log $(A64_DIR)/boot-test.log \
		--pass-status 0 --streams 2 -- $(A64_QEMU) -append "cleave.test=1 $(A64_APPEND)"
else ifneq ($(CMD),)
qemu-aarch64: kernel-aarch64 $(A64_INITRD)
	$(Q)tests/qemu/run-cmd.sh --pass-status 0 -- $(A64_QEMU) \
		-append "$(A64_APPEND) -- "$(A64_CMD_QUOTED)
else
qemu-aarch64: kernel-aarch64 $(A64_INITRD)
ifeq ($(GDB),1)
	@echo "waiting for gdb; attach with:"
	@echo "  gdb-multiarch -ex 'set architecture aarch64' -ex 'target remote :1234' $(A64_DIR)/cleave.elf"
	$(Q)$(A64_QEMU) -append "$(A64_APPEND)" -s -S
else
	$(Q)$(A64_QEMU) -append "$(A64_APPEND)"
endif
endif

-include $(A64_OBJS:.o=.d)

.PHONY: kernel-aarch64 qemu-aarch64

# Boot-test ring for make test.
test-qemu-aarch64:
	$(Q)$(DEPS) qemu musl
	$(Q)$(MAKE) --no-print-directory qemu-aarch64 MODE=test
TEST_RINGS += test-qemu-aarch64
.PHONY: test-qemu-aarch64
