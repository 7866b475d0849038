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
	@echo "targets: run test unit valgrind asan compdb clean"

include mk/hosted.mk
-include $(wildcard platform/*/build.mk)
-include mk/test.mk

compdb:
	$(Q)$(DEPS) unit
	$(Q)$(MAKE) clean-hosted >/dev/null
	bear --output compile_commands.json -- $(MAKE) -k hosted-all
	@echo "wrote compile_commands.json"

clean:
	rm -rf $(BUILD)

.PHONY: help compdb clean
