/* SPDX-License-Identifier: MIT */
/* Filling one benchmark's bench_record: its verdict, its samples and their rows. */
#ifndef VMEXIT_RECORD_H
#define VMEXIT_RECORD_H

#include <stddef.h>

#include "catalog.h"
#include "run.h"
#include "run_record.h"

/*
 * Appends a record for @b at @cpl to @rec (emulated at an emulated CPL0;
 * the unit follows @caps' emulator). NULL when out of memory.
 */
struct bench_record *record_new(struct run_record *rec, const struct bench_def *b, int cpl,
				const struct host_caps *caps);

/* Sets @r's status and its reason. */
void record_fail(struct bench_record *r, enum bench_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The words every reason of status @st opens with ("unsupported here: ",
 * "no exit: ", "refused: "; "" for the others): what a reader of the table
 * sees first, while the status itself is the data.
 */
const char *record_status_opening(enum bench_status st);
/* Prints @r's failure on stderr, with the guest's dump when @res has one. */
void record_report(const struct bench_record *r, const struct run_res *res);
/* Sets @r's phase note. */
void record_phase_note(struct bench_record *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends to @r's exit_check (what was proven and how). */
void record_check_add(struct bench_record *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Takes ownership of @v (@n values in TSC ticks) as phase @p of @r. Its
 * statistics come later, from record_summarize: not inside the measuring.
 */
int record_phase(struct bench_record *r, enum phase p, double *v, size_t n);
/* The statistics of every phase @r holds (rows[]). -1 when out of memory. */
int record_summarize(struct bench_record *r);
/*
 * The total: subtracts @floor from the @n samples in @raw (owned by @r
 * from now on) and stores them as PHASE_TOTAL.
 */
int record_total(struct bench_record *r, double *raw, size_t n, double floor);

/*
 * Phase buffers for a split of @n samples: ph[PHASE_EXIT..PHASE_ENTRY]
 * allocated (0), or none (-1, out of memory).
 */
int record_split_alloc(double *ph[PHASE_COUNT], size_t n);
/*
 * Stores the first @k values of ph[PHASE_EXIT..PHASE_ENTRY] as @r's split
 * (k > 0) and frees what it does not keep; ph[] is cleared either way.
 */
int record_split_store(struct bench_record *r, double *ph[PHASE_COUNT], size_t k);

#endif
