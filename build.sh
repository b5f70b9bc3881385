#!/bin/sh
# Installs the Debian 12 packages vmexit-bench needs (only the missing ones),
# then configures and builds it in ./build. Safe to run again.
set -eu
cd "$(dirname "$0")"

PACKAGES="gcc libc6-dev binutils python3 pkg-config meson ninja-build check \
libgsl-dev libjansson-dev libcpuid-dev libtracefs-dev libtraceevent-dev \
gnuplot-nox git make bochs bochsbios linux-headers-amd64 \
qemu-system-x86 busybox-static cpio kmod clang libclang-rt-14-dev \
texlive-latex-base texlive-latex-recommended poppler-utils \
isolinux syslinux-common genisoimage groff-base mandoc bash-completion \
dpkg-dev debhelper lintian"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "build.sh: installing:$missing" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

if [ -f build/build.ninja ]; then
	meson setup --reconfigure build >&2
else
	meson setup build >&2
fi
ninja -C build >&2
