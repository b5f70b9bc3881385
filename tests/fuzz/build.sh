#!/bin/sh
# Builds the libFuzzer targets with clang into OUT (default build-fuzz):
# fuzz_run_json, fuzz_summary_csv, fuzz_samples_csv (the results-directory
# reader), fuzz_compare and fuzz_vmx_log (the serial-log reader), each with
# ASan and UBSan (FUZZ_SANITIZE overrides the list). Exits 77 when clang or its libFuzzer runtime is missing.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/build-fuzz}
CC=${CC:-clang}

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz/build.sh: SKIP: $CC not found" >&2
	exit 77
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$CC" -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then
	echo "fuzz/build.sh: SKIP: $CC has no libFuzzer (-fsanitize=fuzzer)" >&2
	exit 77
fi
mkdir -p "$out/obj"
# FUZZ_SANITIZE=undefined trades ASan's checks for several times the executions.
san="-fsanitize=${FUZZ_SANITIZE:-address,undefined} -fno-sanitize-recover=undefined"
flags="-g -O1 -std=gnu11 $san -I$src/analysis -I$src/runner -I$src/bench -I$src/guest_payloads
	-DFUZZ_BASE=\"$src/tests/fuzz/base\" $(pkg-config --cflags gsl jansson libcpuid)"
libs="$(pkg-config --libs gsl jansson libcpuid) -lm"

# Every reader lives in analysis/: compiled once, instrumented for coverage.
pids=""
for c in "$src"/analysis/*.c; do
	# shellcheck disable=SC2086
	"$CC" $flags -fsanitize=fuzzer-no-link -c "$c" -o "$out/obj/$(basename "$c" .c).o" &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
rm -f "$out/libanalysis.a"
ar rcs "$out/libanalysis.a" "$out"/obj/*.o

build() {
	name=$1
	shift
	# shellcheck disable=SC2086
	"$CC" $flags -fsanitize=fuzzer "$@" "$out/libanalysis.a" $libs -o "$out/$name"
}
build fuzz_run_json -DFUZZ_FILE='"run.json"' "$src/tests/fuzz/fuzz_results.c"
build fuzz_summary_csv -DFUZZ_FILE='"summary.csv"' "$src/tests/fuzz/fuzz_results.c"
build fuzz_samples_csv -DFUZZ_FILE='"samples.csv"' "$src/tests/fuzz/fuzz_results.c"
build fuzz_compare "$src/tests/fuzz/fuzz_compare.c"
build fuzz_vmx_log "$src/tests/fuzz/fuzz_vmx.c"
echo "$out"
