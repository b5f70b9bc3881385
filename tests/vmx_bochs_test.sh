#!/bin/sh
# Boots the raw VMX harness under Bochs (which emulates VMX with EPT) and
# checks, independently of the tool's own checks, that every exit came with
# the right reason and every MSR-area size was stored/loaded as expected.
# Usage: vmx_bochs_test.sh VMEXIT_BENCH IMAGE_DIR
# Exit 77 (skipped) when Bochs is not installed.
set -u
bin=$1
export VMXB_IMAGE_DIR="$2"

fail() {
	echo "vmx_bochs_test: FAIL: $*" >&2
	exit 1
}
. "$(dirname "$0")/vmx_log_check.sh"

if ! command -v bochs >/dev/null 2>&1 || [ ! -f /usr/share/bochs/BIOS-bochs-latest ]; then
	echo "vmx_bochs_test: SKIP: bochs/bochsbios not installed (apt-get install bochs bochsbios)"
	exit 77
fi
for f in vmxbench.bin vmxboot.bin; do
	[ -f "$VMXB_IMAGE_DIR/$f" ] || fail "$VMXB_IMAGE_DIR/$f was not built"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmx-bochs-test.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

"$bin" vmx --bochs --iters 20 --warmup 5 --msr-area "$(echo $vmx_sizes | tr ' ' ,)" \
	--csv "$tmp/summary.csv" --sweep-csv "$tmp/sweep.csv" --log "$tmp/serial.log" \
	--timeout 170 >"$tmp/table.txt" 2>"$tmp/stderr.txt" ||
	fail "vmexit-bench vmx --bochs: $(cat "$tmp/stderr.txt")"

log=$tmp/serial.log
grep -q "VMXB 1 done ok" "$log" || fail "no 'done ok' in the serial log"
grep -q "VMXB 1 info timing emulated" "$log" || fail "the run is not labelled emulated"
grep -q "EMULATED" "$tmp/table.txt" || fail "the table does not say the ticks are emulated"
vmx_check_log "$log" "$tmp/sweep.csv"

head -1 "$tmp/summary.csv" | grep -q "^benchmark,phase,cpl,samples,min,p25,median,p75,p99,max,mean,unit" ||
	fail "summary.csv header"
rows=$(tail -n +2 "$tmp/summary.csv" | wc -l)
# floor (total only) + 8 benches and 24 sweep points with 4 phases each
[ "$rows" -eq $((1 + 8 * 4 + 24 * 4)) ] || fail "summary.csv has $rows rows"
if tail -n +2 "$tmp/summary.csv" | grep -v ",emulated_ticks," >/dev/null; then
	fail "a summary row is not in emulated_ticks"
fi

# An area larger than IA32_VMX_MISC allows must fail loudly, not be clipped.
if "$bin" vmx --bochs --benches null --areas exit-store --msr-area 4096 --iters 2 \
	--warmup 0 --csv "$tmp/bad.csv" --sweep-csv "$tmp/bad-sweep.csv" \
	--timeout 120 >/dev/null 2>"$tmp/bad.txt"; then
	fail "an MSR area beyond the VMX_MISC maximum was accepted"
fi
grep -q "exceeds the IA32_VMX_MISC maximum" "$tmp/bad.txt" ||
	fail "oversized area: unexpected message: $(cat "$tmp/bad.txt")"
[ ! -e "$tmp/bad.csv" ] || fail "a failed run wrote a CSV"

echo "vmx_bochs_test: ok: 8 exit types, 3 MSR areas x 8 sizes verified"
