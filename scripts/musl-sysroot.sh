#!/bin/sh
# Create an arm64 musl sysroot (headers, crt*.o, libc.a) under build/sysroot-aarch64
# from Debian's musl-dev:arm64 and musl:arm64 packages. Idempotent: exits at once when
# the sysroot is complete. Usage: scripts/musl-sysroot.sh [SYSROOT_DIR]
# Needs the arm64 architecture in dpkg; as root it adds it (dpkg --add-architecture
# arm64 && apt-get update), otherwise it asks for those two commands.
set -eu

root=${1:-build/sysroot-aarch64}
lib=$root/usr/lib/aarch64-linux-musl
inc=$root/usr/include/aarch64-linux-musl

if [ -f "$lib/libc.a" ] && [ -f "$lib/crt1.o" ] && [ -f "$inc/stdio.h" ]; then
	exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "musl-sysroot.sh: run as root: dpkg --add-architecture arm64 && apt-get update" >&2
		exit 1
	fi
	echo "musl-sysroot.sh: adding dpkg architecture arm64"
	dpkg --add-architecture arm64
	apt-get update -qq
fi
if ! apt-cache show musl-dev:arm64 >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "musl-sysroot.sh: no arm64 package lists; run as root: apt-get update" >&2
		exit 1
	fi
	apt-get update -qq
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
echo "musl-sysroot.sh: fetching musl-dev:arm64 musl:arm64 into $root"
(cd "$tmp" && apt-get download -qq musl-dev:arm64 musl:arm64 2>&1 | grep -v 'unsandboxed' >&2 || true)
set -- "$tmp"/*.deb
[ -f "$1" ] || { echo "musl-sysroot.sh: apt-get download failed" >&2; exit 1; }
mkdir -p "$root"
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
[ -f "$lib/libc.a" ] || { echo "musl-sysroot.sh: $lib/libc.a missing after unpack" >&2; exit 1; }
echo "musl-sysroot.sh: sysroot ready in $root"
