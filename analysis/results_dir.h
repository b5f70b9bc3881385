/* SPDX-License-Identifier: MIT */
/*
 * A results directory: summary.csv, run.json, samples.csv (--raw),
 * table.tex and plots/. results/README.md documents the format.
 */
#ifndef VMEXIT_RESULTS_DIR_H
#define VMEXIT_RESULTS_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "env.h"
#include "plot.h"
#include "run_json.h"
#include "run_record.h"

struct results_opts {
	const char *output;	/* --output DIR: exactly this path; NULL: <base>/<date>-<host> */
	bool raw;		/* --raw: also samples.csv */
	enum plot_fmt plot;	/* --plot */
	char *created;		/* if set, receives the directory that was written */
	size_t createdlen;
	FILE *warn;		/* non-fatal problems (gnuplot failed); NULL: stderr */
};

/*
 * Writes the whole directory under a temporary name and renames it into
 * place at the end, so a failed run leaves nothing behind and a reader
 * never sees half a run. An automatic name that exists gets a -2, -3, ...
 * suffix; an --output that exists and is not empty is refused. Hidden
 * temporary trees that a killed run left in the same parent are removed
 * first (only directories of ours whose writer no longer runs). A plot
 * that cannot be rendered is a warning: its script and data are kept.
 * Returns 0, or -1 with a one-line message in @err.
 */
int results_dir_write(const char *base, const struct run_record *r,
		      const struct env_record *e, const struct results_opts *o,
		      char *err, size_t errlen);

/*
 * Whether results_dir_write(@base, ..., @o) could write its directory, as
 * far as can be known before a run: an --output that exists must be an
 * empty directory, and the nearest existing parent must be a writable
 * directory. Returns 0, or -1 with a one-line message in @err.
 */
int results_dir_check(const char *base, const struct results_opts *o, char *err, size_t errlen);

/* mkdir -p @path. Returns 0, or -1 with a one-line message in @err. */
int results_mkdir_p(const char *path, char *err, size_t errlen);

/* samples.csv: one line per sample under this header. */
#define RESULTS_SAMPLES_HEADER "benchmark,phase,cpl,index,value,unit"

/*
 * What a reader takes (results/README.md states it). A samples.csv line is
 * at most about 130 bytes (a 63-byte name, index below 10^9, %.17g value,
 * 15-byte unit); one of 10^6 integer samples per series averages 43.
 * summary.csv: a line per benchmark and phase of at most
 * RUN_JSON_MAX_BENCH benchmarks, and the header.
 */
#define RESULTS_SAMPLES_MAX_LINE 256
#define RESULTS_SUMMARY_MAX_BYTES ((RUN_JSON_MAX_BENCH * PHASE_COUNT + 1ull) * CSV_MAX_LINE)

int samples_csv_write(const char *path, const struct run_record *r, char *err, size_t errlen);

struct loaded_run {
	char dir[4096];
	struct run_record r;	/* rows from summary.csv, status/settings from run.json */
	struct env_record e;
	bool has_samples;	/* samples.csv was present and loaded */
};

/*
 * Loads a results directory (results_dir_load.c): run.json and summary.csv
 * are required, samples.csv is optional. Every field used is validated.
 * Returns 0, or -1 with "<file>: [line N: ]<field>: <problem>" in @err.
 */
int results_dir_load(const char *dir, struct loaded_run *out, char *err, size_t errlen);
void results_dir_free(struct loaded_run *lr);

#endif
