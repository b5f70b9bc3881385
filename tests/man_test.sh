#!/bin/sh
# SPDX-License-Identifier: MIT
# The man page as built: renders without a warning (groff -ww, mandoc -T
# lint, man -l), and documents every command and every long option that
# the binary's --help texts name. Usage: man_test.sh VMEXIT_BENCH PAGE
# Exit 77 (skipped) without groff or mandoc.
set -u
bin=$1 page=$2
for t in groff mandoc; do
	command -v $t >/dev/null 2>&1 || {
		echo "man: SKIP: $t is not installed (apt-get install groff-base mandoc)"
		exit 77
	}
done
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

w=$(groff -ww -man -Tutf8 -z "$page" 2>&1)
[ -z "$w" ] || fail "groff -ww: $w"
w=$(mandoc -T lint "$page" 2>&1)
[ -z "$w" ] || fail "mandoc -T lint: $w"
if command -v man >/dev/null 2>&1; then
	w=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$w" ] || fail "man --warnings -l: $w"
fi
text=$(MANWIDTH=200 mandoc -T ascii "$page" | col -b)
for s in NAME SYNOPSIS DESCRIPTION COMMANDS 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
	printf '%s\n' "$text" | grep -q "^$s\$" || fail "no $s section"
done
printf '%s\n' "$text" | grep -q 'results/README.md' || fail "no pointer to the results format"

# Every command of the usage text, in COMMANDS; every option of its --help, anywhere.
cmds=$("$bin" --help | sed -n 's/^.*vmexit-bench \([a-z][a-z]*\) .*$/\1/p' | sort -u)
[ -n "$cmds" ] || fail "no commands in --help"
commands=$(printf '%s\n' "$text" | sed -n '/^COMMANDS$/,/^[A-Z]/p')
for c in run $cmds; do
	printf '%s\n' "$commands" | grep -q "^ *$c\( \|\$\)" || fail "command $c is not in COMMANDS"
	if [ "$c" = run ] || [ "$c" = help ] || [ "$c" = list ]; then
		help=$("$bin" --help)
	else
		help=$("$bin" "$c" --help)
	fi
	for o in $(printf '%s\n' "$help" | grep -o -e '--[a-z][a-z-]*' | sort -u); do
		printf '%s\n' "$text" | grep -q -e "$o\\b" || fail "option $o (of $c) is not documented"
	done
done
[ "$fails" -eq 0 ] || { echo "man: $fails failures"; exit 1; }
echo "man: ok: $(echo run $cmds | wc -w) commands"
