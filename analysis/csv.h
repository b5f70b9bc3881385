/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_CSV_H
#define VMEXIT_CSV_H

#include <stdio.h>
#include "run_record.h"
#include "summary.h"

/*
 * The largest sample count a reader accepts: --iterations' own limit
 * (100,000,000) with room to spare, far below what would overflow a size.
 */
#define CSV_MAX_SAMPLES 1000000000ull

/*
 * The longest line of summary.csv a reader takes, its newline included.
 * The longest a writer can make is about 1,100 bytes (a 63-byte name, a
 * 255-byte reason quoted with every character a doubled quote, every
 * statistic at the bound below).
 */
#define CSV_MAX_LINE 2048

/*
 * The largest magnitude of a cost a reader takes (summary.csv, samples.csv,
 * run.json): 2^64 TSC ticks, more than a 64-bit counter can count. Within
 * it, every sum, ratio and conversion to ns the readers make stays finite.
 */
#define CSV_MAX_VALUE 18446744073709551616.0
/* The same in ns at the slowest TSC rate a reader takes (1 kHz): median_ns. */
#define CSV_MAX_NS (CSV_MAX_VALUE * 1e6)

/* The header line, without newline. */
extern const char csv_summary_header[];
/* The header of files written before status..runs were appended (still read). */
extern const char csv_summary_header_v1[];

void csv_write_row(FILE *f, const struct summary_row *r);

/*
 * Writes header + rows to @path atomically (temporary file + rename).
 * On error returns -1 with a one-line message in @err.
 */
int csv_write_summary(const char *path, const struct summary_row *rows, size_t n,
		      char *err, size_t errlen);

/*
 * summary.csv's rows (caller frees): every measured phase of every
 * benchmark, and one row with status and reason for each one not measured.
 */
size_t csv_rows(const struct run_record *r, struct summary_row **out);
/* summary.csv of @r at @path (csv_write_summary of csv_rows). 0, or -1 with a message. */
int csv_write_run(const char *path, const struct run_record *r, char *err, size_t errlen);

/*
 * Parses one data line, in the current or the original 19-column format,
 * into @r (columns a file does not have get their defaults: status "",
 * runs 1, median_ns NaN). Returns 0, or -1 with the offending
 * column named in @err.
 */
int csv_parse_row(const char *line, struct summary_row *r, char *err, size_t errlen);
/* The same, also saying how many columns the line had (19 or CSV_COLUMNS). */
int csv_parse_row_n(const char *line, struct summary_row *r, int *ncols, char *err,
		    size_t errlen);

#define CSV_COLUMNS_V1 19
#define CSV_COLUMNS 25

#endif
