/* SPDX-License-Identifier: MIT */
/* Summary statistics of one sample set, with GSL doing the arithmetic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

/* MAD scaled to estimate sigma for normal data. */
#define MAD_SCALE 1.4826
/* A sample further than this many scaled MADs from the median is an outlier. */
#define OUTLIER_MADS 3.0

double stats_quantile_sorted(const double *sorted, size_t n, double q)
{
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

double stats_median(double *v, size_t n)
{
	gsl_sort(v, 1, n);
	return gsl_stats_median_from_sorted_data(v, 1, n);
}

double stats_median_of(const double *v, size_t n)
{
	double *copy = malloc((n ? n : 1) * sizeof(*copy)), m;

	if (!copy || !n) {
		free(copy);
		return NAN;
	}
	memcpy(copy, v, n * sizeof(*copy));
	m = stats_median(copy, n);
	free(copy);
	return m;
}

static double mad_of_sorted(const double *sorted, size_t n, double median)
{
	double *dev = malloc(n * sizeof(*dev));
	double mad;

	if (!dev)
		return NAN;
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(sorted[i] - median);
	mad = stats_median(dev, n);
	free(dev);
	return mad;
}

static size_t count_outliers(const double *v, size_t n, double median, double mad)
{
	double limit = OUTLIER_MADS * MAD_SCALE * mad;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (fabs(v[i] - median) > limit)
			k++;
	return k;
}

/*
 * Percentile bootstrap of the median. The sample is already sorted, so a
 * resample is described by how many times each index is drawn; drawing
 * sorted indices directly lets us find the resample's median by walking
 * counts instead of sorting n values per resample.
 */
static void bootstrap_median_ci(const double *sorted, size_t n, unsigned resamples,
				uint64_t seed, double *lo, double *hi)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	unsigned *count = calloc(n, sizeof(*count));
	double *med = malloc(resamples * sizeof(*med));

	if (!rng || !count || !med) {
		*lo = *hi = NAN;
		goto out;
	}
	gsl_rng_set(rng, seed ? seed : 1);
	for (unsigned r = 0; r < resamples; r++) {
		memset(count, 0, n * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[gsl_rng_uniform_int(rng, n)]++;
		/* Ranks (n-1)/2 and n/2 (0-based) give the median of n values. */
		size_t want_lo = (n - 1) / 2, want_hi = n / 2, seen = 0;
		double a = NAN, b = NAN;
		for (size_t i = 0; i < n && isnan(b); i++) {
			seen += count[i];
			if (isnan(a) && seen > want_lo)
				a = sorted[i];
			if (seen > want_hi)
				b = sorted[i];
		}
		med[r] = (a + b) / 2;
	}
	gsl_sort(med, 1, resamples);
	*lo = gsl_stats_quantile_from_sorted_data(med, 1, resamples, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(med, 1, resamples, 0.975);
out:
	free(med);
	free(count);
	if (rng)
		gsl_rng_free(rng);
}

/*
 * The distribution-free CI of the median: with B ~ Binomial(n, 1/2) the
 * number of samples below the true median, [x(k), x(n+1-k)] (1-based
 * order statistics) covers it with probability 1 - 2 P(B <= k-1). k is
 * the largest rank that keeps that at 95% or more; found by bisection,
 * as P(B <= k-1) grows with k.
 */
int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
	size_t a = 1, b = n / 2 + 1;	/* P(B <= a-1) <= 0.025 holds at a, fails at b */

	if (n == 0)
		return -1;
	if (n > UINT32_MAX || gsl_cdf_binomial_P(0, 0.5, (unsigned)n) > 0.025) {
		/* Too few samples for 95%: the whole range (n < 6). */
		*lo = 0;
		*hi = n - 1;
		return n > UINT32_MAX ? -1 : 0;
	}
	while (b - a > 1) {
		size_t m = a + (b - a) / 2;

		if (gsl_cdf_binomial_P((unsigned)(m - 1), 0.5, (unsigned)n) <= 0.025)
			a = m;
		else
			b = m;
	}
	*lo = a - 1;
	*hi = n - a;
	return 0;
}

int stats_describe(double *v, size_t n, struct summary_row *row)
{
	size_t lo, hi;

	if (stats_summarize(v, n, 0, 0, row))
		return -1;
	if (stats_median_ci_ranks(n, &lo, &hi) == 0) {
		row->ci95_lo = v[lo];
		row->ci95_hi = v[hi];
	}
	return 0;
}

int stats_summarize(double *v, size_t n, unsigned resamples, uint64_t seed,
		    struct summary_row *row)
{
	if (n == 0)
		return -1;
	gsl_sort(v, 1, n);
	row->samples = n;
	row->min = v[0];
	row->max = v[n - 1];
	row->p5 = stats_quantile_sorted(v, n, 0.05);
	row->p25 = stats_quantile_sorted(v, n, 0.25);
	row->median = gsl_stats_median_from_sorted_data(v, 1, n);
	row->p75 = stats_quantile_sorted(v, n, 0.75);
	row->p95 = stats_quantile_sorted(v, n, 0.95);
	row->p99 = stats_quantile_sorted(v, n, 0.99);
	row->mean = gsl_stats_mean(v, 1, n);
	row->stddev = n > 1 ? gsl_stats_sd_m(v, 1, n, row->mean) : 0;
	row->mad = mad_of_sorted(v, n, row->median);
	row->outliers = count_outliers(v, n, row->median, row->mad);
	if (resamples && n > 1) {
		bootstrap_median_ci(v, n, resamples, seed, &row->ci95_lo, &row->ci95_hi);
	} else {
		row->ci95_lo = row->median;
		row->ci95_hi = row->median;
	}
	return 0;
}
