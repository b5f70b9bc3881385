/* SPDX-License-Identifier: MIT */
/* Statistics against distributions whose answers are known. */
#include "check_main.h"
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats.h"

START_TEST(uniform_integers)
{
	/* 1..101 shuffled: every quantile is known exactly. */
	double v[101];
	struct summary_row r;

	for (int i = 0; i < 101; i++)
		v[i] = (double)((i * 37) % 101 + 1);
	ck_assert_int_eq(stats_summarize(v, 101, 0, 1, &r), 0);
	ck_assert_uint_eq(r.samples, 101);
	ck_assert_double_eq(r.min, 1);
	ck_assert_double_eq(r.max, 101);
	ck_assert_double_eq(r.median, 51);
	ck_assert_double_eq(r.p25, 26);
	ck_assert_double_eq(r.p75, 76);
	ck_assert_double_eq(r.p5, 6);
	ck_assert_double_eq(r.p95, 96);
	ck_assert_double_eq(r.p99, 100);
	ck_assert_double_eq(r.mean, 51);
	ck_assert_double_eq(r.mad, 25);
	ck_assert_uint_eq(r.outliers, 0);
	/* No resamples: the CI collapses onto the median. */
	ck_assert_double_eq(r.ci95_lo, 51);
	ck_assert_double_eq(r.ci95_hi, 51);
}
END_TEST

START_TEST(even_count_median_interpolates)
{
	double v[] = { 4, 1, 3, 2 };

	ck_assert_double_eq(stats_median(v, 4), 2.5);
}
END_TEST

START_TEST(median_of_leaves_its_input)
{
	const double v[] = { 9, 1, 5, 3 };

	ck_assert_double_eq(stats_median_of(v, 4), 4);
	ck_assert_double_eq(v[0], 9);	/* not sorted in place */
	ck_assert_double_eq(v[3], 3);
	ck_assert(isnan(stats_median_of(v, 0)));
}
END_TEST

/* 20,000 samples of N(1000, 50^2), always the same ones (caller frees). */
#define NORMAL_N 20000
static double *normal_sample(void)
{
	double *v = malloc(NORMAL_N * sizeof(*v));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	ck_assert(v && rng);
	gsl_rng_set(rng, 42);
	for (size_t i = 0; i < NORMAL_N; i++)
		v[i] = 1000 + gsl_ran_gaussian(rng, 50);
	gsl_rng_free(rng);
	return v;
}

START_TEST(normal_distribution)
{
	const size_t n = NORMAL_N;
	double *v = normal_sample();
	struct summary_row r;

	ck_assert_int_eq(stats_summarize(v, n, 1000, 7, &r), 0);
	ck_assert_double_eq_tol(r.median, 1000, 2);
	ck_assert_double_eq_tol(r.mean, 1000, 2);
	ck_assert_double_eq_tol(r.stddev, 50, 1.5);
	/* MAD * 1.4826 estimates sigma for normal data. */
	ck_assert_double_eq_tol(r.mad * 1.4826, 50, 2);
	/* p25/p75 of N(0,1) are -/+0.6745. */
	ck_assert_double_eq_tol(r.p25, 1000 - 0.6745 * 50, 2);
	ck_assert_double_eq_tol(r.p75, 1000 + 0.6745 * 50, 2);
	/* The median's standard error is ~1.2533 * sigma / sqrt(n) = 0.44. */
	ck_assert(r.ci95_lo < r.median && r.median < r.ci95_hi);
	ck_assert(r.ci95_lo <= 1000 + 2 && r.ci95_hi >= 1000 - 2);
	ck_assert_double_gt(r.ci95_hi - r.ci95_lo, 0.8);
	ck_assert_double_lt(r.ci95_hi - r.ci95_lo, 3.5);
	/* Beyond 3 sigma: ~0.27% of normal data. */
	ck_assert_uint_gt(r.outliers, n * 0.0015);
	ck_assert_uint_lt(r.outliers, n * 0.0045);
	free(v);
}
END_TEST

START_TEST(outliers_counted_not_dropped)
{
	double v[100];
	struct summary_row r;

	for (int i = 0; i < 100; i++)
		v[i] = 100 + (i % 5);
	v[10] = 100000;
	v[20] = 90000;
	ck_assert_int_eq(stats_summarize(v, 100, 0, 1, &r), 0);
	ck_assert_uint_eq(r.outliers, 2);
	ck_assert_double_eq(r.max, 100000);
	ck_assert_uint_eq(r.samples, 100);
	ck_assert_double_gt(r.mean, 1000);	/* the mean sees them */
	ck_assert_double_lt(r.median, 105);	/* the median does not */
}
END_TEST

START_TEST(bootstrap_is_reproducible)
{
	double a[500], b[500];
	struct summary_row ra, rb;

	for (int i = 0; i < 500; i++)
		a[i] = b[i] = (i * 7919) % 1000;
	stats_summarize(a, 500, 500, 99, &ra);
	stats_summarize(b, 500, 500, 99, &rb);
	ck_assert_double_eq(ra.ci95_lo, rb.ci95_lo);
	ck_assert_double_eq(ra.ci95_hi, rb.ci95_hi);
	ck_assert(ra.ci95_lo <= ra.median && ra.median <= ra.ci95_hi);
}
END_TEST

START_TEST(empty_and_single)
{
	double v[1] = { 42 };
	struct summary_row r;

	ck_assert_int_eq(stats_summarize(v, 0, 100, 1, &r), -1);
	ck_assert_int_eq(stats_summarize(v, 1, 100, 1, &r), 0);
	ck_assert_double_eq(r.median, 42);
	ck_assert_double_eq(r.stddev, 0);
	ck_assert_double_eq(r.ci95_lo, 42);
	ck_assert_double_eq(r.ci95_hi, 42);
}
END_TEST

START_TEST(negative_values_after_floor)
{
	/* Floor-subtracted samples can be below zero; nothing may clamp them. */
	double v[] = { -26, -26, 0, 0, 26 };
	struct summary_row r;

	stats_summarize(v, 5, 0, 1, &r);
	ck_assert_double_eq(r.min, -26);
	ck_assert_double_eq(r.median, 0);
	ck_assert_double_eq_tol(r.mean, -5.2, 1e-9);
}
END_TEST

START_TEST(median_ci_ranks_match_the_binomial_table)
{
	size_t lo, hi;

	/* Published ranks of the 95% CI of the median (1-based): n=10: 2..9, n=100: 40..61. */
	ck_assert_int_eq(stats_median_ci_ranks(10, &lo, &hi), 0);
	ck_assert_uint_eq(lo, 1);
	ck_assert_uint_eq(hi, 8);
	ck_assert_int_eq(stats_median_ci_ranks(100, &lo, &hi), 0);
	ck_assert_uint_eq(lo, 39);
	ck_assert_uint_eq(hi, 60);
	ck_assert_int_eq(stats_median_ci_ranks(51, &lo, &hi), 0);
	ck_assert_uint_eq(lo, 18);
	ck_assert_uint_eq(hi, 32);
	/* Below 6 samples no pair of ranks reaches 95%: the whole range. */
	ck_assert_int_eq(stats_median_ci_ranks(5, &lo, &hi), 0);
	ck_assert_uint_eq(lo, 0);
	ck_assert_uint_eq(hi, 4);
	ck_assert_int_eq(stats_median_ci_ranks(0, &lo, &hi), -1);
}
END_TEST

/*
 * The exact CI covers the true median at least 95% of the time whatever
 * the distribution: exponential samples (median ln 2), 4000 sets of 51
 * (exact coverage 95.1%; a 4000-trial estimate is within +-0.7% of it at
 * 2 sigma).
 */
START_TEST(exact_median_ci_covers_95_percent)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const int trials = 4000;
	int covered = 0;
	double v[51];
	struct summary_row r;

	gsl_rng_set(rng, 2024);
	for (int t = 0; t < trials; t++) {
		for (int i = 0; i < 51; i++)
			v[i] = gsl_ran_exponential(rng, 1.0);
		ck_assert_int_eq(stats_describe(v, 51, &r), 0);
		ck_assert(r.ci95_lo <= r.median && r.median <= r.ci95_hi);
		covered += r.ci95_lo <= M_LN2 && M_LN2 <= r.ci95_hi;
	}
	ck_assert_double_gt((double)covered / trials, 0.94);
	ck_assert_double_lt((double)covered / trials, 0.96);
	gsl_rng_free(rng);
}
END_TEST

START_TEST(exact_median_ci_on_normal_data)
{
	double *v = normal_sample();
	struct summary_row r;

	ck_assert_int_eq(stats_describe(v, NORMAL_N, &r), 0);
	/* As the bootstrap's: the median's standard error is ~0.44, so about +-0.87. */
	ck_assert(r.ci95_lo < r.median && r.median < r.ci95_hi);
	ck_assert_double_gt(r.ci95_hi - r.ci95_lo, 0.8);
	ck_assert_double_lt(r.ci95_hi - r.ci95_lo, 3.5);
	ck_assert_double_eq_tol(r.median, 1000, 2);
	free(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, uniform_integers);
	tcase_add_test(tc, even_count_median_interpolates);
	tcase_add_test(tc, median_of_leaves_its_input);
	tcase_add_test(tc, normal_distribution);
	tcase_add_test(tc, outliers_counted_not_dropped);
	tcase_add_test(tc, bootstrap_is_reproducible);
	tcase_add_test(tc, empty_and_single);
	tcase_add_test(tc, negative_values_after_floor);
	tcase_add_test(tc, median_ci_ranks_match_the_binomial_table);
	tcase_add_test(tc, exact_median_ci_covers_95_percent);
	tcase_add_test(tc, exact_median_ci_on_normal_data);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
