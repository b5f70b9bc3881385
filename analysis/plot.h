/* SPDX-License-Identifier: MIT */
/*
 * gnuplot output. Every plot is a script (.gp) plus its data (.dat) in the
 * plots/ directory, so a user can restyle it and re-run "gnuplot X.gp"
 * from inside that directory; the image is rendered from the same files.
 */
#ifndef VMEXIT_PLOT_H
#define VMEXIT_PLOT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "env.h"
#include "run_record.h"

enum plot_fmt {
	PLOT_NONE,
	PLOT_PNG,	/* pngcairo */
	PLOT_SVG,	/* svg */
	PLOT_PDF,	/* pdfcairo */
};

/* "png", "svg", "pdf", "none"; -1 for anything else. */
int plot_fmt_from_name(const char *name);
const char *plot_fmt_name(enum plot_fmt fmt);

/* Replaces anything but [A-Za-z0-9._-] so a benchmark name is a safe file name. */
void plot_file_stem(const char *name, char *out, size_t len);

/*
 * One plot, as each plot states it: the stem of its files, what it shows,
 * and its two halves; plot_write does what every plot does alike. The
 * script starts with the common prologue: terminal by format (overridable
 * with gnuplot -e "fmt='svg'"), output file "<stem>.<fmt>" (-e
 * "outfile='...'"), page or column size (-e "size='column'"), labels taken
 * literally (no enhanced text).
 */
struct plot {
	const char *stem;	/* <stem>.dat, <stem>.gp, the image <stem>.<fmt> */
	const char *what;	/* the script's first comment */
	int rows;		/* > 0: horizontal bars, the image grows with them */
	void (*data)(FILE *f, const struct plot *p);	/* <stem>.dat */
	void (*script)(FILE *f, const struct plot *p);	/* <stem>.gp after the prologue */
	const void *ctx;	/* what the two draw from */
};

/*
 * Writes <stem>.dat, then <stem>.gp into @dir, each atomically. Rendering
 * is plot_render's, so that every script can be written before gnuplot
 * runs. Returns 0; -1 with @err set when a file cannot be written.
 */
int plot_write(const char *dir, enum plot_fmt fmt, const struct plot *p, char *err,
	       size_t errlen);

/* A value axis goes logarithmic when its values span more than this factor. */
#define PLOT_LOG_RANGE 20.0

/* The value axis of horizontal bars, each a median with a CI around it. */
struct plot_axis {
	double lo, hi;		/* the smallest median; the largest median or CI top */
	bool log;		/* set by plot_axis_decide */
	double base;		/* log: the power of ten below lo, where bars start; else 0 */
};
#define PLOT_AXIS_EMPTY { .lo = INFINITY, .hi = 0 }

void plot_axis_add(struct plot_axis *a, double median, double ci_hi);
/* Once every bar is added: log (lo > 0 and hi / lo > PLOT_LOG_RANGE) and base. */
void plot_axis_decide(struct plot_axis *a);
/* A log @axis ('x', 'y') over [@lo, @hi]: round ticks 1, 10, 100, 1k, minor ones between. */
void plot_log_axis(FILE *f, char axis, double lo, double hi);

/*
 * Writes medians, phases (if any benchmark is split) and per-benchmark CDF
 * (if samples are present) scripts and data into @dir, which must exist,
 * and renders them unless @fmt is PLOT_NONE. Returns 0; -1 with @err set
 * when a file cannot be written or gnuplot fails.
 */
int plot_write_run(const char *dir, const struct run_record *r, const struct env_record *e,
		   enum plot_fmt fmt, char *err, size_t errlen);

/*
 * Runs "gnuplot <stem>.gp" inside @dir, rendering to a temporary file that
 * is renamed to <stem>.<fmt> only once gnuplot succeeded and the image is
 * not empty. A PDF is rendered twice: <stem>.pdf 7 in wide (a page) and
 * <stem>-column.pdf 3.5 in wide (a column of a two-column paper).
 */
int plot_render(const char *dir, const char *stem, enum plot_fmt fmt,
		char *err, size_t errlen);
/* The same, and <stem>-column.<fmt> too when @column (in any format). */
int plot_render_sizes(const char *dir, const char *stem, enum plot_fmt fmt, bool column,
		      char *err, size_t errlen);

#endif
