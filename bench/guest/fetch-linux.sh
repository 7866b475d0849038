#!/bin/sh
# Fetch and unpack Debian's Linux 6.1 kernel images (the in-guest benchmark's peer)
# for x86_64 and aarch64 under DEST (default build/linux-6.1):
#   DEST/amd64/boot/vmlinuz-6.1.0-56-amd64
#   DEST/arm64/boot/vmlinuz-6.1.0-56-arm64
# Idempotent: does nothing when both images are already there. Needs apt (and the
# arm64 architecture added to dpkg for the arm64 package); runs `apt-get update`
# only when a download fails.
set -eu

DEST=${1:-build/linux-6.1}
VER=6.1.0-56
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)

# $1=debian arch $2=package spec: download into DEST/debs and unpack into DEST/$1.
fetch() {
	arch=$1 pkg=$2
	if [ -f "$DEST/$arch/boot/vmlinuz-$VER-$arch" ]; then
		return 0
	fi
	mkdir -p "$DEST/debs" "$DEST/$arch"
	deb=$(ls "$DEST/debs/linux-image-$VER-${arch}_"*"_$arch.deb" 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		(cd "$DEST/debs" && { apt-get download "$pkg" ||
			{ apt-get update -qq && apt-get download "$pkg"; }; })
		deb=$(ls "$DEST/debs/linux-image-$VER-${arch}_"*"_$arch.deb" | head -n 1)
	fi
	dpkg-deb -x "$deb" "$DEST/$arch"
	test -f "$DEST/$arch/boot/vmlinuz-$VER-$arch"
	echo "fetch-linux.sh: $DEST/$arch/boot/vmlinuz-$VER-$arch"
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	apt-get update -qq
fi
fetch amd64 "linux-image-$VER-amd64"
fetch arm64 "linux-image-$VER-arm64:arm64"
