/* SPDX-License-Identifier: MIT */
/* Joining runs and testing their differences. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "atomic_file.h"
#include "compare.h"

/* Relative TSC-rate difference above which ticks are not the same unit. */
#define TSC_RATE_TOLERANCE 0.001

const char *compare_test_name(enum compare_test t)
{
	switch (t) {
	case COMPARE_TEST_BOOTSTRAP:
		return "bootstrap";
	case COMPARE_TEST_OVERLAP:
		return "ci-overlap";
	case COMPARE_TEST_EXACT:
		return "exact";
	default:
		return "-";
	}
}

static const char *base_name(const char *path)
{
	size_t len = strlen(path);
	const char *p;

	while (len > 1 && path[len - 1] == '/')
		len--;
	for (p = path + len; p > path && p[-1] != '/'; p--)
		;
	return p;
}

/* Labels are CPU codenames; two runs on one CPU also get their directory name. */
static void make_labels(struct compare_table *t)
{
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];
		bool dup = false;

		for (size_t j = 0; j < t->nruns; j++)
			dup |= j != i && !strcmp(lr->e.cpu_codename, t->runs[j]->e.cpu_codename);
		if (dup)
			snprintf(t->label[i], sizeof(t->label[i]), "%.60s (%.80s)",
				 lr->e.cpu_codename, base_name(lr->dir));
		else
			snprintf(t->label[i], sizeof(t->label[i]), "%.150s", lr->e.cpu_codename);
		/* Labels go into quoted CSV and gnuplot strings. */
		for (char *p = t->label[i]; *p; p++)
			if (*p == '"' || *p == '\n' || *p == '\\')
				*p = '\'';
	}
}

static struct compare_row *find_row(struct compare_table *t, const struct summary_row *s)
{
	for (size_t i = 0; i < t->nrows; i++) {
		struct compare_row *r = &t->rows[i];

		if (r->phase == s->phase && r->cpl == s->cpl && !strcmp(r->benchmark, s->benchmark))
			return r;
	}
	return NULL;
}

static int add_row(struct compare_table *t, const struct summary_row *s, size_t *cap)
{
	struct compare_row *r;

	if (t->nrows == *cap) {
		size_t ncap = *cap ? 2 * *cap : 32;
		void *p = realloc(t->rows, ncap * sizeof(*t->rows));

		if (!p)
			return -1;
		t->rows = p;
		*cap = ncap;
	}
	r = &t->rows[t->nrows];
	memset(r, 0, sizeof(*r));
	memcpy(r->benchmark, s->benchmark, sizeof(r->benchmark));
	r->phase = s->phase;
	r->cpl = s->cpl;
	memcpy(r->unit, s->unit, sizeof(r->unit));
	r->cell = calloc(t->nruns, sizeof(*r->cell));
	if (!r->cell)
		return -1;
	t->nrows++;
	return 0;
}

/* Factor from stored unit to table unit for run @i. */
static double scale_of(const struct compare_table *t, size_t i)
{
	return t->unit == COMPARE_NS ? 1e6 / t->runs[i]->r.tsc_khz : 1.0;
}

static int join_run(struct compare_table *t, size_t i, size_t *cap, char *err, size_t errlen)
{
	const struct run_record *r = &t->runs[i]->r;
	double k = scale_of(t, i);

	for (size_t b = 0; b < r->nbench; b++) {
		for (int p = 0; p < PHASE_COUNT; p++) {
			const struct summary_row *s = &r->bench[b].rows[p];
			struct compare_row *row;
			struct compare_cell *c;

			if (!r->bench[b].has_phase[p])
				continue;
			row = find_row(t, s);
			if (!row) {
				if (add_row(t, s, cap)) {
					snprintf(err, errlen, "out of memory");
					return COMPARE_ERROR;
				}
				row = &t->rows[t->nrows - 1];
			}
			if (strcmp(row->unit, s->unit)) {
				snprintf(err, errlen, "%s/summary.csv: unit: '%s' for %s %s cpl %d, "
					 "but an earlier run has '%s'", t->runs[i]->dir, s->unit,
					 s->benchmark, phase_name(s->phase), s->cpl, row->unit);
				return COMPARE_BAD_INPUT;
			}
			c = &row->cell[i];
			c->present = true;
			c->median = s->median * k;
			c->ci_lo = s->ci95_lo * k;
			c->ci_hi = s->ci95_hi * k;
		}
	}
	return COMPARE_OK;
}

static const double *samples_of(const struct loaded_run *lr, const struct compare_row *row,
				size_t *n)
{
	for (size_t b = 0; b < lr->r.nbench; b++) {
		const struct bench_record *br = &lr->r.bench[b];

		if (br->cpl != row->cpl || strcmp(br->name, row->benchmark) ||
		    !br->has_phase[row->phase] || !br->samples[row->phase])
			continue;
		*n = br->rows[row->phase].samples;
		return br->samples[row->phase];
	}
	return NULL;
}

static double resample_median(gsl_rng *rng, const double *v, size_t n, double *buf)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = v[gsl_rng_uniform_int(rng, n)];
	/* gsl_stats_median selects in place: O(n), no full sort. */
	return gsl_stats_median(buf, 1, n);
}

/*
 * Percentile bootstrap of median(b) / median(a), resampling each run
 * independently; the unit factors cancel except for their ratio.
 */
static int bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
			   double scale, const struct compare_opts *o, double *lo, double *hi)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *buf = malloc((na > nb ? na : nb) * sizeof(*buf));
	double *ratio = malloc(o->resamples * sizeof(*ratio));
	unsigned k = 0;
	int ret = -1;

	if (!rng || !buf || !ratio)
		goto out;
	gsl_rng_set(rng, o->seed ? o->seed : 1);
	for (unsigned r = 0; r < o->resamples; r++) {
		double ma = resample_median(rng, a, na, buf);
		double mb = resample_median(rng, b, nb, buf);

		/* A zero median (all at the floor) has no ratio; skip, do not invent one. */
		if (ma != 0)
			ratio[k++] = mb / ma * scale;
	}
	if (k < o->resamples / 2)
		goto out;
	gsl_sort(ratio, 1, k);
	*lo = gsl_stats_quantile_from_sorted_data(ratio, 1, k, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(ratio, 1, k, 0.975);
	ret = 0;
out:
	free(ratio);
	free(buf);
	if (rng)
		gsl_rng_free(rng);
	return ret;
}

/*
 * Whether every sample of @row in @lr has one value (min = max): under
 * Bochs the ticks count instructions, so a path's length repeats exactly
 * and two runs differ by exactly the difference of their values.
 */
static bool row_is_constant(const struct loaded_run *lr, const struct compare_row *row)
{
	for (size_t b = 0; b < lr->r.nbench; b++) {
		const struct bench_record *br = &lr->r.bench[b];
		const struct summary_row *s = &br->rows[row->phase];

		if (br->cpl == row->cpl && !strcmp(br->name, row->benchmark) &&
		    br->has_phase[row->phase])
			return s->samples > 0 && s->min == s->max;
	}
	return false;
}

static void test_cell(struct compare_table *t, struct compare_row *row, size_t i,
		      const struct compare_opts *o)
{
	struct compare_cell *ref = &row->cell[0], *c = &row->cell[i];
	const double *a, *b;
	size_t na = 0, nb = 0;

	c->ratio = c->ratio_lo = c->ratio_hi = NAN;
	c->significant = -1;
	if (i == 0 || !c->present || !ref->present)
		return;
	if (ref->median != 0)
		c->ratio = c->median / ref->median;
	if (row_is_constant(t->runs[0], row) && row_is_constant(t->runs[i], row)) {
		c->test = COMPARE_TEST_EXACT;
		c->ratio_lo = c->ratio_hi = c->ratio;
		c->significant = c->median != ref->median;
		return;
	}
	a = samples_of(t->runs[0], row, &na);
	b = samples_of(t->runs[i], row, &nb);
	if (a && b && na && nb && o->resamples &&
	    !bootstrap_ratio(a, na, b, nb, scale_of(t, i) / scale_of(t, 0), o,
			     &c->ratio_lo, &c->ratio_hi)) {
		c->test = COMPARE_TEST_BOOTSTRAP;
		c->significant = c->ratio_lo > 1 || c->ratio_hi < 1;
		return;
	}
	c->test = COMPARE_TEST_OVERLAP;
	c->significant = c->ci_lo > ref->ci_hi || c->ci_hi < ref->ci_lo;
}

static int check_tsc(struct compare_table *t, char *err, size_t errlen)
{
	double ref = t->runs[0]->r.tsc_khz;

	for (size_t i = 0; i < t->nruns; i++) {
		double khz = t->runs[i]->r.tsc_khz;

		if (t->unit == COMPARE_NS && !(khz > 0 && isfinite(khz))) {
			snprintf(err, errlen, "%s/run.json: settings.tsc_khz: unknown, cannot convert to ns",
				 t->runs[i]->dir);
			return COMPARE_BAD_INPUT;
		}
		if (fabs(khz - ref) > TSC_RATE_TOLERANCE * fabs(ref))
			t->tsc_rates_differ = true;
	}
	return COMPARE_OK;
}

int compare_build(const char *const *dirs, size_t n, const struct compare_opts *o,
		  struct compare_table *t, char *err, size_t errlen)
{
	size_t cap = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	t->unit = o->unit;
	t->runs = calloc(n, sizeof(*t->runs));
	t->label = calloc(n, sizeof(*t->label));
	if (!t->runs || !t->label) {
		snprintf(err, errlen, "out of memory");
		return COMPARE_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		t->runs[i] = malloc(sizeof(*t->runs[i]));
		if (!t->runs[i]) {
			snprintf(err, errlen, "out of memory");
			return COMPARE_ERROR;
		}
		if (results_dir_load(dirs[i], t->runs[i], err, errlen)) {
			free(t->runs[i]);
			t->runs[i] = NULL;
			return COMPARE_BAD_INPUT;
		}
		t->nruns = i + 1;
	}
	ret = check_tsc(t, err, errlen);
	for (size_t i = 0; ret == COMPARE_OK && i < n; i++)
		ret = join_run(t, i, &cap, err, errlen);
	if (ret != COMPARE_OK)
		return ret;
	if (t->unit == COMPARE_NS)
		for (size_t r = 0; r < t->nrows; r++)
			snprintf(t->rows[r].unit, sizeof(t->rows[r].unit), "ns");
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < n; i++)
			test_cell(t, &t->rows[r], i, o);
	make_labels(t);
	return COMPARE_OK;
}

#define DASH "\u2014"

static void print_cell(FILE *f, const struct compare_row *row, size_t i, const char *label)
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
	if (i == 0) {
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

static bool has_exact(const struct compare_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 1; i < t->nruns; i++)
			if (t->rows[r].cell[i].test == COMPARE_TEST_EXACT)
				return true;
	return false;
}

void compare_print(const struct compare_table *t, FILE *f)
{
	const char *unit = t->unit == COMPARE_NS ? "ns" : "TSC ticks";

	fprintf(f, "Runs (ratios are to run 1):\n");
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];

		fprintf(f, "  %zu: %s  %s  %s, Linux %s, %s, TSC %.0f kHz, samples.csv %s\n",
			i + 1, t->label[i], lr->dir, lr->e.cpu_brand, lr->e.kernel,
			lr->e.kvm_module, lr->r.tsc_khz, lr->has_samples ? "yes" : "no");
	}
	fprintf(f, "Medians in %s, floor subtracted. Significant: bootstrap = 95%% CI of the "
		"ratio of medians excludes 1 (both runs have samples.csv); ci-overlap = the "
		"medians' 95%% CIs do not overlap (summary.csv only; conservative).\n", unit);
	if (has_exact(t))
		fprintf(f, "exact: all samples equal, no significance test needed (each "
			"row's samples have one value; sig = the values differ).\n");
	if (t->tsc_rates_differ && t->unit == COMPARE_TICKS)
		fprintf(f, "Note: the runs' TSC rates differ, so a tick is not the same time in each; "
			"use --unit ns to compare time.\n");
	fprintf(f, "\n%-20s %-8s %3s  %-24s %12s  %-23s  %7s  %-16s  %-3s  %s\n", "benchmark",
		"phase", "cpl", "run", "median", "95% CI", "ratio", "ratio 95% CI", "sig", "test");
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->nruns; i++)
			print_cell(f, &t->rows[r], i, t->label[i]);
}

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.6g", v);
	else
		fprintf(f, ",");
}

static int write_csv(const char *dir, const struct compare_table *t, char *err, size_t errlen)
{
	struct atomic_file af;
	char path[4096];

	snprintf(path, sizeof(path), "%s/compare.csv", dir);
	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	fprintf(af.f, "benchmark,phase,cpl,unit,run,label,median,ci95_lo,ci95_hi,ratio,"
		"ratio_ci95_lo,ratio_ci95_hi,significant,test\n");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct compare_row *row = &t->rows[r];

		for (size_t i = 0; i < t->nruns; i++) {
			const struct compare_cell *c = &row->cell[i];
			const char *sig = c->significant == 1 ? "yes" : c->significant == 0 ? "no" : "";

			fprintf(af.f, "%s,%s,%d,%s,%zu,\"%s\"", row->benchmark, phase_name(row->phase),
				row->cpl, row->unit, i + 1, t->label[i]);
			csv_num(af.f, c->present ? c->median : NAN);
			csv_num(af.f, c->present ? c->ci_lo : NAN);
			csv_num(af.f, c->present ? c->ci_hi : NAN);
			csv_num(af.f, c->ratio);
			csv_num(af.f, c->ratio_lo);
			csv_num(af.f, c->ratio_hi);
			fprintf(af.f, ",%s,%s\n", sig, c->test ? compare_test_name(c->test) : "");
		}
	}
	return atomic_file_commit(&af, err, errlen);
}

static int write_plot(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		      char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	char path[4096];

	snprintf(path, sizeof(path), "%s/compare.dat", dir);
	if (atomic_file_open(&dat, path, err, errlen))
		return -1;
	fprintf(dat.f, "# key, then per run: median ci95_lo ci95_hi (%s; '-' = not in that run)\n",
		t->unit == COMPARE_NS ? "ns" : "TSC ticks");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct compare_row *row = &t->rows[r];

		fprintf(dat.f, "\"%s %s cpl%d\"", row->benchmark, phase_name(row->phase), row->cpl);
		for (size_t i = 0; i < t->nruns; i++) {
			const struct compare_cell *c = &row->cell[i];

			if (c->present)
				fprintf(dat.f, " %.9g %.9g %.9g", c->median, c->ci_lo, c->ci_hi);
			else
				fprintf(dat.f, " - - -");
		}
		fputc('\n', dat.f);
	}
	if (atomic_file_commit(&dat, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/compare.gp", dir);
	if (atomic_file_open(&gp, path, err, errlen))
		return -1;
	plot_script_prologue(gp.f, fmt, "compare", "medians of several runs, grouped by benchmark");
	fprintf(gp.f, "set title 'Median cost per run (95%% CI error bars)'\n"
		"set ylabel '%s'\nset yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\nset grid ytics\n"
		"set style data histograms\nset style histogram errorbars gap 2 lw 1\n"
		"set style fill solid 0.6 border -1\nset xtics rotate by -30\n"
		"set key outside right top\n",
		t->unit == COMPARE_NS ? "ns" : "TSC ticks");
	fprintf(gp.f, "array label[%zu]\n", t->nruns);
	for (size_t i = 0; i < t->nruns; i++) {
		fprintf(gp.f, "label[%zu] = '", i + 1);
		for (const char *p = t->label[i]; *p; p++)
			fprintf(gp.f, *p == '\'' ? "''" : "%c", *p);
		fprintf(gp.f, "'\n");
	}
	fprintf(gp.f, "plot for [i=1:%zu] 'compare.dat' using (column(3*i-1)):(column(3*i)):"
		"(column(3*i+1)):xtic(1) title label[i]\n", t->nruns);
	if (atomic_file_commit(&gp, err, errlen))
		return -1;
	return plot_render(dir, "compare", fmt, err, errlen);
}

int compare_write(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		  char *err, size_t errlen)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (write_csv(dir, t, err, errlen))
		return -1;
	return write_plot(dir, t, fmt, err, errlen);
}

void compare_free(struct compare_table *t)
{
	for (size_t i = 0; t->runs && i < t->nruns; i++) {
		results_dir_free(t->runs[i]);
		free(t->runs[i]);
	}
	for (size_t r = 0; r < t->nrows; r++)
		free(t->rows[r].cell);
	free(t->rows);
	free(t->runs);
	free(t->label);
	memset(t, 0, sizeof(*t));
}
