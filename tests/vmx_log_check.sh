# shellcheck shell=sh
# Sourced by vmx_bochs_test.sh and lane_intel.sh: what a raw VMX run's log
# must show, wherever the engine ran (boot image or module). Needs fail().
#
# vmx_check_log LOG SWEEP_CSV: no error line; each of the 8 exit types 25
# times (20 kept + 5 warm-up) with its architectural reason and 20 samples;
# each MSR area at each size in $vmx_sizes verified and in the sweep CSV
# as emulated ticks.
vmx_sizes="0 1 2 4 8 16 32 64"

vmx_check_log() {
	if grep -q "VMXB 1 error" "$1"; then
		fail "harness error: $(grep -m1 'VMXB 1 error' "$1")"
	fi
	for pair in null:13 cpuid:10 rdmsr:31 wrmsr:32 pio-out:30 pio-in:30 ept:48 vmcall:18; do
		b=${pair%%:*}
		r=${pair#*:}
		grep -q "VMXB 1 exit $b reason=$r count=25 ok" "$1" ||
			fail "bench $b: no 25 exits with reason $r"
		n=$(grep -c "^VMXB 1 sample $b " "$1")
		[ "$n" -eq 20 ] || fail "bench $b: $n samples, want 20 after warm-up"
	done
	for area in exit-store exit-load entry-load; do
		for c in $vmx_sizes; do
			grep -q "VMXB 1 verify $area $c ok" "$1" ||
				fail "MSR area $area with $c entries not verified"
			grep -q "^$area,[a-z]*,$c,20,.*,yes,emulated_ticks" "$2" ||
				fail "$(basename "$2") lacks $area $c"
		done
	done
}
