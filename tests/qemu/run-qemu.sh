#!/bin/sh
# Boot-test runner: run a QEMU command line under a timeout, copy the guest's serial
# output to stdout and a log file, then decide pass/fail from QEMU's exit status and
# the TAP streams the guest printed (the kernel's self test, then the userspace
# runner's: each starts with "TAP version", has a plan "1..N" before or after its
# results, and ends with "M passed, K failed").
#
#   run-qemu.sh [--timeout SECONDS] [--log FILE] [--pass-status N] [--streams N]
#               -- qemu-system-... ARGS
#
# Passes (exit 0) only when all of these hold:
#   - QEMU exited with the "passed" status (default 1: isa-debug-exit value 0; see
#     platform/x86_64/x86.h for the mapping), not by timeout or crash;
#   - there are at least --streams (default 1) TAP streams, and each has a plan, exactly
#     that many "ok"/"not ok" lines, and a summary "M passed, K failed" with M+K = plan;
#   - no stream has a failure.
# The last line is always the total "P passed, F failed" over all streams; a hang,
# crash, missing stream or incomplete stream adds at least one failure to it.
set -u

timeout_s=60
log=
pass_status=1
streams=1
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--pass-status) pass_status=$2; shift 2 ;;
	--streams) streams=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run-qemu.sh [options] -- qemu-command..." >&2; exit 2; }
[ -n "$log" ] || log=$(mktemp "${TMPDIR:-/tmp}/cleave-boot.XXXXXX")
mkdir -p "$(dirname "$log")"

status_file=$(mktemp "${TMPDIR:-/tmp}/cleave-status.XXXXXX")
trap 'rm -f "$status_file"' EXIT
start=$(date +%s)
{ timeout --kill-after=5 "$timeout_s" "$@" </dev/null 2>&1; echo $? >"$status_file"; } |
	tr -d '\r' | tee "$log"
status=$(cat "$status_file")
elapsed=$(( $(date +%s) - start ))

# One line per stream: "plan results passed failed" (-1 where a part is missing).
stream_table=$(awk '
	function flush() {
		if (n) print plan, results, passed, failed
	}
	/^TAP version/ { flush(); n++; plan = -1; results = 0; passed = -1; failed = -1; next }
	!n { next }
	/^1\.\.[0-9]+$/ { if (plan < 0) plan = substr($0, 4) + 0; next }
	/^(not )?ok [0-9]+/ { results++; next }
	/^[0-9]+ passed, [0-9]+ failed$/ { passed = $1 + 0; failed = $3 + 0; next }
	END { flush() }' "$log")

total_pass=0 total_fail=0 problem=
found=0
while read -r plan results passed failed; do
	[ -n "$plan" ] || continue
	found=$((found + 1))
	if [ "$plan" -lt 0 ] || [ "$passed" -lt 0 ] || [ "$results" -ne "$plan" ] ||
		[ $((passed + failed)) -ne "$plan" ]; then
		problem="${problem:+$problem; }stream $found incomplete (plan $plan, $results results, summary $passed/$failed)"
		[ "$passed" -ge 0 ] && total_pass=$((total_pass + passed))
		missing=$((plan > results ? plan - results : 1))
		[ "$failed" -gt 0 ] && missing=$((missing + failed))
		total_fail=$((total_fail + missing))
		continue
	fi
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
done <<EOF
$stream_table
EOF

[ "$status" -eq 124 ] || [ "$status" -eq 137 ] &&
	problem="${problem:+$problem; }timed out after ${timeout_s}s"
[ "$found" -lt "$streams" ] &&
	problem="${problem:+$problem; }$found TAP streams, expected $streams"
[ "$status" -ne "$pass_status" ] &&
	problem="${problem:+$problem; }QEMU exit status $status, not the pass status $pass_status"
[ -n "$problem" ] && [ "$total_fail" -eq 0 ] && total_fail=1

if [ -n "$problem" ] || [ "$total_fail" -ne 0 ]; then
	echo "run-qemu.sh: FAIL: ${problem:-failed tests} (${elapsed}s, log $log)"
	echo "$total_pass passed, $total_fail failed"
	exit 1
fi
echo "run-qemu.sh: PASS: $found TAP streams (${elapsed}s, log $log)"
echo "$total_pass passed, $total_fail failed"
exit 0
