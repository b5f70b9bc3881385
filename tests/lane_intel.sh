#!/bin/sh
# The Intel half of the real-KVM lane, in one Bochs boot of Debian's kernel:
#  1. with kvm_intel not loaded, the raw VMX module (runner/vmx/module, built
#     here against the headers of the lane's kernel) runs its MSR-area sweep
#     through /dev/vmxbench; every exit reason and every area verification
#     is checked as vmx_bochs_test.sh checks the boot image;
#  2. it is unloaded, kvm_intel is loaded, and the whole default catalog
#     runs (VMEXIT_LANE_ROWS='NAME ...': those rows only); each row
#     must match tests/lane/expected-intel.tsv, every row must be in
#     emulated_ticks and say Bochs, and cpuid run twice must give the same
#     median (Bochs's TSC counts instructions: nothing to vary), and the
#     totals of cpuid (in the kernel) and pio_out_user (to user space) must
#     be the same to the tick with and without --no-trace: the tracing that
#     splits a round trip is not live while its total is measured.
# Usage: lane_intel.sh VMEXIT_BENCH SOURCE_DIR CACHE_DIR
# (VMEXIT_LANE_CACHE overrides CACHE_DIR; VMEXIT_LANE_KEEP=DIR keeps the
# guest's files.)
# Exit 77 (skipped) when Bochs, isolinux, genisoimage, busybox-static, the
# kernel package or its headers are not available.
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
cache=$(realpath -m "${VMEXIT_LANE_CACHE:-$3}")
prog=lane_intel

fail() {
	echo "$prog: FAIL: $*" >&2
	exit 1
}
skip() {
	echo "$prog: SKIP: $*"
	exit 77
}
. "$src/tests/vmx_log_check.sh"

iters=${VMEXIT_LANE_ITERATIONS:-30}
warmup=${VMEXIT_LANE_WARMUP:-5}
# The whole default catalog (about 2 minutes of Bochs since io_latency_out
# and the IPI rows no longer hang a one-CPU host), and the opt-in wbinvd
# and invd: on bare metal they stall every core, here the CPU is Bochs's.
# VMEXIT_LANE_ROWS='NAME ...' runs those rows only.
benches=${VMEXIT_LANE_ROWS:-}
extra=--allow-dangerous
timeout=3000

command -v bochs >/dev/null 2>&1 || skip "bochs is not installed"
for t in genisoimage make python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
mkdir -p "$cache" || fail "cannot create $cache"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -1)
[ -n "$pkg" ] || skip "apt-cache knows no linux-image-amd64"
kver=${pkg#linux-image-}
hdr=/usr/src/linux-headers-$kver
[ -f "$hdr/Makefile" ] ||
	skip "no $hdr for the lane's kernel (apt-get install linux-headers-$kver)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lane-intel.XXXXXX") || fail "mktemp"
# VMEXIT_LANE_KEEP=DIR keeps the guest's files (module log, results) there.
keep() {
	[ -z "${VMEXIT_LANE_KEEP:-}" ] || [ ! -d "$tmp/out" ] || cp -r "$tmp/out/." "$VMEXIT_LANE_KEEP/"
	rm -rf "$tmp"
}
trap keep EXIT
trap 'exit 130' INT TERM

# The module, against the lane kernel's headers (a copy: Kbuild writes next
# to the sources).
cp -r "$src/runner/vmx/engine" "$src/runner/vmx/module" "$tmp/" || fail "copy"
make -C "$tmp/module" KDIR="$hdr" >"$tmp/module-build.log" 2>&1 ||
	fail "the module did not build against $hdr: $(tail -3 "$tmp/module-build.log")"
ko=$tmp/module/vmxbench.ko
modinfo -F vermagic "$ko" | grep -q "^$kver " || fail "vmxbench.ko is not built for $kver"

msr_list=$(echo $vmx_sizes | tr ' ' ,)
# The guest's part; its files come back in /out. Every step's status is
# kept, so a failure here names the step.
cat >"$tmp/guest.sh" <<EOF
grep -q '^kvm_intel ' /proc/modules && echo loaded >/out/kvm_intel-before
dmesg >/out/dmesg-before.txt
insmod /lane/files/vmxbench.ko 2>/out/insmod.err; echo \$? >/out/insmod.rc
echo "iters=20 warmup=5 msr-area=$msr_list" >/dev/vmxbench 2>/out/vmx-write.err
echo \$? >/out/vmx-write.rc
cat /dev/vmxbench >/out/vmx.log
rmmod vmxbench; echo \$? >/out/rmmod.rc
vmexit-bench vmx --serial /out/vmx.log --csv /out/vmx-summary.csv \
	--sweep-csv /out/vmx-sweep.csv >/out/vmx-table.txt 2>/out/vmx-parse.err
echo \$? >/out/vmx-parse.rc
lane-kvm load 2>/out/kvm-load.err; echo \$? >/out/kvm-load.rc
grep . /sys/module/kvm_intel/parameters/* >/out/kvm-params.txt 2>&1
vmexit-bench run --output /out/run --iterations $iters --warmup $warmup --runs 1 --plot none \
	$extra $benches >/out/run.txt 2>/out/run.err
echo \$? >/out/run.rc
vmexit-bench run --output /out/again --iterations $iters --warmup $warmup --runs 1 --plot none \
	cpuid >/out/again.txt 2>/out/again.err
echo \$? >/out/again.rc
vmexit-bench run --output /out/notrace --iterations $iters --warmup $warmup --runs 1 --plot none \
	--no-trace cpuid pio_out_user >/out/notrace.txt 2>/out/notrace.err
echo \$? >/out/notrace.rc
EOF
out=$tmp/out
start=$(date +%s)
# A relative --out (Bochs runs in its own work directory: the console must
# still reach OUT.console).
(cd "$tmp" && sh "$src/runner/lane/lane.sh" --vendor intel --bin "$bin" --cache "$cache" \
	--out out --timeout $timeout --defer-kvm --add "$ko" --guest-cmd "$(cat guest.sh)") \
	2>"$tmp/lane.err"
rc=$?
wall=$(($(date +%s) - start))
[ $rc -ne 77 ] || skip "$(tail -1 "$tmp/lane.err")"
[ $rc -eq 0 ] || fail "lane.sh exited $rc: $(tail -1 "$tmp/lane.err")"
echo "$prog: one Bochs boot, ${wall}s wall ($(sed -n 's/^emulator=//p' "$out/lane.env"))"

# --- 1. the raw VMX module ---------------------------------------------------
[ ! -f "$out/kvm_intel-before" ] || fail "kvm_intel was loaded before the module ran"
[ "$(cat "$out/insmod.rc")" = 0 ] || fail "insmod vmxbench.ko: $(cat "$out/insmod.err")"
[ "$(cat "$out/vmx-write.rc")" = 0 ] ||
	fail "the sweep through /dev/vmxbench failed: $(cat "$out/vmx-write.err"; grep vmxbench "$out/dmesg.txt" | tail -2)"
[ "$(cat "$out/rmmod.rc")" = 0 ] || fail "rmmod vmxbench failed"
log=$out/vmx.log
grep -q "VMXB 1 hello .*platform=module" "$log" || fail "the log is not the module's"
grep -q "VMXB 1 done ok" "$log" || fail "no 'done ok' from the module"
grep -q "VMXB 1 info timing emulated" "$log" || fail "the module does not label Bochs's ticks emulated"
vmx_check_log "$log" "$out/vmx-sweep.csv"
[ "$(cat "$out/vmx-parse.rc")" = 0 ] || fail "vmexit-bench vmx --serial: $(cat "$out/vmx-parse.err")"
# Anything the kernel reported from the module's load on (the boot's own
# lines are in dmesg-before.txt).
n=$(wc -l <"$out/dmesg-before.txt")
tail -n +$((n + 1)) "$out/dmesg.txt" >"$tmp/dmesg-after.txt"
! grep -qE "BUG:|Oops:|WARNING:|general protection|Call Trace" "$tmp/dmesg-after.txt" ||
	fail "the kernel complained: $(grep -m1 -E 'BUG:|Oops:|WARNING:|general protection|Call Trace' "$tmp/dmesg-after.txt")"
echo "$prog: module: 8 exit types, 3 MSR areas x 8 sizes verified (kvm_intel not loaded)"

# --- 2. kvm_intel --------------------------------------------------------------
[ "$(cat "$out/kvm-load.rc")" = 0 ] || fail "loading kvm_intel: $(cat "$out/kvm-load.err")"
grep -q "ept:Y" "$out/kvm-params.txt" || fail "kvm_intel without EPT: $(tr '\n' ' ' <"$out/kvm-params.txt")"
run=$out/run
[ -f "$run/run.json" ] || fail "vmexit-bench run left no results: $(tail -2 "$out/run.err")"
[ -f "$out/again/run.json" ] || fail "the second cpuid run left no results: $(tail -2 "$out/again.err")"
[ -f "$out/notrace/run.json" ] || fail "the --no-trace run left no results: $(tail -2 "$out/notrace.err")"
python3 "$src/tests/lane/check_lane.py" "$src/tests/lane/expected-intel.tsv" "$run/run.json" \
	--summary "$run/summary.csv" --unit emulated_ticks --subset ||
	fail "kvm_intel: the rows do not match tests/lane/expected-intel.tsv"
python3 - "$run" "$out/again" "$out/notrace" "$benches" <<'EOF' || exit 1
import csv, json, sys

run, again, notrace, wanted = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
fails = []
j = json.load(open(run + "/run.json"))
if j["settings"].get("emulator") != "bochs":
    fails.append("run.json: settings.emulator is %r, not 'bochs'" % j["settings"].get("emulator"))
seen = {b["name"] for b in j["benchmarks"]}
for name in wanted:
    if name not in seen:
        fails.append("%s: not in the run" % name)

def total(d, bench="cpuid"):
    for r in csv.DictReader(open(d + "/summary.csv")):
        if r["benchmark"] == bench and r["phase"] == "total":
            return r
    return None

a, b = total(run), total(again)
if not a or not b:
    fails.append("cpuid total row missing in one of the two runs")
elif a["median"] != b["median"]:
    fails.append("cpuid medians differ between two identical runs: %s vs %s"
                 % (a["median"], b["median"]))
# Tracing is set up by the default run (root, tracefs): none of it may be
# live while a total is measured, so the medians equal --no-trace's exactly.
# (Not the minimum: every Bochs run has a few samples 5 instructions short,
# where an emulated timer interrupt falls, and the two runs need not both.)
traced = []
for bench in ("cpuid", "pio_out_user"):
    t, n = total(run, bench), total(notrace, bench)
    if not t or not n:
        fails.append("%s: total row missing with or without --no-trace" % bench)
    elif t["median"] != n["median"]:
        fails.append("%s: the total is %s with tracing set up, %s with --no-trace"
                     % (bench, t["median"], n["median"]))
    else:
        traced.append("%s %s" % (bench, t["median"]))
# ... and the default run did trace: cpuid's split comes from kvm_exit/kvm_entry.
split = [b for b in j["benchmarks"] if b["name"] == "cpuid" and "exit" in b.get("phases", {})]
if not split:
    fails.append("cpuid has no traced split in the default run: the equality above "
                 "proves nothing")
for f in fails:
    print("lane_intel: FAIL: " + f, file=sys.stderr)
if fails:
    sys.exit(1)
ok = sum(1 for b in j["benchmarks"] if b["status"] == "ok")
for b in j["benchmarks"]:
    print("lane_intel:   %-28s %-11s %s" % (b["name"], b["status"], b["reason"][:90]))
print("lane_intel: kvm_intel: %d rows as expected (%d measured); cpuid median %s "
      "emulated ticks, twice; totals with tracing set up = --no-trace: %s"
      % (len(j["benchmarks"]), ok, a["median"], ", ".join(traced)))
EOF
echo "$prog: ok"
