#!/bin/sh
# Run the conformance suite and the init/sh smoke test on host Linux for each arch.
# Usage: userspace/host-test.sh BUILD TIMEOUT ARCH...   Last line: "N passed, N failed".
set -u
build=$1 timeout=$2
shift 2
total_pass=0 total_fail=0

# Run one check line "name: command" and count it; prints ok/not ok.
smoke() {
	name=$1 want=$2
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		echo "ok - $name"; total_pass=$((total_pass + 1))
	else
		echo "not ok - $name # got '$got' want '$want'"; total_fail=$((total_fail + 1))
	fi
}

for arch in "$@"; do
	root=$build/userspace-$arch
	echo "# userspace suite on host Linux, $arch"
	qemu=0
	if [ "$arch" != "$(uname -m)" ]; then
		qemu=1
		userspace/host-binfmt.sh || { total_fail=$((total_fail + 1)); continue; }
	fi
	log=$build/userspace-$arch.tap
	CLEAVE_QEMU_USER=$qemu "$root/bin/runtests" -t "$timeout" "$root/tests" > "$log" 2>&1
	grep -v '^ok ' "$log" | grep -v '^# ' | grep -v '^TAP version' | grep -v '^1\.\.'
	summary=$(tail -n1 "$log")
	p=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	[ -n "$p" ] || { p=0; f=1; echo "not ok - $arch runner gave no summary"; }
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	smoke "$arch init CLEAVE_CMD pipeline" "hello
init: sh exited with status 0" \
		env -i CLEAVE_ROOT="$root" CLEAVE_CMD='echo hello | cat' "$root/init"
	smoke "$arch sh -c status" "1" \
		"$root/bin/sh" -c "PATH=$root/bin; false || echo \$?"
	echo "# $arch: full TAP in $log"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
