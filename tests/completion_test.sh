#!/bin/bash
# SPDX-License-Identifier: MIT
# The bash completion (completion/vmexit-bench.bash) against the binary it
# completes: commands, each command's options, option values, benchmark
# names from `list --json`. Usage: completion_test.sh VMEXIT_BENCH COMPLETION
# Exit 77 (skipped) without bash-completion, whose helpers it uses.
set -u
bin=$1 script=$2
bc=/usr/share/bash-completion/bash_completion
if [ ! -f "$bc" ]; then
	echo "completion: SKIP: bash-completion is not installed ($bc; apt-get install bash-completion)"
	exit 77
fi
# shellcheck disable=SC1090
. "$bc"
# shellcheck disable=SC1090
. "$script"
fails=0

# Completes the words "$@" (the last one being completed); the replies in $reply.
complete_words()
{
	COMP_WORDS=("$bin" "$@")
	COMP_CWORD=$#
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_vmexit_bench
	reply=" ${COMPREPLY[*]-} "
}

# check offered|not-offered WORD... ::: REPLY-WORD...: each REPLY-WORD is
# (or is not) offered for WORD...
check()
{
	local want=$1 words=() w got
	shift
	while [ "$1" != ::: ]; do words+=("$1"); shift; done
	shift
	complete_words "${words[@]}"
	for w in "$@"; do
		case $reply in *" $w "*) got=offered ;; *) got=not-offered ;; esac
		[ "$got" = "$want" ] ||
			{ echo "FAIL: '${words[*]}': '$w' $got in:$reply"; fails=$((fails + 1)); }
	done
}
expect() { check offered "$@"; }
refuse() { check not-offered "$@"; }

# Every command of the usage text, and benchmark names, as the first word.
cmds=$("$bin" --help | sed -n 's/^.*vmexit-bench \([a-z][a-z]*\) .*$/\1/p' | sort -u)
[ -n "$cmds" ] || { echo "FAIL: no commands in --help"; exit 1; }
# shellcheck disable=SC2086
expect '' ::: $cmds run cpuid nop
expect cpu ::: cpuid
refuse cpu ::: list lane
expect li ::: list
# Benchmark names after run and lane, among options too.
expect run --runs 3 cpu ::: cpuid
expect lane --vendor amd cpu ::: cpuid
expect lane cpuid --it ::: --iterations
expect lane --vendor '' ::: amd intel
expect lane --kern ::: --kernel --kernel-package
refuse lane '' ::: list env
# Each command's own options, from its --help.
expect env --j ::: --json
expect plot --pl ::: --plot
expect compare --u ::: --unit
expect compare --unit '' ::: ticks ns
expect vmx --ser ::: --serial
expect vmx --ms ::: --msr-area
expect -- ::: --iterations --runs --backend --plot --help
expect run --backend '' ::: kvm lane-amd lane-intel
expect --plot '' ::: png svg pdf none
expect --cpl '' ::: 0 3 auto
expect --preset '' ::: paper
# A value is not completed as a benchmark.
refuse --runs '' ::: cpuid
# Every benchmark of list --json is offered.
names=$("$bin" list --json 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)",*$/\1/p')
[ "$(printf '%s\n' "$names" | wc -l)" -gt 10 ] || { echo "FAIL: list --json gave no names"; exit 1; }
# shellcheck disable=SC2086
expect run '' ::: $names

if [ "$fails" -ne 0 ]; then
	echo "completion: $fails failures"
	exit 1
fi
echo "completion: ok: $(echo $cmds | wc -w) commands, $(printf '%s\n' "$names" | wc -l) benchmarks"
