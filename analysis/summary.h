/* SPDX-License-Identifier: MIT */
/*
 * The in-memory form of one row of summary.csv: the statistics of one
 * benchmark's samples in one phase. Every writer (table, CSV, JSON, LaTeX,
 * plots) and every reader (compare) goes through this struct.
 */
#ifndef VMEXIT_SUMMARY_H
#define VMEXIT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

enum phase {
	PHASE_TOTAL,
	PHASE_EXIT,
	PHASE_HANDLER,
	PHASE_ENTRY,
	PHASE_COUNT,
};

const char *phase_name(enum phase p);
/* Returns -1 if @name is not a phase. */
int phase_from_name(const char *name);

#define SUMMARY_NAME_MAX 64

struct summary_row {
	char benchmark[SUMMARY_NAME_MAX];
	enum phase phase;
	int cpl;
	size_t samples;
	/* All in @unit, after the timer floor was subtracted. */
	double min, p5, p25, median, p75, p95, p99, max, mean, stddev, mad;
	double ci95_lo, ci95_hi;	/* 95% CI of the median (order statistics; over runs: t) */
	size_t outliers;		/* outside median +- 3 * 1.4826 * MAD */
	char unit[16];			/* "tsc_ticks" */
	/*
	 * Appended columns of summary.csv. A benchmark that was not measured
	 * has one row (phase total) with a status other than "ok", its
	 * reason, and no statistics (NaN, written as empty fields).
	 */
	/* "ok" (also when empty), "failed", "unsupported", "no_exit", "refused" */
	char status[16];
	char reason[256];
	int emulated;			/* ran at a CPL this host emulates */
	double median_ns;		/* NaN when the TSC rate is unknown */
	unsigned runs;			/* independent runs behind the row (0 read as 1) */
	char kind[12];			/* "exit", "latency" (not an exit cost), "floor" (nop) */
};

/* A row with statistics: status "ok" (or not set). */
static inline int summary_row_measured(const struct summary_row *r)
{
	return !r->status[0] || !__builtin_strcmp(r->status, "ok");
}

#endif
