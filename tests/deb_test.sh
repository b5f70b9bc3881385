#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian package: `dpkg-buildpackage -b -us -uc` in a copy of the
# source tree (what git tracks and does not ignore), then the .deb's
# fields (Depends from dpkg-shlibdeps, Recommends, Suggests), its files
# (those of the meson install), the package unpacked into a scratch root
# and its binary run from there, and lintian: no error (warnings printed).
# Usage: deb_test.sh SOURCE_DIR
# Exit 77 (skipped) without dpkg-buildpackage, debhelper, lintian or the
# build dependencies.
set -u
src=$(realpath "$1")
for t in dpkg-buildpackage dh lintian; do
	command -v $t >/dev/null 2>&1 || {
		echo "deb: SKIP: $t is not installed (apt-get install dpkg-dev debhelper lintian)"
		exit 77
	}
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-deb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

start=$(date +%s)
. "$(dirname "$0")/copy_source.sh"
copy_source "$src" "$tmp/vmexit-bench"
cd "$tmp/vmexit-bench" || exit 1
if ! missing=$(dpkg-checkbuilddeps 2>&1); then
	echo "deb: SKIP: build dependencies missing: $missing"
	exit 77
fi
dpkg-buildpackage -b -us -uc >"$tmp/build.log" 2>&1 ||
	{ tail -30 "$tmp/build.log"; echo "FAIL: dpkg-buildpackage -b -us -uc"; exit 1; }
deb=$(ls "$tmp"/vmexit-bench_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no .deb"; exit 1; }
echo "deb: built $(basename "$deb") in $(($(date +%s) - start))s; Depends: $(dpkg-deb -f "$deb" Depends)"

# Fields: the libraries through ${shlibs:Depends}, the lanes' packages as suggestions.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libcpuid libjansson libgsl libtracefs libtraceevent; do
	printf '%s\n' "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -f "$deb" Recommends | grep -q gnuplot-nox || fail "gnuplot-nox is not recommended"
for p in qemu-system-x86 bochs busybox-static; do
	dpkg-deb -f "$deb" Suggests | grep -q "$p" || fail "$p is not suggested"
done

# Files: the install's.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/files"
for f in /usr/bin/vmexit-bench /usr/libexec/vmexit-bench/lane/lane.sh \
	/usr/libexec/vmexit-bench/lane/init.sh /usr/libexec/vmexit-bench/lane/kvm.sh \
	/usr/libexec/vmexit-bench/lane/bochs.sh /usr/libexec/vmexit-bench/lane/lane-kvm-hold \
	/usr/libexec/vmexit-bench/vmx/vmxbench.bin /usr/libexec/vmexit-bench/vmx/vmxboot.bin \
	/usr/share/vmexit-bench/vmx/module/Kbuild /usr/share/vmexit-bench/vmx/engine/vmxb.h \
	/usr/share/man/man1/vmexit-bench.1.gz /usr/share/bash-completion/completions/vmexit-bench \
	/usr/share/doc/vmexit-bench/README.md /usr/share/doc/vmexit-bench/results/README.md \
	/usr/share/doc/vmexit-bench/docs/method.md /usr/share/doc/vmexit-bench/copyright; do
	grep -qx "$f" "$tmp/files" || fail "not in the package: $f"
done

# Unpacked into a scratch root, the binary runs from there.
dpkg-deb -x "$deb" "$tmp/root" || fail "dpkg-deb -x"
"$tmp/root/usr/bin/vmexit-bench" --help >"$tmp/out" 2>&1 && grep -q '^usage:' "$tmp/out" ||
	fail "the unpacked binary's --help: $(head -3 "$tmp/out")"
"$tmp/root/usr/bin/vmexit-bench" lane --help >"$tmp/out" 2>&1 || fail "lane --help"
(cd "$tmp" && "$tmp/root/usr/bin/vmexit-bench" list >"$tmp/out" 2>&1) &&
	grep -q '^cpuid ' "$tmp/out" || fail "the unpacked binary's list: $(head -3 "$tmp/out")"

# lintian: no error; warnings and the rest shown.
lintian --fail-on error --pedantic --show-overrides "$deb" >"$tmp/lintian" 2>&1
lrc=$?
sed 's/^/lintian: /' "$tmp/lintian"
[ $lrc -eq 0 ] && ! grep -q '^E: ' "$tmp/lintian" || fail "lintian reports errors (exit $lrc)"
[ "$fails" -eq 0 ] || { echo "deb: $fails failures"; exit 1; }
echo "deb: ok: lintian: no errors, $(grep -c '^W: ' "$tmp/lintian") warnings, $(grep -c '^O: ' "$tmp/lintian") overridden ($(($(date +%s) - start))s in all)"
