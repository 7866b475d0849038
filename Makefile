# Cleave: one non-recursive Makefile; fragments live in mk/*.mk. Out-of-tree build/.
#   make run     build and boot x86_64 in QEMU into the shell
#   make test    every test ring; ends with "N passed, N failed"
#   make unit    hosted CMocka suites, once per PTE format, plain + Valgrind + ASan/UBSan
#   make compdb  compile_commands.json for clangd / clang-tidy
.DEFAULT_GOAL := help
.SUFFIXES:
.DELETE_ON_ERROR:

BUILD ?= build
ARCH ?= x86_64
Q ?= @
DEPS := scripts/deps.sh

WARN := -Wall -Wextra -Werror
CSTD := -std=c11
# Flags for core/ objects in any build: freestanding semantics, no libc headers.
CORE_CFLAGS := $(CSTD) $(WARN) -ffreestanding -fno-builtin -fno-strict-aliasing

help:
	@echo "targets: run test unit valgrind asan compdb kernel-x86_64 kernel-aarch64"
	@echo "         qemu-x86_64 qemu-aarch64 (MODE=test, GDB=1) clean"

# make run [ARCH=x86_64|aarch64] [CMD='line'] [ROOTFS_EXTRA=dir] [QEMU_EXTRA='flags']:
# install what is missing, build kernel and initramfs, boot in QEMU into the shell, or
# run one command line and exit with its status.
run:
	$(Q)$(DEPS) qemu musl
	$(Q)$(MAKE) --no-print-directory qemu-$(ARCH)

# Test rings run by make test, in order, and kernels; fragments append theirs.
TEST_RINGS := unit
KERNEL_TARGETS :=

include mk/hosted.mk
include mk/bench.mk
include $(wildcard platform/*/kernel.mk)
include userspace/userspace.mk
include mk/initramfs.mk
include mk/fuzz.mk
include mk/test.mk

# A fresh build in a scratch directory, watched by bear, so every target's flags
# (hosted formats and variants, both kernels) land in compile_commands.json.
compdb:
	$(Q)$(DEPS) unit qemu
	$(Q)rm -rf $(BUILD)/compdb
	$(Q)bear --output compile_commands.json -- $(MAKE) --no-print-directory -k -j2 \
		BUILD=$(BUILD)/compdb hosted-all $(KERNEL_TARGETS) >/dev/null
	@echo "wrote compile_commands.json ($$(grep -c '"file"' compile_commands.json) entries)"

clean:
	rm -rf $(BUILD)

.PHONY: help run compdb clean
