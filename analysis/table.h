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

/* Every measured phase of every benchmark as summary rows (caller frees). */
size_t table_rows(const struct run_record *r, struct summary_row **out);

#endif
