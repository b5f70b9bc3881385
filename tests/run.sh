#!/bin/sh
# Runs every test through meson and prints one closing line:
# "N passed, N failed, N skipped" (Check test cases, plus one per script test).
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}

meson test -C "$BUILD" --print-errorlogs --num-processes 1 >/dev/null 2>&1
meson_status=$?
python3 tests/summarize.py "$BUILD/meson-logs/testlog.json"
summary_status=$?
[ $meson_status -eq 0 ] && [ $summary_status -eq 0 ]
