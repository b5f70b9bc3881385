#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The kvm_amd lane stopped and run side by side, for real (README "The
# lane's processes, cache and outputs"):
#  1. SIGTERM to vmexit-bench alone once the guest is up: QEMU stopped and
#     the work directory gone within a few seconds, one line, exit 143,
#     the console kept with an INCOMPLETE note;
#  2. kill -9 of vmexit-bench: QEMU and the work directory gone all the same;
#  3. two lanes started together on a cold cache of their own, with the
#     default output in the same directory: both succeed
#     (LANE_SAFETY_TRIALS times, default 1; the cache is fetched each time).
# Usage: lane_safety.sh VMEXIT_BENCH CACHE_DIR. Exit 77 without QEMU.
set -u
bin=$(realpath "$1")
cache=$2

fail() {
	echo "lane_safety: FAIL: $*"
	exit 1
}
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
	{ echo "SKIP: 1 test: qemu-system-x86_64 is not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lane-safety.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
run="cpuid --iterations 50 --warmup 5 --runs 1 --plot none"

# Starts a lane into $tmp/$1; waits until its guest writes to the console.
start() {
	"$bin" lane --vendor amd --cache "$cache" --output "$tmp/$1" $run >"$tmp/$1.out" \
		2>"$tmp/$1.err" &
	pid=$!
	for i in $(seq 600); do
		c=$(ls "$tmp/$1".lane-*/out/console.txt 2>/dev/null)
		[ -n "$c" ] && [ -s "$c" ] && break
		kill -0 $pid 2>/dev/null || fail "$1: the lane ended early: $(cat "$tmp/$1.err")"
		sleep 0.5
	done
	work=$(ls -d "$tmp/$1".lane-*)
}

# No process whose arguments name $work, and no $work, within 3 s.
gone() {
	for i in $(seq 30); do
		pgrep -f "$work" >/dev/null || [ -e "$work" ] || return 0
		sleep 0.1
	done
	fail "$1: left behind: $(pgrep -af "$work" | cut -c1-100) $(ls -d "$work" 2>/dev/null)"
}

start term
t0=$(date +%s)
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc: $(cat "$tmp/term.err")"
gone SIGTERM
[ $(( $(date +%s) - t0 )) -le 3 ] || fail "SIGTERM: took $(( $(date +%s) - t0 ))s"
# One line from the stop (a cold cache's fetch lines come before the boot).
grep -v 'first lane run: fetching\|fetched and unpacked' "$tmp/term.err" >"$tmp/term.stop"
[ "$(wc -l <"$tmp/term.stop")" -eq 1 ] && grep -q "stopped by SIGTERM" "$tmp/term.stop" ||
	fail "SIGTERM: $(cat "$tmp/term.err")"
[ -s "$tmp/term/lane/console.txt" ] && [ -f "$tmp/term/INCOMPLETE" ] ||
	fail "SIGTERM: the console was not kept"
echo "lane_safety: SIGTERM: stopped in $(( $(date +%s) - t0 ))s, console kept"

start kill9
kill -KILL $pid
wait $pid 2>/dev/null
gone "kill -9"
echo "lane_safety: kill -9: no emulator, no work directory left"

trials=${LANE_SAFETY_TRIALS:-1}
for t in $(seq "$trials"); do
	cold=$(mktemp -d "$tmp/cold.XXXXXX") || fail "mktemp"
	mkdir "$cold/cwd"
	t0=$(date +%s)
	(cd "$cold/cwd" && "$bin" lane --vendor amd --cache "$cold/cache" $run >o1 2>e1) &
	p1=$!
	(cd "$cold/cwd" && "$bin" lane --vendor amd --cache "$cold/cache" $run >o2 2>e2) &
	p2=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	if grep -q "SKIP\|cannot run here" "$cold/cwd/e1"; then
		echo "SKIP: the kvm_amd lane cannot run here: $(tail -1 "$cold/cwd/e1")"
		exit 77
	fi
	[ $r1 -eq 0 ] && [ $r2 -eq 0 ] ||
		fail "concurrent cold cache, trial $t: exit $r1 and $r2: $(tail -2 "$cold/cwd/e1") / $(tail -2 "$cold/cwd/e2")"
	n=$(ls "$cold/cwd/results" | wc -l)
	[ "$n" -eq 2 ] || fail "concurrent, trial $t: $n results directories: $(ls "$cold/cwd/results")"
	echo "lane_safety: concurrent cold cache, trial $t: both succeeded in $(( $(date +%s) - t0 ))s ($(ls "$cold/cwd/results" | tr '\n' ' '))"
	rm -rf "$cold"
done
echo "lane_safety: ok"
