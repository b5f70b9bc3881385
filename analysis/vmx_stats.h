/* SPDX-License-Identifier: MIT */
/*
 * Statistics of a parsed raw VMX harness log (vmx_parse.h): summary rows
 * with the timer floor subtracted, and the MSR-area sweep's least-squares
 * fits.
 */
#ifndef VMEXIT_VMX_STATS_H
#define VMEXIT_VMX_STATS_H

#include <stddef.h>
#include "summary.h"
#include "vmx_parse.h"

/* Least-squares fit of one phase against the number of area entries. */
struct vmx_fit {
	enum vmx_area area;
	enum phase phase;
	size_t npoints, nsamples;
	double slope, intercept;	/* ticks per MSR entry, ticks */
	double ci95_lo, ci95_hi;	/* of the slope; NAN without enough data */
};

/*
 * One summary row per series and phase: benchmark "vmx-<bench>" or
 * "vmx-msr-<area>-<count>", cpl 0. The total phase has the floor's median
 * subtracted when a floor series exists (its value goes to @floor).
 * Caller frees *rows.
 */
int vmx_log_summaries(const struct vmx_log *log, struct summary_row **rows, size_t *n,
		      double *floor, char *err, size_t errlen);

/* Fits @phase of all sweep samples of @area. Returns -1 without two counts. */
int vmx_log_fit(const struct vmx_log *log, enum vmx_area area, enum phase phase,
		struct vmx_fit *fit);

/* Median of @p of @s's samples (left in order). n must be > 0; NAN out of memory. */
double vmx_series_median(const struct vmx_series *s, enum phase p);

#endif
