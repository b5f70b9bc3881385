#!/bin/sh
# Runs every fuzz target for SECONDS (default 25) from its seed corpus in
# tests/fuzz/corpus/<target>/ (new inputs go to a scratch copy, the seeds in
# the repository are not touched), or for exactly RUNS executions with
# FUZZ_RUNS=RUNS. Prints each target's execution count; a crash leaves its
# input in OUT/crash-* and fails. Exits 77 when the fuzzers cannot be built.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-25}
out=${FUZZ_OUT:-$src/build-fuzz}

"$src/tests/fuzz/build.sh" "$out" >/dev/null
status=$?
[ $status -eq 0 ] || exit $status
if [ -n "${FUZZ_RUNS:-}" ]; then
	limit="-runs=$FUZZ_RUNS"
else
	limit="-max_total_time=$secs"
fi
# Leaks are the sanitizer build's job (tests/run.sh build-asan); here speed
# buys executions: no allocation stacks, a small quarantine.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0:quarantine_size_mb=16}
targets=${FUZZ_TARGETS:-"run_json summary_csv samples_csv compare vmx_log"}
failed=0
for target in $targets; do
	work=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-fuzz-corpus.XXXXXX")
	# -timeout: an input that takes a second is a hang; -rss_limit_mb: so is 1 GB.
	"$out/fuzz_$target" $limit -timeout=5 -rss_limit_mb=1024 -max_len=20000 \
		-artifact_prefix="$out/crash-$target-" -print_final_stats=1 \
		"$work" "$src/tests/fuzz/corpus/$target" >"$out/$target.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$target.log")
	rm -rf "$work"
	if [ $rc -ne 0 ]; then
		echo "fuzz_$target: FAILED after ${runs:-?} executions (see $out/$target.log)"
		failed=1
	else
		echo "fuzz_$target: ${runs:-?} executions, no finding"
	fi
done
exit $failed
