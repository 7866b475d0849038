# x86_64 kernel: all of core/ (sys with the x86_64 table only) + platform/x86_64,
# linked at the higher half and booted by QEMU through the PVH ELF note, with the
# initramfs $(BUILD)/initramfs-x86_64.cpio (mk/initramfs.mk) as -initrd. Included from the top-level Makefile, which
# defines BUILD, Q, WARN and CORE_CFLAGS.
#   make kernel-x86_64             build $(BUILD)/x86_64/cleave.elf
#   make qemu-x86_64               boot it into the shell (-nographic; Ctrl-A x quits)
#   make qemu-x86_64 MODE=test     boot with cleave.test=1 under tests/qemu/run-qemu.sh:
#                                  kernel self test, then the userspace suite (runtests);
#                                  the exit status is 0 only when every test passed
#   make qemu-x86_64 CMD='line'    run one shell command line, exit with its status
#   ROOTFS_EXTRA=dir adds files to the initramfs, QEMU_EXTRA='...' appends QEMU flags
#   make qemu-x86_64 GDB=1         wait for gdb on :1234 (prints the command to attach)

X86_DIR := $(BUILD)/x86_64
X86_ELF := $(X86_DIR)/cleave.elf
X86_LDS := platform/x86_64/linker.ld

X86_CORE_SRCS := $(wildcard core/lib/*.c core/mm/*.c core/elf/*.c core/proc/*.c core/fs/*.c) \
	$(filter-out core/sys/table_%.c,$(wildcard core/sys/*.c)) core/sys/table_x86_64.c
X86_PLAT_SRCS := $(wildcard platform/x86_64/*.c platform/x86_64/*.S)
# The shared core tests (also run hosted by tests/unit/test_ktest.c) join the selftest.
X86_KTEST_SRCS := $(wildcard tests/ktest/*.c)
X86_OBJS := $(patsubst %,$(X86_DIR)/%.o,$(basename $(X86_CORE_SRCS) $(X86_PLAT_SRCS) \
	$(X86_KTEST_SRCS)))

X86_CC := gcc
X86_LD := $(X86_CC)
# Freestanding kernel code model: no red zone (interrupts use the stack), no SSE/x87
# (the kernel never saves FPU state for itself), addresses in the top 2 GiB.
# -flto: the PTE codec and frame accounting inline into core's page-table loops (the
# link step repeats the code-generation flags; see bench/README.md for the gain).
X86_KFLAGS := $(CORE_CFLAGS) -O2 -g -flto -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-fno-pic -fno-pie -fno-stack-protector -nostdlib -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fcf-protection=none -MMD -MP
X86_INC := -Icore -Iplatform/x86_64
X86_LDFLAGS := $(X86_KFLAGS) -static -no-pie -Wl,-z,max-page-size=0x1000 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

X86_INITRD := $(BUILD)/initramfs-x86_64.cpio
X86_QEMU := qemu-system-x86_64 -machine q35 -cpu max,la57=off -m 512M -no-reboot -nic none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
X86_BOOT = -kernel $(X86_ELF) -initrd $(X86_INITRD) $(QEMU_EXTRA)
X86_APPEND ?= init=/init
X86_TEST_APPEND ?= init=/init cleave.test=1
X86_TEST_TIMEOUT ?= 300

# The compiler emits memcpy/memset calls of its own after link-time optimisation has
# resolved symbols, so the string routines stay ordinary (non-LTO) objects.
$(X86_DIR)/core/lib/string.o: X86_KFLAGS += -fno-lto

$(X86_DIR)/core/%.o: core/%.c
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) -Icore -c $< -o $@

$(X86_DIR)/tests/ktest/%.o: tests/ktest/%.c
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) -Icore -c $< -o $@

$(X86_DIR)/platform/x86_64/%.o: platform/x86_64/%.c
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) $(X86_INC) -c $< -o $@

$(X86_DIR)/platform/x86_64/%.o: platform/x86_64/%.S
	@mkdir -p $(@D)
	$(Q)$(X86_CC) $(X86_KFLAGS) $(X86_INC) -c $< -o $@

$(X86_ELF): $(X86_OBJS) $(X86_LDS)
	$(Q)$(X86_LD) $(X86_LDFLAGS) -T $(X86_LDS) -o $@ $(X86_OBJS)

kernel-x86_64: $(X86_ELF)
KERNEL_TARGETS += kernel-x86_64

# The boot test's initramfs also holds tests/qemu/x86_64/test_x86_traps (preemption,
# FPU state, user exceptions, EFAULT) in /tests, so runtests runs it with the suite.
X86_TEST_EXTRA := $(X86_DIR)/test-rootfs
X86_TRAPS_TEST := $(X86_TEST_EXTRA)/tests/test_x86_traps
$(X86_TRAPS_TEST): tests/qemu/x86_64/test_x86_traps.c
	@mkdir -p $(@D)
	$(Q)$(US_CC_x86_64) $(US_CFLAGS) $< -o $@ -lm

ifeq ($(MODE),test)
qemu-x86_64: $(X86_ELF) $(X86_TRAPS_TEST) userspace-x86_64
	$(Q)$(MAKE) --no-print-directory $(X86_INITRD) ROOTFS_EXTRA=$(X86_TEST_EXTRA)
	$(Q)tests/qemu/run-qemu.sh --timeout $(X86_TEST_TIMEOUT) --log $(X86_DIR)/boot-test.log --streams 2 \
		-- $(X86_QEMU) -display none -serial stdio -monitor none $(X86_BOOT) \
		-append "$(X86_TEST_APPEND)"
else ifneq ($(CMD),)
# One command line: the kernel hands the text after " -- " to init as CLEAVE_CMD; the
# runner prints its output and exits with its status (make itself then exits 2 and
# names the status in its "Error N" line). CMD is taken unexpanded ($(value)) and
# single-quoted for the shell, so '$?' and quotes in it reach the guest shell intact.
X86_CMD_QUOTED = '$(subst ','\'',$(value CMD))'
qemu-x86_64: $(X86_ELF) $(X86_INITRD)
	$(Q)tests/qemu/run-cmd.sh -- $(X86_QEMU) -display none -serial stdio -monitor none \
		$(X86_BOOT) -append "$(X86_APPEND) -- "$(X86_CMD_QUOTED)
else
# QEMU exits with status 1 after a clean power-off (isa-debug-exit value 0).
qemu-x86_64: $(X86_ELF) $(X86_INITRD)
	$(if $(GDB),@echo "attach with: gdb -ex 'target remote :1234' $(X86_ELF)" \
		"(use hbreak: the kernel starts with paging off)")
	$(Q)$(X86_QEMU) -nographic $(if $(GDB),-s -S) $(X86_BOOT) \
		-append "$(X86_APPEND)" || [ $$? -eq 1 ]
endif

clean-x86_64:
	rm -rf $(X86_DIR)

.PHONY: kernel-x86_64 qemu-x86_64 clean-x86_64
-include $(X86_OBJS:.o=.d)

# Boot-test ring for make test.
test-qemu-x86_64:
	$(Q)$(DEPS) qemu musl
	$(Q)$(MAKE) --no-print-directory qemu-x86_64 MODE=test
TEST_RINGS += test-qemu-x86_64
.PHONY: test-qemu-x86_64
