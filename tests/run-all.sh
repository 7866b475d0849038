#!/bin/sh
# Run each test ring (a make target) and add up their "N passed, N failed" lines.
# Usage: tests/run-all.sh TARGET...   A ring that fails without counting a failure
# (a build error, a crash, a timeout) counts as one failure. Ends with the total.
set -u
total_pass=0 total_fail=0 summary=""
mkdir -p build
for target in "$@"; do
	echo "=== ring: $target"
	log="build/ring-$target.log"
	make --no-print-directory "$target" 2>&1 | tee "$log"
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	pass=$(echo "$line" | sed -n 's/^\(.*[^0-9]\)\{0,1\}\([0-9][0-9]*\) passed.*/\2/p')
	fail=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
	pass=${pass:-0} fail=${fail:-0}
	if grep -q "^make.*Error" "$log" && [ "$fail" -eq 0 ]; then
		fail=1
	fi
	[ -z "$line" ] && fail=$((fail > 0 ? fail : 1))
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	summary="$summary$(printf '%-28s %5d passed, %d failed' "$target" "$pass" "$fail")
"
done
echo "=== summary"
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
