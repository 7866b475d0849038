#!/bin/sh
# Run the hosted CMocka suites and summarise their TAP output.
# Usage: tests/run-unit.sh BUILD "FORMATS" "TESTS" RING   (RING: plain valgrind san all)
# A suite that crashes or prints fewer results than its plan counts as failures.
# Ends with the line "N passed, N failed"; exit status 0 only when nothing failed.
set -u
build=$1 formats=$2 tests=$3 ring=$4
passed=0 failed=0 skipped=0
log_dir="$build/unit-logs"
mkdir -p "$log_dir"

# run_suite LABEL CMD...: run one suite, add its results to the totals.
run_suite() {
	label=$1
	shift
	log="$log_dir/$(echo "$label" | tr ' /' '__').tap"
	# TAP comes on stdout; stderr (console output, Valgrind, sanitizers) is appended
	# after it so it can never split a TAP line.
	CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$log" 2>"$log.err"
	status=$?
	cat "$log.err" >>"$log"
	rm -f "$log.err"
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
	ok=$(grep -c '^ok ' "$log")
	# cmocka prints skipped tests as "not ok N # SKIP"; TAP counts them as skipped.
	skip=$(grep -c '^\(not \)\{0,1\}ok .*# SKIP' "$log")
	nok=$(( $(grep -c '^not ok ' "$log") - $(grep -c '^not ok .*# SKIP' "$log") ))
	ok=$(( ok - $(grep -c '^ok .*# SKIP' "$log") ))
	skipped=$((skipped + skip))
	missing=$(( ${plan:-0} - ok - nok - skip ))
	[ "$missing" -lt 0 ] && missing=0
	[ -z "$plan" ] && missing=1
	if [ "$status" -ne 0 ] && [ "$nok" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1 # clean TAP but a bad exit (e.g. Valgrind errors or leaks)
	fi
	passed=$((passed + ok))
	failed=$((failed + nok + missing))
	if [ $((nok + missing)) -eq 0 ]; then
		printf 'ok     %-40s %3d passed\n' "$label" "$ok"
	else
		printf 'FAIL   %-40s %3d passed, %d failed, %d missing (exit %d) -> %s\n' \
			"$label" "$ok" "$nok" "$missing" "$status" "$log"
		grep -E '^not ok|error|ERROR|Assert|==[0-9]+==' "$log" | head -20 | sed 's/^/       /'
	fi
}

vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible"
for f in $formats; do
	for t in $tests; do
		case $ring in plain | all) run_suite "$f plain $t" "$build/hosted-$f-plain/$t" ;; esac
		case $ring in valgrind | all) run_suite "$f valgrind $t" $vg "$build/hosted-$f-plain/$t" ;; esac
		case $ring in san | all) run_suite "$f asan+ubsan $t" "$build/hosted-$f-san/$t" ;; esac
	done
done
echo "unit: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
