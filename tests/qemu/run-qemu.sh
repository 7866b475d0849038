#!/bin/sh
# Boot-test runner: run a QEMU command line under a timeout, copy the guest's serial
# output to stdout and a log file, then decide pass/fail from QEMU's exit status and
# the TAP the kernel printed.
#
#   run-qemu.sh [--timeout SECONDS] [--log FILE] [--pass-status N] -- qemu-system-... ARGS
#
# Passes (exit 0) only when all of these hold:
#   - QEMU exited with the "passed" status (default 1: isa-debug-exit value 0; see
#     platform/x86_64/x86.h for the mapping), not by timeout or crash;
#   - the log has a TAP plan "1..N" and exactly N "ok"/"not ok" lines after the header;
#   - the last summary line reads "M passed, 0 failed".
# Anything else (a hang, a panic, missing results) fails with exit 1.
set -u

timeout_s=60
log=
pass_status=1
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--pass-status) pass_status=$2; shift 2 ;;
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

fail() {
	echo "run-qemu.sh: FAIL: $1 (QEMU status $status, ${elapsed}s, log $log)"
	exit 1
}

[ "$status" -eq 124 ] || [ "$status" -eq 137 ] && fail "timed out after ${timeout_s}s"
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
[ -n "$plan" ] || fail "no TAP plan in the output"
results=$(sed -n '/^TAP version/,$p' "$log" | grep -cE '^(not )?ok [0-9]+')
[ "$results" -eq "$plan" ] || fail "$results results for a plan of $plan"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
[ -n "$summary" ] || fail "no 'N passed, N failed' summary"
case "$summary" in *" 0 failed") ;; *) fail "$summary" ;; esac
[ "$status" -eq "$pass_status" ] || fail "QEMU did not exit with the pass status $pass_status"
echo "run-qemu.sh: PASS: $summary (${elapsed}s)"
exit 0
