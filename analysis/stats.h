/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_STATS_H
#define VMEXIT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "summary.h"

#define STATS_BOOTSTRAP_RESAMPLES 1000

/*
 * Fills every statistic of @row (not benchmark/phase/cpl/unit) from the @n
 * values in @v, which is sorted in place. The bootstrap CI of the median
 * uses @resamples resamples seeded with @seed (0 resamples: CI = median).
 * Returns 0, or -1 when n == 0.
 */
int stats_summarize(double *v, size_t n, unsigned resamples, uint64_t seed,
		    struct summary_row *row);

/*
 * As stats_summarize, with the exact distribution-free 95% CI of the
 * median from order statistics (binomial ranks) instead of a bootstrap:
 * no resampling, so it costs the sort only. What the measuring loop uses.
 */
int stats_describe(double *v, size_t n, struct summary_row *row);

/*
 * 0-based ranks of the sorted samples bounding the median's 95% CI for
 * @n samples: [x(lo), x(hi)] covers the true median with probability at
 * least 95% whatever the distribution (the whole range below 6 samples).
 * Returns 0, or -1 when n is 0 or beyond what the binomial CDF takes.
 */
int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

/* Median of @n values, which are sorted in place. n must be > 0. */
double stats_median(double *v, size_t n);
/* Median of @n values left as they are (a sorted copy); NAN when n == 0 or out of memory. */
double stats_median_of(const double *v, size_t n);

/* Quantile q in [0,1] of sorted data, linear interpolation (R type 7). */
double stats_quantile_sorted(const double *sorted, size_t n, double q);

#endif
