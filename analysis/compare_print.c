/* SPDX-License-Identifier: MIT */
/*
 * A comparison on stdout: the wide table (one row per benchmark, one column
 * per run, fits 120 columns for five runs), the long form (--long), and the
 * regression gate (--fail-above).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_fmt.h"

#define DASH "\u2014"

/* --- shared by the writers (compare_fmt.h) ------------------------------- */

const struct compare_row *compare_find(const struct compare_table *t,
				       const struct compare_row *row, enum phase p)
{
	for (size_t r = 0; r < t->nrows; r++) {
		const struct compare_row *x = &t->rows[r];

		if (x->phase == p && x->cpl == row->cpl && !strcmp(x->benchmark, row->benchmark))
			return x;
	}
	return NULL;
}

bool compare_mixed_cpl(const struct compare_table *t)
{
	int cpl = -1;

	for (size_t r = 0; r < t->nrows; r++) {
		if (!compare_shown(t, &t->rows[r]))
			continue;
		if (cpl >= 0 && cpl != t->rows[r].cpl)
			return true;
		cpl = t->rows[r].cpl;
	}
	return false;
}

bool compare_exact_cell(const struct compare_cell *c)
{
	return c->test == COMPARE_TEST_EXACT;
}

size_t compare_others(const struct compare_table *t, size_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nruns; i++)
		if (i != t->base)
			out[n++] = i;
	return n;
}

/* "1.234", "12.34", "123.4": five characters, three or four significant digits. */
void compare_fmt_ratio(double r, char *buf, size_t len)
{
	if (!isfinite(r))
		snprintf(buf, len, "-");
	else if (fabs(r) < 9.9995)
		snprintf(buf, len, "%.3f", r);
	else if (fabs(r) < 99.995)
		snprintf(buf, len, "%.2f", r);
	else if (fabs(r) < 999.95)
		snprintf(buf, len, "%.1f", r);
	else if (fabs(r) < 99999.5)
		snprintf(buf, len, "%.0f", r);
	else
		snprintf(buf, len, ">1e5");
}

/* --- the wide table ------------------------------------------------------- */

/* Visible width of UTF-8 text: bytes that start a character. */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* @s right-aligned (or left with @left) in @w columns, cut to @w. */
static void put(FILE *f, const char *s, size_t w, bool left)
{
	size_t c = columns(s);

	if (c > w) {
		/* Cut at a character boundary, mark the cut with '~'. */
		size_t k = 0, used = 0;

		while (s[k] && used < w - 1) {
			k++;
			while (((unsigned char)s[k] & 0xc0) == 0x80)
				k++;
			used++;
		}
		fprintf(f, "%.*s~", (int)k, s);
		return;
	}
	if (left)
		fprintf(f, "%s%*s", s, (int)(w - c), "");
	else
		fprintf(f, "%*s%s", (int)(w - c), "", s);
}

/* Seven columns: an integer up to 9,999,999, one decimal for small ns, then M. */
static void fmt_median(const struct compare_table *t, double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (t->unit == COMPARE_NS && fabs(v) < 999.95)
		snprintf(buf, len, "%.1f", v);
	else if (fabs(v) < 9999999.5)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) < 999.5e6)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1e", v);
}

/* The CI as the larger half-width in % of the median: "±0.4%", "±12%". */
static void fmt_ci(const struct compare_cell *c, char *buf, size_t len)
{
	double h = fmax(c->ci_hi - c->median, c->median - c->ci_lo), pct;

	if (!isfinite(h) || c->median == 0) {
		snprintf(buf, len, " ");
		return;
	}
	pct = 100 * h / fabs(c->median);
	if (pct < 9.95)
		snprintf(buf, len, "\u00b1%.1f%%", pct);
	else if (pct < 99.5)
		snprintf(buf, len, "\u00b1%.0f%%", pct);
	else
		snprintf(buf, len, ">99%%");
}

/* An exact difference in ticks, five columns: "+16", "-1234", "+12k". */
static void fmt_diff(double d, char *buf, size_t len)
{
	if (fabs(d) < 9999.5)
		snprintf(buf, len, "%+.0f", d);
	else if (fabs(d) < 999.5e3)
		snprintf(buf, len, "%+.0fk", d / 1e3);
	else
		snprintf(buf, len, "%+.0fM", d / 1e6);
}

char compare_mark(const struct compare_cell *c)
{
	return c->significant == 1 ? '*' : c->significant == 0 ? ' ' : '?';
}

#define W_NAME_MAX 27
#define W_MEDIAN 7
#define W_CI 5
#define W_RATIO 5

static void row_name(const struct compare_table *t, const struct compare_row *row, bool mixed,
		     char *buf, size_t len)
{
	if (mixed && row->cpl == 0)
		snprintf(buf, len, "%s(0)", row->benchmark);
	else
		snprintf(buf, len, "%s", row->benchmark);
	(void)t;
}

static void wide_cell(FILE *f, const struct compare_table *t, const struct compare_row *row,
		      size_t i)
{
	const struct compare_cell *c = &row->cell[i], *ref = &row->cell[t->base];
	char buf[64];

	fputc(' ', f);
	if (!c->present) {
		put(f, "-", W_MEDIAN, false);
		if (i != t->base)
			fprintf(f, "%*s", W_CI + 1 + W_RATIO + 1, "");
		else
			fprintf(f, "%*s", W_CI, "");
		return;
	}
	fmt_median(t, c->median, buf, sizeof(buf));
	put(f, buf, W_MEDIAN, false);
	fmt_ci(c, buf, sizeof(buf));
	put(f, buf, W_CI, false);
	if (i == t->base)
		return;
	fputc(' ', f);
	if (compare_exact_cell(c))
		fmt_diff(c->median - ref->median, buf, sizeof(buf));
	else
		compare_fmt_ratio(c->ratio, buf, sizeof(buf));
	put(f, buf, W_RATIO, false);
	fputc(c->present && ref->present ? compare_mark(c) : ' ', f);
}

/* A line of the table without the blanks a right-hand empty mark leaves. */
static void put_line(FILE *f, char *buf, size_t len)
{
	while (len && buf[len - 1] == ' ')
		len--;
	fprintf(f, "%.*s\n", (int)len, buf);
}

static void wide_row(FILE *f, const struct compare_table *t, const struct compare_row *row,
		     const char *name, size_t nw, const size_t *runs, size_t nruns)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	put(m, name, nw, true);
	for (size_t k = 0; k < nruns; k++)
		wide_cell(m, t, row, runs[k]);
	fclose(m);
	put_line(f, buf, len);
	free(buf);
}

static void wide_head(FILE *f, const struct compare_table *t, size_t nw, const size_t *runs,
		      size_t nruns)
{
	char buf[200];

	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m)
		return;
	put(m, "", nw, true);
	for (size_t k = 0; k < nruns; k++) {
		size_t i = runs[k], w = i == t->base ? W_MEDIAN + W_CI : W_MEDIAN + W_CI + 1 +
			W_RATIO + 1;

		snprintf(buf, sizeof(buf), "%zu %s", i + 1, t->label[i]);
		fputc(' ', m);
		put(m, buf, w, true);
	}
	fclose(m);
	put_line(f, line, len);
	free(line);
	put(f, "benchmark", nw, true);
	for (size_t k = 0; k < nruns; k++) {
		fputc(' ', f);
		put(f, "median", W_MEDIAN, false);
		put(f, "\u00b1CI", W_CI, false);
		if (runs[k] == t->base)
			continue;
		fputc(' ', f);
		put(f, "ratio", W_RATIO, false);
	}
	fputc('\n', f);
}

static const char *const kind_heading[] = {
	[BENCH_KIND_EXIT] = NULL,
	[BENCH_KIND_LATENCY] = "not single exits: latency or burst per iteration",
	[BENCH_KIND_FLOOR] = "timer floor (what was subtracted from the rows above)",
};

static void wide_block(FILE *f, const struct compare_table *t, const struct compare_print_opts *po,
		       const size_t *runs, size_t nruns, size_t nw, bool mixed)
{
	char name[SUMMARY_NAME_MAX + 8];

	wide_head(f, t, nw, runs, nruns);
	for (int kind = BENCH_KIND_EXIT; kind <= BENCH_KIND_FLOOR; kind++) {
		bool heading = kind_heading[kind] != NULL;

		for (size_t r = 0; r < t->nrows; r++) {
			const struct compare_row *row = &t->rows[r];

			if (row->phase != PHASE_TOTAL || !compare_shown(t, row) ||
			    compare_row_kind(t, row) != (enum bench_kind)kind)
				continue;
			if (heading) {
				fprintf(f, "-- %s\n", kind_heading[kind]);
				heading = false;
			}
			row_name(t, row, mixed, name, sizeof(name));
			wide_row(f, t, row, name, nw, runs, nruns);
			for (int p = PHASE_EXIT; po->phases && p <= PHASE_ENTRY; p++) {
				const struct compare_row *sub = compare_find(t, row, p);
				char label[32];

				if (!sub || !compare_shown(t, sub))
					continue;
				snprintf(label, sizeof(label), "  %s", phase_name(p));
				wide_row(f, t, sub, label, nw, runs, nruns);
			}
		}
	}
}

static bool has_exact(const struct compare_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->nruns; i++)
			if (t->rows[r].cell[i].test == COMPARE_TEST_EXACT)
				return true;
	return false;
}

/* @text on lines of at most COMPARE_WIDE_MAX_COLS, broken after ", ", the rest indented. */
static void print_wrapped(FILE *f, const char *text, int indent)
{
	size_t width = COMPARE_WIDE_MAX_COLS - indent;

	fprintf(f, "%*s", indent, "");
	while (columns(text) > width) {
		size_t cut = 0, cols = 0;

		for (size_t k = 0; text[k] && cols < width; k++) {
			cols += ((unsigned char)text[k] & 0xc0) != 0x80;
			if (text[k] == ' ' && k)
				cut = k;
		}
		if (!cut)
			break;
		fprintf(f, "%.*s\n%*s", (int)cut, text, indent + 2, "");
		text += cut + 1;
		width = COMPARE_WIDE_MAX_COLS - indent - 2;
	}
	fprintf(f, "%s\n", text);
}

static void print_runs(const struct compare_table *t, FILE *f)
{
	char line[4400 + 512];

	fprintf(f, "Runs (ratios are to run %zu, %s):\n", t->base + 1, t->label[t->base]);
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];

		snprintf(line, sizeof(line), "%zu %s: %s", i + 1, t->label[i], lr->dir);
		print_wrapped(f, line, 2);
		snprintf(line, sizeof(line), "%s, Linux %s, %s%s%s, TSC %.0f MHz, %llu iterations x "
			 "%u run%s, %ssamples.csv", lr->e.cpu_brand, lr->e.kernel, lr->e.kvm_module,
			 lr->r.emulator[0] ? " under " : "", lr->r.emulator, lr->r.tsc_khz / 1000,
			 lr->r.iterations, lr->r.runs ? lr->r.runs : 1, lr->r.runs > 1 ? "s" : "",
			 lr->has_samples ? "" : "no ");
		print_wrapped(f, line, 5);
	}
	for (size_t w = 0; w < t->nwarnings; w++) {
		snprintf(line, sizeof(line), "Warning: %s.", t->warning[w]);
		print_wrapped(f, line, 0);
	}
	if (t->tsc_rates_differ && t->unit == COMPARE_TICKS)
		fprintf(f, "Note: the runs' TSC rates differ, so a tick is not the same time in "
			"each;\n      use --unit ns to compare time.\n");
}

static size_t hidden_rows(const struct compare_table *t, bool totals_only)
{
	size_t hidden = 0;

	for (size_t r = 0; r < t->nrows; r++)
		hidden += !compare_shown(t, &t->rows[r]) &&
			  (!totals_only || t->rows[r].phase == PHASE_TOTAL);
	return hidden;
}

static void print_wide(const struct compare_table *t, const struct compare_print_opts *po,
		       FILE *f)
{
	size_t *others = calloc(t->nruns + 1, sizeof(*others));
	size_t nothers, nw = strlen("benchmark"), hidden;
	bool mixed = compare_mixed_cpl(t);
	char name[SUMMARY_NAME_MAX + 8], line[512];

	if (!others)
		return;
	print_runs(t, f);
	snprintf(line, sizeof(line), "Medians in %s,", compare_unit_words(t));
	print_wrapped(f, line, 0);
	fprintf(f, "floor subtracted. \u00b1CI: the larger side of the median's 95%% CI, in %% of "
		"it. ratio: median / median of run %zu.\n", t->base + 1);
	fprintf(f, "*: significant at 95%% (the test of each row is in --long and compare.csv); "
		"?: not tested; -: not in that run.\n");
	if (has_exact(t))
		fprintf(f, "Exact rows (every sample equal, or under Bochs the median at the "
			"minimum: an instruction count): the difference in ticks (+16) instead "
			"of a ratio.\n");
	if (mixed)
		fprintf(f, "(0): guest at CPL0; every other row at CPL3.\n");
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->rows[r].phase != PHASE_TOTAL || !compare_shown(t, &t->rows[r]))
			continue;
		row_name(t, &t->rows[r], mixed, name, sizeof(name));
		nw = columns(name) > nw ? columns(name) : nw;
	}
	if (nw > W_NAME_MAX)
		nw = W_NAME_MAX;
	nothers = compare_others(t, others);
	/* Blocks of the baseline and up to COMPARE_WIDE_OTHERS others: each fits 120 columns. */
	for (size_t first = 0; first < nothers || first == 0; first += COMPARE_WIDE_OTHERS) {
		size_t runs[COMPARE_WIDE_OTHERS + 1], n = 0;

		runs[n++] = t->base;
		for (size_t k = first; k < nothers && k < first + COMPARE_WIDE_OTHERS; k++)
			runs[n++] = others[k];
		fputc('\n', f);
		if (nothers > COMPARE_WIDE_OTHERS) {
			fprintf(f, "Part %zu of %zu: runs", first / COMPARE_WIDE_OTHERS + 1,
				(nothers + COMPARE_WIDE_OTHERS - 1) / COMPARE_WIDE_OTHERS);
			for (size_t k = 0; k < n; k++)
				fprintf(f, "%s %zu", k ? "," : "", runs[k] + 1);
			fprintf(f, " (the baseline, run %zu, in every part)\n", t->base + 1);
		}
		wide_block(f, t, po, runs, n, nw, mixed);
		if (!nothers)
			break;
	}
	hidden = hidden_rows(t, true);
	if (hidden)
		fprintf(f, "(%zu benchmark%s not in every run left out; --all shows them)\n", hidden,
			hidden == 1 ? "" : "s");
	free(others);
}

/* --- the long form (--long): one line per run, phase and benchmark ------ */

static void print_cell(FILE *f, const struct compare_table *t, const struct compare_row *row,
		       size_t i, const char *label)
{
	const struct compare_cell *c = &row->cell[i];
	char run[180];

	/* The number keeps runs apart when long labels are cut. */
	snprintf(run, sizeof(run), "%zu %s", i + 1, label);
	fprintf(f, "%-20s %-8s %3d  %-24.24s ", row->benchmark, phase_name(row->phase),
		row->cpl, run);
	if (!c->present) {
		/* The dash is 3 bytes but one column wide. */
		fprintf(f, "%14s\n", DASH);
		return;
	}
	fprintf(f, "%12.1f  [%9.1f, %9.1f]", c->median, c->ci_lo, c->ci_hi);
	if (i == t->base) {
		fprintf(f, "  %7s\n", "ref");
		return;
	}
	if (isnan(c->ratio)) {
		fprintf(f, "  %9s\n", DASH);
		return;
	}
	fprintf(f, "  %7.3f", c->ratio);
	if (c->test == COMPARE_TEST_BOOTSTRAP)
		fprintf(f, "  [%6.3f, %6.3f]", c->ratio_lo, c->ratio_hi);
	else
		fprintf(f, "  %16s", "");
	fprintf(f, "  %-3s  %s\n", c->significant == 1 ? "yes" : c->significant == 0 ? "no" : "?",
		compare_test_name(c->test));
}

static void print_long(const struct compare_table *t, FILE *f)
{
	size_t hidden = hidden_rows(t, false);

	print_runs(t, f);
	fprintf(f, "Medians in %s, floor subtracted. Significant: runs = both from --runs >= 2 "
		"and their 95%% CIs over runs do not overlap (conservative); bootstrap = 95%% CI "
		"of the ratio of medians excludes 1 (single runs with samples.csv; within-run "
		"spread only); ci-overlap = the medians' 95%% CIs do not overlap.\n",
		compare_unit_words(t));
	if (has_exact(t))
		fprintf(f, "exact: all samples equal, no significance test needed (each "
			"row's samples have one value, or under Bochs its median is its minimum: "
			"an instruction count that repeats to the tick; sig = the values "
			"differ).\n");
	fprintf(f, "\n%-20s %-8s %3s  %-24s %12s  %-23s  %7s  %-16s  %-3s  %s\n", "benchmark",
		"phase", "cpl", "run", "median", "95% CI", "ratio", "ratio 95% CI", "sig", "test");
	for (size_t r = 0; r < t->nrows; r++) {
		if (!compare_shown(t, &t->rows[r]))
			continue;
		for (size_t i = 0; i < t->nruns; i++)
			print_cell(f, t, &t->rows[r], i, t->label[i]);
	}
	if (hidden)
		fprintf(f, "(%zu row%s not in every run left out; --all shows them)\n", hidden,
			hidden == 1 ? "" : "s");
}

void compare_print_with(const struct compare_table *t, const struct compare_print_opts *po,
			FILE *f)
{
	if (po->long_form)
		print_long(t, f);
	else
		print_wide(t, po, f);
}

void compare_print(const struct compare_table *t, FILE *f)
{
	const struct compare_print_opts po = { 0 };

	compare_print_with(t, &po, f);
}

/* --- the regression gate ---------------------------------------------------- */

size_t compare_regressions(const struct compare_table *t, double pct, FILE *f)
{
	size_t n = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		const struct compare_row *row = &t->rows[r];

		if (row->phase != PHASE_TOTAL || compare_row_kind(t, row) == BENCH_KIND_FLOOR)
			continue;
		for (size_t i = 0; i < t->nruns; i++) {
			const struct compare_cell *c = &row->cell[i], *ref = &row->cell[t->base];
			bool slower;

			if (i == t->base || !c->present || !ref->present)
				continue;
			/* An exact row's difference is no estimate: any increase is one. */
			if (compare_exact_cell(c))
				slower = c->median > ref->median;
			else
				slower = c->significant == 1 && isfinite(c->ratio) &&
					 c->ratio > 1 + pct / 100;
			if (!slower)
				continue;
			n++;
			if (!f)
				continue;
			if (compare_exact_cell(c))
				fprintf(f, "  %s cpl %d: run %zu %s: %.0f against %.0f, +%.0f %s (exact)\n",
					row->benchmark, row->cpl, i + 1, t->label[i], c->median,
					ref->median, c->median - ref->median, compare_unit_name(t));
			else if (c->test == COMPARE_TEST_BOOTSTRAP)
				fprintf(f, "  %s cpl %d: run %zu %s: %.3f x run %zu (95%% CI %.3f-%.3f, "
					"bootstrap), +%.1f%%\n", row->benchmark, row->cpl, i + 1,
					t->label[i], c->ratio, t->base + 1, c->ratio_lo, c->ratio_hi,
					100 * (c->ratio - 1));
			else
				fprintf(f, "  %s cpl %d: run %zu %s: %.3f x run %zu (%s), +%.1f%%\n",
					row->benchmark, row->cpl, i + 1, t->label[i], c->ratio,
					t->base + 1, compare_test_name(c->test), 100 * (c->ratio - 1));
		}
	}
	return n;
}
