/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_TABLE_H
#define VMEXIT_TABLE_H

#include <stdio.h>
#include "run_record.h"

/* The human-readable table: one line per benchmark, units in the header. */
void table_print(FILE *f, const struct run_record *r);

/*
 * How far the sum of the exit, handler and entry medians is from the total
 * median, in percent of the total median. Meaningful when all three exist.
 */
double table_phase_sum_gap(const struct bench_record *b);

/*
 * @v rounded to an integer, digits grouped by three with @sep ("," or
 * "\\,"), @minus before a negative value ("\u2212" or "$-$"). @len >= 64.
 */
void table_grouped(double v, const char *sep, const char *minus, char *buf, size_t len);

/* The table as Markdown (--export-markdown), written atomically. */
int table_write_markdown(const char *path, const struct run_record *r, char *err,
			 size_t errlen);

#endif
