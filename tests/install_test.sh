#!/bin/sh
# SPDX-License-Identifier: MIT
# `meson install` from a copy of the source tree (what git tracks and does
# not ignore: the working tree as it is), into a DESTDIR, with the copy and
# its build directory then moved away: the installed binary must find
# everything it runs by itself. Checks the installed files, runs --help,
# list, lane --help, renders the man page, and runs cpuid in the kvm_amd
# lane from the installed copy, which must write its results with the
# installed VM holder; then the lane's default cache ($XDG_CACHE_HOME, else
# ~/.cache). Usage: install_test.sh SOURCE_DIR LANE_CACHE
# Exit 77 (skipped) when the lane cannot run here (the rest is checked first).
set -u
src=$(realpath "$1") cache=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix=/opt/vmexit-bench-install-test	# nothing there: only the relative lookup can work
root=$tmp/root
bin=$root$prefix/bin/vmexit-bench
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
unset VMEXIT_LANE_DIR VMXB_IMAGE_DIR

start=$(date +%s)
. "$(dirname "$0")/copy_source.sh"
copy_source "$src" "$tmp/src"
[ -f "$tmp/src/meson.build" ] || { echo "FAIL: the source copy has no meson.build"; exit 1; }
meson setup "$tmp/build" "$tmp/src" --prefix=$prefix -Dtests=false >"$tmp/setup.log" 2>&1 ||
	{ tail -20 "$tmp/setup.log"; echo "FAIL: meson setup"; exit 1; }
ninja -C "$tmp/build" >"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log"; echo "FAIL: build"; exit 1; }
DESTDIR=$root meson install -C "$tmp/build" >"$tmp/install.log" 2>&1 ||
	{ tail -20 "$tmp/install.log"; echo "FAIL: meson install"; exit 1; }
echo "install: built and installed in $(($(date +%s) - start))s"
# Nothing the binary runs may come from the source or build tree.
mv "$tmp/src" "$tmp/src.moved" && mv "$tmp/build" "$tmp/build.moved" || exit 1

for f in bin/vmexit-bench libexec/vmexit-bench/lane/lane.sh libexec/vmexit-bench/lane/init.sh \
	libexec/vmexit-bench/lane/kvm.sh libexec/vmexit-bench/lane/bochs.sh \
	libexec/vmexit-bench/lane/lane-kvm-hold libexec/vmexit-bench/vmx/vmxbench.bin \
	libexec/vmexit-bench/vmx/vmxboot.bin share/vmexit-bench/vmx/module/Kbuild \
	share/vmexit-bench/vmx/engine/vmxb.h share/vmexit-bench/vmx/image/main.c \
	share/man/man1/vmexit-bench.1 share/bash-completion/completions/vmexit-bench \
	share/doc/vmexit-bench/README.md share/doc/vmexit-bench/results/README.md \
	share/doc/vmexit-bench/docs/real-kvm.md; do
	[ -f "$root$prefix/$f" ] || fail "not installed: $prefix/$f"
done
hold=$root$prefix/libexec/vmexit-bench/lane/lane-kvm-hold
[ -x "$hold" ] || fail "lane-kvm-hold is not executable"
# The source's or build's path in no installed file (programs without their debug info).
hits=$(find "$root" -type f | while IFS= read -r f; do
	if [ "$(head -c 4 "$f" | tr -d '\177')" = ELF ]; then
		objcopy --strip-debug "$f" "$tmp/stripped" 2>/dev/null || cp "$f" "$tmp/stripped"
		g=$tmp/stripped
	else
		g=$f
	fi
	! grep -q -e "$tmp/src" -e "$tmp/build" "$g" || echo "$f"
done)
[ -z "$hits" ] || fail "the source or build path is in: $hits"

"$bin" --help >"$tmp/out" 2>&1 && grep -q '^usage: vmexit-bench' "$tmp/out" || fail "--help: $(head -3 "$tmp/out")"
"$bin" lane --help >"$tmp/out" 2>&1 && grep -q '^usage: vmexit-bench lane' "$tmp/out" ||
	fail "lane --help: $(head -3 "$tmp/out")"
"$bin" list >"$tmp/out" 2>"$tmp/err" && grep -q '^cpuid ' "$tmp/out" ||
	fail "list: $(head -3 "$tmp/out" "$tmp/err")"
if command -v man >/dev/null 2>&1; then
	w=$(MANWIDTH=80 man --warnings -l "$root$prefix/share/man/man1/vmexit-bench.1" 2>&1 >"$tmp/out")
	[ -z "$w" ] && grep -q 'EXAMPLES' "$tmp/out" || fail "man -l of the installed page: $w"
fi
[ "$fails" -eq 0 ] || { echo "install: $fails failures"; exit 1; }

# The lane, from the installed copy alone.
cd "$tmp" || exit 1
"$bin" lane --vendor amd cpuid --iterations 200 --runs 1 --cache "$cache" --output "$tmp/lane" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'the lane cannot run here' "$tmp/err"; then
	echo "install: SKIP: the installed copy checks out, but the lane cannot run here: $(cat "$tmp/err")"
	exit 77
fi
[ $rc -eq 0 ] || fail "lane exited $rc: $(tail -5 "$tmp/err")"
for f in run.json summary.csv lane/console.txt; do
	[ -s "$tmp/lane/$f" ] || fail "the lane wrote no $f"
done
grep -q '"kvm_hold": "1"' "$tmp/lane/run.json" 2>/dev/null ||
	fail "the lane ran without the installed lane-kvm-hold"
grep -q '^cpuid,' "$tmp/lane/summary.csv" 2>/dev/null || fail "no cpuid row in summary.csv"

# The default cache: $XDG_CACHE_HOME/vmexit-bench/lane, else ~/.cache/...; made 0700.
# (A package apt does not know ends the lane there, before anything is fetched.)
XDG_CACHE_HOME=$tmp/xdg "$bin" lane --vendor amd --kernel-package vmexit-bench-no-such-kernel \
	cpuid >/dev/null 2>&1
[ "$(stat -c %a "$tmp/xdg/vmexit-bench/lane" 2>/dev/null)" = 700 ] ||
	fail "no 0700 cache in \$XDG_CACHE_HOME/vmexit-bench/lane"
env -u XDG_CACHE_HOME HOME="$tmp/home" "$bin" lane --vendor amd \
	--kernel-package vmexit-bench-no-such-kernel cpuid >/dev/null 2>&1
[ "$(stat -c %a "$tmp/home/.cache/vmexit-bench/lane" 2>/dev/null)" = 700 ] ||
	fail "no 0700 cache in ~/.cache/vmexit-bench/lane"
[ "$fails" -eq 0 ] || { echo "install: $fails failures"; exit 1; }
echo "install: ok: installed copy ran list, --help, lane --help and a cpuid lane ($(($(date +%s) - start))s in all)"
