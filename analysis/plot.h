/* SPDX-License-Identifier: MIT */
/*
 * gnuplot output. Every plot is a script (.gp) plus its data (.dat) in the
 * plots/ directory, so a user can restyle it and re-run "gnuplot X.gp"
 * from inside that directory; the image is rendered from the same files.
 */
#ifndef VMEXIT_PLOT_H
#define VMEXIT_PLOT_H

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
 * The common head of every script: terminal by format (overridable with
 * gnuplot -e "fmt='svg'"), output file "<stem>.<fmt>" (overridable with
 * -e "outfile='...'"), labels taken literally (no enhanced text).
 */
void plot_script_prologue(FILE *f, enum plot_fmt fmt, const char *stem, const char *what);
/* The same for a plot of @rows horizontal bars: its height grows with them. */
void plot_script_prologue_rows(FILE *f, enum plot_fmt fmt, const char *stem, const char *what,
			       int rows);

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

#endif
