/* SPDX-License-Identifier: MIT */
/*
 * Comparing runs (other CPUs, kernels, settings): join by benchmark, CPL
 * and phase; ratio of medians to the first run; is the difference
 * significant.
 */
#ifndef VMEXIT_COMPARE_H
#define VMEXIT_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "plot.h"
#include "results_dir.h"

/* Return values: bad input is the user's to fix, the rest is ours/the system's. */
#define COMPARE_OK 0
#define COMPARE_ERROR 1
#define COMPARE_BAD_INPUT 2
/* --fail-above: a row is significantly slower than the baseline (the CI gate). */
#define COMPARE_REGRESSION 3

#define COMPARE_MAX_WARNINGS 32

enum compare_unit {
	COMPARE_TICKS,	/* as stored; only comparable across equal TSC rates */
	COMPARE_NS,	/* converted with each run's TSC frequency */
};

/*
 * Fewer resamples than this give no 2.5% / 97.5% quantile worth the name
 * (with 1 the "interval" is a single resampled ratio).
 */
#define COMPARE_MIN_RESAMPLES 100

struct compare_opts {
	unsigned resamples;	/* bootstrap resamples of the ratio, 0 or >= COMPARE_MIN_RESAMPLES;
				 * 0: CI-overlap test only */
	uint64_t seed;
	enum compare_unit unit;
	bool all;		/* also rows that are not in every run (default: common rows) */
	const char *const *labels;	/* per DIR: a name for it, or NULL (CPU codename) */
	const char *baseline;	/* label or DIR of the reference run; NULL: the first */
	/*
	 * Rows known not to repeat (a second boot gave another median: the
	 * lane's --repeat-boot), never exact whatever their samples; NULL: none.
	 */
	bool (*not_exact)(void *arg, const char *benchmark, int cpl, int phase);
	void *not_exact_arg;
};

enum compare_test {
	COMPARE_TEST_NONE,	/* the reference run, or absent */
	COMPARE_TEST_BOOTSTRAP,	/* 95% bootstrap CI of the ratio of medians excludes 1 */
	COMPARE_TEST_OVERLAP,	/* the two medians' 95% CIs do not overlap */
	COMPARE_TEST_RUNS,	/* both from --runs >= 2: their between-run 95% CIs do not overlap */
	COMPARE_TEST_EXACT,	/* both rows exact (every sample equal; Bochs: median = min) */
};

struct compare_cell {
	bool present;
	double median, ci_lo, ci_hi;		/* in the table's unit */
	unsigned runs;				/* independent runs behind the CI */
	double ratio, ratio_lo, ratio_hi;	/* to the baseline; NaN where not defined */
	enum compare_test test;
	int significant;			/* 1, 0, or -1 when not tested */
};

struct compare_row {
	char benchmark[SUMMARY_NAME_MAX];
	enum phase phase;
	int cpl;
	char unit[16];
	struct compare_cell *cell;		/* one per run */
	bool common;				/* present in every run */
};

struct compare_table {
	size_t nruns;
	struct loaded_run **runs;
	char (*label)[160];			/* CPU codename, made unique */
	size_t base;				/* the baseline run: ratios are to it */
	struct compare_row *rows;
	size_t nrows;
	enum compare_unit unit;
	bool tsc_rates_differ;			/* ticks of different lengths */
	bool all;				/* print and write every row, not only common ones */
	char (*warning)[256];			/* settings that differ between runs */
	size_t nwarnings;
};

const char *compare_test_name(enum compare_test t);
/* The unit every median is in: "ns", or the runs' stored unit (tsc_ticks, tcg_tsc_ticks, ...). */
const char *compare_unit_name(const struct compare_table *t);
/* What that unit is, in words ("TSC ticks", "ticks of QEMU's TCG (emulated)"...). */
const char *compare_unit_words(const struct compare_table *t);
/* Rows shown by default (in every run) or with --all. */
bool compare_shown(const struct compare_table *t, const struct compare_row *row);
/* The row's benchmark kind (exit, latency, floor) as recorded in the first run that has it. */
enum bench_kind compare_row_kind(const struct compare_table *t, const struct compare_row *row);

/* How compare_print lays out the table. */
struct compare_print_opts {
	bool long_form;		/* one line per run per phase per benchmark (--long) */
	bool phases;		/* wide: exit/handler/entry as sub-rows (--phases) */
};

/* Loads and joins @n result directories. Returns COMPARE_*; @err is one line. */
int compare_build(const char *const *dirs, size_t n, const struct compare_opts *o,
		  struct compare_table *t, char *err, size_t errlen);
/* The wide table (one row per benchmark, one column per run), or --long. */
void compare_print(const struct compare_table *t, FILE *f);
void compare_print_with(const struct compare_table *t, const struct compare_print_opts *po,
			FILE *f);
/* Runs per block of the wide table: the baseline and this many others fit 120 columns. */
#define COMPARE_WIDE_OTHERS 4
#define COMPARE_WIDE_MAX_COLS 120

/*
 * --fail-above @pct: the rows (phase total, exits and latencies, present in
 * the baseline and the run) significantly slower than the baseline by more
 * than @pct percent; for exact rows any increase. Lists them on @f, one
 * line each; returns how many.
 */
size_t compare_regressions(const struct compare_table *t, double pct, FILE *f);

/* compare.tex (booktabs, a column for up to 3 runs, a page for up to 6). */
void compare_tex_table(FILE *f, const struct compare_table *t);
/* compare.md: every run's median, CI and ratio. */
void compare_md_table(FILE *f, const struct compare_table *t);
/*
 * compare.csv, compare.md, compare.tex, the ratio plot compare.{dat,gp} and,
 * for more than three runs, the heatmap compare-heatmap.{dat,gp} (+ images
 * unless PLOT_NONE) into @dir.
 */
int compare_write(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		  char *err, size_t errlen);
void compare_free(struct compare_table *t);

#endif
