#!/bin/sh
# Builds the raw VMX kernel module against Debian's installed headers (it
# cannot be loaded here). Usage: vmx_module_build.sh RUNNER_VMX_SOURCE_DIR
# Exit 77 (skipped) when no headers or no kernel build tools are installed.
set -u
src=$1

hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -z "$hdr" ] || [ ! -f "$hdr/Makefile" ]; then
	echo "vmx_module_build: SKIP: no /usr/src/linux-headers-*-amd64 (apt-get install linux-headers-amd64)"
	exit 77
fi
if ! command -v make >/dev/null 2>&1; then
	echo "vmx_module_build: SKIP: make is not installed"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmx-module.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# Build a copy: Kbuild writes objects next to the sources.
cp -r "$src/engine" "$src/module" "$tmp/" || exit 1
if ! make -C "$tmp/module" KDIR="$hdr" >"$tmp/build.log" 2>&1; then
	tail -n 20 "$tmp/build.log" >&2
	echo "vmx_module_build: FAIL: module did not build against $hdr" >&2
	exit 1
fi
if grep -E "warning:|error:" "$tmp/build.log" >&2; then
	echo "vmx_module_build: FAIL: the build printed warnings" >&2
	exit 1
fi
ko=$tmp/module/vmxbench.ko
[ -f "$ko" ] || { echo "vmx_module_build: FAIL: no vmxbench.ko" >&2; exit 1; }
strings "$ko" | grep -qx "license=Dual MIT/GPL" ||
	{ echo "vmx_module_build: FAIL: license tag missing" >&2; exit 1; }
echo "vmx_module_build: ok: $(basename "$hdr")"
