/* SPDX-License-Identifier: MIT */
/* Joining runs and testing their differences (compare_write.c writes them out). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "errmsg.h"
#include "compare.h"
#include "run_json.h"

/* One-minute load averages further apart than this: the hosts were not equally busy. */
#define COMPARE_LOAD_DIFF 1.0

/* Relative TSC-rate difference above which ticks are not the same unit. */
#define TSC_RATE_TOLERANCE 0.001

const char *compare_test_name(enum compare_test t)
{
	switch (t) {
	case COMPARE_TEST_BOOTSTRAP:
		return "bootstrap";
	case COMPARE_TEST_OVERLAP:
		return "ci-overlap";
	case COMPARE_TEST_RUNS:
		return "runs";
	case COMPARE_TEST_EXACT:
		return "exact";
	default:
		return "-";
	}
}

const char *compare_unit_name(const struct compare_table *t)
{
	if (t->unit == COMPARE_NS)
		return "ns";
	return t->nrows ? t->rows[0].unit : "tsc_ticks";
}

/* Stored units, what they are, and whether an emulator made them. */
static const struct {
	const char *unit, *words;
	bool emulated;
} units[] = {
	{ "tsc_ticks", "TSC ticks", false },
	{ "tcg_tsc_ticks", "tcg_tsc_ticks (TSC of a CPU emulated by QEMU's TCG: host time "
	  "spent emulating, not hardware cost)", true },
	{ "emulated_ticks", "emulated_ticks (Bochs's TSC: instructions executed, exact path "
	  "lengths, not hardware cost)", true },
};

static int unit_index(const char *unit)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].unit, unit))
			return (int)i;
	return -1;
}

const char *compare_unit_words(const struct compare_table *t)
{
	const char *u = compare_unit_name(t);
	int k = unit_index(t->nrows ? t->rows[0].unit : u);

	if (t->unit == COMPARE_NS)
		return k > 0 ? "ns (converted from emulated ticks: not hardware time)" : "ns";
	return k >= 0 ? units[k].words : u;
}

bool compare_shown(const struct compare_table *t, const struct compare_row *row)
{
	return t->all || row->common;
}

enum bench_kind compare_row_kind(const struct compare_table *t, const struct compare_row *row)
{
	for (size_t i = 0; i < t->nruns; i++) {
		const struct bench_record *br = run_record_find(&t->runs[i]->r, row->benchmark,
								row->cpl);

		if (br)
			return br->kind;
	}
	return BENCH_KIND_EXIT;
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

/*
 * Labels are what --label said, else CPU codenames; two runs on one CPU
 * also get their directory name.
 */
static void make_labels(struct compare_table *t, const char *const *given)
{
	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *lr = t->runs[i];
		bool dup = false;

		if (given && given[i]) {
			snprintf(t->label[i], sizeof(t->label[i]), "%.150s", given[i]);
			goto clean;
		}
		for (size_t j = 0; j < t->nruns; j++)
			dup |= j != i && !strcmp(lr->e.cpu_codename, t->runs[j]->e.cpu_codename);
		if (dup)
			snprintf(t->label[i], sizeof(t->label[i]), "%.60s (%.80s)",
				 lr->e.cpu_codename, base_name(lr->dir));
		else
			snprintf(t->label[i], sizeof(t->label[i]), "%.150s", lr->e.cpu_codename);
clean:
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
					ERR("out of memory");
					return COMPARE_ERROR;
				}
				row = &t->rows[t->nrows - 1];
			}
			if (strcmp(row->unit, s->unit)) {
				ERR("%s/summary.csv: unit: '%s' for %s %s cpl %d, "
					 "but an earlier run has '%s'", t->runs[i]->dir, s->unit,
					 s->benchmark, phase_name(s->phase), s->cpl, row->unit);
				return COMPARE_BAD_INPUT;
			}
			c = &row->cell[i];
			c->present = true;
			c->median = s->median * k;
			c->ci_lo = s->ci95_lo * k;
			c->ci_hi = s->ci95_hi * k;
			c->runs = r->bench[b].runs ? r->bench[b].runs : 1;
		}
	}
	return COMPARE_OK;
}

static const double *samples_of(const struct loaded_run *lr, const struct compare_row *row,
				size_t *n)
{
	const struct bench_record *br = run_record_find(&lr->r, row->benchmark, row->cpl);

	if (!br || !br->has_phase[row->phase] || !br->samples[row->phase])
		return NULL;
	*n = br->rows[row->phase].samples;
	return br->samples[row->phase];
}

/* The sample at @u of the empirical distribution of the sorted @s: s[ceil(u n) - 1]. */
static double sorted_at(const double *s, size_t n, double u)
{
	double k = ceil(u * (double)n);

	return s[k < 1 ? 0 : k > n ? n - 1 : (size_t)k - 1];
}

/*
 * The median of a resample of @n values from the sorted @s, without
 * drawing them: the resample is F^-1(U_1..U_n) for n uniforms and the
 * empirical quantile function F^-1, which keeps order, so its k-th
 * smallest value is F^-1(U_(k)), and U_(k) ~ Beta(k, n + 1 - k). For an
 * even @n the median is the mean of U_(m) and U_(m+1), the latter U_(m)
 * plus (1 - U_(m)) times the smallest of the n - m uniforms above it,
 * Beta(1, n - m). The same distribution as resampling and selecting, in
 * two draws instead of n (10^6-sample rows: 120 s became well under one).
 */
static double resample_median(gsl_rng *rng, const double *s, size_t n)
{
	size_t m = (n + 1) / 2;
	double u = gsl_ran_beta(rng, m, n + 1 - m), u2;

	if (n % 2)
		return sorted_at(s, n, u);
	u2 = u + (1 - u) * gsl_ran_beta(rng, 1, n - m);
	return (sorted_at(s, n, u) + sorted_at(s, n, u2)) / 2;
}

/* A sorted copy of @v, or NULL. */
static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc(n * sizeof(*s));

	if (s) {
		memcpy(s, v, n * sizeof(*s));
		gsl_sort(s, 1, n);
	}
	return s;
}

/*
 * Percentile bootstrap of median(b) / median(a), resampling each run
 * independently; the unit factors cancel except for their ratio.
 */
static int bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
			   double scale, const struct compare_opts *o, double *lo, double *hi)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *sa = sorted_copy(a, na), *sb = sorted_copy(b, nb);
	double *ratio = malloc(o->resamples * sizeof(*ratio));
	unsigned k = 0;
	int ret = -1;

	if (o->resamples < COMPARE_MIN_RESAMPLES || !rng || !sa || !sb || !ratio)
		goto out;
	gsl_rng_set(rng, o->seed ? o->seed : 1);
	for (unsigned r = 0; r < o->resamples; r++) {
		double ma = resample_median(rng, sa, na);
		double mb = resample_median(rng, sb, nb);

		/* A zero median (all at the floor) has no ratio; skip, do not invent one. */
		if (ma != 0 && isfinite(mb / ma * scale))
			ratio[k++] = mb / ma * scale;
	}
	/* Most resamples must have a ratio, and enough for the quantiles. */
	if (k < COMPARE_MIN_RESAMPLES || 2 * (size_t)k < o->resamples)
		goto out;
	gsl_sort(ratio, 1, k);
	*lo = gsl_stats_quantile_from_sorted_data(ratio, 1, k, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(ratio, 1, k, 0.975);
	ret = 0;
out:
	free(ratio);
	free(sa);
	free(sb);
	if (rng)
		gsl_rng_free(rng);
	return ret;
}

/*
 * Whether @row's median in @lr is an exact path length. Hardware ticks:
 * only when every sample has one value (min = max). Under Bochs
 * (emulated_ticks) the ticks count instructions: a path's length repeats
 * to the tick, and the few samples above it hold a timer interrupt taken
 * in the timed window, so every sample equal is the wrong test; the
 * median is exact when it is the minimum (at least half the samples are
 * that one length). A row whose median is above its minimum mixes paths
 * of different lengths (e.g. host-side waits) and gets a statistical test.
 */
static bool row_is_exact(const struct loaded_run *lr, const struct compare_row *row)
{
	const struct bench_record *br = run_record_find(&lr->r, row->benchmark, row->cpl);
	const struct summary_row *s;

	if (!br || !br->has_phase[row->phase])
		return false;
	s = &br->rows[row->phase];
	if (s->samples == 0)
		return false;
	if (!strcmp(s->unit, "emulated_ticks"))
		return s->median == s->min;
	return s->min == s->max;
}

static void test_cell(struct compare_table *t, struct compare_row *row, size_t i,
		      const struct compare_opts *o)
{
	size_t base = t->base;
	struct compare_cell *ref = &row->cell[base], *c = &row->cell[i];
	const double *a, *b;
	size_t na = 0, nb = 0;

	c->ratio = c->ratio_lo = c->ratio_hi = NAN;
	c->significant = -1;
	if (i == base || !c->present || !ref->present)
		return;
	if (ref->median != 0)
		c->ratio = c->median / ref->median;
	if (row_is_exact(t->runs[base], row) && row_is_exact(t->runs[i], row) &&
	    !(o->not_exact && o->not_exact(o->not_exact_arg, row->benchmark, row->cpl, row->phase))) {
		c->test = COMPARE_TEST_EXACT;
		c->ratio_lo = c->ratio_hi = c->ratio;
		c->significant = c->median != ref->median;
		return;
	}
	/*
	 * Repeated runs: each CI holds the spread between runs, which a
	 * bootstrap of pooled samples would not; non-overlap of the two is
	 * the test (conservative: about the 0.5% level for equal widths).
	 */
	if (c->runs > 1 || ref->runs > 1) {
		c->test = COMPARE_TEST_RUNS;
		c->significant = c->ci_lo > ref->ci_hi || c->ci_hi < ref->ci_lo;
		return;
	}
	a = samples_of(t->runs[base], row, &na);
	b = samples_of(t->runs[i], row, &nb);
	if (a && b && na && nb && o->resamples &&
	    !bootstrap_ratio(a, na, b, nb, scale_of(t, i) / scale_of(t, base), o,
			     &c->ratio_lo, &c->ratio_hi)) {
		c->test = COMPARE_TEST_BOOTSTRAP;
		c->significant = c->ratio_lo > 1 || c->ratio_hi < 1;
		return;
	}
	c->test = COMPARE_TEST_OVERLAP;
	c->significant = c->ci_lo > ref->ci_hi || c->ci_hi < ref->ci_lo;
}

/* The unit of a run's measured rows ("" when it has none). */
static const char *run_unit(const struct loaded_run *lr)
{
	for (size_t b = 0; b < lr->r.nbench; b++)
		for (int p = 0; p < PHASE_COUNT; p++)
			if (lr->r.bench[b].has_phase[p])
				return lr->r.bench[b].rows[p].unit;
	return "";
}

/*
 * Ticks of an emulated CPU count the emulator's work (TCG: host time spent
 * emulating; Bochs: instructions executed), hardware ticks the CPU's: no
 * ratio between them, and no conversion to ns, means anything. Runs of
 * different units are refused before anything is joined, naming which
 * DIRs have which, so the user can compare within one unit.
 */
static int check_units(struct compare_table *t, char *err, size_t errlen)
{
	const char *first = run_unit(t->runs[0]);
	bool emulated = false;
	size_t used = 0, odd = 0;

	for (size_t i = 1; i < t->nruns && !odd; i++)
		if (strcmp(first, run_unit(t->runs[i])))
			odd = i;
	if (!odd)
		return COMPARE_OK;
	for (size_t i = 0; i < t->nruns; i++) {
		int k = unit_index(run_unit(t->runs[i]));

		emulated |= k >= 0 && units[k].emulated;
	}
	used += snprintf(err, errlen, "%s/summary.csv: unit: '%s', but %s has '%s': %s; units: ",
			 t->runs[odd]->dir, run_unit(t->runs[odd]), t->runs[0]->dir, first,
			 emulated ? "emulated ticks count the emulator's work (TCG: host time "
			 "spent emulating; Bochs: instructions), hardware ticks the CPU's time, so "
			 "no ratio between them means anything, in ticks or in ns" :
			 "ratios across units mean nothing");
	/* One group per unit, in the order first seen. */
	for (size_t i = 0; i < t->nruns && used < errlen; i++) {
		const char *u = run_unit(t->runs[i]);
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(u, run_unit(t->runs[j]));
		if (seen)
			continue;
		used += snprintf(err + used, errlen - used, "%s%s:", i ? "; " : "",
				 u[0] ? u : "(no rows)");
		for (size_t j = i; j < t->nruns && used < errlen; j++)
			if (!strcmp(u, run_unit(t->runs[j])))
				used += snprintf(err + used, errlen - used, " %s", t->runs[j]->dir);
	}
	if (used < errlen)
		snprintf(err + used, errlen - used, " (compare the runs of one unit together)");
	return COMPARE_BAD_INPUT;
}

static int check_tsc(struct compare_table *t, char *err, size_t errlen)
{
	double ref = t->runs[t->base]->r.tsc_khz;

	for (size_t i = 0; i < t->nruns; i++) {
		double khz = t->runs[i]->r.tsc_khz;

		if (t->unit == COMPARE_NS && !(khz > 0 && isfinite(khz))) {
			ERR("%s/run.json: settings.tsc_khz: unknown, cannot convert to ns",
				 t->runs[i]->dir);
			return COMPARE_BAD_INPUT;
		}
		if (fabs(khz - ref) > TSC_RATE_TOLERANCE * fabs(ref))
			t->tsc_rates_differ = true;
	}
	return COMPARE_OK;
}

static void warn(struct compare_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct compare_table *t, const char *fmt, ...)
{
	va_list ap;

	if (t->nwarnings == COMPARE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(t->warning[t->nwarnings++], sizeof(t->warning[0]), fmt, ap);
	va_end(ap);
}

static void diff_u(struct compare_table *t, const char *what, unsigned long long x,
		   unsigned long long y, size_t i)
{
	if (x != y)
		warn(t, "%s differ: %llu (run %zu) vs %llu (run %zu)", what, x, t->base + 1, y,
		     i + 1);
}

static void diff_s(struct compare_table *t, const char *what, const char *x, const char *y,
		   size_t i)
{
	if (strcmp(x, y))
		warn(t, "%s differ: '%.80s' (run %zu) vs '%.80s' (run %zu)", what, x, t->base + 1,
		     y, i + 1);
}

/* Runs measured differently compare more than the host: say which settings differ. */
static void check_settings(struct compare_table *t)
{
	const struct loaded_run *a = t->runs[t->base];

	for (size_t i = 0; i < t->nruns; i++) {
		const struct loaded_run *b = t->runs[i];

		if (i == t->base)
			continue;
		diff_u(t, "iterations", a->r.iterations, b->r.iterations, i);
		diff_u(t, "warm-up iterations", a->r.warmup, b->r.warmup, i);
		diff_u(t, "runs (--runs)", a->r.runs ? a->r.runs : 1, b->r.runs ? b->r.runs : 1, i);
		diff_s(t, "CPL modes (--cpl)", a->r.cpl_mode, b->r.cpl_mode, i);
		diff_s(t, "kernels", a->e.kernel, b->e.kernel, i);
		diff_s(t, "KVM modules", a->e.kvm_module, b->e.kvm_module, i);
		diff_s(t, "CPUs", a->e.cpu_brand, b->e.cpu_brand, i);
		diff_u(t, "CPL0 emulation (1: emulated)", a->r.cpl0_emulated, b->r.cpl0_emulated, i);
		diff_u(t, "pinned CPUs", (unsigned)a->r.pinned_cpu, (unsigned)b->r.pinned_cpu, i);
		/* A whole CPU's worth of other work: exits are slower while it lasts. */
		if (a->e.loadavg1 >= 0 && b->e.loadavg1 >= 0 &&
		    fabs(a->e.loadavg1 - b->e.loadavg1) >= COMPARE_LOAD_DIFF)
			warn(t, "host loads differ: load average %.2f after run %zu vs %.2f after "
			     "run %zu (other work on the host slows exits down while it runs)",
			     a->e.loadavg1, t->base + 1, b->e.loadavg1, i + 1);
	}
}

/* --baseline: a label (as shown) or one of the DIRs, by name or by its last component. */
static int find_baseline(struct compare_table *t, const char *want, char *err, size_t errlen)
{
	size_t used;

	t->base = 0;
	if (!want)
		return COMPARE_OK;
	for (size_t i = 0; i < t->nruns; i++)
		if (!strcmp(want, t->label[i])) {
			t->base = i;
			return COMPARE_OK;
		}
	for (size_t i = 0; i < t->nruns; i++)
		if (!strcmp(want, t->runs[i]->dir) || !strcmp(want, base_name(t->runs[i]->dir))) {
			t->base = i;
			return COMPARE_OK;
		}
	used = snprintf(err, errlen, "--baseline: '%s' is neither a label nor one of the DIRs "
			"(labels:", want);
	for (size_t i = 0; i < t->nruns && used < errlen; i++)
		used += snprintf(err + used, errlen - used, "%s '%s'", i ? "," : "", t->label[i]);
	if (used < errlen)
		snprintf(err + used, errlen - used, ")");
	return COMPARE_BAD_INPUT;
}

int compare_build(const char *const *dirs, size_t n, const struct compare_opts *o,
		  struct compare_table *t, char *err, size_t errlen)
{
	size_t cap = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	t->unit = o->unit;
	if (o->resamples && o->resamples < COMPARE_MIN_RESAMPLES) {
		ERR("resamples: %u is too few for a 95%% interval (0, or at least %d)",
			 o->resamples, COMPARE_MIN_RESAMPLES);
		return COMPARE_BAD_INPUT;
	}
	t->all = o->all;
	t->runs = calloc(n, sizeof(*t->runs));
	t->label = calloc(n, sizeof(*t->label));
	t->warning = calloc(COMPARE_MAX_WARNINGS, sizeof(*t->warning));
	if (!t->runs || !t->label || !t->warning) {
		ERR("out of memory");
		return COMPARE_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		t->runs[i] = malloc(sizeof(*t->runs[i]));
		if (!t->runs[i]) {
			ERR("out of memory");
			return COMPARE_ERROR;
		}
		if (results_dir_load(dirs[i], t->runs[i], err, errlen)) {
			free(t->runs[i]);
			t->runs[i] = NULL;
			return COMPARE_BAD_INPUT;
		}
		t->nruns = i + 1;
	}
	make_labels(t, o->labels);
	ret = find_baseline(t, o->baseline, err, errlen);
	if (ret == COMPARE_OK)
		ret = check_units(t, err, errlen);
	if (ret == COMPARE_OK)
		ret = check_tsc(t, err, errlen);
	for (size_t i = 0; ret == COMPARE_OK && i < n; i++)
		ret = join_run(t, i, &cap, err, errlen);
	if (ret != COMPARE_OK)
		return ret;
	if (t->unit == COMPARE_NS)
		for (size_t r = 0; r < t->nrows; r++)
			snprintf(t->rows[r].unit, sizeof(t->rows[r].unit), "ns");
	for (size_t r = 0; r < t->nrows; r++) {
		t->rows[r].common = true;
		for (size_t i = 0; i < n; i++) {
			test_cell(t, &t->rows[r], i, o);
			t->rows[r].common &= t->rows[r].cell[i].present;
		}
	}
	check_settings(t);
	return COMPARE_OK;
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
	free(t->warning);
	memset(t, 0, sizeof(*t));
}
