#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Soak of the kvm_amd lane (runner/lane/lane.sh): boots the whole default
# catalog N times in a row with K CPU burners beside it (a loaded host is
# where the lane's guest used to hang), each boot bounded, and prints one
# line per boot (wall time, outcome, rows ok) and a total. Not part of the
# test suite: 20 boots take 30-50 minutes on a two-core host.
#
# Usage: tests/lane/soak.sh [--boots N] [--burners K] [--timeout SEC]
#            [--bin VMEXIT_BENCH] [--cache DIR] [--keep DIR] [-- RUN-ARGS...]
#   --boots N       boots (default 20)
#   --burners K     busy loops beside the boots (default 2; 0 for a quiet host)
#   --timeout SEC   bound of each boot (lane.sh --timeout; default 600)
#   --bin FILE      default build/vmexit-bench under the source tree
#   --cache DIR     lane.sh's cache (default build/lane-cache under the source tree)
#   --keep DIR      keep each boot's results and console in DIR (default: a
#                   temporary directory, removed at the end)
#   RUN-ARGS        for `vmexit-bench run` in the guest, instead of the whole
#                   default catalog (e.g. the paper rows with --runs 5)
# LANE_KVM_HOLD, LANE_QEMU_THREAD and LANE_QEMU_SMP in the environment reach
# lane.sh (e.g. LANE_KVM_HOLD=0 for the set-up that hung).
# Exit status: 0 every boot finished, 1 one did not, 2 bad usage.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
boots=20 burners=2 timeout=600 bin=$src/build/vmexit-bench cache=$src/build/lane-cache keep=''
while [ $# -gt 0 ]; do
	case $1 in
	--boots) boots=$2; shift 2 ;;
	--burners) burners=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--keep) keep=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "soak: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
	esac
done
for v in "$boots" "$burners" "$timeout"; do
	case $v in *[!0-9]*|'') echo "soak: counts and seconds are whole numbers" >&2; exit 2 ;; esac
done
[ -x "$bin" ] || { echo "soak: '$bin' is not an executable" >&2; exit 2; }

if [ -n "$keep" ]; then
	mkdir -p "$keep" && dir=$(cd "$keep" && pwd) || exit 2
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/lane-soak.XXXXXX") || exit 2
fi
pids=
lpid=
stop() {
	for p in $pids $lpid; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -n "$keep" ] || rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM HUP
# The burners end with the soak, and in any case after its longest possible run.
i=0
while [ $i -lt "$burners" ]; do
	timeout $((boots * (timeout + 30) + 60)) sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done

catalog=${1+"vmexit-bench run $*"}
echo "soak: $boots boots of ${catalog:-the default catalog}, $burners CPU burners, bound ${timeout}s each," \
	"TCG thread=${LANE_QEMU_THREAD:-multi}, LANE_KVM_HOLD=${LANE_KVM_HOLD:-1}, $(nproc) host CPUs; boots in $dir"
n=0 done_=0 hung=0 locked=0 other=0 walls=
while [ $n -lt "$boots" ]; do
	n=$((n + 1))
	b=$dir/boot$n
	rm -rf "$b" "$b.console"
	start=$(date +%s)
	sh "$src/runner/lane/lane.sh" --vendor amd --bin "$bin" --cache "$cache" --out "$b" \
		--timeout "$timeout" ${1+--} "$@" 2>"$b.err" &
	lpid=$!
	wait $lpid
	rc=$?
	lpid=
	wall=$(( $(date +%s) - start ))
	walls="$walls $wall"
	load=$(cut -d' ' -f1 /proc/loadavg)
	if [ $rc -eq 0 ]; then
		rows=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = d["benchmarks"]
print("%d/%d rows ok" % (sum(x["status"] == "ok" for x in b), len(b)))' "$b/run/run.json" 2>/dev/null ||
			echo "no run.json")
		what="finished, $rows, vmexit-bench exit $(cat "$b/lane.rc" 2>/dev/null)"
		done_=$((done_ + 1))
	elif [ $rc -eq 77 ]; then
		echo "soak: the lane cannot run here: $(tail -1 "$b.err")"
		exit 1
	elif grep -q "did not finish within" "$b.err"; then
		what="HUNG: $(tail -1 "$b.err")"
		hung=$((hung + 1))
	elif grep -q "the guest's kernel locked up" "$b.err"; then
		what="LOCKED UP: $(tail -1 "$b.err")"
		locked=$((locked + 1))
	else
		what="FAILED: $(tail -1 "$b.err")"
		other=$((other + 1))
	fi
	echo "soak: boot $n/$boots: ${wall}s, load $load: $what"
done
lane=$(echo $walls | tr ' ' '\n' | sort -n | awk '{ w[NR] = $1 } END {
	printf "wall min %d s, median %d s, max %d s", w[1], w[int((NR + 1) / 2)], w[NR] }')
echo "soak: total: $boots boots, $done_ finished, $hung hung, $locked locked up, $other failed otherwise; $lane"
[ $done_ -eq "$boots" ]
