#!/bin/sh
# Time-bounded libFuzzer campaign, one process per hosted page-table format, side by
# side. Usage: fuzz/campaign.sh SECONDS BINDIR OUTDIR "FORMATS" SEEDDIR...
# Runs BINDIR/fuzz_elf-<format>; new inputs go to OUTDIR/corpus-<format>, crashes to
# OUTDIR/artifacts-<format>/, the log to OUTDIR/fuzz-<format>.log. Prints one summary line per format; exits 1
# when any campaign found something.
set -u
secs=$1 bin=$2 dir=$3 formats=$4
shift 4
status=0
for f in $formats; do
	mkdir -p "$dir/corpus-$f" "$dir/artifacts-$f"
	"$bin/fuzz_elf-$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts-$f/" \
		"$dir/corpus-$f" "$@" >"$dir/fuzz-$f.log" 2>&1 &
	eval "pid_$f=\$!"
done
for f in $formats; do
	eval "wait \$pid_$f"
	rc=$?
	log="$dir/fuzz-$f.log"
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $f: ok, ${eps:-?} exec/s, $last"
	else
		echo "fuzz $f: FINDING (exit $rc), see $log and $dir/artifacts-$f/"
		grep -E 'fuzz finding|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' \
			"$log" | head -5
		status=1
	fi
done
exit $status
