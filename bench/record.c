/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "stats.h"

struct bench_record *record_new(struct run_record *rec, const struct bench_def *b, int cpl,
				const struct host_caps *caps)
{
	struct bench_record *r;
	void *p = realloc(rec->bench, (rec->nbench + 1) * sizeof(*r));

	if (!p)
		return NULL;
	rec->bench = p;
	r = &rec->bench[rec->nbench++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", b->name);
	r->cpl = cpl;
	r->emulated = cpl == 0 && caps->cpl0_emulated;
	r->tcg = caps->tcg;
	r->bochs = caps->bochs;
	r->kind = catalog_kind(b);
	return r;
}

const char *record_status_opening(enum bench_status st)
{
	return st == BENCH_UNSUPPORTED ? "unsupported here: " : st == BENCH_NO_EXIT ? "no exit: " :
	       st == BENCH_REFUSED ? "refused: " : "";
}

void record_fail(struct bench_record *r, enum bench_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

void record_report(const struct bench_record *r, const struct run_res *res)
{
	fprintf(stderr, "vmexit-bench: %s (CPL%d): %s\n", r->name, r->cpl, r->reason);
	if (res && res->dump[0])
		fputs(res->dump, stderr);
}

void record_phase_note(struct bench_record *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->phase_note, sizeof(r->phase_note), fmt, ap);
	va_end(ap);
}

void record_check_add(struct bench_record *r, const char *fmt, ...)
{
	size_t l = strlen(r->exit_check);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->exit_check + l, sizeof(r->exit_check) - l, fmt, ap);
	va_end(ap);
}

int record_phase(struct bench_record *r, enum phase p, double *v, size_t n)
{
	r->samples[p] = v;
	r->has_phase[p] = true;
	_Static_assert(sizeof(r->rows[0].benchmark) == sizeof(r->name), "name sizes");
	memcpy(r->rows[p].benchmark, r->name, sizeof(r->name));
	r->rows[p].phase = p;
	r->rows[p].cpl = r->cpl;
	r->rows[p].samples = n;
	snprintf(r->rows[p].unit, sizeof(r->rows[0].unit), "%s",
		 r->bochs ? "emulated_ticks" : r->tcg ? "tcg_tsc_ticks" : "tsc_ticks");
	return 0;
}

int record_summarize(struct bench_record *r)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		struct summary_row *row = &r->rows[p];
		size_t n = row->samples;
		double *copy;

		if (!r->has_phase[p] || !r->samples[p] || !n)
			continue;
		copy = malloc(n * sizeof(*copy));
		if (!copy)
			return -1;
		memcpy(copy, r->samples[p], n * sizeof(*copy));
		stats_describe(copy, n, row);
		free(copy);
	}
	return 0;
}

int record_total(struct bench_record *r, double *raw, size_t n, double floor)
{
	r->floor = floor;
	for (size_t i = 0; i < n; i++)
		raw[i] -= floor;
	r->nsamples = n;
	return record_phase(r, PHASE_TOTAL, raw, n);
}

int record_split_alloc(double *ph[PHASE_COUNT], size_t n)
{
	bool ok = true;

	for (int p = 0; p < PHASE_COUNT; p++)
		ph[p] = NULL;
	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++)
		ok &= (ph[p] = malloc(n * sizeof(double))) != NULL;
	if (ok)
		return 0;
	for (int p = 0; p < PHASE_COUNT; p++) {
		free(ph[p]);
		ph[p] = NULL;
	}
	return -1;
}

int record_split_store(struct bench_record *r, double *ph[PHASE_COUNT], size_t k)
{
	int ret = 0;

	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++) {
		if (!ret && k && record_phase(r, p, ph[p], k) == 0)
			ph[p] = NULL;
		else if (k)
			ret = -1;
	}
	for (int p = 0; p < PHASE_COUNT; p++) {
		free(ph[p]);
		ph[p] = NULL;
	}
	return ret;
}
