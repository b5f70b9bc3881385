#!/bin/sh
# SPDX-License-Identifier: MIT
# One set of command-line conventions for every command of the binary:
# options before or after the positional arguments (also with
# POSIXLY_CORRECT set), --opt=value, "--" ending the options, -h/--help
# anywhere, and a bad option as one line and exit status 2. The commands
# are read from the binary's --help: a command with no case here fails.
# Nothing here needs KVM. Usage: cli_conventions.sh VMEXIT_BENCH RESULTS_DIR
# (RESULTS_DIR: a results directory to plot and compare, copied first).
set -u
bin=$(realpath "$1") ref=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cp -r "$ref" a && cp -r "$ref" b || exit 1
fails=0 checks=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# t STATUS PATTERN ARGS...: vmexit-bench ARGS exits STATUS, and PATTERN (a
# grep -E) is in its stderr, or in its stdout for status 0. A non-zero
# status comes with exactly one line on stderr.
t()
{
	want=$1 pat=$2
	shift 2
	checks=$((checks + 1))
	"$bin" "$@" >out 2>err
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "'$*': exit $got, not $want: $(head -c 300 err)"
		return
	fi
	where=err
	[ "$want" -ne 0 ] || where=out
	grep -q -E -e "$pat" $where || fail "'$*': no /$pat/ in: $(head -c 300 $where)"
	if [ "$want" -ne 0 ] && [ "$(wc -l <err)" -ne 1 ]; then
		fail "'$*': not one line on stderr: $(cat err)"
	fi
}

# The same, with POSIXLY_CORRECT set (getopt would stop at the first word).
tp()
{
	POSIXLY_CORRECT=1 t "$@"
}

case_run()
{
	t 2 "--iterations needs a whole number" nosuch --iterations x
	t 2 "--iterations needs a whole number" run cpuid --iterations=x
	t 2 "--iterations needs a whole number" --iterations x run cpuid
	tp 2 "--iterations needs a whole number" run cpuid -n x
	t 2 "unknown benchmark '--iterations'" run -- --iterations
	t 2 "unknown benchmark 'nosuch'" cpuid nosuch --runs 1
	t 2 "^vmexit-bench: unknown option '--no-such-option'" run cpuid --no-such-option
	t 0 "^usage: vmexit-bench" run cpuid --help
}

case_list()
{
	t 0 '"name": "cpuid"' list --json
	t 0 '"name": "cpuid"' --json list
	tp 0 '"name": "cpuid"' list --json
	t 2 "'list' takes no arguments, got '--json'" list -- --json
	t 2 "^vmexit-bench: unknown option '--no-such-option'" list --no-such-option
	t 0 "^usage: vmexit-bench" list --help
}

case_env()
{
	t 0 '"warnings"' env --json
	t 2 "^vmexit-bench: env: --cpu: 'x' is not a CPU number" env stray --cpu x
	tp 2 "^vmexit-bench: env: --cpu: 'x' is not a CPU number" env stray --cpu=x
	t 2 "^vmexit-bench: env: unexpected argument 'stray'" env stray --json
	t 2 "^vmexit-bench: env: unexpected argument '--json'" env -- --json
	t 2 "^vmexit-bench: env: unknown option '--no-such-option'" env --no-such-option
	t 0 "^usage: vmexit-bench env" env stray --help
}

case_plot()
{
	t 0 "a/plots" plot a --plot none
	tp 0 "a/plots" plot a --plot=none
	t 2 "^vmexit-bench: plot: --plot: 'bogus' is not" plot a --plot bogus
	t 2 "^vmexit-bench: plot: --plot: No such file" plot -- --plot
	t 2 "^vmexit-bench: plot: unknown option '--no-such-option'" plot a --no-such-option
	t 0 "^usage: vmexit-bench plot" plot a -h
}

case_compare()
{
	t 0 "." compare a b --unit ns --resamples 0
	tp 0 "." compare a --unit=ns b --resamples 0
	t 2 "^vmexit-bench: compare: --unit: 'bogus' is not" compare a b --unit bogus
	t 2 "^vmexit-bench: compare: --all: No such file" compare -- a --all
	t 2 "^vmexit-bench: compare: unknown option '--no-such-option'" compare a b --no-such-option
	t 0 "^usage: vmexit-bench compare" compare a b --help
}

case_vmx()
{
	t 2 "^vmexit-bench: vmx: --iters wants" vmx stray --iters x
	tp 2 "^vmexit-bench: vmx: --iters wants" vmx stray --iters=x
	t 2 "^vmexit-bench: vmx: unexpected argument 'stray'" vmx stray --iters 5
	t 2 "^vmexit-bench: vmx: unexpected argument '--bochs'" vmx -- --bochs
	t 2 "^vmexit-bench: vmx: unknown option '--no-such-option'" vmx --no-such-option
	t 0 "^usage: vmexit-bench vmx" vmx stray -h
}

case_lane()
{
	t 2 "^vmexit-bench lane: unknown benchmark 'nosuch'" lane nosuch --vendor amd
	tp 2 "^vmexit-bench lane: unknown benchmark 'nosuch'" lane nosuch --vendor=amd
	t 2 "^vmexit-bench lane: --vendor must be intel or amd" lane cpuid --vendor bogus
	t 2 "^vmexit-bench lane: unknown benchmark '--iterations'" lane --vendor amd -- --iterations
	t 2 "^vmexit-bench lane: unknown option '--no-such-option'" lane cpuid --no-such-option
	t 0 "^usage: vmexit-bench lane" lane cpuid --help
}

case_help()
{
	t 0 "^usage: vmexit-bench" help
	t 0 "^usage: vmexit-bench" --help
	t 0 "^vmexit-bench [0-9]" --version
	t 2 "^vmexit-bench: unknown option '--no-such-option'" help --no-such-option
}

cmds=$("$bin" --help | sed -n 's/^.*vmexit-bench \([a-z][a-z]*\) .*$/\1/p' | sort -u)
[ -n "$cmds" ] || { echo "FAIL: no commands in --help"; exit 1; }
for c in run $cmds; do
	case $c in
	run | list | env | plot | compare | vmx | lane | help) "case_$c" ;;
	*) fail "command '$c' (in --help) has no case in $0" ;;
	esac
done
if [ "$fails" -ne 0 ]; then
	echo "cli_conventions: $fails of $checks checks failed"
	exit 1
fi
echo "cli_conventions: ok: $checks checks over $(echo run $cmds | wc -w) commands"
