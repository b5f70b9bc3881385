#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The real-KVM lane on AMD: Debian's kvm_amd inside a Debian-kernel guest
# under QEMU's TCG (runner/lane/lane.sh). Three boots:
#  1. the default catalog (npt=1), checked row by row against
#     tests/lane/expected-amd.tsv, the traced split of cpuid, vmcall and
#     rdmsr_kernel (>= 90% of samples), and the TCG unit on every row;
#  2. the same with kvm_amd npt=0 (shadow paging for the ept_* rows), and
#     'list --json' in the same guest, which must agree with the run;
#  3. the guest's TSC left unstable (no tsc=reliable): the phase split must
#     then be unavailable, with that reason, not a wrong number, and the I/O
#     latencies, whose samples mix guest and host stamps, refused.
# Usage: lane_amd.sh VMEXIT_BENCH SOURCE_ROOT CACHE_DIR
# Exit 77 (skipped) when QEMU, busybox-static or the kernel package cannot
# be had here.
set -u
bin=$1
src=$2
cache=$3
lane=$src/runner/lane/lane.sh
check=$src/tests/lane/check_lane.py
expected=$src/tests/lane/expected-amd.tsv

fail() {
	echo "lane_amd: FAIL: $*"
	exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lane-amd-test.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# $1: name, rest: lane.sh arguments. Skips the whole test when the lane cannot run.
# A failed boot shows the guest console's last lines. A guest that hangs
# (the bound ran out) or whose kernel locked up (lane.sh stops it at its
# first soft-lockup or RCU-stall line) is reported with its console and
# booted once more: the lane is there to test vmexit-bench, and such a
# guest says nothing about it. Anything else, or a second one, fails.
# Boots take 9-40 s (140 s on a loaded host).
boot() {
	name=$1
	shift
	for attempt in 1 2; do
		"$lane" --vendor amd --bin "$bin" --cache "$cache" --out "$tmp/$name" --timeout 300 \
			"$@" 2>"$tmp/$name.err"
		rc=$?
		if [ $rc -eq 77 ]; then
			echo "SKIP: 3 tests: the kvm_amd lane cannot run here: $(sed -n 's/^lane: SKIP: //p' "$tmp/$name.err")"
			exit 77
		fi
		[ $rc -ne 0 ] || break
		echo "lane_amd: $name: $(tail -1 "$tmp/$name.err"); the console's last lines:"
		tail -n 30 "$tmp/$name.console" 2>/dev/null | sed 's/^/lane_amd:   | /'
		grep -q -E "did not finish within|the guest's kernel locked up|console has been silent" \
			"$tmp/$name.err" &&
			[ $attempt -eq 1 ] || fail "$name: $(tail -1 "$tmp/$name.err")"
		if grep -q "locked up" "$tmp/$name.err"; then
			echo "lane_amd: $name: the emulated guest's kernel locked up (above); booting it once more"
		else
			echo "lane_amd: $name: the emulated guest hung (above); booting it once more"
		fi
		rm -f "$tmp/$name.console"
		rm -rf "${tmp:?}/$name"
	done
	sed -n 's/^lane: /lane_amd: /p' "$tmp/$name.err"
}

# $1: name. The run's own exit status, its files, the TCG label.
check_run() {
	d=$tmp/$1
	[ "$(cat "$d/lane.rc")" = 0 ] ||
		fail "$1: vmexit-bench exited $(cat "$d/lane.rc"): $(grep -v warning "$d/stderr.txt" | head -3)"
	for f in run.json summary.csv table.tex; do
		[ -s "$d/run/$f" ] || fail "$1: no $f in the results"
	done
	grep -q "emulated by QEMU's TCG" "$d/stdout.txt" || fail "$1: the table does not say TCG"
	python3 - "$d/run/run.json" <<'PY' || fail "$1: run.json does not say TCG"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d['settings'].get('emulator') == 'tcg' else 1)
PY
}

boot npt1
check_run npt1
python3 "$check" "$expected" "$tmp/npt1/run/run.json" --summary "$tmp/npt1/run/summary.csv" \
	--unit tcg_tsc_ticks --min-ok 51 --split cpuid,vmcall,rdmsr_kernel:0.9 ||
	fail "npt=1: the catalog does not match $expected"

# This boot also runs 'list', which must agree with the run on every row.
boot npt0 --kvm-param npt=0 --guest-cmd '/bin/vmexit-bench list --json >/out/list.json \
	2>/out/list.err; /bin/vmexit-bench run --output /out/run --iterations 300 --warmup 50 \
	--runs 1 --plot none'
check_run npt0
"$(dirname "$bin")/tests/test_list_run" --compare "$tmp/npt0/list.json" "$tmp/npt0/run/run.json" \
	--default --label lane_amd || fail "npt=0: list and run disagree"
grep -q "kvm_amd/parameters/npt=N" "$tmp/npt0.console" || fail "npt0: kvm_amd did not load with npt=0"
python3 "$check" "$expected" "$tmp/npt0/run/run.json" --unit tcg_tsc_ticks --min-ok 51 \
	--kvm-param npt=0 ||
	fail "npt=0: the catalog does not match $expected"

boot unstable --append '' -- cpuid pio_out_user 'io_latency_*' --iterations 100 --warmup 10 \
	--runs 1 --plot none
check_run unstable
python3 - "$tmp/unstable/run/run.json" <<'PY' || fail "unstable TSC: a phase split or an I/O latency was reported"
import json, sys
d = json.load(open(sys.argv[1]))
# A sample that mixes guest and host stamps has no number on such a host.
lat = [b for b in d['benchmarks'] if b['name'].startswith('io_latency_')]
bad = [b['name'] for b in lat if b['status'] != 'unsupported' or
       'a guest and a host stamp, and the host kernel marked its TSC unstable' not in b['reason']]
bad += [] if len(lat) == 2 else ['io_latency_* missing']
bad += [b['name'] for b in d['benchmarks'] if b['name'] != 'nop' and b not in lat and
        (b['status'] != 'ok' or 'exit' in b['phases'] or
         'marked its TSC unstable' not in b['phase_note'])]
warned = any('TSC unstable' in w for w in d['warnings'])
print('lane_amd: unstable TSC: %s' % (bad or 'no split, no I/O latency, reason given'))
sys.exit(1 if bad or not warned else 0)
PY
# Failure paths: bad usage before any work, a guest that hangs is bounded.
"$lane" --vendor arm --bin "$bin" --out "$tmp/bad" 2>"$tmp/bad.err"
[ $? -eq 2 ] && grep -q "vendor must be amd or intel" "$tmp/bad.err" ||
	fail "--vendor arm: $(cat "$tmp/bad.err")"
[ ! -e "$tmp/bad" ] || fail "--vendor arm created its output"
start=$(date +%s)
"$lane" --vendor amd --bin "$bin" --cache "$cache" --out "$tmp/hang" --timeout 15 \
	--guest-cmd 'sleep 600' 2>"$tmp/hang.err"
rc=$?
took=$(( $(date +%s) - start ))
[ $rc -eq 1 ] && grep -q "did not finish within 15s" "$tmp/hang.err" ||
	fail "a hanging guest: rc $rc: $(cat "$tmp/hang.err")"
[ $took -lt 40 ] || fail "a hanging guest took ${took}s to be stopped (bound 15 s)"
# A kernel that reports a lockup is stopped at once (well within 30 s of
# the line), with the line quoted. The line is the kernel's own format,
# printed through /dev/kmsg: a real lockup cannot be provoked on demand.
line='watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [lane-test:1]'
"$lane" --vendor amd --bin "$bin" --cache "$cache" --out "$tmp/lockup" --timeout 300 \
	--guest-cmd "echo '<0>$line' >/dev/kmsg; sleep 600" 2>"$tmp/lockup.err" &
lpid=$!
seen=
while kill -0 $lpid 2>/dev/null; do
	[ -n "$seen" ] || ! grep -q 'lane-test' "$tmp/lockup.console" 2>/dev/null || seen=$(date +%s)
	sleep 1
done
wait $lpid
rc=$?
[ -n "$seen" ] || seen=$(date +%s)
stopped=$(( $(date +%s) - seen ))
[ $rc -eq 1 ] && grep -q "the guest's kernel locked up" "$tmp/lockup.err" &&
	grep -q -F "'[" "$tmp/lockup.err" && grep -q -F "$line'" "$tmp/lockup.err" ||
	fail "a guest that locks up: rc $rc: $(cat "$tmp/lockup.err")"
[ $stopped -le 30 ] || fail "a guest that locks up was stopped ${stopped}s after its lockup line"
# A guest whose CPUs stop with interrupts off says nothing at all: its
# heartbeat stops, and so does the boot. Here the heartbeat is killed.
start=$(date +%s)
LANE_SILENCE=15 "$lane" --vendor amd --bin "$bin" --cache "$cache" --out "$tmp/silent" \
	--timeout 300 --guest-cmd 'kill $(cat /tmp/lane-heartbeat.pid); sleep 600' \
	2>"$tmp/silent.err"
rc=$?
quiet=$(( $(date +%s) - start ))
[ $rc -eq 1 ] && grep -q "console has been silent for 15s" "$tmp/silent.err" ||
	fail "a silent guest: rc $rc: $(cat "$tmp/silent.err")"
[ $quiet -lt 120 ] || fail "a silent guest was stopped after ${quiet}s (silence bound 15 s)"
echo "lane_amd: ok: default catalog on kvm_amd with npt=1 and npt=0, unstable TSC refused, hung guest stopped after ${took}s, locked-up guest ${stopped}s after its line, silent guest after ${quiet}s"
