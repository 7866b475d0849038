#!/bin/sh
# Command runner for `make run CMD=...`: boot a kernel whose init runs one command line
# (the kernel passes the text after " -- " on its command line to init as CLEAVE_CMD),
# print the command's output, and exit with the command's status.
#
#   run-cmd.sh [--timeout SECONDS] [--pass-status N] -- qemu-system-... ARGS
#
# The kernel prints "cleave: starting <init> as pid 1" just before user mode; only
# what follows is the command's output. init ends with "init: sh exited with status N"
# and powers off; that N is this script's status. A QEMU exit other than the clean
# power-off status, or no status line, prints the whole log and exits 125.
set -u

timeout_s=600
pass_status=1
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--pass-status) pass_status=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-cmd.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run-cmd.sh [options] -- qemu-command..." >&2; exit 2; }

log=$(mktemp "${TMPDIR:-/tmp}/cleave-cmd.XXXXXX")
status_file=$(mktemp "${TMPDIR:-/tmp}/cleave-status.XXXXXX")
trap 'rm -f "$log" "$status_file"' EXIT

{ timeout --kill-after=5 "$timeout_s" "$@" </dev/null 2>&1; echo $? >"$status_file"; } |
	tr -d '\r' | tee "$log" |
	sed -u -n '/^cleave: starting .* as pid 1$/,$ {
		/^cleave: starting .* as pid 1$/d
		/^init: sh exited with status [0-9][0-9]*$/d
		p
	}'
status=$(cat "$status_file")
code=$(sed -n 's/^init: sh exited with status \([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)

if [ "$status" -ne "$pass_status" ] || [ -z "$code" ]; then
	echo "run-cmd.sh: the guest did not finish cleanly (QEMU status $status); its log:" >&2
	cat "$log" >&2
	exit 125
fi
exit "$code"
