#!/bin/sh
# Runs every test through meson and prints one closing line:
# "N passed, N failed, N skipped" (Check test cases, plus one per script test).
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}

# Where this build has the lane tests (not a sanitized one), the cases that
# need KVM run in the lane where /dev/kvm is not usable here, and are counted
# there (tests/kvm_test.h); natively too where it is.
cases=here
grep -q '"suite": \[[^]]*"[^"]*lane"' "$BUILD/meson-info/intro-tests.json" 2>/dev/null &&
	cases=lane
VMEXIT_KVM_CASES=$cases meson test -C "$BUILD" --print-errorlogs --num-processes 1 \
	>/dev/null 2>&1
meson_status=$?
python3 tests/summarize.py "$BUILD/meson-logs/testlog.json"
summary_status=$?
[ $meson_status -eq 0 ] && [ $summary_status -eq 0 ]
