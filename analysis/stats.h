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

/* Median of @n values, which are sorted in place. n must be > 0. */
double stats_median(double *v, size_t n);

/* Quantile q in [0,1] of sorted data, linear interpolation (R type 7). */
double stats_quantile_sorted(const double *sorted, size_t n, double q);

#endif
