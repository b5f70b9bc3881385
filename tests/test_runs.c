/* SPDX-License-Identifier: MIT */
/* --runs: merging independent runs so the CI holds across them. */
#include "check_main.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "stats.h"

#define NS 101

/* One run: "pio_out_user" with samples median+-k, and "cpuid" with @cpuid_status. */
static void make(struct run_record *r, double median, enum bench_status cpuid_status)
{
	memset(r, 0, sizeof(*r));
	r->bench = calloc(2, sizeof(*r->bench));
	r->nbench = 2;
	r->iterations = NS;
	r->floor[3] = 50 + median / 100;
	r->floor_valid[3] = true;
	strcpy(r->bench[0].name, "pio_out_user");
	strcpy(r->bench[1].name, "cpuid");
	for (int i = 0; i < 2; i++) {
		struct bench_record *b = &r->bench[i];
		double *copy = malloc(NS * sizeof(double));

		b->cpl = 3;
		b->status = i ? cpuid_status : BENCH_OK;
		if (b->status != BENCH_OK) {
			strcpy(b->reason, "unsupported here: not on this host");
			free(copy);
			continue;
		}
		b->samples[PHASE_TOTAL] = malloc(NS * sizeof(double));
		for (int k = 0; k < NS; k++)
			b->samples[PHASE_TOTAL][k] = median + (k - NS / 2);
		memcpy(copy, b->samples[PHASE_TOTAL], NS * sizeof(double));
		stats_summarize(copy, NS, 200, 1, &b->rows[PHASE_TOTAL]);
		free(copy);
		strcpy(b->rows[PHASE_TOTAL].benchmark, b->name);
		b->rows[PHASE_TOTAL].cpl = 3;
		b->has_phase[PHASE_TOTAL] = true;
		b->nsamples = NS;
		b->floor = r->floor[3];
	}
}

START_TEST(between_run_spread_is_in_the_ci)
{
	struct run_record in[3], out;
	const struct summary_row *t;
	double half;

	make(&in[0], 1000, BENCH_OK);
	make(&in[1], 1100, BENCH_UNSUPPORTED);
	make(&in[2], 1200, BENCH_OK);
	/* Within one run the CI is narrow: the runs' CIs do not overlap at all. */
	ck_assert(in[0].bench[0].rows[0].ci95_hi < in[1].bench[0].rows[0].ci95_lo);
	ck_assert_int_eq(runs_merge(in, 3, &out), 0);
	ck_assert_uint_eq(out.runs, 3);
	t = &out.bench[0].rows[PHASE_TOTAL];
	ck_assert_uint_eq(t->samples, 3 * NS);
	ck_assert_uint_eq(out.bench[0].nsamples, 3 * NS);
	ck_assert_uint_eq(t->runs, 3);
	ck_assert_double_eq_tol(t->median, 1100, 1e-9);
	/* Student's t with 2 degrees of freedom: 4.303 x sd (100) / sqrt(3). */
	half = 4.302652729911275 * 100 / sqrt(3);
	ck_assert_double_eq_tol(t->ci95_lo, 1100 - half, 1e-6);
	ck_assert_double_eq_tol(t->ci95_hi, 1100 + half, 1e-6);
	/* Quantiles come from every sample. */
	ck_assert_double_eq(t->min, 1000 - NS / 2);
	ck_assert_double_eq(t->max, 1200 + NS / 2);
	ck_assert_double_eq(out.bench[0].run_median[PHASE_TOTAL][1], 1100);
	ck_assert_double_eq_tol(out.floor[3], 61, 1e-9);
	/* Samples stay in measurement order, run after run. */
	ck_assert_double_eq(out.bench[0].samples[PHASE_TOTAL][NS], 1100 - NS / 2);
	/* Unsupported in one run: not a number, and the run is named. */
	ck_assert_int_eq(out.bench[1].status, BENCH_UNSUPPORTED);
	ck_assert_msg(strstr(out.bench[1].reason, "run 2 of 3: unsupported here"), "%s",
		      out.bench[1].reason);
	ck_assert(!out.bench[1].has_phase[PHASE_TOTAL]);
	runs_free(&out);
	/* The same verdict in every run is said once, without a run number. */
	make(&in[0], 1000, BENCH_UNSUPPORTED);
	make(&in[1], 1100, BENCH_UNSUPPORTED);
	ck_assert_int_eq(runs_merge(in, 2, &out), 0);
	ck_assert_str_eq(out.bench[1].reason, "unsupported here: not on this host");
	runs_free(&out);
}
END_TEST

START_TEST(one_run_is_the_run)
{
	struct run_record in[1], out;

	make(&in[0], 1000, BENCH_OK);
	ck_assert_int_eq(runs_merge(in, 1, &out), 0);
	ck_assert_uint_eq(out.runs, 1);
	ck_assert_uint_eq(out.bench[0].runs, 1);
	ck_assert_double_eq(out.bench[0].rows[PHASE_TOTAL].median, 1000);
	ck_assert_ptr_null(out.bench[0].run_median[PHASE_TOTAL]);
	runs_free(&out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runs");
	TCase *tc = tcase_create("runs");

	tcase_add_test(tc, between_run_spread_is_in_the_ci);
	tcase_add_test(tc, one_run_is_the_run);
	suite_add_tcase(s, tc);
	return check_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
