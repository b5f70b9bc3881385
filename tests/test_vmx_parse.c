/* SPDX-License-Identifier: MIT */
/*
 * The raw VMX harness's serial line format: reader, checks, summaries, fits,
 * and what `vmexit-bench vmx` writes from them.
 */
#include "check_main.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmp_dir.h"
#include "vmx_report.h"
#include "vmx_stats.h"

static char *buf;
static size_t buflen;
static FILE *out;

static void begin(void)
{
	out = open_memstream(&buf, &buflen);
	ck_assert_ptr_nonnull(out);
}

static void header(void)
{
	fprintf(out, "\r\nSeaBIOS noise\r\n");
	fprintf(out, "VMXB 1 hello engine=1 platform=image\r\n");
	fprintf(out, "VMXB 1 info timing emulated\n");
	fprintf(out, "VMXB 1 info cpu GenuineIntel signature=0x50654\n");
	fprintf(out, "VMXB 1 info vmx basic=0xd8 misc=0x6 ept=0xf msr_max=512\n");
	fprintf(out, "VMXB 1 config iters=4 warmup=1 msr-area=0,8,64\n");
}

static void bench(const char *name, int reason, long base)
{
	for (int i = 0; i < 4; i++) {
		long ex = base / 10, en = base / 5 + i, h = base - ex - en + i;

		fprintf(out, "VMXB 1 sample %s %d %ld %ld %ld %ld\n", name, i, ex + h + en, ex,
			h, en);
	}
	fprintf(out, "VMXB 1 exit %s reason=%d count=5 ok\n", name, reason);
}

/* Phase of the area grows by exactly @slope ticks per entry. */
static void sweep(const char *area, bool entry, double slope)
{
	static const unsigned counts[] = { 0, 8, 64 };

	for (int c = 0; c < 3; c++) {
		long grow = lround(slope * counts[c]);

		fprintf(out, "VMXB 1 verify %s %u ok\n", area, counts[c]);
		for (int i = 0; i < 4; i++) {
			long ex = 10 + (entry ? 0 : grow), h = 100, en = 12 + (entry ? grow : 0);

			fprintf(out, "VMXB 1 sweep-sample %s %u %d %ld %ld %ld %ld\n", area,
				counts[c], i, ex + h + en, ex, h, en);
		}
		fprintf(out, "VMXB 1 sweep %s %u samples=4 median=%ld\n", area, counts[c],
			122 + grow);
	}
}

static void good_log(void)
{
	begin();
	header();
	for (int i = 0; i < 4; i++)
		fprintf(out, "VMXB 1 sample floor %d 4 - - -\n", i);
	bench("null", 13, 110);
	bench("cpuid", 10, 130);
	bench("ept", 48, 120);
	sweep("exit-store", false, 3.0);
	sweep("exit-load", false, 5.0);
	sweep("entry-load", true, 7.0);
}

static int parse(struct vmx_log *log, char *err, size_t errlen)
{
	FILE *f;
	int rc;

	fclose(out);
	out = NULL;
	f = fmemopen(buf, buflen, "r");
	ck_assert_ptr_nonnull(f);
	vmx_log_init(log);
	rc = vmx_parse_stream(f, log, err, errlen);
	fclose(f);
	free(buf);
	buf = NULL;
	return rc;
}

static const struct vmx_series *series(const struct vmx_log *log, const char *name, int area,
				       unsigned count)
{
	for (size_t i = 0; i < log->nseries; i++)
		if (!strcmp(log->series[i].name, name) && log->series[i].area == area &&
		    log->series[i].count == count)
			return &log->series[i];
	return NULL;
}

START_TEST(parses_a_complete_run)
{
	struct vmx_log log;
	const struct vmx_series *s;
	char err[256];

	good_log();
	fprintf(out, "VMXB 1 done ok\n");
	ck_assert_msg(parse(&log, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(log.timing, VMX_TIMING_EMULATED);
	ck_assert_str_eq(vmx_log_unit(&log), "emulated_ticks");
	ck_assert_uint_eq(log.iters, 4);
	ck_assert_uint_eq(log.msr_max, 512);
	ck_assert(log.done && log.done_ok);
	ck_assert_uint_eq(log.nseries, 4 + 9);
	s = series(&log, "cpuid", VMX_AREA_NONE, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n, 4);
	ck_assert(s->has_phases);
	ck_assert_int_eq(s->reason, 10);
	ck_assert_double_eq(s->v[PHASE_EXIT][0], 13);
	s = series(&log, "floor", VMX_AREA_NONE, 0);
	ck_assert(!s->has_phases);
	s = series(&log, "entry-load", VMX_AREA_ENTRY_LOAD, 64);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->verified, 1);
	ck_assert_double_eq(s->device_median, 122 + 448);
	ck_assert_msg(vmx_log_check(&log, err, sizeof(err)) == 0, "%s", err);
	vmx_log_free(&log);
}
END_TEST

START_TEST(summaries_subtract_the_floor_from_totals_only)
{
	struct vmx_log log;
	struct summary_row *rows;
	char err[256];
	double floor;
	size_t n;
	bool seen = false;

	good_log();
	fprintf(out, "VMXB 1 done ok\n");
	ck_assert_int_eq(parse(&log, err, sizeof(err)), 0);
	ck_assert_int_eq(vmx_log_summaries(&log, &rows, &n, &floor, err, sizeof(err)), 0);
	ck_assert_double_eq(floor, 4);
	/* floor: total only; 3 benches and 9 sweep points: 4 phases each */
	ck_assert_uint_eq(n, 1 + 12 * 4);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(rows[i].unit, "emulated_ticks");
		ck_assert_int_eq(rows[i].cpl, 0);
		if (!strcmp(rows[i].benchmark, "vmx-null") && rows[i].phase == PHASE_TOTAL) {
			/* totals are 110..113, minus the floor of 4 */
			ck_assert_double_eq(rows[i].min, 106);
			seen = true;
		}
		if (!strcmp(rows[i].benchmark, "vmx-null") && rows[i].phase == PHASE_EXIT)
			ck_assert_double_eq(rows[i].median, 11);
	}
	ck_assert(seen);
	ck_assert_str_eq(rows[n - 1].benchmark, "vmx-msr-entry-load-64");
	free(rows);
	vmx_log_free(&log);
}
END_TEST

START_TEST(fits_the_slope_of_the_right_phase)
{
	static const double want[VMX_AREA_COUNT] = { 3, 5, 7 };
	struct vmx_log log;
	struct vmx_fit fit;
	char err[256];

	good_log();
	fprintf(out, "VMXB 1 done ok\n");
	ck_assert_int_eq(parse(&log, err, sizeof(err)), 0);
	for (int a = 0; a < VMX_AREA_COUNT; a++) {
		ck_assert_int_eq(vmx_log_fit(&log, a, vmx_area_phase(a), &fit), 0);
		ck_assert_uint_eq(fit.npoints, 3);
		ck_assert_uint_eq(fit.nsamples, 12);
		ck_assert_double_eq_tol(fit.slope, want[a], 1e-9);
		ck_assert(fit.ci95_lo <= want[a] + 1e-9 && fit.ci95_hi >= want[a] - 1e-9);
	}
	/* entry-load does not touch the exit phase */
	ck_assert_int_eq(vmx_log_fit(&log, VMX_AREA_ENTRY_LOAD, PHASE_EXIT, &fit), 0);
	ck_assert_double_eq_tol(fit.slope, 0, 1e-9);
	vmx_log_free(&log);
}
END_TEST

START_TEST(noisy_fit_has_a_ci_around_the_slope)
{
	struct vmx_log log;
	struct vmx_fit fit;
	char err[256];

	begin();
	header();
	for (unsigned c = 0; c <= 64; c += 16) {
		fprintf(out, "VMXB 1 verify exit-load %u ok\n", c);
		for (int i = 0; i < 50; i++) {
			/* the same noise at every size: zero-mean, uncorrelated with it */
			long noise = (long)((i * 7) % 21) - 10;
			long ex = 500 + 20 * c + noise;

			fprintf(out, "VMXB 1 sweep-sample exit-load %u %d %ld %ld 100 50\n", c, i,
				ex + 150, ex);
		}
		fprintf(out, "VMXB 1 sweep exit-load %u samples=50 median=1\n", c);
	}
	ck_assert_int_eq(parse(&log, err, sizeof(err)), 0);
	ck_assert_int_eq(vmx_log_fit(&log, VMX_AREA_EXIT_LOAD, PHASE_EXIT, &fit), 0);
	ck_assert(fit.ci95_lo < fit.ci95_hi);
	ck_assert_msg(fit.ci95_lo <= 20 && fit.ci95_hi >= 20, "slope %f [%f, %f]", fit.slope, fit.ci95_lo, fit.ci95_hi);
	ck_assert(fit.ci95_hi - fit.ci95_lo < 1);
	/* one size only: no slope */
	ck_assert_int_eq(vmx_log_fit(&log, VMX_AREA_EXIT_STORE, PHASE_EXIT, &fit), -1);
	vmx_log_free(&log);
}
END_TEST

/* The sweep CSV's medians and the floor come from a copy: the samples keep their order. */
START_TEST(series_median_leaves_the_samples_in_order)
{
	struct vmx_log log;
	const struct vmx_series *s;
	char err[256];

	begin();
	fprintf(out, "VMXB 1 sample floor 0 9 - - -\nVMXB 1 sample floor 1 3 - - -\n"
		"VMXB 1 sample floor 2 5 - - -\nVMXB 1 sample floor 3 4 - - -\n");
	fprintf(out, "VMXB 1 sample null 0 30 10 10 10\nVMXB 1 sample null 1 12 1 10 1\n"
		"VMXB 1 sample null 2 21 7 10 4\n");
	ck_assert_msg(parse(&log, err, sizeof(err)) == 0, "%s", err);
	s = series(&log, "floor", VMX_AREA_NONE, 0);
	ck_assert_double_eq(vmx_series_median(s, PHASE_TOTAL), 4.5);
	ck_assert_double_eq(s->v[PHASE_TOTAL][0], 9);
	ck_assert_double_eq(s->v[PHASE_TOTAL][3], 4);
	s = series(&log, "null", VMX_AREA_NONE, 0);
	ck_assert_double_eq(vmx_series_median(s, PHASE_EXIT), 7);
	ck_assert_double_eq(vmx_series_median(s, PHASE_ENTRY), 4);
	ck_assert_double_eq(s->v[PHASE_EXIT][0], 10);
	vmx_log_free(&log);
}
END_TEST

static const struct {
	const char *line;
	const char *why;
} bad_lines[] = {
	{ "VMXB 2 done ok", "version" },
	{ "VMXB 1 frobnicate", "unknown record" },
	{ "VMXB", "truncated" },
	{ "VMXB 1", "truncated" },
	{ "VMXB 1 sample cpuid 0 10 1 2 3", "add up" },
	/* 2^62 + 2^62 + (5 - 2^63) wraps to 5 in 64 bits: must not pass for 5. */
	{ "VMXB 1 sample cpuid 0 5 4611686018427387904 4611686018427387904 "
	  "-9223372036854775803", "add up" },
	{ "VMXB 1 sample cpuid 0 +6 1 2 3", "total" },
	{ "VMXB 1 sample cpuid 1 6 1 2 3", "out of order" },
	{ "VMXB 1 sample cpuid 0 6 1 2", "5 fields" },
	{ "VMXB 1 sample cpuid 0 6x 1 2 3", "total" },
	{ "VMXB 1 sample CPUID 0 6 1 2 3", "bench name" },
	{ "VMXB 1 sweep-sample exit-save 0 0 6 1 2 3", "MSR area" },
	{ "VMXB 1 sweep-sample exit-load -1 0 6 1 2 3", "count" },
	{ "VMXB 1 sweep exit-load 8 samples=3 median=5", "announced" },
	{ "VMXB 1 verify exit-load 8 maybe", "ok or fail" },
	{ "VMXB 1 exit cpuid reason=ten count=1 ok", "reason" },
	{ "VMXB 1 exit cpuid reason=10 count=1", "exit wants" },
	{ "VMXB 1 done", "done wants" },
	{ "VMXB 1 info timing fast", "timing" },
	{ "VMXB 1 config iters=x warmup=1 msr-area=0", "config" },
};

START_TEST(refuses_malformed_lines_naming_the_line)
{
	struct vmx_log log;
	char err[256], want[32];

	begin();
	fprintf(out, "boot noise\nVMXB 1 hello engine=1 platform=image\n%s\nVMXB 1 done ok\n",
		bad_lines[_i].line);
	ck_assert_int_eq(parse(&log, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "line 3: ");
	ck_assert_msg(!strncmp(err, want, strlen(want)), "'%s' does not name line 3", err);
	ck_assert_msg(strstr(err, bad_lines[_i].why), "'%s' for '%s' does not say '%s'", err,
		      bad_lines[_i].line, bad_lines[_i].why);
	ck_assert_ptr_null(strchr(err, '\n'));
	vmx_log_free(&log);
}
END_TEST

static const struct {
	const char *tail;
	const char *why;
} bad_runs[] = {
	{ "", "before the done line" },
	{ "VMXB 1 done fail\n", "done fail" },
	{ "VMXB 1 error VMXON failed\nVMXB 1 done fail\n", "VMXON failed" },
	{ "VMXB 1 exit pio-in reason=31 count=1 ok\nVMXB 1 sample pio-in 0 3 1 1 1\n"
	  "VMXB 1 done ok\n", "expected 30" },
	{ "VMXB 1 sample hlt 0 3 1 1 1\nVMXB 1 done ok\n", "no exit reported" },
	{ "VMXB 1 verify exit-store 2 fail store entry=1\nVMXB 1 sweep-sample exit-store 2 0 3 1 1 1\n"
	  "VMXB 1 sweep exit-store 2 samples=1 median=3\nVMXB 1 done ok\n", "verification failed" },
	{ "VMXB 1 sweep-sample exit-store 2 0 3 1 1 1\nVMXB 1 sweep exit-store 2 samples=1 median=3\n"
	  "VMXB 1 done ok\n", "not verified" },
	{ "VMXB 1 verify exit-store 2 ok\nVMXB 1 sweep-sample exit-store 2 0 3 1 1 1\n"
	  "VMXB 1 done ok\n", "incomplete" },
};

/* Noise of any length is skipped, as the format promises; a long record is not. */
START_TEST(long_noise_lines_are_skipped)
{
	struct vmx_log log;
	char err[256], *noise = malloc(70000);

	memset(noise, 'x', 69999);
	noise[69999] = 0;
	good_log();
	fprintf(out, "%s\nVMXB 1 done ok\n", noise);
	ck_assert_msg(parse(&log, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(vmx_log_check(&log, err, sizeof(err)) == 0, "%s", err);
	vmx_log_free(&log);

	begin();
	fprintf(out, "VMXB 1 hello engine=1 platform=image\nVMXB 1 info cpu %s\n", noise);
	ck_assert_int_eq(parse(&log, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 2: line too long"), "%s", err);
	vmx_log_free(&log);
	free(noise);
}
END_TEST

START_TEST(check_rejects_incomplete_or_failed_runs)
{
	struct vmx_log log;
	char err[256];

	good_log();
	fputs(bad_runs[_i].tail, out);
	ck_assert_msg(parse(&log, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vmx_log_check(&log, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_runs[_i].why), "'%s' does not say '%s'", err,
		      bad_runs[_i].why);
	vmx_log_free(&log);
}
END_TEST

START_TEST(expected_reasons_follow_the_sdm)
{
	ck_assert_int_eq(vmx_expected_reason("cpuid"), 10);
	ck_assert_int_eq(vmx_expected_reason("rdmsr"), 31);
	ck_assert_int_eq(vmx_expected_reason("wrmsr"), 32);
	ck_assert_int_eq(vmx_expected_reason("pio-out"), 30);
	ck_assert_int_eq(vmx_expected_reason("ept"), 48);
	ck_assert_int_eq(vmx_expected_reason("vmcall"), 18);
	ck_assert_int_eq(vmx_expected_reason("null"), 13);
	ck_assert_int_eq(vmx_expected_reason("floor"), -1);
	ck_assert_int_eq(vmx_area_phase(VMX_AREA_ENTRY_LOAD), PHASE_ENTRY);
	ck_assert_int_eq(vmx_area_phase(VMX_AREA_EXIT_STORE), PHASE_EXIT);
}
END_TEST

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Runs the report on the log in the stream; returns the table (caller frees). */
static char *report(const char *sweep_csv, int want_rc, char *err, size_t errlen)
{
	struct vmx_log log;
	char *table = NULL;
	size_t tlen = 0;
	FILE *t = open_memstream(&table, &tlen);

	ck_assert_msg(parse(&log, err, errlen) == 0, "%s", err);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(vmx_report_write(&log, tmp_path("summary.csv"), sweep_csv, t, err,
					  errlen), want_rc);
	fclose(t);
	vmx_log_free(&log);
	return table;
}

START_TEST(report_writes_the_sweep_csv_and_the_table)
{
	char err[256], *table, *csv;

	good_log();
	fprintf(out, "VMXB 1 done ok\n");
	table = report(tmp_path("sweep.csv"), 0, err, sizeof(err));
	csv = tmp_read(tmp_path("sweep.csv"), NULL);
	/* total 122 + 3 per entry, of which the exit phase 10 + 3 per entry */
	ck_assert_msg(starts(csv, "area,phase,count,samples,median_total_raw,median_phase,"
			     "slope,slope_ci95_lo,slope_ci95_hi,verified,unit\n"
			     "exit-store,exit,0,4,122.0,10.0,3.0000,3.0000,3.0000,yes,emulated_ticks\n"
			     "exit-store,exit,8,4,146.0,34.0,3.0000,"), "%s", csv);
	ck_assert_msg(strstr(csv, "\nentry-load,entry,64,4,570.0,460.0,7.0000,7.0000,7.0000,yes,"
			      "emulated_ticks\n"), "%s", csv);
	ck_assert_int_eq(csv[strlen(csv) - 1], '\n');
	free(csv);
	csv = tmp_read(tmp_path("summary.csv"), NULL);
	ck_assert(starts(csv, "benchmark,phase,cpl,samples,"));
	ck_assert(strstr(csv, "\nvmx-msr-entry-load-64,entry,0,4,"));
	free(csv);

	ck_assert_msg(starts(table, "raw VMX harness (GenuineIntel signature=0x50654)\n"
			     "unit: emulated_ticks -- EMULATED: "), "%s", table);
	ck_assert(strstr(table, "\ntimer floor 4.0 subtracted from the total phase only\n\n"));
	ck_assert(strstr(table, "\nvmx-null                   exit           4       11.0 "));
	/* sweep points: the total only, minus the floor */
	ck_assert(strstr(table, "\nvmx-msr-exit-store-8       total          4      142.0 "));
	ck_assert_ptr_null(strstr(table, "vmx-msr-exit-store-8       exit"));
	ck_assert(strstr(table, "\nexit-store  exit   3 points     12 samples: 3.000 emulated_ticks "
			 "per entry, 95% CI [3.000, 3.000]\n"));
	ck_assert(strstr(table, "\nentry-load  entry  3 points     12 samples: 7.000 "));
	free(table);
}
END_TEST

START_TEST(report_says_when_there_is_no_slope)
{
	char err[256], *table, *csv;

	begin();
	fprintf(out, "VMXB 1 info timing native\nVMXB 1 sample floor 0 4 - - -\n"
		"VMXB 1 sweep-sample exit-load 4 0 130 18 100 12\n"
		"VMXB 1 sweep-sample exit-store 2 0 125 - - -\n");
	table = report(tmp_path("sweep.csv"), 0, err, sizeof(err));
	csv = tmp_read(tmp_path("sweep.csv"), NULL);
	ck_assert_msg(strstr(csv, "\nexit-load,exit,4,1,130.0,18.0,nan,nan,nan,no,tsc_ticks\n"
			      "exit-store,exit,2,1,125.0,nan,nan,nan,nan,no,tsc_ticks\n"), "%s", csv);
	free(csv);
	ck_assert_msg(strstr(table, "raw VMX harness (unknown CPU)\nunit: tsc_ticks -- native "
			      "TSC ticks\n"), "%s", table);
	ck_assert(strstr(table, "\nexit-load   exit   1 point(s): not enough sizes for a slope\n"));
	/* an unsplit point has no exit phase to fit */
	ck_assert_ptr_null(strstr(table, "\nexit-store  exit"));
	free(table);
}
END_TEST

START_TEST(report_prints_no_table_when_a_file_fails)
{
	char err[256], *table;

	good_log();
	fprintf(out, "VMXB 1 done ok\n");
	table = report(tmp_path("no/such/dir/sweep.csv"), -1, err, sizeof(err));
	ck_assert_str_eq(table, "");
	ck_assert_msg(strstr(err, "no/such/dir/sweep.csv"), "%s", err);
	/* the summary CSV was already in place */
	ck_assert_int_eq(access(tmp_path("summary.csv"), R_OK), 0);
	free(table);
}
END_TEST

START_TEST(report_copies_the_serial_log)
{
	char err[256], *text, *want = NULL;
	size_t wlen = 0;
	FILE *f = fopen(tmp_path("serial.txt"), "w"), *w = open_memstream(&want, &wlen);

	ck_assert_ptr_nonnull(f);
	/* longer than one read, and ending without a newline as the image's log does */
	for (int i = 0; i < 10000; i++)
		fprintf(w, "VMXB 1 sample null %d 30 10 10 10\r\n", i);
	fputs("VMXB 1 done ok", w);
	fclose(w);
	fputs(want, f);
	fclose(f);
	ck_assert_int_eq(vmx_report_copy_log(tmp_path("serial.txt"), tmp_path("kept.log"), err,
					     sizeof(err)), 0);
	text = tmp_read(tmp_path("kept.log"), NULL);
	ck_assert_uint_gt(wlen, 65536);
	ck_assert_str_eq(text, want);
	free(text);
	free(want);
	ck_assert_int_eq(vmx_report_copy_log(tmp_path("gone.txt"), tmp_path("kept.log"), err,
					     sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot read ") && strstr(err, "gone.txt: No such file"),
		      "%s", err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmx_parse");
	TCase *tc = tcase_create("vmx_parse");

	tcase_add_test(tc, parses_a_complete_run);
	tcase_add_test(tc, summaries_subtract_the_floor_from_totals_only);
	tcase_add_test(tc, fits_the_slope_of_the_right_phase);
	tcase_add_test(tc, noisy_fit_has_a_ci_around_the_slope);
	tcase_add_test(tc, series_median_leaves_the_samples_in_order);
	tcase_add_loop_test(tc, refuses_malformed_lines_naming_the_line, 0,
			    sizeof(bad_lines) / sizeof(bad_lines[0]));
	tcase_add_loop_test(tc, check_rejects_incomplete_or_failed_runs, 0,
			    sizeof(bad_runs) / sizeof(bad_runs[0]));
	tcase_add_test(tc, expected_reasons_follow_the_sdm);
	tcase_add_test(tc, long_noise_lines_are_skipped);
	suite_add_tcase(s, tc);
	tc = tcase_create("vmx_report");
	tcase_add_checked_fixture(tc, tmp_dir_setup, tmp_dir_teardown);
	tcase_add_test(tc, report_writes_the_sweep_csv_and_the_table);
	tcase_add_test(tc, report_says_when_there_is_no_slope);
	tcase_add_test(tc, report_prints_no_table_when_a_file_fails);
	tcase_add_test(tc, report_copies_the_serial_log);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
