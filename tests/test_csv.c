/* SPDX-License-Identifier: MIT */
/* summary.csv: the writer, the reader and atomic replacement. */
#include "check_main.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "csv.h"

static char dir[] = "/tmp/vmexit-csv-XXXXXX";
static char path[256];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
	strcpy(dir, "/tmp/vmexit-csv-XXXXXX");
}

static struct summary_row sample_row(const char *name, enum phase p, double median)
{
	struct summary_row r = {
		.phase = p, .cpl = 3, .samples = 20000, .min = -26, .p5 = 1, .p25 = 2,
		.median = median, .p75 = 4, .p95 = 5, .p99 = 6.5, .max = 7, .mean = 3.25,
		.stddev = 0.5, .mad = 0.25, .ci95_lo = median - 1, .ci95_hi = median + 1,
		.outliers = 12,
	};
	snprintf(r.benchmark, sizeof(r.benchmark), "%s", name);
	snprintf(r.unit, sizeof(r.unit), "tsc_ticks");
	return r;
}

static int count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(header_keeps_contract)
{
	/* The first twelve columns are a published interface. */
	static const char contract[] =
		"benchmark,phase,cpl,samples,min,p25,median,p75,p99,max,mean,unit";

	ck_assert_int_eq(strncmp(csv_summary_header, contract, strlen(contract)), 0);
	ck_assert(csv_summary_header[strlen(contract)] == ',' ||
		  csv_summary_header[strlen(contract)] == 0);
}
END_TEST

START_TEST(round_trip)
{
	struct summary_row rows[2] = { sample_row("cpuid", PHASE_TOTAL, 9776),
				       sample_row("pio_out_user", PHASE_EXIT, 31000.5) };
	struct summary_row back;
	char err[256], line[1024];
	FILE *f;

	ck_assert_int_eq(csv_write_summary(path, rows, 2, err, sizeof(err)), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	line[strcspn(line, "\n")] = 0;
	ck_assert_str_eq(line, csv_summary_header);
	for (int i = 0; i < 2; i++) {
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		ck_assert_int_eq(csv_parse_row(line, &back, err, sizeof(err)), 0);
		ck_assert_str_eq(back.benchmark, rows[i].benchmark);
		ck_assert_int_eq(back.phase, rows[i].phase);
		ck_assert_int_eq(back.cpl, 3);
		ck_assert_uint_eq(back.samples, 20000);
		ck_assert_double_eq(back.median, rows[i].median);
		ck_assert_double_eq(back.min, -26);
		ck_assert_double_eq(back.p99, 6.5);
		ck_assert_double_eq(back.ci95_hi, rows[i].median + 1);
		ck_assert_uint_eq(back.outliers, 12);
		ck_assert_str_eq(back.unit, "tsc_ticks");
	}
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_int_eq(count_files(), 1);	/* no temporary left behind */
}
END_TEST

START_TEST(failed_write_keeps_old_file)
{
	struct summary_row r = sample_row("cpuid", PHASE_TOTAL, 1);
	char err[256], bad[300];
	FILE *f = fopen(path, "w");

	fputs("previous run\n", f);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/summary.csv", dir);
	ck_assert_int_eq(csv_write_summary(bad, &r, 1, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no/such/dir"));
	ck_assert_ptr_null(strchr(err, '\n'));
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(err, sizeof(err), f));
	fclose(f);
	ck_assert_str_eq(err, "previous run\n");
}
END_TEST

START_TEST(refuses_malformed_rows)
{
	static const struct {
		const char *line, *column;
	} bad[] = {
		{ "cpuid,total,3,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6", "outliers" },
		{ "cpuid,sideways,3,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "phase" },
		{ "cpuid,total,2,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "cpl" },
		{ "cpuid,total,3,-1,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "samples" },
		{ "cpuid,total,3,100,1,2,x3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "median" },
		{ "cpuid,total,3,100,1,2,,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "median" },
		{ "cpuid,total,3,100,1,2,3,4,5,6,inf,tsc_ticks,1,2,3,4,5,6,7", "mean" },
		{ ",total,3,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7", "benchmark" },
		{ "cpuid,total,3,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7,8", "more than" },
		{ "cpuid,total", "cpl" },
	};
	struct summary_row r;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(csv_parse_row(bad[i].line, &r, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].column), "line %zu: '%s' does not name '%s'",
			      i, err, bad[i].column);
	}
	ck_assert_int_eq(csv_parse_row("cpuid,total,3,100,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7\r\n",
				       &r, err, sizeof(err)), 0);
}
END_TEST

/*
 * Only a regular file is replaced: as root, a rename over /dev/stdout (a
 * link) or a device node would have replaced it. A pipe is written
 * through; a link to a regular file, a directory are refused.
 */
START_TEST(replaces_only_regular_files)
{
	struct summary_row r = sample_row("cpuid", PHASE_TOTAL, 100);
	char link[300], fifo[300], sub[300], err[512], buf[4096];
	struct stat st;
	FILE *rd;
	int fd;

	snprintf(link, sizeof(link), "%s/link.csv", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(csv_write_summary(path, &r, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(atomic_file_check(link, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a regular file"), "%s", err);
	ck_assert_int_eq(csv_write_summary(link, &r, 1, err, sizeof(err)), -1);
	ck_assert(!lstat(link, &st) && S_ISLNK(st.st_mode));
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(atomic_file_check(sub, err, sizeof(err)), -1);
	ck_assert_int_eq(atomic_file_check(path, err, sizeof(err)), 0);
	ck_assert_int_eq(atomic_file_check("-", err, sizeof(err)), 0);
	/* A bare name is in the current directory (dirname gives "."), new or existing. */
	{
		char cwd[4096];

		ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
		ck_assert_int_eq(chdir(dir), 0);
		ck_assert_msg(atomic_file_check("bare-new.csv", err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(csv_write_summary("bare.csv", &r, 1, err, sizeof(err)), 0);
		ck_assert_msg(atomic_file_check("bare.csv", err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(chdir(cwd), 0);
	}
	snprintf(buf, sizeof(buf), "%s/none/x.csv", dir);
	ck_assert_int_eq(atomic_file_check(buf, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "No such file"), "%s", err);

	/* A pipe: written in place, and still a pipe afterwards. */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(atomic_file_check(fifo, err, sizeof(err)), 0);
	ck_assert_msg(csv_write_summary(fifo, &r, 1, err, sizeof(err)) == 0, "%s", err);
	rd = fdopen(fd, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), rd));
	ck_assert_int_eq(strncmp(buf, "benchmark,phase", 15), 0);
	fclose(rd);
	ck_assert(!lstat(fifo, &st) && S_ISFIFO(st.st_mode));
	unlink(fifo);
	unlink(link);
	rmdir(sub);
}
END_TEST

/* Appended columns: status, a reason with commas and quotes, emulated, ns, runs. */
START_TEST(appended_columns)
{
	struct summary_row rows[2] = { sample_row("hlt_user", PHASE_TOTAL, 443295.1500000004),
				       { .phase = PHASE_TOTAL, .cpl = -1 } };
	struct summary_row back;
	char err[256], line[2048];
	FILE *f;

	strcpy(rows[0].status, "ok");
	rows[0].emulated = 1;
	rows[0].median_ns = 170750.00000000003;
	rows[0].runs = 5;
	strcpy(rows[0].kind, "latency");
	rows[0].min = -0.001;		/* rounds to zero: "0.00", never "-0.00" */
	strcpy(rows[1].benchmark, "vmcall");
	strcpy(rows[1].status, "unsupported");
	strcpy(rows[1].reason, "unsupported here: a probe \"VMCALL\" never completes, 0.3 s");
	rows[1].median = 12345;		/* not measured: must not be written */
	rows[1].median_ns = NAN;
	ck_assert_int_eq(csv_write_summary(path, rows, 2, err, sizeof(err)), 0);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "hlt_user,total,3,20000,0.00,2.00,443295.15,4.00,6.50,7.00,3.25,"
			 "tsc_ticks,443294.15,443296.15,1.00,5.00,0.50,0.25,12,ok,,1,170750.00,5,latency\n");
	ck_assert_int_eq(csv_parse_row(line, &back, err, sizeof(err)), 0);
	ck_assert_str_eq(back.status, "ok");
	ck_assert_int_eq(back.emulated, 1);
	ck_assert_uint_eq(back.runs, 5);
	ck_assert_str_eq(back.kind, "latency");
	ck_assert_double_eq(back.median_ns, 170750);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "vmcall,total,,0,,,,,,,,tsc_ticks,,,,,,,0,unsupported,"
			 "\"unsupported here: a probe \"\"VMCALL\"\" never completes, 0.3 s\",0,,1,exit\n");
	ck_assert_int_eq(csv_parse_row(line, &back, err, sizeof(err)), 0);
	ck_assert_str_eq(back.reason, rows[1].reason);
	ck_assert_str_eq(back.status, "unsupported");
	ck_assert_int_eq(back.cpl, -1);
	ck_assert(isnan(back.median));
	fclose(f);
	/* A measured row may not leave statistics out; an unknown status is refused. */
	ck_assert_int_eq(csv_parse_row("cpuid,total,3,1,,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7,"
				       "ok,,0,,1,exit", &back, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'min'"));
	ck_assert_int_eq(csv_parse_row("cpuid,total,3,1,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7,"
				       "fine,,0,,1,exit", &back, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "'status'"));
	ck_assert_int_eq(csv_parse_row("cpuid,total,3,1,1,2,3,4,5,6,7,tsc_ticks,1,2,3,4,5,6,7,"
				       "ok,\"open,0,,1,exit", &back, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "quote"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header_keeps_contract);
	tcase_add_test(tc, appended_columns);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, failed_write_keeps_old_file);
	tcase_add_test(tc, refuses_malformed_rows);
	tcase_add_test(tc, replaces_only_regular_files);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
