/* SPDX-License-Identifier: MIT */
/*
 * A comparison for papers and pages: compare.tex (booktabs, one column of a
 * two-column paper for up to three runs, a page for up to six) and
 * compare.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_fmt.h"
#include "table.h"
#include "tex.h"

/* Others per float: two fit a column (table), five a page (table*). */
#define TEX_COLUMN_OTHERS 2
#define TEX_PAGE_OTHERS 5
/* Rows per float: a column holds this many with wrapped names and a long caption. */
#define TEX_ROWS 22
/* A run's label goes into the column head only when this short; the caption has them all. */
#define TEX_HEAD_LABEL 6

/* "63\,934", "$-$26"; one decimal for small ns. */
static void tex_num(FILE *f, const struct compare_table *t, double v)
{
	char buf[64];

	if (t->unit == COMPARE_NS && isfinite(v) && fabs(v) < 99.95) {
		fprintf(f, "%s%.1f", v < 0 ? "$-$" : "", fabs(v));
		return;
	}
	table_grouped(v, "\\,", "$-$", buf, sizeof(buf));
	fputs(buf, f);
}

static void tex_text(FILE *f, const char *s)
{
	char buf[1024];

	tex_escape(s, buf, sizeof(buf));
	fputs(buf, f);
}

/* The larger side of the CI in % of the median. */
static double ci_pct(const struct compare_cell *c)
{
	double h = fmax(c->ci_hi - c->median, c->median - c->ci_lo);

	return c->median != 0 && isfinite(h) ? 100 * h / fabs(c->median) : NAN;
}

static void tex_ci(FILE *f, const struct compare_cell *c)
{
	double p = ci_pct(c);

	/* The head says "CI $\pm$\%": the cells are numbers only, to fit a column. */
	if (!isfinite(p))
		fputs("--", f);
	else
		fprintf(f, "%.*f", p < 9.95 ? 1 : 0, p);
}

static void tex_ratio(FILE *f, const struct compare_table *t, const struct compare_row *row,
		      size_t i)
{
	const struct compare_cell *c = &row->cell[i], *ref = &row->cell[t->base];
	char buf[32];

	if (!c->present || !ref->present) {
		fputs("--", f);
		return;
	}
	if (compare_exact_cell(c)) {
		double d = c->median - ref->median;

		/* Exact: the difference is the finding, no mark needed (and none fits). */
		fputs(d > 0 ? "$+$" : d < 0 ? "$-$" : "$\\pm$", f);
		tex_num(f, t, fabs(d));
		return;
	} else if (!isfinite(c->ratio)) {
		fputs("--", f);
	} else {
		/* Three significant digits, as a paper prints a ratio. */
		snprintf(buf, sizeof(buf), "%.*f", fabs(c->ratio) < 9.995 ? 2 :
			 fabs(c->ratio) < 99.95 ? 1 : 0, c->ratio);
		fputs(buf, f);
	}
	if (c->significant == 1)
		fputs("$^{*}$", f);
}

static bool tex_row_shown(const struct compare_table *t, const struct compare_row *row, int kind)
{
	return row->phase == PHASE_TOTAL && compare_shown(t, row) &&
	       compare_row_kind(t, row) == (enum bench_kind)kind;
}

static const char *emulated_by(const struct loaded_run *lr)
{
	if (!strcmp(lr->r.emulator, "tcg"))
		return " under QEMU's TCG";
	if (!strcmp(lr->r.emulator, "bochs"))
		return " under Bochs";
	return "";
}

static bool ratios_only(size_t n);

static void tex_caption(FILE *f, const struct compare_table *t, bool mixed, size_t n)
{
	bool used[COMPARE_TEST_EXACT + 1] = { false };
	bool same[4] = { true, true, true, true };	/* CPU, kernel, module, iterations x runs */

	for (size_t i = 1; i < t->nruns; i++) {
		const struct loaded_run *a = t->runs[0], *b = t->runs[i];

		same[0] &= !strcmp(a->e.cpu_brand, b->e.cpu_brand);
		same[1] &= !strcmp(a->e.kernel, b->e.kernel);
		same[2] &= !strcmp(a->e.kvm_module, b->e.kvm_module) &&
			   !strcmp(a->r.emulator, b->r.emulator);
		same[3] &= a->r.iterations == b->r.iterations && a->r.runs == b->r.runs;
	}

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->nruns; i++)
			if (compare_shown(t, &t->rows[r]))
				used[t->rows[r].cell[i].test] = true;
	fputs("\\caption{VM-exit cost compared: median in ", f);
	tex_text(f, compare_unit_words(t));
	fputs(", timer floor subtracted, of ", f);
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];
		unsigned runs = lr->r.runs ? lr->r.runs : 1;

		fprintf(f, "%s(%zu)~", i ? "; " : "", i + 1);
		tex_text(f, t->label[i]);
		if (!same[0] || !same[1] || !same[2] || !same[3])
			fputs(":", f);
		if (!same[0]) {
			fputc(' ', f);
			tex_text(f, lr->e.cpu_brand);
		}
		if (!same[1]) {
			fputs(same[0] ? " Linux " : ", Linux ", f);
			tex_text(f, lr->e.kernel);
		}
		if (!same[2]) {
			fputs(same[0] && same[1] ? " " : ", ", f);
			tex_text(f, lr->e.kvm_module);
			fputs(emulated_by(lr), f);
		}
		if (!same[3])
			fprintf(f, "%s%llu iterations $\\times$ %u run%s",
				same[0] && same[1] && same[2] ? " " : ", ", lr->r.iterations, runs,
				runs == 1 ? "" : "s");
	}
	/* What all runs share is said once. */
	if (same[0] || same[1] || same[2] || same[3]) {
		const struct loaded_run *lr = t->runs[0];
		unsigned runs = lr->r.runs ? lr->r.runs : 1;
		const char *sep = "";

		fputs("; all ", f);
		if (same[0]) {
			fputs("on ", f);
			tex_text(f, lr->e.cpu_brand);
			sep = ", ";
		}
		if (same[1]) {
			fprintf(f, "%sLinux ", sep);
			tex_text(f, lr->e.kernel);
			sep = ", ";
		}
		if (same[2]) {
			fputs(sep, f);
			tex_text(f, lr->e.kvm_module);
			fputs(emulated_by(lr), f);
			sep = ", ";
		}
		if (same[3])
			fprintf(f, "%s%llu iterations $\\times$ %u run%s", sep, lr->r.iterations,
				runs, runs == 1 ? "" : "s");
	}
	fprintf(f, ". Ratio: median / median of (%zu); $\\pm$\\%%: the larger side of the "
		"baseline's 95\\,\\%% CI, in \\%% of its median (every run's CI is in "
		"compare.csv)%s", t->base + 1, ratios_only(n) ? "; the other runs' medians "
		"are in compare.md and compare.csv" : "");
	fputs("; $^{*}$: significant at 95\\,\\%", f);
	if (used[COMPARE_TEST_BOOTSTRAP])
		fputs(", bootstrap CI of the ratio of medians excludes 1", f);
	if (used[COMPARE_TEST_RUNS])
		fputs(", between-run CIs (\\texttt{-{}-runs}) do not overlap", f);
	if (used[COMPARE_TEST_OVERLAP])
		fputs(", the medians' CIs do not overlap", f);
	if (used[COMPARE_TEST_EXACT])
		fputs("; exact rows (every sample equal, or under Bochs the median at the minimum): the difference in ticks, exact, no test "
		      "needed", f);
	if (mixed)
		fputs("; $^0$: guest at CPL0, every other row at CPL3", f);
	fputs(".}\n", f);
}

/*
 * Up to three runs, each run has its median and ratio and the table fits a
 * column; four to six fit a page (table*) only with the ratios alone (their
 * medians are in compare.md and compare.csv).
 */
static bool ratios_only(size_t n)
{
	return n - 1 > TEX_COLUMN_OTHERS;
}

static void tex_open(FILE *f, const struct compare_table *t, const size_t *runs, size_t n,
		     int part, bool mixed)
{
	const char *env = n - 1 > TEX_COLUMN_OTHERS ? "table*" : "table";

	fprintf(f, "\\begin{%s}[htbp]\n\\centering\n", env);
	if (!part) {
		tex_caption(f, t, mixed, n);
		fputs("\\label{tab:vmexit-compare}\n", f);
	} else {
		fprintf(f, "\\addtocounter{table}{-1}\n\\caption{VM-exit cost compared "
			"(continued).}\n");
	}
	fprintf(f, "\\scriptsize\n\\setlength{\\tabcolsep}{1.5pt}\n"
		"\\begin{tabularx}{\\linewidth}{@{}>{\\raggedright\\arraybackslash}X");
	for (size_t k = 0; k < n; k++)
		fputs(k && ratios_only(n) ? " r" : " r r", f);
	fputs("@{}}\n\\toprule\n", f);
	for (size_t k = 0; k < n; k++) {
		size_t w = k && ratios_only(n) ? 1 : 2;

		fprintf(f, " & \\multicolumn{%zu}{c}{(%zu)", w, runs[k] + 1);
		/* A ratio's column is too narrow for a label: the caption names it. */
		if (w == 2 && strlen(t->label[runs[k]]) <= TEX_HEAD_LABEL) {
			fputc(' ', f);
			tex_text(f, t->label[runs[k]]);
		}
		fputc('}', f);
	}
	fputs(" \\\\\n", f);
	for (size_t k = 0, col = 2; k < n; k++) {
		size_t w = k && ratios_only(n) ? 1 : 2;

		fprintf(f, "\\cmidrule(lr){%zu-%zu}", col, col + w - 1);
		col += w;
	}
	fputs("\nBenchmark", f);
	for (size_t k = 0; k < n; k++)
		fputs(!k ? " & Median & $\\pm$\\%" : ratios_only(n) ? " & Ratio" :
		      " & Median & Ratio", f);
	fputs(" \\\\\n\\midrule\n", f);
}

static void tex_close(FILE *f, size_t n)
{
	fprintf(f, "\\bottomrule\n\\end{tabularx}\n\\end{%s}\n",
		n - 1 > TEX_COLUMN_OTHERS ? "table*" : "table");
}

static void tex_row(FILE *f, const struct compare_table *t, const struct compare_row *row,
		    const size_t *runs, size_t n, bool mixed)
{
	tex_name(f, row->benchmark);
	if (mixed && row->cpl == 0)
		fputs("$^0$", f);
	for (size_t k = 0; k < n; k++) {
		const struct compare_cell *c = &row->cell[runs[k]];

		fputs(" & ", f);
		if (k && ratios_only(n)) {
			tex_ratio(f, t, row, runs[k]);
			continue;
		}
		if (c->present)
			tex_num(f, t, c->median);
		else
			fputs("--", f);
		fputs(" & ", f);
		if (k == 0)
			tex_ci(f, c);
		else
			tex_ratio(f, t, row, runs[k]);
	}
	fputs(" \\\\\n", f);
}

/* One group of runs (the baseline first), in floats of at most TEX_ROWS rows. */
static void tex_group(FILE *f, const struct compare_table *t, const size_t *runs, size_t n,
		      bool mixed, int *part)
{
	size_t rows = 0;
	int cols = 1 + 2 * (int)n - (ratios_only(n) ? (int)n - 1 : 0);

	tex_open(f, t, runs, n, (*part)++, mixed);
	for (int kind = BENCH_KIND_EXIT; kind <= BENCH_KIND_LATENCY; kind++) {
		bool heading = kind == BENCH_KIND_LATENCY;

		for (size_t r = 0; r < t->nrows; r++) {
			const struct compare_row *row = &t->rows[r];

			if (!tex_row_shown(t, row, kind))
				continue;
			if (rows && rows % TEX_ROWS == 0) {
				tex_close(f, n);
				tex_open(f, t, runs, n, (*part)++, mixed);
			}
			if (heading) {
				fprintf(f, "%s\\multicolumn{%d}{@{}l}{\\emph{Latencies and bursts, not "
					"single exits}} \\\\\n",
					rows % TEX_ROWS ? "\\midrule\n" : "", cols);
				heading = false;
			}
			tex_row(f, t, row, runs, n, mixed);
			rows++;
		}
	}
	if (!rows)
		fprintf(f, "\\multicolumn{%d}{@{}l}{\\emph{no benchmark in common}} \\\\\n", cols);
	tex_close(f, n);
}

void compare_tex_table(FILE *f, const struct compare_table *t)
{
	size_t *others = calloc(t->nruns + 1, sizeof(*others)), nothers;
	size_t per;
	bool mixed = compare_mixed_cpl(t);
	int part = 0;

	if (!others)
		return;
	nothers = compare_others(t, others);
	per = nothers <= TEX_COLUMN_OTHERS ? TEX_COLUMN_OTHERS : TEX_PAGE_OTHERS;
	fprintf(f, "%% Generated by vmexit-bench %s (compare).\n"
		"%% Needs \\usepackage{booktabs} and \\usepackage{tabularx}. Up to three runs "
		"fit one column of a two-column paper (table), up to six a page (table*);\n"
		"%% more are split into tables that each repeat the baseline.\n",
		t->runs[t->base]->e.version);
	for (size_t i = 0; i < t->nruns; i++) {
		/* A comment ends at a newline: none may come from a label or path. */
		fprintf(f, "%% (%zu) ", i + 1);
		for (const char *c = t->label[i]; *c; c++)
			fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
		fputs(": ", f);
		for (const char *c = t->runs[i]->dir; *c; c++)
			fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
		fputc('\n', f);
	}
	for (size_t first = 0; first < nothers || first == 0; first += per) {
		size_t runs[TEX_PAGE_OTHERS + 1], n = 0;

		runs[n++] = t->base;
		for (size_t k = first; k < nothers && k < first + per; k++)
			runs[n++] = others[k];
		tex_group(f, t, runs, n, mixed, &part);
		if (!nothers)
			break;
	}
	free(others);
}

/* --- compare.md ----------------------------------------------------------- */

static void md_num(FILE *f, const struct compare_table *t, double v)
{
	char buf[64];

	if (t->unit == COMPARE_NS && isfinite(v) && fabs(v) < 99.95)
		snprintf(buf, sizeof(buf), "%.1f", v);
	else
		table_grouped(v, ",", "\u2212", buf, sizeof(buf));
	fprintf(f, " %s |", buf);
}

void compare_md_table(FILE *f, const struct compare_table *t)
{
	bool mixed = compare_mixed_cpl(t);
	char buf[32];

	fprintf(f, "Medians in %s, timer floor subtracted; ratios to run %zu (%s); "
		"\\*: significant at 95%% (the test of each row is in compare.csv); exact rows "
		"(every sample equal, or under Bochs the median at the minimum): the difference in ticks.\n\n", compare_unit_words(t),
		t->base + 1, t->label[t->base]);
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];

		fprintf(f, "%zu. **%s**: %s, Linux %s, %s%s, %llu iterations x %u runs (`%s`)\n",
			i + 1, t->label[i], lr->e.cpu_brand, lr->e.kernel, lr->e.kvm_module,
			emulated_by(lr), lr->r.iterations, lr->r.runs ? lr->r.runs : 1, lr->dir);
	}
	fputs("\n| benchmark |", f);
	for (size_t i = 0; i < t->nruns; i++)
		fprintf(f, " (%zu) %s | 95%% CI |%s", i + 1, t->label[i], i == t->base ? "" : " ratio |");
	fputs("\n|---|", f);
	for (size_t i = 0; i < t->nruns; i++)
		fputs(i == t->base ? "---:|---:|" : "---:|---:|---:|", f);
	fputc('\n', f);
	for (int kind = BENCH_KIND_EXIT; kind <= BENCH_KIND_LATENCY; kind++) {
		for (size_t r = 0; r < t->nrows; r++) {
			const struct compare_row *row = &t->rows[r];

			if (!tex_row_shown(t, row, kind))
				continue;
			fprintf(f, "| `%s`%s%s |", row->benchmark, mixed && row->cpl == 0 ?
				" (CPL0)" : "", kind == BENCH_KIND_LATENCY ? " (latency)" : "");
			for (size_t i = 0; i < t->nruns; i++) {
				const struct compare_cell *c = &row->cell[i], *ref = &row->cell[t->base];
				double p = ci_pct(c);

				if (!c->present) {
					fputs(i == t->base ? " - | - |" : " - | - | - |", f);
					continue;
				}
				md_num(f, t, c->median);
				if (isfinite(p))
					fprintf(f, " \u00b1%.*f%% |", p < 9.95 ? 1 : 0, p);
				else
					fputs(" - |", f);
				if (i == t->base)
					continue;
				if (!ref->present)
					fputs(" - |", f);
				else if (compare_exact_cell(c))
					fprintf(f, " %+.0f%s |", c->median - ref->median,
						c->significant == 1 ? "\\*" : "");
				else {
					compare_fmt_ratio(c->ratio, buf, sizeof(buf));
					fprintf(f, " %s%s |", buf, c->significant == 1 ? "\\*" : "");
				}
			}
			fputc('\n', f);
		}
	}
}
