#!/bin/sh
# Install the Debian packages a make target needs; idempotent and quick when all
# are present. Usage: scripts/deps.sh GROUP...   (groups: unit fuzz qemu musl bench all)
set -eu

pkgs_unit="gcc make libcmocka-dev valgrind bear pkg-config gcc-aarch64-linux-gnu"
pkgs_fuzz="clang libclang-rt-14-dev libelf-dev elfutils afl++ llvm"
pkgs_qemu="qemu-system-x86 qemu-system-arm qemu-user gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu cpio gdb-multiarch"
pkgs_bench="gnuplot-nox"
pkgs_musl="musl-tools gcc-aarch64-linux-gnu qemu-user qemu-user-binfmt"

want=""
for group in "$@"; do
	case "$group" in
	unit) want="$want $pkgs_unit" ;;
	fuzz) want="$want $pkgs_fuzz" ;;
	qemu) want="$want $pkgs_qemu" ;;
	musl) want="$want $pkgs_musl" ;;
	bench) want="$want $pkgs_bench" ;;
	all) want="$want $pkgs_unit $pkgs_fuzz $pkgs_qemu $pkgs_musl" ;; # not bench: make test needs no plots
	*) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root or install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
