#!/bin/sh
# run.sh: boot Cleave and Linux with forkbench as /init, one after the other, under the
# same QEMU machine, CPU, memory and command line; save each boot's serial output.
#   run.sh [-o OUTDIR] [-r ROUNDS] [-a "FORKBENCH ARGS"] [-k "cleave linux"]
#          [-m "icount wall"] ARCH:CLEAVE_IMAGE:LINUX_IMAGE:INITRD ...
# For each ARCH: one boot per kernel under -icount shift=0,sleep=off (guest clock =
# executed instructions: deterministic), then ROUNDS wall-clock rounds (kernels
# alternating, so both see the same machine load). Logs: OUTDIR/ARCH/KERNEL-MODE.log
# with MODE icount or wall1..wallN. A boot that does not reach "forkbench end" within
# the timeout leaves its log behind and is reported as missing, not retried.
set -u
out=build/bench/guest rounds=3 args= kernels="cleave linux" modes="icount wall"
timeout_s=${GUEST_TIMEOUT:-600}
while getopts o:r:a:k:m: opt; do
	case $opt in
	o) out=$OPTARG ;;
	r) rounds=$OPTARG ;;
	a) args=$OPTARG ;;
	k) kernels=$OPTARG ;;
	m) modes=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# QEMU machine for $1=arch: identical for both kernels (-cpu, 512 MiB, devices).
machine() {
	case $1 in
	x86_64) echo "qemu-system-x86_64 -machine q35 -cpu max,la57=off -m 512M -no-reboot" \
		"-nic none -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none" \
		"-serial stdio -monitor none" ;;
	aarch64) echo "qemu-system-aarch64 -M virt -cpu max,pauth=off -m 512M -nographic" \
		"-no-reboot -semihosting-config enable=on,target=native" ;;
	esac
}

# Console device for $1=arch (Cleave ignores console=; Linux needs it).
console() {
	case $1 in x86_64) echo ttyS0 ;; aarch64) echo ttyAMA0 ;; esac
}

# Boot $2=image for $1=arch with $3=initrd, extra QEMU flags $4, log to $5.
boot() {
	append="init=/init console=$(console "$1") quiet${args:+ -- $args}"
	start=$(date +%s)
	# shellcheck disable=SC2046
	timeout --kill-after=5 "$timeout_s" $(machine "$1") $4 -kernel "$2" -initrd "$3" \
		-append "$append" </dev/null 2>&1 | tr -d '\r' > "$5"
	if grep -q '^forkbench end status=ok' "$5"; then
		echo "run.sh: $5 ($(( $(date +%s) - start ))s)" >&2
	else
		echo "run.sh: $5: no complete result (see the log)" >&2
	fi
}

for spec in "$@"; do
	IFS=: read -r arch cleave linux initrd <<SPEC
$spec
SPEC
	mkdir -p "$out/$arch"
	for mode in $modes; do
		case $mode in
		icount) list=icount flags="-icount shift=0,sleep=off" ;;
		wall) list=$(seq -f 'wall%g' 1 "$rounds") flags= ;;
		esac
		for m in $list; do
			for k in $kernels; do
				case $k in cleave) img=$cleave ;; linux) img=$linux ;; esac
				boot "$arch" "$img" "$initrd" "$flags" "$out/$arch/$k-$m.log"
			done
		done
	done
done
