# make test: every ring, then one total line "N passed, N failed".
# Rings are make targets; fragments append theirs to TEST_RINGS (set in Makefile).

test:
	$(Q)$(DEPS) all
	$(Q)tests/run-all.sh $(TEST_RINGS)

.PHONY: test
