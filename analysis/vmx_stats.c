// SPDX-License-Identifier: MIT
/* Statistics of a raw VMX harness log (see vmx_stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>

#include "errmsg.h"
#include "stats.h"
#include "vmx_stats.h"

static int summarize(const struct vmx_series *s, enum phase p, double floor,
		     const char *unit, struct summary_row *r)
{
	double *copy = malloc(s->n * sizeof(*copy));

	if (!copy)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		copy[i] = s->v[p][i] - (p == PHASE_TOTAL ? floor : 0);
	memset(r, 0, sizeof(*r));
	if (s->area == VMX_AREA_NONE)
		snprintf(r->benchmark, sizeof(r->benchmark), "vmx-%s", s->name);
	else
		snprintf(r->benchmark, sizeof(r->benchmark), "vmx-msr-%s-%u", s->name,
			 s->count);
	r->phase = p;
	r->cpl = 0;
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	stats_summarize(copy, s->n, STATS_BOOTSTRAP_RESAMPLES, 0x5eed, r);
	free(copy);
	return 0;
}

double vmx_series_median(const struct vmx_series *s, enum phase p)
{
	return stats_median_of(s->v[p], s->n);
}

/* The floor series' median total; 0 without one, NAN out of memory. */
static double floor_median(const struct vmx_log *log)
{
	for (size_t i = 0; i < log->nseries; i++) {
		const struct vmx_series *s = &log->series[i];

		if (s->area == VMX_AREA_NONE && !strcmp(s->name, "floor") && s->n)
			return vmx_series_median(s, PHASE_TOTAL);
	}
	return 0;
}

int vmx_log_summaries(const struct vmx_log *log, struct summary_row **rows, size_t *n,
		      double *floor, char *err, size_t errlen)
{
	double fl = floor_median(log);
	size_t k = 0;

	*rows = NULL;
	*n = 0;
	if (isnan(fl))
		return ERR("out of memory");
	*floor = fl;
	*rows = calloc(log->nseries * PHASE_COUNT + 1, sizeof(**rows));
	if (!*rows)
		return ERR("out of memory");
	for (size_t i = 0; i < log->nseries; i++) {
		const struct vmx_series *s = &log->series[i];
		bool is_floor = s->area == VMX_AREA_NONE && !strcmp(s->name, "floor");

		if (!s->n)
			continue;
		for (int p = 0; p < PHASE_COUNT; p++) {
			if (p != PHASE_TOTAL && !s->has_phases)
				continue;
			if (summarize(s, p, is_floor ? 0 : fl, vmx_log_unit(log), &(*rows)[k])) {
				ERR("out of memory");
				free(*rows);
				*rows = NULL;
				return -1;
			}
			k++;
		}
	}
	*n = k;
	return 0;
}

/* Whether @s is a sweep point of @area with samples of @phase. */
static bool fitted(const struct vmx_series *s, enum vmx_area area, enum phase phase)
{
	return s->area == (int)area && s->n && (phase == PHASE_TOTAL || s->has_phases);
}

int vmx_log_fit(const struct vmx_log *log, enum vmx_area area, enum phase phase,
		struct vmx_fit *fit)
{
	size_t total = 0, k = 0, points = 0;
	double *x, *y, c0, c1, cov00, cov01, cov11, sumsq;
	unsigned first = 0;
	bool varied = false;

	memset(fit, 0, sizeof(*fit));
	fit->area = area;
	fit->phase = phase;
	fit->slope = fit->intercept = fit->ci95_lo = fit->ci95_hi = NAN;
	for (size_t i = 0; i < log->nseries; i++) {
		const struct vmx_series *s = &log->series[i];

		if (!fitted(s, area, phase))
			continue;
		if (!points++)
			first = s->count;
		else if (s->count != first)
			varied = true;
		total += s->n;
	}
	fit->npoints = points;
	fit->nsamples = total;
	if (!varied || total < 3)
		return -1;
	x = malloc(total * sizeof(*x));
	y = malloc(total * sizeof(*y));
	if (!x || !y) {
		free(x);
		free(y);
		return -1;
	}
	for (size_t i = 0; i < log->nseries; i++) {
		const struct vmx_series *s = &log->series[i];

		if (!fitted(s, area, phase))
			continue;
		for (size_t j = 0; j < s->n; j++, k++) {
			x[k] = s->count;
			y[k] = s->v[phase][j];
		}
	}
	gsl_fit_linear(x, 1, y, 1, total, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	free(x);
	free(y);
	fit->intercept = c0;
	fit->slope = c1;
	{
		/* cov11 already carries the residual variance: t(n-2) half-width */
		double half = gsl_cdf_tdist_Pinv(0.975, (double)(total - 2)) * sqrt(cov11);

		fit->ci95_lo = c1 - half;
		fit->ci95_hi = c1 + half;
	}
	return 0;
}
