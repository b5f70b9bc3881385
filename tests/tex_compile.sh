#!/bin/sh
# Compiles table.tex with pdflatex into a one-column and a two-column
# article and fails on any overfull box or a float too large for the page.
# Two tables: the widest and longest one a run can produce (tex_fixture),
# and the table.tex of a real short run of the whole catalog when /dev/kvm
# is usable. Then the widest compare.tex of three runs (one column: table)
# and of six (a page: table*), and, with /dev/kvm, the compare.tex of the
# real run against itself. Usage: tex_compile.sh VMEXIT_BENCH TEX_FIXTURE [KEEP_DIR]
# With KEEP_DIR the PDFs and their PNG renderings (pdftoppm) are kept there.
# Exit 77 (skipped) without pdflatex.
set -u
bin=$1
fixture=$2
keep=${3:-}

if ! command -v pdflatex >/dev/null 2>&1; then
	echo "tex_compile: SKIP: pdflatex not installed (texlive-latex-base/-recommended)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmexit-tex.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

"$fixture" "$tmp/fixture.tex" || { echo "tex_compile: FAIL: tex_fixture"; exit 1; }
"$fixture" --compare 3 "$tmp/compare3.tex" || { echo "tex_compile: FAIL: tex_fixture --compare 3"; exit 1; }
"$fixture" --compare 6 "$tmp/compare6.tex" || { echo "tex_compile: FAIL: tex_fixture --compare 6"; exit 1; }
grep -q 'begin{table}' "$tmp/compare3.tex" && ! grep -q 'begin{table\*}' "$tmp/compare3.tex" ||
	{ echo "tex_compile: FAIL: compare.tex of three runs is not one column wide"; exit 1; }
grep -q 'begin{table\*}' "$tmp/compare6.tex" ||
	{ echo "tex_compile: FAIL: compare.tex of six runs is not page wide"; exit 1; }
tables="fixture compare3 compare6"
if [ -r "${VMEXIT_KVM_DEVICE:-/dev/kvm}" ] &&
   "$bin" --iterations 200 --warmup 20 --runs 2 --no-trace --quiet --plot none \
	--output "$tmp/run" >/dev/null 2>"$tmp/run.err"; then
	cp "$tmp/run/table.tex" "$tmp/run.tex"
	tables="$tables run"
	if "$bin" compare --plot none --output "$tmp/cmp" "$tmp/run" "$tmp/run" >/dev/null 2>"$tmp/cmp.err"; then
		cp "$tmp/cmp/compare.tex" "$tmp/runcompare.tex"
		tables="$tables runcompare"
	else
		echo "tex_compile: FAIL: compare of the run: $(head -c 300 "$tmp/cmp.err")"
		status=1
	fi
else
	echo "tex_compile: no KVM run ($(head -c 200 "$tmp/run.err" 2>/dev/null)); fixture only"
fi

for t in $tables; do
	for layout in onecolumn twocolumn; do
		doc="$tmp/$t-$layout"
		cat >"$doc.tex" <<DOC
\\documentclass[10pt,$layout]{article}
\\usepackage[T1]{fontenc}
\\usepackage{booktabs}
\\usepackage{tabularx}
\\begin{document}
Text before the table.
\\input{$tmp/$t.tex}
Text after the table.
\\end{document}
DOC
		if ! (cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error \
			"$doc.tex" >/dev/null 2>&1); then
			echo "tex_compile: FAIL: $t in $layout does not compile:"
			grep -m5 '^!' "$doc.log"
			status=1
			continue
		fi
		if grep -E 'Overfull|Float too large' "$doc.log"; then
			echo "tex_compile: FAIL: $t in $layout: see the lines above"
			status=1
			continue
		fi
		if [ -n "$keep" ]; then
			mkdir -p "$keep"
			cp "$doc.pdf" "$keep/"
			command -v pdftoppm >/dev/null 2>&1 &&
				pdftoppm -png -r 80 "$doc.pdf" "$keep/$t-$layout"
		fi
		echo "tex_compile: $t in $layout: no overfull box, no float too large"
	done
done
exit $status
