#!/bin/sh
# Fuzz smoke ring: replay every seed and corpus file under each format's libFuzzer
# binary (one test per file and format), then a short campaign per format (one test
# each). Usage: fuzz/smoke.sh SECONDS BUILDDIR "FORMATS" DIR...
# Ends with "N passed, N failed"; exits 1 when anything failed.
set -u
secs=$1 dir=$2 formats=$3
shift 3
pass=0 fail=0
files=$(find "$@" -type f ! -name '.*' ! -name '*.md' | sort)
count=$(echo "$files" | grep -c .)

# Replay all files with binary $1; count each file as a test.
replay() {
	if "$1" $files >"$dir/replay.log" 2>&1; then
		pass=$((pass + count))
		return
	fi
	for file in $files; do # something failed: find out which
		if "$1" "$file" >"$dir/replay-one.log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "not ok: $(basename "$1") $file"
			grep -E 'fuzz finding|ERROR:|runtime error' "$dir/replay-one.log" | head -3
		fi
	done
}

for f in $formats; do
	replay "$dir/fuzz_elf-$f"
	echo "replay $f: $count files"
done
for f in $formats; do
	rm -rf "$dir/smoke-$f" && mkdir -p "$dir/smoke-$f"
	if fuzz/campaign.sh "$secs" "$dir" "$dir/smoke-$f" "$f" "$@" 2>&1 | sed "s|^|smoke |" |
		tee "$dir/smoke-$f.out" && ! grep -q FINDING "$dir/smoke-$f.out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
