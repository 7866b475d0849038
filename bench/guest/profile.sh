#!/bin/sh
# profile.sh: where a kernel spends guest instructions on one forkbench case.
#   bench/guest/profile.sh x86_64|aarch64 KERNEL.elf QEMU-KERNEL-IMAGE INITRD CASE [N]
# Boots the kernel twice under TCG with `-d in_asm,exec,nochain`, running CASE N and
# 2N times (forkbench -n), and prints the difference per function divided by N: the
# steady-state guest instructions of one iteration, boot and start-up cancelled out.
# Works for Cleave (KERNEL.elf = build/<arch>/cleave.elf) and, with its symbols
# unavailable, lumps everything in the kernel as "[other]". Needs ~1 GB in /tmp.
# Runs without -icount (QEMU retranslates blocks at the same pc under icount, which
# this block-size table cannot tell apart), so timer interrupts are overstated, and a
# rep-prefixed x86 string instruction counts its whole block once per iteration.
set -eu
arch=$1 elf=$2 image=$3 initrd=$4 case=$5 n=${6:-20}
here=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tbprof.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
nm -n --defined-only "$elf" > "$tmp/syms" 2>/dev/null || : > "$tmp/syms"
case $arch in
x86_64) qemu="qemu-system-x86_64 -machine q35 -cpu max,la57=off -m 512M -no-reboot -nic none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -serial stdio -monitor none"
	console=ttyS0 ;;
aarch64) qemu="qemu-system-aarch64 -M virt -cpu max,pauth=off -m 512M -nographic -no-reboot
	-semihosting-config enable=on,target=native"
	console=ttyAMA0 ;;
*) echo "profile.sh: unknown arch $arch" >&2; exit 2 ;;
esac
for mult in 1 2; do
	timeout 900 $qemu -kernel "$image" -initrd "$initrd" \
		-append "init=/init console=$console quiet -- -n $((n * mult)) $case" \
		-d in_asm,exec,nochain -D "$tmp/log" </dev/null >"$tmp/out$mult" 2>&1 || true
	grep -q '^forkbench end status=ok' "$tmp/out$mult" ||
		{ echo "profile.sh: run failed:" >&2; tail -5 "$tmp/out$mult" >&2; exit 1; }
	awk -f "$here/tbprof.awk" "$tmp/syms" "$tmp/log" | sort -k2 > "$tmp/p$mult"
	rm -f "$tmp/log"
done
join -1 2 -2 2 -a 2 -e 0 -o 0,1.1,2.1 "$tmp/p1" "$tmp/p2" |
	awk -v n="$n" '{ d = ($3 - $2) / n; if (d >= 1) { printf "%10.0f %s\n", d, $1; t += d } }
		END { printf "%10.0f TOTAL per iteration\n", t }' | sort -rn
