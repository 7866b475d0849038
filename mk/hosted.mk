# Hosted build: core/ + platform/hosted + one PTE format's pure codec, as a Linux
# program. One build per (format, variant): variant "plain" (run directly and under
# Valgrind) and "san" (ASan + UBSan).

HOSTED_FORMATS := x86_64 aarch64
HOSTED_VARIANTS := plain san

CORE_SRCS := $(filter-out core/lib/string.c core/sys/table_%.c,$(wildcard core/lib/*.c core/mm/*.c core/elf/*.c core/proc/*.c core/fs/*.c core/sys/*.c))
HOSTED_SRCS := $(filter-out platform/hosted/hw_%.c,$(wildcard platform/hosted/*.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_SUPPORT := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c)) $(wildcard tests/ktest/*.c)

HOSTED_CC_plain := gcc
HOSTED_CC_san := gcc
HOSTED_FLAGS_plain := -O1 -g
HOSTED_FLAGS_san := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOSTED_INC := -Icore -Iplatform/hosted -Itests/unit

# $(1)=format $(2)=variant: objects and test binaries of one hosted build.
define hosted_build
HDIR_$(1)_$(2) := $(BUILD)/hosted-$(1)-$(2)
HOBJS_$(1)_$(2) := $$(patsubst %.c,$$(HDIR_$(1)_$(2))/%.o,$(CORE_SRCS) $(HOSTED_SRCS) \
	$(wildcard platform/$(1)/pte.c platform/$(1)/uregs.c platform/$(1)/sigframe.c platform/hosted/hw_$(1).c core/sys/table_$(1).c) $(UNIT_SUPPORT))

$$(HDIR_$(1)_$(2))/core/%.o: core/%.c
	@mkdir -p $$(@D)
	$(Q)$$(HOSTED_CC_$(2)) $(CORE_CFLAGS) -fno-builtin-memcpy $$(HOSTED_FLAGS_$(2)) -DCLEAVE_HOSTED -MMD -MP -Icore -c $$< -o $$@

$$(HDIR_$(1)_$(2))/platform/%.o: platform/%.c
	@mkdir -p $$(@D)
	$(Q)$$(HOSTED_CC_$(2)) -std=gnu11 $(WARN) $$(HOSTED_FLAGS_$(2)) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP $(HOSTED_INC) -c $$< -o $$@

$$(HDIR_$(1)_$(2))/tests/%.o: tests/%.c
	@mkdir -p $$(@D)
	$(Q)$$(HOSTED_CC_$(2)) -std=gnu11 $(WARN) $$(HOSTED_FLAGS_$(2)) -DCLEAVE_HOSTED -DHOSTED_FORMAT_$(1) -MMD -MP $(HOSTED_INC) -c $$< -o $$@

$$(HDIR_$(1)_$(2))/libcleave.a: $$(HOBJS_$(1)_$(2))
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$$(HDIR_$(1)_$(2))/%: $$(HDIR_$(1)_$(2))/tests/unit/%.o $$(HDIR_$(1)_$(2))/libcleave.a
	$(Q)$$(HOSTED_CC_$(2)) $$(HOSTED_FLAGS_$(2)) $$^ -lcmocka -o $$@

HOSTED_BINS += $$(addprefix $$(HDIR_$(1)_$(2))/,$(UNIT_TESTS))
-include $$(HOBJS_$(1)_$(2):.o=.d) $$(patsubst %,$$(HDIR_$(1)_$(2))/tests/unit/%.d,$(UNIT_TESTS))
endef

$(foreach f,$(HOSTED_FORMATS),$(foreach v,$(HOSTED_VARIANTS),$(eval $(call hosted_build,$(f),$(v)))))

hosted-all: $(HOSTED_BINS)

clean-hosted:
	rm -rf $(BUILD)/hosted-*

# Real static binaries built by the cross compilers (ET_EXEC and static PIE for each
# architecture), read by test_elf and test_execve through $CLEAVE_ELF_FIXTURES.
FIXTURE_DIR := $(BUILD)/elf-fixtures
FIXTURE_CC_x86_64 := gcc
FIXTURE_CC_aarch64 := aarch64-linux-gnu-gcc
FIXTURE_FLAGS := -O1 -nostdlib -ffreestanding $(WARN)
FIXTURES := $(foreach f,$(HOSTED_FORMATS),$(FIXTURE_DIR)/tiny-$(f)-exec $(FIXTURE_DIR)/tiny-$(f)-pie)

$(FIXTURE_DIR)/tiny-%-exec: tests/unit/fixtures/tiny.c
	@mkdir -p $(@D)
	$(Q)$(FIXTURE_CC_$*) $(FIXTURE_FLAGS) -static -no-pie $< -o $@

$(FIXTURE_DIR)/tiny-%-pie: tests/unit/fixtures/tiny.c
	@mkdir -p $(@D)
	$(Q)$(FIXTURE_CC_$*) $(FIXTURE_FLAGS) -static-pie -fpie $< -o $@

elf-fixtures: $(FIXTURES)

UNIT_ENV := CLEAVE_ELF_FIXTURES=$(abspath $(FIXTURE_DIR))

# make unit: every suite, each format, plain + Valgrind + sanitizers.
unit: | deps-unit
	$(Q)$(MAKE) --no-print-directory hosted-all elf-fixtures
	$(Q)$(UNIT_ENV) tests/run-unit.sh $(BUILD) "$(HOSTED_FORMATS)" "$(UNIT_TESTS)" all

# make valgrind: only the Valgrind ring of the unit suites.
valgrind: | deps-unit
	$(Q)$(MAKE) --no-print-directory hosted-all elf-fixtures
	$(Q)$(UNIT_ENV) tests/run-unit.sh $(BUILD) "$(HOSTED_FORMATS)" "$(UNIT_TESTS)" valgrind

# make asan: only the sanitizer ring of the unit suites.
asan: | deps-unit
	$(Q)$(MAKE) --no-print-directory hosted-all elf-fixtures
	$(Q)$(UNIT_ENV) tests/run-unit.sh $(BUILD) "$(HOSTED_FORMATS)" "$(UNIT_TESTS)" san

deps-unit:
	$(Q)$(DEPS) unit

.PHONY: hosted-all clean-hosted unit valgrind asan deps-unit elf-fixtures
