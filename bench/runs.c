/* SPDX-License-Identifier: MIT */
/* --runs N: independent runs, merged with the spread between them in every CI. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "errmsg.h"
#include "progress.h"
#include "run_json.h"
#include "runs.h"
#include "stats.h"
#include "suite.h"

/* Everything a merged record holds is what run_record_free releases. */
void runs_free(struct run_record *r)
{
	run_record_free(r);
}

static struct bench_record *find(struct run_record *r, const char *name, int cpl)
{
	for (size_t i = 0; i < r->nbench; i++)
		if (r->bench[i].cpl == cpl && !strcmp(r->bench[i].name, name))
			return &r->bench[i];
	return NULL;
}

/*
 * A benchmark that did not run in every run is not reported as measured:
 * the first failure (or else the first refusal) names its run.
 */
static bool merge_status(struct bench_record **m, size_t n, struct bench_record *out)
{
	bool same = m[0] != NULL;

	/*
	 * The same verdict in every run (typically "unsupported here"): said
	 * once, with the first run's reason (its counts may differ from run
	 * to run). Failures are the same only word for word; otherwise the
	 * first is named with its run.
	 */
	for (size_t k = 1; same && k < n; k++)
		same = m[k] && m[k]->status == m[0]->status &&
		       (m[0]->status != BENCH_FAILED || !strcmp(m[k]->reason, m[0]->reason));
	if (same && m[0]->status != BENCH_OK) {
		out->status = m[0]->status;
		if (n > 1 && strcmp(m[n - 1]->reason, m[0]->reason))
			snprintf(out->reason, sizeof(out->reason), "%.200s; the same in all %zu runs",
				 m[0]->reason, n);
		else
			snprintf(out->reason, sizeof(out->reason), "%s", m[0]->reason);
		return false;
	}
	for (int want = BENCH_FAILED; want < BENCH_STATUS_COUNT; want++)
		for (size_t k = 0; k < n; k++) {
			if (m[k] && m[k]->status != (enum bench_status)want)
				continue;
			out->status = m[k] ? m[k]->status : BENCH_FAILED;
			if (n == 1)
				snprintf(out->reason, sizeof(out->reason), "%s", m[k]->reason);
			else if (m[k])
				snprintf(out->reason, sizeof(out->reason), "run %zu of %zu: %.200s",
					 k + 1, n, m[k]->reason);
			else
				snprintf(out->reason, sizeof(out->reason), "run %zu of %zu: not "
					 "measured", k + 1, n);
			return false;
		}
	return true;
}

/* Pools phase @p of every run; mean and t-interval of the per-run medians. */
static int merge_phase(struct bench_record **m, size_t n, int p, struct bench_record *out)
{
	struct summary_row *row = &out->rows[p];
	size_t total = 0, at = 0;
	double *pooled, *sorted, mean = 0, var = 0, half;

	for (size_t k = 0; k < n; k++)
		total += m[k]->rows[p].samples;
	pooled = malloc((total ? total : 1) * sizeof(*pooled));
	sorted = malloc((total ? total : 1) * sizeof(*sorted));
	out->run_median[p] = malloc(n * sizeof(double));
	if (!pooled || !sorted || !out->run_median[p]) {
		free(pooled);
		free(sorted);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		memcpy(pooled + at, m[k]->samples[p], m[k]->rows[p].samples * sizeof(double));
		at += m[k]->rows[p].samples;
		out->run_median[p][k] = m[k]->rows[p].median;
		mean += m[k]->rows[p].median / n;
	}
	memcpy(sorted, pooled, total * sizeof(*sorted));
	/* No bootstrap of the pool: its CI would only repeat the within-run spread. */
	stats_summarize(sorted, total, 0, 0, row);
	free(sorted);
	for (size_t k = 0; k < n; k++)
		var += (out->run_median[p][k] - mean) * (out->run_median[p][k] - mean) / (n - 1);
	half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(var / n);
	row->median = mean;
	row->ci95_lo = mean - half;
	row->ci95_hi = mean + half;
	row->runs = n;
	out->samples[p] = pooled;
	out->has_phase[p] = true;
	return 0;
}

static int merge_bench(struct run_record *in, size_t n, const struct bench_record *first,
		       struct bench_record *out)
{
	struct bench_record **m = calloc(n, sizeof(*m));
	int ret = -1;

	if (!m)
		return -1;
	*out = *first;
	memset(out->samples, 0, sizeof(out->samples));
	memset(out->run_median, 0, sizeof(out->run_median));
	memset(out->has_phase, 0, sizeof(out->has_phase));
	out->runs = n;
	out->nsamples = out->disturbed = out->exits_seen = 0;
	out->floor = 0;
	for (size_t k = 0; k < n; k++)
		m[k] = find(&in[k], first->name, first->cpl);
	if (!merge_status(m, n, out)) {
		ret = 0;
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		out->nsamples += m[k]->nsamples;
		out->disturbed += m[k]->disturbed;
		out->exits_seen += m[k]->exits_seen;
		out->floor += m[k]->floor / n;
	}
	for (int p = 0; p < PHASE_COUNT; p++) {
		bool all = true;

		for (size_t k = 0; k < n; k++)
			all &= m[k]->has_phase[p] && m[k]->samples[p] && m[k]->rows[p].samples;
		/* A phase split in some runs only is not reported (phase_note says why). */
		if (all && merge_phase(m, n, p, out))
			goto out;
		if (!all && p != PHASE_TOTAL && m[0]->has_phase[p])
			snprintf(out->phase_note, sizeof(out->phase_note),
				 "split in some of the %zu runs only: not reported", n);
	}
	ret = 0;
out:
	free(m);
	return ret;
}

int runs_merge(struct run_record *in, size_t n, struct run_record *out)
{
	*out = in[0];
	out->bench = NULL;
	out->nbench = 0;
	if (n == 1) {
		*out = in[0];
		memset(&in[0], 0, sizeof(in[0]));
		for (size_t i = 0; i < out->nbench; i++)
			out->bench[i].runs = 1;
		out->runs = 1;
		return 0;
	}
	out->runs = n;
	out->bench = calloc(in[0].nbench + 1, sizeof(*out->bench));
	if (!out->bench)
		return -1;
	for (size_t i = 0; i < in[0].nbench; i++) {
		if (merge_bench(in, n, &in[0].bench[i], &out->bench[i]))
			return -1;
		out->nbench = i + 1;
	}
	/* Settings-level numbers: the mean over runs; a floor counts if every run had it. */
	for (int c = 0; c < CPL_SLOTS; c++) {
		out->floor[c] = 0;
		for (size_t k = 0; k < n; k++) {
			out->floor[c] += in[k].floor[c] / n;
			out->floor_valid[c] &= in[k].floor_valid[c];
		}
	}
	out->cpl0_nop_probe = out->cpl3_nop_probe = 0;
	for (size_t k = 0; k < n; k++) {
		out->cpl0_nop_probe += in[k].cpl0_nop_probe / n;
		out->cpl3_nop_probe += in[k].cpl3_nop_probe / n;
		out->cpl0_emulated |= in[k].cpl0_emulated;
	}
	for (size_t k = 0; k < n; k++)
		runs_free(&in[k]);
	return 0;
}

int runs_measure(const struct options *o, const bool *selected, struct run_record *out,
		 char *err, size_t errlen)
{
	unsigned n = o->runs ? o->runs : 1;
	struct run_record *recs = calloc(n, sizeof(*recs));
	struct suite *sp = malloc(sizeof(*sp));	/* large: off the stack */
	int failed = 0, f;
	size_t got = 0;

	memset(out, 0, sizeof(*out));
	if (!recs || !sp) {
		free(recs);
		free(sp);
		return ERR("out of memory");
	}
	for (unsigned k = 0; k < n; k++) {
		/* A fresh VM, fresh probes and a fresh floor: the runs are independent. */
		if (suite_init(sp, o, err, errlen)) {
			suite_free(sp);
			goto fail;
		}
		progress_run(k + 1, n);
		f = suite_run(sp, selected);
		if (f < 0) {
			ERR("out of memory");
			suite_free(sp);
			goto fail;
		}
		recs[got++] = sp->rec;
		/* The record's samples now belong to recs[]: suite_free must not see them. */
		sp->rec.bench = NULL;
		sp->rec.nbench = 0;
		suite_free(sp);
		if (recs[got - 1].incomplete)
			break;
	}
	/*
	 * Stopped by a signal in run k > 1: the k - 1 complete runs are merged,
	 * the partial one cannot be (its benchmarks are a subset), and the
	 * record says the run was cut short.
	 */
	if (got > 1 && recs[got - 1].incomplete) {
		struct run_record *last = &recs[--got];

		fprintf(stderr, "vmexit-bench: stopped by %s in run %zu of %u: the %zu complete "
			"runs are reported, the partial one is not\n", last->stopped_by, got + 1, n,
			got);
		for (size_t k = 0; k < got; k++) {
			recs[k].incomplete = true;
			recs[k].selected = last->selected;
			memcpy(recs[k].stopped_by, last->stopped_by, sizeof(recs[k].stopped_by));
		}
		runs_free(last);
	}
	if (runs_merge(recs, got, out)) {
		ERR("out of memory");
		runs_free(out);
		goto fail;
	}
	for (size_t i = 0; i < out->nbench; i++)
		failed += out->bench[i].status == BENCH_FAILED;
	free(recs);
	free(sp);
	return failed;
fail:
	for (size_t k = 0; k < got; k++)
		runs_free(&recs[k]);
	free(recs);
	free(sp);
	return -1;
}
