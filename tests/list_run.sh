#!/bin/sh
# SPDX-License-Identifier: MIT
# `list` and `run` are driven by the same plan: list --json and a run of the
# whole catalog (opt-in rows included, so they show as refused) must give
# every benchmark the same verdict and CPL (tests/list_run_agree.py). The
# run uses other counts than list's short run (1000 iterations, 2 runs), so
# a verdict that hinged on the count would show here.
# Usage: list_run.sh VMEXIT_BENCH SOURCE_ROOT. Exit 77 without /dev/kvm.
set -u
bin=$1
src=$2
dev=${VMEXIT_KVM_DEVICE:-/dev/kvm}
if [ ! -r "$dev" ] || [ ! -w "$dev" ]; then
	echo "SKIP: 1 test: $dev is not usable here"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-listrun.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$bin" list --json >"$tmp/list.json" 2>"$tmp/list.err" ||
	{ echo "list_run: FAIL: list: $(tail -1 "$tmp/list.err")"; exit 1; }
"$bin" '*' --iterations 1000 --warmup 100 --runs 2 --no-trace --quiet --plot none \
	--output "$tmp/run" >/dev/null 2>"$tmp/run.err"
rc=$?
[ $rc -le 1 ] || { echo "list_run: FAIL: run exited $rc: $(tail -1 "$tmp/run.err")"; exit 1; }
python3 "$src/tests/list_run_agree.py" "$tmp/list.json" "$tmp/run/run.json" --label list_run
