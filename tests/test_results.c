/* SPDX-License-Identifier: MIT */
/*
 * The results directory and its readers: run.json round trip, table.tex,
 * directory contents and atomicity, plots, compare (numbers and every
 * refusal), progress.
 */
#define _GNU_SOURCE
#include <check.h>

#include "check_main.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "compare.h"
#include "csv.h"
#include "progress.h"
#include "results_dir.h"
#include "run_json.h"
#include "stats.h"
#include "table.h"
#include "tex.h"
#include "cmd_results.h"

#define N 2000
#define NSPLIT 1993
#define MAXB 4

/* --- fixtures ------------------------------------------------------------- */

struct fixture {
	struct run_record r;
	struct bench_record b[MAXB];
	struct env_record e;
};

/*
 * Each test (a forked child) gets its own directory under @base; main()
 * removes @base at the end, so a failed test leaves nothing behind either.
 */
static char base[] = "/tmp/vmexit-test-XXXXXX";
static char tmpdir[4200];
static char err[8192];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/t-XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

/* Normal samples around @mean: known medians and a known ratio between runs. */
static void fill_phase(struct bench_record *b, int p, size_t n, double mean, double sd,
		       uint64_t seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *copy = malloc(n * sizeof(double));

	gsl_rng_set(rng, seed);
	b->samples[p] = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		b->samples[p][i] = round(mean + gsl_ran_gaussian(rng, sd));
	memcpy(copy, b->samples[p], n * sizeof(double));
	stats_summarize(copy, n, 500, seed, &b->rows[p]);
	strcpy(b->rows[p].benchmark, b->name);
	b->rows[p].phase = p;
	b->rows[p].cpl = b->cpl;
	strcpy(b->rows[p].unit, "tsc_ticks");
	b->has_phase[p] = true;
	free(copy);
	gsl_rng_free(rng);
}

/*
 * Three benchmarks: cpuid (total), pio_out_user (split into phases) and
 * hypercall (unsupported). @scale multiplies every mean.
 */
static void make_run(struct fixture *f, double scale, uint64_t seed, const char *codename,
		     double tsc_khz)
{
	memset(f, 0, sizeof(*f));
	f->r.bench = f->b;
	f->r.nbench = 3;
	f->r.tsc_khz = tsc_khz;
	strcpy(f->r.tsc_source, "KVM_GET_TSC_KHZ");
	strcpy(f->r.cpl_mode, "auto");
	strcpy(f->r.timer[0], "rdtsc; lfence");
	strcpy(f->r.timer[3], "rdtscp; lfence");
	f->r.iterations = N;
	f->r.warmup = 100;
	f->r.pinned_cpu = 1;
	f->r.floor[3] = 31;		/* indexed by CPL */
	f->r.floor_valid[3] = true;
	f->r.cpl0_nop_probe = NAN;	/* not measured: must become null, not break JSON */
	f->r.cpl3_nop_probe = 1.5;

	strcpy(f->b[0].name, "cpuid");
	strcpy(f->b[1].name, "pio_out_user");
	strcpy(f->b[2].name, "hypercall");
	for (int i = 0; i < 3; i++) {
		f->b[i].cpl = 3;
		f->b[i].floor = 31;
		f->b[i].nsamples = i < 2 ? N : 0;
		snprintf(f->b[i].exit_check, sizeof(f->b[i].exit_check), "kvm exits +%d", N);
	}
	fill_phase(&f->b[0], PHASE_TOTAL, N, 10000 * scale, 150 * scale, seed);
	fill_phase(&f->b[1], PHASE_TOTAL, N, 66000 * scale, 900 * scale, seed + 1);
	/* The split drops disturbed samples: its phases are shorter than the total. */
	fill_phase(&f->b[1], PHASE_EXIT, NSPLIT, 20000 * scale, 300 * scale, seed + 2);
	fill_phase(&f->b[1], PHASE_HANDLER, NSPLIT, 26000 * scale, 300 * scale, seed + 3);
	fill_phase(&f->b[1], PHASE_ENTRY, NSPLIT, 20000 * scale, 300 * scale, seed + 4);
	f->b[1].disturbed = N - NSPLIT;
	f->b[2].status = BENCH_UNSUPPORTED;
	strcpy(f->b[2].reason, "VMCALL never completes on kvm_pvm");
	/* As run.json writes a row that runs at no CPL here (--cpl 3 and a CPL0-only row). */
	f->b[2].cpl = -1;

	strcpy(f->e.version, "v1.0-test");
	strcpy(f->e.date, "2025-01-31T12:00:00Z");
	strcpy(f->e.hostname, "testhost");
	strcpy(f->e.cpu_vendor, "AuthenticAMD");
	strcpy(f->e.cpu_brand, "AMD EPYC 9654 96-Core & friends_v2");
	snprintf(f->e.cpu_codename, sizeof(f->e.cpu_codename), "%s", codename);
	strcpy(f->e.microcode, "0xa101148");
	strcpy(f->e.kernel, "6.1.0-18-amd64");
	strcpy(f->e.kvm_module, "kvm_amd");
	f->e.tsc_khz = tsc_khz;
	strcpy(f->e.tsc_source, "KVM_GET_TSC_KHZ");
	f->e.invariant_tsc = true;
	f->e.pinned_cpu = 1;
	strcpy(f->e.governor, "performance");
	strcpy(f->e.hypervisor_vendor, "none");
}

static void free_run(struct fixture *f)
{
	for (int i = 0; i < MAXB; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			free(f->b[i].samples[p]);
}

/* "<dir>/<name>" in one of 8 rotating buffers; @dir may be an earlier result. */
static char *path_in(const char *dir, const char *name)
{
	static char buf[8][8192];
	static int k;
	char tmp[8192];

	k = (k + 1) % 8;
	if (snprintf(tmp, sizeof(tmp), "%s/%s", dir, name) >= (int)sizeof(tmp))
		ck_abort_msg("path too long");
	memcpy(buf[k], tmp, sizeof(tmp));
	return buf[k];
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	ck_assert_uint_eq(fread(buf, 1, len, f), (size_t)len);
	buf[len] = 0;
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Writes a run into tmpdir/<name>; returns the directory. */
static char *write_run(struct fixture *f, const char *name, bool raw, enum plot_fmt fmt)
{
	static char made[4][4096];
	static int k;
	struct results_opts o = { .raw = raw, .plot = fmt };

	k = (k + 1) % 4;
	o.output = path_in(tmpdir, name);
	o.created = made[k];
	o.createdlen = sizeof(made[k]);
	ck_assert_msg(!results_dir_write(NULL, &f->r, &f->e, &o, err, sizeof(err)), "%s", err);
	return made[k];
}

static size_t count_entries(const char *dir, bool hidden_only)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n += !hidden_only || de->d_name[0] == '.';
	}
	closedir(d);
	return n;
}

/* --- run.json ------------------------------------------------------------- */

START_TEST(test_json_round_trip)
{
	struct fixture f;
	struct run_record r;
	static struct env_record e;
	char *path;

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.b[0].emulated = true;
	f.b[1].exits_seen = 123456789012ULL;
	strcpy(f.b[1].phase_note, "split from guest stamps");
	path = path_in(tmpdir, "run.json");
	ck_assert_msg(!run_json_write(path, &f.r, &f.e, err, sizeof(err)), "%s", err);
	ck_assert_msg(!run_json_read(path, &r, &e, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(r.nbench, 3);
	ck_assert_uint_eq(r.iterations, N);
	ck_assert_uint_eq(r.warmup, 100);
	ck_assert_str_eq(r.cpl_mode, "auto");
	ck_assert_str_eq(r.timer[0], "rdtsc; lfence");
	ck_assert_str_eq(r.timer[3], "rdtscp; lfence");
	ck_assert(r.tsc_khz == 2596000);
	ck_assert_int_eq(r.pinned_cpu, 1);
	ck_assert(!r.floor_valid[0]);
	ck_assert(r.floor_valid[3] && r.floor[3] == 31);
	ck_assert_str_eq(e.cpu_brand, f.e.cpu_brand);
	ck_assert_str_eq(e.cpu_codename, "Genoa");
	ck_assert_str_eq(e.kvm_module, "kvm_amd");
	ck_assert_str_eq(e.version, "v1.0-test");
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(r.bench[i].name, f.b[i].name);
		ck_assert_int_eq(r.bench[i].status, f.b[i].status);
		ck_assert_str_eq(r.bench[i].reason, f.b[i].reason);
		ck_assert_int_eq(r.bench[i].emulated, f.b[i].emulated);
		ck_assert_str_eq(r.bench[i].exit_check, f.b[i].exit_check);
		ck_assert_str_eq(r.bench[i].phase_note, f.b[i].phase_note);
		ck_assert_uint_eq(r.bench[i].nsamples, f.b[i].nsamples);
		ck_assert_uint_eq(r.bench[i].disturbed, f.b[i].disturbed);
		ck_assert_uint_eq(r.bench[i].exits_seen, f.b[i].exits_seen);
		ck_assert(r.bench[i].floor == f.b[i].floor);
		for (int p = 0; p < PHASE_COUNT; p++) {
			const struct summary_row *a = &f.b[i].rows[p], *b = &r.bench[i].rows[p];

			ck_assert_int_eq(r.bench[i].has_phase[p], f.b[i].has_phase[p]);
			if (!f.b[i].has_phase[p])
				continue;
			/* Statistics are stored to 0.01 tick, and read back as stored. */
#define R2(x) (round((x) * 100) / 100)
			ck_assert(R2(a->median) == b->median && R2(a->ci95_lo) == b->ci95_lo &&
				  R2(a->ci95_hi) == b->ci95_hi && R2(a->p5) == b->p5 &&
				  R2(a->p99) == b->p99 && R2(a->mad) == b->mad &&
				  R2(a->stddev) == b->stddev && R2(a->max) == b->max);
#undef R2
			ck_assert_uint_eq(a->samples, b->samples);
			ck_assert_uint_eq(a->outliers, b->outliers);
			ck_assert_str_eq(b->unit, "tsc_ticks");
			ck_assert_str_eq(b->benchmark, f.b[i].name);
		}
	}
	run_record_free(&r);
	free_run(&f);
}
END_TEST

/* An interrupted run says so; a file without the fields is a complete run. */
START_TEST(test_json_incomplete)
{
	struct fixture f;
	struct run_record r;
	static struct env_record e;
	char *path = path_in(tmpdir, "run.json"), *text, *at;

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.r.incomplete = true;
	f.r.selected = 7;
	strcpy(f.r.stopped_by, "SIGTERM");
	ck_assert(!run_json_write(path, &f.r, &f.e, err, sizeof(err)));
	ck_assert_msg(!run_json_read(path, &r, &e, err, sizeof(err)), "%s", err);
	ck_assert(r.incomplete);
	ck_assert_str_eq(r.stopped_by, "SIGTERM");
	ck_assert_uint_eq(r.selected, 7);
	run_record_free(&r);
	/* Cut the new fields off: what an earlier version wrote. */
	text = slurp(path);
	at = strstr(text, ",\n  \"incomplete\"");
	ck_assert_ptr_nonnull(at);
	strcpy(at, "\n}\n");
	spit(path, text);
	free(text);
	ck_assert_msg(!run_json_read(path, &r, &e, err, sizeof(err)), "%s", err);
	ck_assert(!r.incomplete);
	run_record_free(&r);
	free_run(&f);
}
END_TEST

static void expect_json_error(const char *json, const char *needle)
{
	struct run_record r;
	static struct env_record e;
	char *path = path_in(tmpdir, "bad.json");

	spit(path, json);
	ck_assert_int_eq(run_json_read(path, &r, &e, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, needle) && strstr(err, "bad.json"), "'%s' lacks '%s'", err,
		      needle);
	ck_assert_ptr_null(r.bench);
}

/* Rewrites one value of a valid run.json (first occurrence of @from). */
static void mutate_json(const char *from, const char *to, const char *needle)
{
	struct fixture f;
	char *path = path_in(tmpdir, "good.json"), *text, *at, *out;

	make_run(&f, 1, 1, "Genoa", 2596000);
	ck_assert(!run_json_write(path, &f.r, &f.e, err, sizeof(err)));
	text = slurp(path);
	at = strstr(text, from);
	ck_assert_msg(at != NULL, "'%s' not in run.json", from);
	out = malloc(strlen(text) + strlen(to) + 1);
	memcpy(out, text, at - text);
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	expect_json_error(out, needle);
	free(out);
	free(text);
	free_run(&f);
}

START_TEST(test_json_refusals)
{
	expect_json_error("{\"schema_version\": 1,", "line 1");
	expect_json_error("[1,2]", "top level");
	expect_json_error("{\"tool\": \"x\"}", "schema_version");
	mutate_json("\"schema_version\": 1", "\"schema_version\": 99", "schema_version");
	mutate_json("\"schema_version\": 1", "\"schema_version\": \"1\"", "schema_version");
	mutate_json("\"codename\": \"Genoa\"", "\"codename\": 7", "environment.cpu.codename");
	mutate_json("\"iterations\": 2000", "\"iterations\": -5", "settings.iterations");
	mutate_json("\"status\": \"ok\"", "\"status\": \"great\"", "benchmarks[0].status");
	mutate_json("\"cpl\": 3", "\"cpl\": 2", "benchmarks[0].cpl");
	mutate_json("\"cpl\": 3", "\"kpl\": 3", "benchmarks[0].cpl");
	mutate_json("\"median\": ", "\"median\": \"x\", \"old\": ", "benchmarks[0].phases.total.median");
	mutate_json("\"total\": {", "\"middle\": {", "benchmarks[0].phases.middle");
	mutate_json("\"cpl3\": 31.0", "\"cpl3\": \"31\"", "settings.floor_tsc_ticks.cpl3");
	mutate_json("\"disturbed\": 0", "\"disturbed\": 0.5", "benchmarks[0].disturbed");
	/* Nothing is allocated per element before the array is known to be sane. */
	mutate_json("\"benchmarks\": [", "\"benchmarks\": [1, ", "element 0 is not an object");
	{
		char *many = malloc(5000 * 3 + 32);

		strcpy(many, "\"benchmarks\": [");
		for (int i = 0; i < 5000; i++)
			strcat(many, "{},");
		mutate_json("\"benchmarks\": [", many, "more than 4096");
		free(many);
	}
	/* A count that would overflow what is sized from it. */
	mutate_json("\"samples\": 2000", "\"samples\": 2305843009213693953",
		    "benchmarks[0].samples");
}
END_TEST

/* --- table.tex ------------------------------------------------------------ */

START_TEST(test_tex_escape)
{
	char out[256];

	ck_assert_int_eq(tex_escape("a_b&c%d$e#f{g}h~i^j\\k", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "a\\_b\\&c\\%d\\$e\\#f\\{g\\}h\\textasciitilde{}i"
			 "\\textasciicircum{}j\\textbackslash{}k");
	ck_assert_int_eq(tex_escape("plain text 123", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "plain text 123");
	/* Too small: a prefix, never half an escape. */
	ck_assert_int_eq(tex_escape("ab_cd", out, 4), -1);
	ck_assert_str_eq(out, "ab");
}
END_TEST

static size_t count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

START_TEST(test_tex_content)
{
	struct fixture f;
	char *text, *path = path_in(tmpdir, "table.tex"), line[128];

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.b[0].emulated = true;
	f.b[1].rows[PHASE_ENTRY].median = -1234.4;
	ck_assert(!tex_write(path, &f.r, &f.e, err, sizeof(err)));
	text = slurp(path);
	ck_assert_uint_eq(count_str(text, "\\toprule"), 1);
	ck_assert_uint_eq(count_str(text, "\\midrule"), 1);
	ck_assert_uint_eq(count_str(text, "\\bottomrule"), 1);
	ck_assert_uint_eq(count_str(text, "\\begin{tabularx}"), count_str(text, "\\end{tabularx}"));
	ck_assert_ptr_nonnull(strstr(text, "% CPU: AMD EPYC 9654 96-Core & friends_v2\n"));
	ck_assert_ptr_nonnull(strstr(text, "\\caption{VM-exit cost on AMD EPYC 9654 96-Core \\& friends\\_v2 (Genoa)"));
	ck_assert_ptr_nonnull(strstr(text, "in TSC ticks"));
	ck_assert_ptr_nonnull(strstr(text, "$^\\dagger$(emulated"));
	/* Phases are columns, thousands are grouped, the CI is one number. */
	ck_assert_ptr_nonnull(strstr(text, "Benchmark & Median & 95\\% CI & Exit & Handler & Entry \\\\"));
	snprintf(line, sizeof(line), "\\texttt{cpuid}$^\\dagger$ & %.0f\\,%03.0f & $\\pm$",
		 floor(f.b[0].rows[0].median / 1000 + 0.0005 / 1000),
		 fmod(round(f.b[0].rows[0].median), 1000));
	ck_assert_msg(strstr(text, line) != NULL, "missing row '%s'", line);
	ck_assert_ptr_nonnull(strstr(text, " &  &  &  \\\\\n"));	/* cpuid is not split */
	/* Each benchmark once, its phases on its own row; a real minus. */
	ck_assert_uint_eq(count_str(text, "\\texttt{pio\\_\\allowbreak{}out\\_\\allowbreak{}user}"), 1);
	ck_assert_ptr_nonnull(strstr(text, "$-$1\\,234 \\\\\n"));
	/* What did not run: one line under the table, no row. */
	ck_assert_ptr_nonnull(strstr(text, "Not measured here (reasons in run.json): \\texttt{hyperc\\allowbreak{}all}."));
	ck_assert_uint_eq(count_str(text, "\\\\\n"), 1 + 2);
	ck_assert_ptr_nonnull(strstr(text, "timer floor subtracted (CPL3: 31 ticks)."));
	ck_assert_ptr_null(strstr(text, "Median (ns)"));
	free(text);
	/* --no-subtract: every floor 0, and the caption says so. */
	for (int i = 0; i < 3; i++)
		f.b[i].floor = 0;
	ck_assert(!tex_write(path, &f.r, &f.e, err, sizeof(err)));
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "timer floor not subtracted."));
	ck_assert_ptr_null(strstr(text, "INCOMPLETE"));
	free(text);
	/* A run stopped by a signal says so in the caption, not only in run.json. */
	f.r.incomplete = true;
	f.r.selected = 5;
	strcpy(f.r.stopped_by, "SIGINT");
	ck_assert(!tex_write(path, &f.r, &f.e, err, sizeof(err)));
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "INCOMPLETE: the run was stopped by SIGINT; 3 of 5 "
				     "benchmarks were measured"));
	free(text);
	free_run(&f);
}
END_TEST

/* --- results directory ---------------------------------------------------- */

START_TEST(test_dir_contents)
{
	struct fixture f;
	char *dir, *text, *nl;
	size_t lines = 0;

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", true, PLOT_NONE);
	ck_assert_str_eq(dir, path_in(tmpdir, "run1"));
	text = slurp(path_in(dir, "summary.csv"));
	nl = strchr(text, '\n');
	*nl = 0;
	ck_assert_str_eq(text, csv_summary_header);
	/* 1 + 4 phases, and the unsupported benchmark with its status and reason. */
	ck_assert_uint_eq(count_str(nl + 1, "\n"), 6);
	/* It runs at no CPL here: an empty cpl field. */
	ck_assert_ptr_nonnull(strstr(nl + 1, "\nhypercall,total,,0,,,,,,,,tsc_ticks,,,,,,,0,"
				     "unsupported,VMCALL never completes on kvm_pvm,0,,1,exit\n"));
	ck_assert_ptr_nonnull(strstr(nl + 1, ",ok,,0,"));
	free(text);
	text = slurp(path_in(dir, "samples.csv"));
	ck_assert(!strncmp(text, "benchmark,phase,cpl,index,value,unit\n", 37));
	lines = count_str(text, "\n");
	ck_assert_uint_eq(lines, 1 + 2 * N + 3 * NSPLIT);
	ck_assert_ptr_nonnull(strstr(text, "\npio_out_user,entry,3,1992,"));
	ck_assert_ptr_null(strstr(text, "\npio_out_user,entry,3,1993,"));
	free(text);
	ck_assert(!access(path_in(dir, "run.json"), R_OK));
	ck_assert(!access(path_in(dir, "table.tex"), R_OK));
	ck_assert(!access(path_in(dir, "plots/medians.gp"), R_OK));
	ck_assert(!access(path_in(dir, "plots/medians.dat"), R_OK));
	ck_assert(!access(path_in(dir, "plots/phases.gp"), R_OK));
	ck_assert(!access(path_in(dir, "plots/cdf-cpuid-cpl3.gp"), R_OK));
	ck_assert(!access(path_in(dir, "plots/cdf-pio_out_user-cpl3.dat"), R_OK));
	ck_assert(access(path_in(dir, "plots/medians.png"), F_OK));	/* --plot none */
	ck_assert(access(path_in(dir, "plots/cdf-hypercall-cpl3.gp"), F_OK));
	/* No temporaries left anywhere. */
	ck_assert_uint_eq(count_entries(dir, true), 0);
	ck_assert_uint_eq(count_entries(path_in(dir, "plots"), true), 0);
	ck_assert_uint_eq(count_entries(tmpdir, true), 0);
	free_run(&f);
}
END_TEST

START_TEST(test_dir_no_raw)
{
	struct fixture f;
	char *dir;

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", false, PLOT_NONE);
	ck_assert(access(path_in(dir, "samples.csv"), F_OK));
	free_run(&f);
}
END_TEST

START_TEST(test_dir_auto_name_collision)
{
	struct fixture f;
	struct results_opts o = { .plot = PLOT_NONE };
	char made[3][4096], *before = NULL;

	make_run(&f, 1, 1, "Genoa", 2596000);
	for (int i = 0; i < 3; i++) {
		o.created = made[i];
		o.createdlen = sizeof(made[i]);
		ck_assert_msg(!results_dir_write(path_in(tmpdir, "results"), &f.r, &f.e, &o,
						 err, sizeof(err)), "%s", err);
		if (i == 0)
			before = slurp(path_in(made[0], "run.json"));
		f.r.iterations++;	/* a different run with the same date and host */
	}
	ck_assert_str_eq(made[0], path_in(path_in(tmpdir, "results"), "2025-01-31-120000-testhost"));
	ck_assert_str_eq(made[1], path_in(path_in(tmpdir, "results"), "2025-01-31-120000-testhost-2"));
	ck_assert_str_eq(made[2], path_in(path_in(tmpdir, "results"), "2025-01-31-120000-testhost-3"));
	/* The first run is untouched. */
	{
		char *after = slurp(path_in(made[0], "run.json"));

		ck_assert_str_eq(before, after);
		free(after);
	}
	free(before);
	free_run(&f);
}
END_TEST

START_TEST(test_dir_output_exists)
{
	struct fixture f;
	struct results_opts o = { .plot = PLOT_NONE };
	char *dir = path_in(tmpdir, "taken"), *marker = path_in(dir, "mine.txt");

	make_run(&f, 1, 1, "Genoa", 2596000);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	spit(marker, "precious");
	o.output = dir;
	ck_assert_int_eq(results_dir_write(NULL, &f.r, &f.e, &o, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "taken exists and is not empty"), "%s", err);
	ck_assert(!access(marker, F_OK));
	ck_assert(access(path_in(dir, "run.json"), F_OK));
	ck_assert_uint_eq(count_entries(tmpdir, true), 0);

	/* An empty directory made for the purpose is fine. */
	ck_assert_int_eq(unlink(marker), 0);
	ck_assert_msg(!results_dir_write(NULL, &f.r, &f.e, &o, err, sizeof(err)), "%s", err);
	ck_assert(!access(path_in(dir, "run.json"), F_OK));
	free_run(&f);
}
END_TEST

/*
 * A write that fails half way (file size limit while writing samples.csv)
 * must leave nothing: no directory, no temporary, no partial file.
 */
START_TEST(test_dir_atomic_on_error)
{
	struct fixture f;
	struct results_opts o = { .raw = true, .plot = PLOT_NONE };
	struct rlimit lim = { 64 * 1024, 64 * 1024 };

	make_run(&f, 1, 1, "Genoa", 2596000);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	o.output = path_in(tmpdir, "doomed");
	ck_assert_int_eq(results_dir_write(NULL, &f.r, &f.e, &o, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "samples.csv"), "%s", err);
	ck_assert_uint_eq(count_entries(tmpdir, false), 0);
	free_run(&f);
}
END_TEST

/* A pid that ran and is gone. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	waitpid(pid, NULL, 0);
	return pid;
}

/*
 * A killed run leaves its hidden temporary tree; the next run in the same
 * parent removes it, and only it: not a tree whose writer still runs, not
 * one without our mark, never what a link in it points to.
 */
START_TEST(test_dir_stale_tmp)
{
	struct fixture f;
	struct results_opts o = { .plot = PLOT_NONE };
	char *parent = strdup(path_in(tmpdir, "results")), *stale, *live, *foreign, *victim;
	char mark[64], *text;
	char made[4096];

	ck_assert_int_eq(mkdir(parent, 0755), 0);
	stale = strdup(path_in(parent, ".old.tmp.AAAAAA"));
	live = strdup(path_in(parent, ".busy.tmp.BBBBBB"));
	foreign = strdup(path_in(parent, ".other.tmp.CCCCCC"));
	victim = strdup(path_in(tmpdir, "victim.txt"));
	spit(victim, "keep me");
	ck_assert_int_eq(mkdir(stale, 0700), 0);
	ck_assert_int_eq(mkdir(path_in(stale, "plots"), 0755), 0);
	spit(path_in(stale, "summary.csv"), "half");
	spit(path_in(path_in(stale, "plots"), "medians.dat"), "half");
	ck_assert_int_eq(symlink(victim, path_in(stale, "run.json")), 0);
	snprintf(mark, sizeof(mark), "%d 1\n", (int)dead_pid());
	spit(path_in(stale, ".vmexit-bench-owner"), mark);
	ck_assert_int_eq(mkdir(live, 0700), 0);
	snprintf(mark, sizeof(mark), "%d 0\n", (int)getppid());
	spit(path_in(live, ".vmexit-bench-owner"), mark);
	ck_assert_int_eq(mkdir(foreign, 0700), 0);
	spit(path_in(foreign, "notes"), "not ours");

	make_run(&f, 1, 1, "Genoa", 2596000);
	o.created = made;
	o.createdlen = sizeof(made);
	ck_assert_msg(!results_dir_write(parent, &f.r, &f.e, &o, err, sizeof(err)), "%s", err);
	ck_assert_msg(access(stale, F_OK), "%s was not removed", stale);
	ck_assert(!access(live, F_OK));
	ck_assert(!access(path_in(foreign, "notes"), F_OK));
	text = slurp(victim);
	ck_assert_str_eq(text, "keep me");
	free(text);
	/* The finished run carries no mark. */
	ck_assert(access(path_in(made, ".vmexit-bench-owner"), F_OK));
	free_run(&f);
	free(stale);
	free(live);
	free(foreign);
	free(victim);
	free(parent);
}
END_TEST

/* The up-front check says what the write would find, before anything is measured. */
START_TEST(test_dir_check)
{
	struct results_opts o = { .plot = PLOT_NONE };
	char *full = path_in(tmpdir, "full"), *file = path_in(tmpdir, "file");

	ck_assert_int_eq(mkdir(full, 0755), 0);
	spit(path_in(full, "x"), "x");
	spit(file, "x");
	o.output = full;
	ck_assert_int_eq(results_dir_check(NULL, &o, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "exists and is not empty"), "%s", err);
	o.output = file;
	ck_assert_int_eq(results_dir_check(NULL, &o, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not a directory"), "%s", err);
	o.output = path_in(file, "sub/run");
	ck_assert_int_eq(results_dir_check(NULL, &o, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "ot a directory"), "%s", err);
	o.output = "/proc/vmexit-bench-nope/run";
	ck_assert_int_eq(results_dir_check(NULL, &o, err, sizeof(err)), -1);
	o.output = path_in(tmpdir, "new/deeper/run");
	ck_assert_msg(!results_dir_check(NULL, &o, err, sizeof(err)), "%s", err);
	ck_assert(access(path_in(tmpdir, "new"), F_OK));	/* checking makes nothing */
	ck_assert_uint_eq(count_entries(tmpdir, true), 0);
	o.output = NULL;
	ck_assert_msg(!results_dir_check(tmpdir, &o, err, sizeof(err)), "%s", err);
}
END_TEST

START_TEST(test_dir_load_round_trip)
{
	struct fixture f;
	static struct loaded_run lr;
	char *dir;

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", true, PLOT_NONE);
	ck_assert_msg(!results_dir_load(dir, &lr, err, sizeof(err)), "%s", err);
	ck_assert(lr.has_samples);
	ck_assert_uint_eq(lr.r.nbench, 3);
	ck_assert_uint_eq(lr.r.bench[1].nsamples, N);
	ck_assert_uint_eq(lr.r.bench[1].rows[PHASE_HANDLER].samples, NSPLIT);
	for (size_t k = 0; k < NSPLIT; k++)
		ck_assert(lr.r.bench[1].samples[PHASE_HANDLER][k] == f.b[1].samples[PHASE_HANDLER][k]);
	/* summary.csv has two decimals */
	ck_assert(fabs(lr.r.bench[0].rows[0].median - f.b[0].rows[0].median) < 0.006);
	ck_assert(!lr.r.bench[2].has_phase[PHASE_TOTAL]);
	ck_assert_int_eq(lr.r.bench[2].status, BENCH_UNSUPPORTED);
	ck_assert_int_eq(lr.r.bench[2].cpl, -1);
	results_dir_free(&lr);
	free_run(&f);
}
END_TEST

static void edit(const char *dir, const char *name, const char *from, const char *to);

/* Directories written before summary.csv had status..runs still load. */
START_TEST(test_dir_load_old_summary)
{
	struct fixture f;
	static struct loaded_run lr;
	char *dir, *text, *out, *o, *line;

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "old", false, PLOT_NONE);
	text = slurp(path_in(dir, "summary.csv"));
	out = o = calloc(strlen(text) + 1, 1);
	/* Keep the first 19 columns of every line; drop the unsupported row. */
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		int commas = 0;
		char *p;

		if (strstr(line, ",unsupported,"))
			continue;
		for (p = line; *p && !(*p == ',' && ++commas == 19); p++)
			*o++ = *p;
		*o++ = '\n';
	}
	ck_assert(!strncmp(out, csv_summary_header_v1, strlen(csv_summary_header_v1)));
	spit(path_in(dir, "summary.csv"), out);
	ck_assert_msg(!results_dir_load(dir, &lr, err, sizeof(err)), "%s", err);
	ck_assert(lr.r.bench[1].has_phase[PHASE_ENTRY]);
	ck_assert(fabs(lr.r.bench[1].rows[PHASE_TOTAL].median -
		       f.b[1].rows[PHASE_TOTAL].median) < 0.006);
	ck_assert_uint_eq(lr.r.bench[1].rows[PHASE_TOTAL].runs, 1);
	results_dir_free(&lr);
	/* A line with the other format's column count under that header is refused. */
	edit(dir, "summary.csv", ",tsc_ticks,", ",tsc_ticks,x,");
	ck_assert_int_eq(results_dir_load(dir, &lr, err, sizeof(err)), -1);
	free(text);
	free(out);
	free_run(&f);
}
END_TEST

/*
 * "no exit" and "refused" are statuses of their own in run.json and
 * summary.csv; a directory written when they were "unsupported" with the
 * words in the reason loads as the same status.
 */
START_TEST(test_dir_statuses)
{
	static const struct {
		enum bench_status status;
		const char *name, *reason;
	} cases[] = {
		{ BENCH_NO_EXIT, "no_exit", "no exit: KVM lets the guest do this directly" },
		{ BENCH_REFUSED, "refused", "refused: can hang the host; --allow-dangerous" },
	};
	struct fixture f;
	static struct loaded_run lr;
	char *dir, *text, name[32], want[300], old[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make_run(&f, 1, 1, "Genoa", 2596000);
		f.b[2].status = cases[i].status;
		strcpy(f.b[2].reason, cases[i].reason);
		snprintf(name, sizeof(name), "st%zu", i);
		dir = write_run(&f, name, false, PLOT_NONE);
		text = slurp(path_in(dir, "summary.csv"));
		snprintf(want, sizeof(want), ",%s,", cases[i].name);
		ck_assert_msg(strstr(text, want) && strstr(text, cases[i].reason), "%s", text);
		free(text);
		text = slurp(path_in(dir, "run.json"));
		snprintf(want, sizeof(want), "\"status\": \"%s\"", cases[i].name);
		ck_assert_msg(strstr(text, want), "%s", text);
		free(text);
		ck_assert_msg(!results_dir_load(dir, &lr, err, sizeof(err)), "%s", err);
		ck_assert_int_eq(lr.r.bench[2].status, cases[i].status);
		results_dir_free(&lr);
		/* The old form of the same verdict. */
		snprintf(old, sizeof(old), "\"status\": \"unsupported\"");
		edit(dir, "run.json", want, old);
		ck_assert_msg(!results_dir_load(dir, &lr, err, sizeof(err)), "%s", err);
		ck_assert_int_eq(lr.r.bench[2].status, cases[i].status);
		results_dir_free(&lr);
		free_run(&f);
	}
}
END_TEST

/* run.json: statistics to 0.01 tick, no binary noise such as 443295.1500000004. */
START_TEST(test_json_rounded)
{
	struct fixture f;
	char *dir, *text;

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.b[0].rows[PHASE_TOTAL].p99 = 443295.1500000004;
	f.b[0].rows[PHASE_TOTAL].mean = 10000.123456789;
	dir = write_run(&f, "rounded", false, PLOT_NONE);
	text = slurp(path_in(dir, "run.json"));
	ck_assert_ptr_nonnull(strstr(text, "\"p99\": 443295.15,"));
	ck_assert_ptr_nonnull(strstr(text, "\"mean\": 10000.12,"));
	ck_assert_ptr_null(strstr(text, "0000000"));
	free(text);
	free_run(&f);
}
END_TEST

/* --- plots ---------------------------------------------------------------- */

static bool have_gnuplot(void)
{
	return system("gnuplot -V >/dev/null 2>&1") == 0;
}

static void expect_magic(const char *path, const char *magic, size_t len, bool anywhere)
{
	char *text;
	struct stat st;

	ck_assert_msg(!stat(path, &st), "%s missing", path);
	ck_assert_int_gt(st.st_size, 1000);
	text = slurp(path);
	if (anywhere)
		ck_assert_msg(strstr(text, magic) != NULL, "%s: no '%s'", path, magic);
	else
		ck_assert_msg(!memcmp(text, magic, len), "%s: bad magic", path);
	free(text);
}

static void render_check(enum plot_fmt fmt, const char *magic, size_t len, bool anywhere)
{
	struct fixture f;
	char *dir, name[64];
	const char *stems[] = { "medians", "phases", "cdf-cpuid-cpl3", "cdf-pio_out_user-cpl3" };

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", true, fmt);
	for (size_t i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "plots/%s.%s", stems[i], plot_fmt_name(fmt));
		expect_magic(path_in(dir, name), magic, len, anywhere);
	}
	ck_assert_uint_eq(count_entries(path_in(dir, "plots"), true), 0);
	free_run(&f);
}

START_TEST(test_plot_png)
{
	render_check(PLOT_PNG, "\x89PNG\r\n\x1a\n", 8, false);
}
END_TEST

START_TEST(test_plot_svg)
{
	render_check(PLOT_SVG, "<svg", 4, true);
}
END_TEST

START_TEST(test_plot_pdf)
{
	struct fixture f;
	char *dir;

	render_check(PLOT_PDF, "%PDF-", 5, false);
	/* And one at column width. */
	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "pdfcol", true, PLOT_PDF);
	expect_magic(path_in(dir, "plots/medians-column.pdf"), "%PDF-", 5, false);
	expect_magic(path_in(dir, "plots/cdf-cpuid-cpl3-column.pdf"), "%PDF-", 5, false);
	free_run(&f);
}
END_TEST

/* The scripts are the user's to restyle: they must run from inside plots/. */
START_TEST(test_plot_rerun_in_dir)
{
	struct fixture f;
	char *dir, cmd[8192];

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", false, PLOT_NONE);
	snprintf(cmd, sizeof(cmd), "cd '%s/plots' && gnuplot medians.gp 2>&1 && "
		 "gnuplot -e \"fmt='svg'\" phases.gp 2>&1", dir);
	ck_assert_int_eq(system(cmd), 0);
	expect_magic(path_in(dir, "plots/medians.png"), "\x89PNG", 4, false);
	expect_magic(path_in(dir, "plots/phases.svg"), "<svg", 4, true);
	free_run(&f);
}
END_TEST

START_TEST(test_plot_scripts)
{
	struct fixture f;
	char *dir, *gp, *dat;
	double hmin = 0;

	make_run(&f, 1, 1, "EPYC (Milan)", 2596000);
	strcpy(f.e.cpu_brand, "AMD EPYC");
	/* The floor and a latency are not exit costs: not in the medians plot. */
	f.r.nbench = 4;
	f.b[3] = f.b[0];
	memset(f.b[3].samples, 0, sizeof(f.b[3].samples));
	strcpy(f.b[3].name, "nop");
	f.b[3].kind = BENCH_KIND_FLOOR;
	f.b[0].kind = BENCH_KIND_LATENCY;
	/* A far outlier: the CDF must not stretch to it. */
	f.b[0].samples[PHASE_TOTAL][7] = 1e9;
	dir = write_run(&f, "run1", false, PLOT_NONE);
	gp = slurp(path_in(dir, "plots/medians.gp"));
	ck_assert_ptr_nonnull(strstr(gp, "set terminal pngcairo"));
	ck_assert_ptr_nonnull(strstr(gp, "set terminal pdfcairo"));
	ck_assert_ptr_nonnull(strstr(gp, "'medians.dat'"));
	/* An x label with the unit; round ns on one axis, not a linked second one. */
	ck_assert_ptr_nonnull(strstr(gp, "set xlabel 'median, ns (95% CI"));
	ck_assert_ptr_null(strstr(gp, "link"));
	/* The CPU once: brand plus the codename part the brand lacks. */
	ck_assert_ptr_nonnull(strstr(gp, "AMD EPYC (Milan), Linux"));
	ck_assert_ptr_null(strstr(gp, "EPYC (EPYC"));
	/* Sized for a page (7 in) and a column (3.5 in). */
	ck_assert_ptr_nonnull(strstr(gp, "w = (size eq 'column') ? 3.5 : 7.0"));
	ck_assert_ptr_null(strstr(gp, tmpdir));		/* no absolute paths */
	free(gp);
	dat = slurp(path_in(dir, "plots/medians.dat"));
	ck_assert_ptr_nonnull(strstr(dat, "\"pio_out_user\" "));
	ck_assert_ptr_null(strstr(dat, "hypercall"));
	ck_assert_ptr_null(strstr(dat, "\"nop\""));
	ck_assert_ptr_null(strstr(dat, "\"cpuid\""));
	free(dat);
	dat = slurp(path_in(dir, "plots/latencies.dat"));
	ck_assert_ptr_nonnull(strstr(dat, "\"cpuid\" "));
	free(dat);
	/* The handler (26000 of 66000 here) is drawn at least 1.5% of the widest bar. */
	dat = slurp(path_in(dir, "plots/phases.dat"));
	ck_assert_int_eq(sscanf(strchr(dat, '\n') + 1, "\"pio_out_user\" %*f %*f %*f %*f %lf",
				&hmin), 1);
	ck_assert(hmin >= 0.015 * 66000 * 1e6 / 2596000 * 0.9);
	free(dat);
	/* CDF: log x, ending past p99.9 rather than at the 1e9 outlier. */
	gp = slurp(path_in(dir, "plots/cdf-cpuid-cpl3.gp"));
	ck_assert_ptr_nonnull(strstr(gp, "set logscale x 10"));
	ck_assert_ptr_nonnull(strstr(gp, "set xrange [1000:"));
	ck_assert_double_lt(strtod(strstr(gp, "set xrange [1000:") + 17, NULL), 1e5);
	free(gp);
	/* CDF of a large run is thinned to 2001 points + comment line. */
	dat = slurp(path_in(dir, "plots/cdf-cpuid-cpl3.dat"));
	ck_assert_uint_le(count_str(dat, "\n"), 2002);
	ck_assert_ptr_nonnull(strstr(dat, " 1.000000000\n"));
	free(dat);
	f.r.nbench = 3;
	free_run(&f);
}
END_TEST

/* --export-markdown: measured rows with phases as columns, the others listed. */
START_TEST(test_markdown)
{
	struct fixture f;
	char *text, *path = path_in(tmpdir, "table.md");

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.r.runs = 5;
	f.b[1].rows[PHASE_TOTAL].median = 1234567.4;
	ck_assert(!table_write_markdown(path, &f.r, err, sizeof(err)));
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "| benchmark | CPL | median | 95% CI | ns | exit | "
				     "handler | entry | note |\n"));
	ck_assert_ptr_nonnull(strstr(text, "| `pio_out_user` | 3 | 1,234,567 |"));
	ck_assert_ptr_nonnull(strstr(text, "each of 5 runs"));
	ck_assert_ptr_nonnull(strstr(text, "- `hypercall`: VMCALL never completes on kvm_pvm\n"));
	ck_assert_ptr_null(strstr(text, "| `hypercall`"));
	free(text);
	/* A latency is labelled as such, in the Markdown as in the table. */
	f.b[0].kind = BENCH_KIND_LATENCY;
	ck_assert(!table_write_markdown(path, &f.r, err, sizeof(err)));
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "latency, not an exit cost |"));
	ck_assert_ptr_null(strstr(text, "INCOMPLETE"));
	free(text);
	f.r.incomplete = true;
	f.r.selected = 4;
	strcpy(f.r.stopped_by, "SIGTERM");
	ck_assert(!table_write_markdown(path, &f.r, err, sizeof(err)));
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "**INCOMPLETE**: stopped by SIGTERM; 3 of 4 "));
	free(text);
	free_run(&f);
}
END_TEST

/* Medians spanning more than a factor 20: a log axis, so the small ones do not vanish. */
START_TEST(test_plot_log_axis)
{
	struct fixture f;
	char *dir, *gp;

	make_run(&f, 1, 1, "Genoa", 2596000);
	f.b[0].rows[PHASE_TOTAL].median = 100;
	f.b[0].rows[PHASE_TOTAL].ci95_lo = 90;
	f.b[0].rows[PHASE_TOTAL].ci95_hi = 110;
	dir = write_run(&f, "log", false, PLOT_NONE);
	gp = slurp(path_in(dir, "plots/medians.gp"));
	ck_assert_ptr_nonnull(strstr(gp, "set logscale x 10"));
	ck_assert_ptr_nonnull(strstr(gp, "set format x '%.0s%c'"));
	free(gp);
	free_run(&f);
}
END_TEST

/*
 * gnuplot wrote to a predictable ".STEM.FMT.tmp.PID" and followed a link
 * planted there: as root, 'plot DIR' on a directory someone else can
 * write overwrote an unrelated file. Neither the old name nor a link in
 * place of plots/ leads anywhere now.
 */
START_TEST(test_plot_never_follows_links)
{
	struct fixture f;
	char *dir, *victim = strdup(path_in(tmpdir, "victim.txt")), planted[4200], *argv[4];
	char *text;

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = strdup(write_run(&f, "run1", true, PLOT_NONE));
	spit(victim, "precious");
	snprintf(planted, sizeof(planted), "%s/plots/.medians.png.tmp.%d", dir, (int)getpid());
	ck_assert_int_eq(symlink(victim, planted), 0);
	argv[0] = "plot";
	argv[1] = dir;
	argv[2] = NULL;
	ck_assert_int_eq(cmd_plot(2, argv), 0);
	text = slurp(victim);
	ck_assert_str_eq(text, "precious");
	free(text);
	expect_magic(path_in(dir, "plots/medians.png"), "\x89PNG", 4, false);

	/* plots/ itself a link to elsewhere: refused, nothing written there. */
	nftw(path_in(dir, "plots"), rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ck_assert_int_eq(mkdir(path_in(tmpdir, "elsewhere"), 0755), 0);
	ck_assert_int_eq(symlink(path_in(tmpdir, "elsewhere"), path_in(dir, "plots")), 0);
	ck_assert_int_eq(cmd_plot(2, argv), 1);
	ck_assert_uint_eq(count_entries(path_in(tmpdir, "elsewhere"), false), 0);
	free(victim);
	free(dir);
	free_run(&f);
}
END_TEST

START_TEST(test_cmd_plot)
{
	struct fixture f;
	char *dir, *argv[4];

	make_run(&f, 1, 1, "Genoa", 2596000);
	dir = write_run(&f, "run1", true, PLOT_NONE);
	argv[0] = "plot";
	argv[1] = "--plot=svg";
	argv[2] = dir;
	argv[3] = NULL;
	ck_assert_int_eq(cmd_plot(3, argv), 0);
	expect_magic(path_in(dir, "plots/cdf-cpuid-cpl3.svg"), "<svg", 4, true);
	/* Without samples.csv the CDFs are re-rendered from their .dat, not skipped. */
	dir = write_run(&f, "noraw", false, PLOT_NONE);
	argv[2] = dir;
	ck_assert_int_eq(cmd_plot(3, argv), 0);
	expect_magic(path_in(dir, "plots/cdf-pio_out_user-cpl3.svg"), "<svg", 4, true);
	expect_magic(path_in(dir, "plots/phases.svg"), "<svg", 4, true);
	argv[1] = "--plot=gif";
	ck_assert_int_eq(cmd_plot(3, argv), 2);
	argv[1] = path_in(tmpdir, "nope");
	ck_assert_int_eq(cmd_plot(2, argv), 2);
	free_run(&f);
}
END_TEST

/* --- compare -------------------------------------------------------------- */

static const struct compare_opts copts = { .resamples = 400, .seed = 7 };

static struct compare_row *row_of(struct compare_table *t, const char *bench, enum phase p)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].benchmark, bench) && t->rows[i].phase == p)
			return &t->rows[i];
	return NULL;
}

START_TEST(test_compare_bootstrap)
{
	struct fixture a, b, c;
	struct compare_table t;
	const char *dirs[3];
	struct compare_row *row;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.2, 100, "Turin", 2596000);
	make_run(&c, 1.0, 200, "Milan", 2596000);	/* same distribution as a */
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	dirs[2] = write_run(&c, "c", true, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 3, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_uint_eq(t.nrows, 5);
	ck_assert_str_eq(t.label[0], "Genoa");
	ck_assert_str_eq(t.label[1], "Turin");
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert_ptr_nonnull(row);
	ck_assert(isnan(row->cell[0].ratio));
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_BOOTSTRAP);
	ck_assert_msg(fabs(row->cell[1].ratio - 1.2) < 0.01, "ratio %f", row->cell[1].ratio);
	ck_assert(row->cell[1].ratio_lo < row->cell[1].ratio &&
		  row->cell[1].ratio < row->cell[1].ratio_hi);
	ck_assert(row->cell[1].ratio_lo > 1.15 && row->cell[1].ratio_hi < 1.25);
	ck_assert_int_eq(row->cell[1].significant, 1);
	ck_assert_int_eq(row->cell[2].test, COMPARE_TEST_BOOTSTRAP);
	ck_assert(row->cell[2].ratio_lo < 1 && row->cell[2].ratio_hi > 1);
	ck_assert_int_eq(row->cell[2].significant, 0);
	row = row_of(&t, "pio_out_user", PHASE_HANDLER);
	ck_assert_ptr_nonnull(row);
	ck_assert(fabs(row->cell[1].ratio - 1.2) < 0.01);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}
END_TEST

/*
 * One resample made its single ratio the whole "interval": two identical
 * runs came out significant. Too few resamples are refused; the smallest
 * allowed count does not call identical runs different.
 */
START_TEST(test_compare_resamples)
{
	struct fixture a;
	struct compare_table t;
	struct compare_opts o = { .resamples = 1, .seed = 3 };
	const char *dirs[2];
	struct compare_row *row;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&a, "a2", true, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &o, &t, err, sizeof(err)), COMPARE_BAD_INPUT);
	ck_assert_msg(strstr(err, "resamples"), "%s", err);
	compare_free(&t);
	o.resamples = COMPARE_MIN_RESAMPLES;
	ck_assert_msg(compare_build(dirs, 2, &o, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	for (size_t r = 0; r < t.nrows; r++) {
		row = &t.rows[r];
		ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_BOOTSTRAP);
		ck_assert_msg(row->cell[1].significant == 0, "%s %s: [%f, %f]", row->benchmark,
			      phase_name(row->phase), row->cell[1].ratio_lo, row->cell[1].ratio_hi);
	}
	compare_free(&t);
	free_run(&a);
}
END_TEST

/* Sets every row of @f to @unit. */
static void set_unit(struct fixture *f, const char *unit)
{
	for (int b = 0; b < 3; b++)
		for (int p = 0; p < PHASE_COUNT; p++)
			strcpy(f->b[b].rows[p].unit, unit);
}

/* Samples of @b's total: @n at @len, the last @above of them @extra longer. */
static void fill_interrupted(struct bench_record *b, size_t n, double len, size_t above,
			     double extra)
{
	double *copy = malloc(n * sizeof(double));

	free(b->samples[PHASE_TOTAL]);
	b->samples[PHASE_TOTAL] = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		b->samples[PHASE_TOTAL][i] = len + (i >= n - above ? extra + i : 0);
	memcpy(copy, b->samples[PHASE_TOTAL], n * sizeof(double));
	stats_summarize(copy, n, 500, 1, &b->rows[PHASE_TOTAL]);
	strcpy(b->rows[PHASE_TOTAL].benchmark, b->name);
	b->rows[PHASE_TOTAL].phase = PHASE_TOTAL;
	b->rows[PHASE_TOTAL].cpl = b->cpl;
	free(copy);
}

/*
 * Bochs (emulated_ticks): samples above the path's length hold a timer
 * interrupt, so "every sample equal" is the wrong test. A median at the
 * minimum is exact despite them; a median above it is not (the row mixes
 * paths), and a row a second boot did not repeat is never exact.
 */
static bool cpuid_not_exact(void *arg, const char *bench, int cpl, int phase)
{
	(void)cpl;
	return arg && !strcmp(bench, "cpuid") && phase == PHASE_TOTAL;
}

START_TEST(test_compare_exact_emulated)
{
	struct fixture a, b;
	struct compare_table t;
	struct compare_opts o = copts;
	const char *dirs[2];
	struct compare_row *row;

	make_run(&a, 1.0, 1, "Bochs", 3499912);
	make_run(&b, 1.0, 2, "Bochs", 3499912);
	fill_interrupted(&a.b[0], N, 962, 3, 600);	/* three timer interrupts */
	fill_interrupted(&b.b[0], N, 963, 5, 600);
	fill_interrupted(&a.b[1], N, 3058, N / 2 + 1, 40);	/* most samples above the minimum */
	fill_interrupted(&b.b[1], N, 3058, N / 2 + 1, 40);
	set_unit(&a, "emulated_ticks");
	set_unit(&b, "emulated_ticks");
	dirs[0] = write_run(&a, "a", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_EXACT);
	ck_assert_double_eq(row->cell[1].median - row->cell[0].median, 1);
	ck_assert_int_eq(row->cell[1].significant, 1);
	row = row_of(&t, "pio_out_user", PHASE_TOTAL);
	ck_assert_int_ne(row->cell[1].test, COMPARE_TEST_EXACT);
	compare_free(&t);
	/* The same samples in hardware ticks: not one value, so not exact. */
	set_unit(&a, "tsc_ticks");
	set_unit(&b, "tsc_ticks");
	dirs[0] = write_run(&a, "a2", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b2", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_int_ne(row_of(&t, "cpuid", PHASE_TOTAL)->cell[1].test, COMPARE_TEST_EXACT);
	compare_free(&t);
	/* A row a second boot did not repeat. */
	set_unit(&a, "emulated_ticks");
	set_unit(&b, "emulated_ticks");
	dirs[0] = write_run(&a, "a3", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b3", false, PLOT_NONE);
	o.not_exact = cpuid_not_exact;
	o.not_exact_arg = &o;
	ck_assert_int_eq(compare_build(dirs, 2, &o, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_int_ne(row_of(&t, "cpuid", PHASE_TOTAL)->cell[1].test, COMPARE_TEST_EXACT);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* Bochs: every sample one value. The difference is exact, not tested. */
START_TEST(test_compare_exact)
{
	struct fixture a, b, c;
	struct compare_table t;
	const char *dirs[3];
	struct compare_row *row;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	make_run(&a, 1.0, 1, "Bochs", 3499912);
	make_run(&b, 1.0, 2, "Bochs", 3499912);
	make_run(&c, 1.0, 3, "Bochs", 3499912);
	free(a.b[0].samples[PHASE_TOTAL]);
	free(b.b[0].samples[PHASE_TOTAL]);
	free(c.b[0].samples[PHASE_TOTAL]);
	fill_phase(&a.b[0], PHASE_TOTAL, N, 1420, 0, 1);
	fill_phase(&b.b[0], PHASE_TOTAL, N, 1436, 0, 2);	/* 16 instructions longer */
	fill_phase(&c.b[0], PHASE_TOTAL, N, 1420, 0, 3);
	dirs[0] = write_run(&a, "a", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b", false, PLOT_NONE);
	dirs[2] = write_run(&c, "c", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 3, &copts, &t, err, sizeof(err)), COMPARE_OK);
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_EXACT);
	ck_assert_int_eq(row->cell[1].significant, 1);
	ck_assert_double_eq(row->cell[1].median - row->cell[0].median, 16);
	ck_assert_int_eq(row->cell[2].test, COMPARE_TEST_EXACT);
	ck_assert_int_eq(row->cell[2].significant, 0);
	/* Rows with spread keep their statistical test. */
	row = row_of(&t, "pio_out_user", PHASE_TOTAL);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_OVERLAP);
	f = open_memstream(&buf, &len);
	compare_print_with(&t, &(struct compare_print_opts){ .long_form = true }, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "exact: all samples equal, no significance test needed"));
	free(buf);
	/* The wide table: the difference in ticks, marked, instead of a ratio. */
	f = open_memstream(&buf, &len);
	compare_print(&t, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "the difference in ticks (+16) instead of a ratio"));
	ck_assert_msg(strstr(buf, "\ncpuid ") && strstr(strstr(buf, "\ncpuid "), "  +16*"), "%s", buf);
	ck_assert_ptr_nonnull(strstr(strstr(buf, "\ncpuid "), "   +0\n"));
	/* No line ends in blanks. */
	ck_assert_ptr_null(strstr(buf, " \n"));
	free(buf);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}
END_TEST

START_TEST(test_compare_overlap_and_missing)
{
	struct fixture a, b;
	struct compare_table t;
	const char *dirs[2];
	struct compare_row *row;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.0, 300, "Genoa", 2596000);
	strcpy(b.b[0].name, "cpuid_leaf7");	/* only in b */
	strcpy(b.b[0].rows[0].benchmark, "cpuid_leaf7");
	dirs[0] = write_run(&a, "a", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	/* Same codename: the directory tells them apart. */
	ck_assert_str_eq(t.label[0], "Genoa (a)");
	ck_assert_str_eq(t.label[1], "Genoa (b)");
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert(row->cell[0].present && !row->cell[1].present);
	ck_assert(isnan(row->cell[1].ratio));
	ck_assert_int_eq(row->cell[1].significant, -1);
	row = row_of(&t, "cpuid_leaf7", PHASE_TOTAL);
	ck_assert(!row->cell[0].present && row->cell[1].present);
	/* a has no samples.csv: the CI-overlap test; same distribution, CIs overlap. */
	row = row_of(&t, "pio_out_user", PHASE_TOTAL);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_OVERLAP);
	ck_assert_int_eq(row->cell[1].significant, 0);
	/* Rows not in every run are left out unless --all: no wall of dashes. */
	ck_assert(!row_of(&t, "cpuid", PHASE_TOTAL)->common);
	ck_assert(row_of(&t, "pio_out_user", PHASE_TOTAL)->common);
	f = open_memstream(&buf, &len);
	compare_print_with(&t, &(struct compare_print_opts){ .long_form = true }, f);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "\u2014"));
	ck_assert_ptr_nonnull(strstr(buf, "(2 rows not in every run left out; --all shows them)"));
	ck_assert_ptr_null(strstr(buf, "\ncpuid "));
	free(buf);
	/* The wide table counts benchmarks, not rows. */
	f = open_memstream(&buf, &len);
	compare_print(&t, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "(2 benchmarks not in every run left out; --all shows them)"));
	ck_assert_ptr_null(strstr(buf, "\ncpuid "));
	ck_assert_ptr_nonnull(strstr(buf, "\npio_out_user "));
	free(buf);
	t.all = true;
	f = open_memstream(&buf, &len);
	compare_print_with(&t, &(struct compare_print_opts){ .long_form = true }, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "\u2014"));
	ck_assert_ptr_nonnull(strstr(buf, "ci-overlap"));
	ck_assert_ptr_nonnull(strstr(buf, "TSC ticks"));
	free(buf);
	/* --all in the wide table: the run without the row has a dash, no ratio, no mark. */
	f = open_memstream(&buf, &len);
	compare_print(&t, f);
	fclose(f);
	ck_assert_msg(strstr(buf, "\ncpuid ") && strstr(buf, "\ncpuid_leaf7 "), "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "Medians in TSC ticks,"));
	free(buf);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/*
 * Runs merged from --runs: significance on the between-run CIs, never on a
 * bootstrap of pooled samples; differing settings are warned about;
 * --label names a run.
 */
START_TEST(test_compare_runs_settings_labels)
{
	struct fixture a, b;
	struct compare_table t;
	struct compare_opts o = copts;
	const char *dirs[2], *labels[2] = { "before", NULL };
	struct compare_row *row;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.02, 2, "Genoa", 2596000);
	/* Within one run both would differ: CIs of +-30 around 66000 and 67320. */
	for (int i = 0; i < 2; i++) {
		a.b[i].runs = b.b[i].runs = 5;
		a.b[i].rows[PHASE_TOTAL].ci95_lo -= 2000;
		a.b[i].rows[PHASE_TOTAL].ci95_hi += 2000;
		b.b[i].rows[PHASE_TOTAL].ci95_lo -= 2000;
		b.b[i].rows[PHASE_TOTAL].ci95_hi += 2000;
	}
	a.r.runs = b.r.runs = 5;
	b.r.iterations = 500;
	strcpy(b.e.kernel, "6.9.0");
	a.e.loadavg1 = 0.3;
	b.e.loadavg1 = 2.9;
	dirs[0] = write_run(&a, "ra", true, PLOT_NONE);
	dirs[1] = write_run(&b, "rb", true, PLOT_NONE);
	o.labels = labels;
	ck_assert_int_eq(compare_build(dirs, 2, &o, &t, err, sizeof(err)), COMPARE_OK);
	row = row_of(&t, "pio_out_user", PHASE_TOTAL);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_RUNS);
	ck_assert_int_eq(row->cell[1].significant, 0);
	ck_assert_uint_eq(row->cell[1].runs, 5);
	ck_assert_str_eq(t.label[0], "before");
	ck_assert_str_eq(t.label[1], "Genoa (rb)");
	ck_assert_uint_eq(t.nwarnings, 3);
	ck_assert_ptr_nonnull(strstr(t.warning[0], "iterations differ: 2000 (run 1) vs 500 (run 2)"));
	ck_assert_ptr_nonnull(strstr(t.warning[1], "kernels differ"));
	ck_assert_ptr_nonnull(strstr(t.warning[2], "load average 0.30 after run 1 vs 2.90"));
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

START_TEST(test_compare_ns)
{
	struct fixture a, b;
	struct compare_table t;
	const char *dirs[2];
	struct compare_opts o = copts;
	struct compare_row *row;

	/* Same time per exit, but b's TSC ticks twice as fast. */
	make_run(&a, 1.0, 1, "Genoa", 2000000);
	make_run(&b, 2.0, 2, "Turin", 4000000);
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &o, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert(t.tsc_rates_differ);
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert(fabs(row->cell[1].ratio - 2.0) < 0.02);
	compare_free(&t);
	o.unit = COMPARE_NS;
	ck_assert_int_eq(compare_build(dirs, 2, &o, &t, err, sizeof(err)), COMPARE_OK);
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert_str_eq(row->unit, "ns");
	ck_assert(fabs(row->cell[0].median - 5000) < 20);	/* 10000 ticks at 2 GHz */
	ck_assert(fabs(row->cell[1].ratio - 1.0) < 0.01);
	ck_assert(row->cell[1].ratio_lo < 1.0 && row->cell[1].ratio_hi > 1.0);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* A PNG's width is @w pixels and its height between @hmin and @hmax (IHDR). */
static void expect_png_size(const char *path, unsigned w, unsigned hmin, unsigned hmax)
{
	unsigned char head[24];
	unsigned pw, ph;
	FILE *f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "%s missing", path);
	ck_assert_uint_eq(fread(head, 1, sizeof(head), f), sizeof(head));
	fclose(f);
	ck_assert(!memcmp(head + 12, "IHDR", 4));
	pw = (unsigned)head[16] << 24 | head[17] << 16 | head[18] << 8 | head[19];
	ph = (unsigned)head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
	ck_assert_msg(pw == w && ph >= hmin && ph <= hmax, "%s: %u x %u, want %u x %u..%u", path,
		      pw, ph, w, hmin, hmax);
}

START_TEST(test_compare_write)
{
	struct fixture a, b;
	struct compare_table t;
	const char *dirs[2];
	char *csv, out[8192];

	strcpy(out, path_in(tmpdir, "cmp"));
	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.2, 2, "Turin", 2596000);
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_msg(!compare_write(out, &t, have_gnuplot() ? PLOT_PNG : PLOT_NONE, err,
				     sizeof(err)), "%s", err);
	csv = slurp(path_in(out, "compare.csv"));
	ck_assert(!strncmp(csv, "benchmark,phase,cpl,unit,run,label,median,", 42));
	ck_assert_uint_eq(count_str(csv, "\n"), 1 + 5 * 2);
	ck_assert_ptr_nonnull(strstr(csv, ",2,\"Turin\","));
	ck_assert_ptr_nonnull(strstr(csv, ",yes,ci-overlap\n"));
	free(csv);
	/* The paper's table: booktabs, one column wide, both runs named, real minus. */
	csv = slurp(path_in(out, "compare.tex"));
	ck_assert_ptr_nonnull(strstr(csv, "\\begin{table}[htbp]"));
	ck_assert_ptr_null(strstr(csv, "\\begin{table*}"));
	ck_assert_ptr_nonnull(strstr(csv, "\\caption{VM-exit cost compared: median in TSC ticks"));
	ck_assert_ptr_nonnull(strstr(csv, "(1)~Genoa"));
	ck_assert_ptr_nonnull(strstr(csv, "(2)~Turin"));
	ck_assert_ptr_nonnull(strstr(csv, "\\toprule"));
	ck_assert_msg(strstr(csv, "\\texttt{pio\\_\\allowbreak{}out\\_\\allowbreak{}user} & 65\\,963 & 0.1 & 79\\,"), "%s", csv);
	ck_assert_ptr_nonnull(strstr(csv, " & 1.20$^{*}$ \\\\\n"));
	free(csv);
	csv = slurp(path_in(out, "compare.md"));
	ck_assert_ptr_nonnull(strstr(csv, "| benchmark | (1) Genoa | 95% CI | (2) Turin | 95% CI | ratio |"));
	ck_assert_ptr_nonnull(strstr(csv, "| `pio_out_user` | 65,963 | ±0.1% | 79,"));
	ck_assert_ptr_nonnull(strstr(csv, " | 1.200\\* |\n"));
	free(csv);
	/* The ratio plot: a row per benchmark, Turin's marks, a log axis centred on 1. */
	csv = slurp(path_in(out, "compare.gp"));
	ck_assert_ptr_nonnull(strstr(csv, "'Turin' : ''"));
	ck_assert_ptr_nonnull(strstr(csv, "set logscale x 10\nset xrange [0.77"));
	ck_assert_ptr_nonnull(strstr(csv, "set ytics ('cpuid' 0, 'pio_out_user' 1)"));
	ck_assert_ptr_nonnull(strstr(csv, "median / median of ' . xl"));
	ck_assert_ptr_nonnull(strstr(csv, "xl = \"Genoa\""));
	ck_assert_ptr_null(strstr(csv, "rotate"));
	free(csv);
	csv = slurp(path_in(out, "compare.dat"));
	ck_assert_ptr_null(strstr(csv, "handler"));
	/* Two header lines, a mark per benchmark for the one other run. */
	ck_assert_uint_eq(count_str(csv, "\n"), 2 + 2 * 1);
	ck_assert_ptr_nonnull(strstr(csv, "\"pio_out_user\"\n"));
	free(csv);
	/* Two runs: no heatmap. */
	ck_assert_int_ne(access(path_in(out, "compare-heatmap.gp"), F_OK), 0);
	if (have_gnuplot()) {
		expect_magic(path_in(out, "compare.png"), "\x89PNG", 4, false);
		expect_png_size(path_in(out, "compare.png"), 1050, 2 * 150, 6 * 150);
		expect_png_size(path_in(out, "compare-column.png"), 525, 2 * 150, 6 * 150);
	}
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* --- the wide table, the baseline, units, the gate (issue 22) --------------- */

/* Columns of UTF-8 text up to the newline: bytes that start a character. */
static size_t line_columns(const char *s)
{
	size_t n = 0;

	for (; *s && *s != '\n'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static size_t widest_line(const char *text)
{
	size_t w = 0;

	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		w = line_columns(p) > w ? line_columns(p) : w;
	return w;
}

/* @n runs, run k slower by 5% each; the first benchmark has the longest catalog name. */
static void make_runs(struct fixture *f, const char **dirs, size_t n, bool raw)
{
	static const char *const names[] = { "r1", "r2", "r3", "r4", "r5", "r6", "r7" };

	for (size_t k = 0; k < n; k++) {
		char codename[32];

		snprintf(codename, sizeof(codename), "Zen %zu", k + 1);
		make_run(&f[k], 1.0 + 0.05 * k, 10 + 10 * k, codename, 2596000);
		strcpy(f[k].b[0].name, "x2apic_self_ipi_tpr_sti_hlt");
		for (int p = 0; p < PHASE_COUNT; p++)
			strcpy(f[k].b[0].rows[p].benchmark, "x2apic_self_ipi_tpr_sti_hlt");
		/* Long brands and paths must not widen the table. */
		strcpy(f[k].e.cpu_brand, "AMD EPYC 9654 96-Core Processor with a very long brand string");
		dirs[k] = strdup(write_run(&f[k], names[k], raw, PLOT_NONE));
	}
}

static __attribute__((noinline)) char *print_of(const struct compare_table *t,
						 const struct compare_print_opts *po)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	compare_print_with(t, po, f);
	fclose(f);
	return buf;
}

/*
 * Five runs: one row per benchmark, one column per run, nothing wider than
 * 120 columns; a sixth run starts a second part; --phases adds sub-rows.
 */
START_TEST(test_compare_wide_five)
{
	struct fixture f[6];
	const char *dirs[6];
	struct compare_table t;
	struct compare_print_opts po = { 0 };
	char *out, *row;

	make_runs(f, dirs, 6, true);
	ck_assert_msg(compare_build(dirs, 5, &copts, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	out = print_of(&t, &po);
	ck_assert_msg(widest_line(out) <= COMPARE_WIDE_MAX_COLS, "%zu columns:\n%s",
		      widest_line(out), out);
	ck_assert_uint_eq(count_str(out, "\nx2apic_self_ipi_tpr_sti_hlt "), 1);
	ck_assert_uint_eq(count_str(out, "\npio_out_user "), 1);
	ck_assert_ptr_null(strstr(out, "\n  exit "));
	ck_assert_ptr_null(strstr(out, "Part "));
	/* Every run's label heads a column; the unit is in the header. */
	for (int k = 1; k <= 5; k++) {
		char label[16];

		char *at;

		snprintf(label, sizeof(label), " %d Zen %d", k, k);
		at = strstr(strstr(out, "floor subtracted."), label);	/* the table's head */
		ck_assert_msg(at && (at[strlen(label)] == ' ' || at[strlen(label)] == '\n'),
			      "no '%s' in\n%s", label, out);
	}
	ck_assert_ptr_nonnull(strstr(out, "Medians in TSC ticks,"));
	/* pio_out_user of run 5 is 20% slower: its ratio, marked significant. */
	row = strchr(strstr(out, "\npio_out_user ") + 1, '\n');
	ck_assert_msg(!strncmp(row - 7, " 1.200*", 7) || !strncmp(row - 7, " 1.199*", 7) ||
		      !strncmp(row - 7, " 1.201*", 7), "%s", out);
	free(out);
	po.phases = true;
	out = print_of(&t, &po);
	ck_assert_uint_eq(count_str(out, "\n  exit "), 1);
	ck_assert_uint_eq(count_str(out, "\n  handler "), 1);
	ck_assert_uint_eq(count_str(out, "\n  entry "), 1);
	ck_assert(widest_line(out) <= COMPARE_WIDE_MAX_COLS);
	free(out);
	compare_free(&t);

	ck_assert_msg(compare_build(dirs, 6, &copts, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	po.phases = false;
	out = print_of(&t, &po);
	ck_assert(widest_line(out) <= COMPARE_WIDE_MAX_COLS);
	ck_assert_ptr_nonnull(strstr(out, "Part 1 of 2: runs 1, 2, 3, 4, 5"));
	ck_assert_ptr_nonnull(strstr(out, "Part 2 of 2: runs 1, 6"));
	ck_assert_uint_eq(count_str(out, "\npio_out_user "), 2);
	free(out);
	/* The long form keeps a line per run, phase and benchmark. */
	po.long_form = true;
	out = print_of(&t, &po);
	ck_assert_uint_eq(count_str(out, "\npio_out_user "), 6 * 4);
	free(out);
	compare_free(&t);
	for (int k = 0; k < 6; k++) {
		free_run(&f[k]);
		free((void *)dirs[k]);
	}
}
END_TEST

START_TEST(test_compare_baseline)
{
	struct fixture f[3];
	const char *dirs[3];
	struct compare_table t;
	struct compare_opts o = copts;
	struct compare_row *row;
	char *out;

	make_runs(f, dirs, 3, true);
	o.baseline = "Zen 2";
	ck_assert_msg(compare_build(dirs, 3, &o, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	ck_assert_uint_eq(t.base, 1);
	row = row_of(&t, "pio_out_user", PHASE_TOTAL);
	ck_assert_ptr_nonnull(row);
	ck_assert(isnan(row->cell[1].ratio));
	ck_assert_int_eq(row->cell[1].significant, -1);
	ck_assert_msg(fabs(row->cell[0].ratio - 1.0 / 1.05) < 0.01, "%f", row->cell[0].ratio);
	ck_assert_msg(fabs(row->cell[2].ratio - 1.10 / 1.05) < 0.01, "%f", row->cell[2].ratio);
	ck_assert_int_eq(row->cell[0].significant, 1);
	out = print_of(&t, &(struct compare_print_opts){ 0 });
	ck_assert_ptr_nonnull(strstr(out, "Runs (ratios are to run 2, Zen 2)"));
	/* The baseline's column comes first. */
	ck_assert_msg(strstr(out, " 2 Zen 2 ") < strstr(out, " 1 Zen 1 "), "%s", out);
	free(out);
	compare_free(&t);
	/* By directory name too. */
	o.baseline = "r3";
	ck_assert_msg(compare_build(dirs, 3, &o, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	ck_assert_uint_eq(t.base, 2);
	compare_free(&t);
	o.baseline = "zen9";
	ck_assert_int_eq(compare_build(dirs, 3, &o, &t, err, sizeof(err)), COMPARE_BAD_INPUT);
	ck_assert_msg(strstr(err, "--baseline: 'zen9' is neither a label nor one of the DIRs "
			      "(labels: 'Zen 1', 'Zen 2', 'Zen 3')"), "%s", err);
	compare_free(&t);
	for (int k = 0; k < 3; k++) {
		free_run(&f[k]);
		free((void *)dirs[k]);
	}
}
END_TEST

static void to_tcg(struct fixture *f)
{
	for (int i = 0; i < MAXB; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			strcpy(f->b[i].rows[p].unit, "tcg_tsc_ticks");
	strcpy(f->r.emulator, "tcg");
}

/*
 * Emulated and hardware ticks: refused, saying why and which DIR has
 * which unit; runs of one emulated unit compare, the header names it.
 */
START_TEST(test_compare_units)
{
	struct fixture a, b, c;
	struct compare_table t;
	struct compare_opts o = copts;
	const char *dirs[3];
	char *out;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.0, 2, "EPYC (TCG)", 2596000);
	make_run(&c, 1.0, 3, "EPYC (TCG 2)", 2596000);
	to_tcg(&b);
	to_tcg(&c);
	dirs[0] = write_run(&a, "hw", true, PLOT_NONE);
	dirs[1] = write_run(&b, "tcg", true, PLOT_NONE);
	dirs[2] = write_run(&c, "tcg2", true, PLOT_NONE);
	for (int u = 0; u < 2; u++) {
		o.unit = u ? COMPARE_NS : COMPARE_TICKS;
		ck_assert_int_eq(compare_build(dirs, 3, &o, &t, err, sizeof(err)), COMPARE_BAD_INPUT);
		ck_assert_msg(strstr(err, "tcg/summary.csv: unit: 'tcg_tsc_ticks', but ") &&
			      strstr(err, "emulated ticks count the emulator's work") &&
			      strstr(err, "in ticks or in ns") &&
			      strstr(err, "units: tsc_ticks: ") &&
			      strstr(err, "/hw; tcg_tsc_ticks: ") && strstr(err, "/tcg ") &&
			      strstr(err, "/tcg2 (compare the runs of one unit together)"), "%s", err);
		ck_assert_ptr_null(strchr(err, '\n'));
		compare_free(&t);
	}
	o.unit = COMPARE_TICKS;
	ck_assert_msg(compare_build(dirs + 1, 2, &o, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	ck_assert_str_eq(compare_unit_name(&t), "tcg_tsc_ticks");
	out = print_of(&t, &(struct compare_print_opts){ 0 });
	ck_assert_ptr_nonnull(strstr(out, "Medians in tcg_tsc_ticks (TSC of a CPU emulated by QEMU's TCG"));
	ck_assert_ptr_null(strstr(out, "TSC ticks"));
	free(out);
	out = print_of(&t, &(struct compare_print_opts){ .long_form = true });
	ck_assert_ptr_nonnull(strstr(out, "Medians in tcg_tsc_ticks"));
	free(out);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}
END_TEST

/*
 * --fail-above: a constructed 20% regression is caught above 10%, not
 * above 30%; two runs of one distribution pass; an exact row fails on any
 * increase.
 */
START_TEST(test_compare_regressions)
{
	struct fixture a, b, c;
	struct compare_table t;
	const char *dirs[3];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.0, 50, "Genoa", 2596000);	/* the same host again */
	make_run(&c, 1.2, 60, "Genoa", 2596000);	/* 20% slower */
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	dirs[2] = write_run(&c, "c", true, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_uint_eq(compare_regressions(&t, 0, NULL), 0);
	ck_assert_uint_eq(compare_regressions(&t, 5, NULL), 0);
	compare_free(&t);
	ck_assert_int_eq(compare_build(dirs, 3, &copts, &t, err, sizeof(err)), COMPARE_OK);
	/* cpuid and pio_out_user of c (the totals only; not b). */
	ck_assert_uint_eq(compare_regressions(&t, 10, NULL), 2);
	ck_assert_uint_eq(compare_regressions(&t, 30, NULL), 0);
	f = open_memstream(&buf, &len);
	compare_regressions(&t, 10, f);
	fclose(f);
	ck_assert_msg(strstr(buf, "  cpuid cpl 3: run 3 Genoa (c): 1.2") &&
		      strstr(buf, ", bootstrap), +"), "%s", buf);
	ck_assert_uint_eq(count_str(buf, "\n"), 2);
	free(buf);
	compare_free(&t);
	/* A faster run is no regression. */
	dirs[0] = dirs[2];
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_uint_eq(compare_regressions(&t, 0, NULL), 0);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}
END_TEST

START_TEST(test_compare_regressions_exact)
{
	struct fixture a, b;
	struct compare_table t;
	const char *dirs[2];

	make_run(&a, 1.0, 1, "Bochs", 3499912);
	make_run(&b, 1.0, 2, "Bochs", 3499912);
	free(a.b[0].samples[PHASE_TOTAL]);
	free(b.b[0].samples[PHASE_TOTAL]);
	fill_phase(&a.b[0], PHASE_TOTAL, N, 1420, 0, 1);
	fill_phase(&b.b[0], PHASE_TOTAL, N, 1421, 0, 2);	/* one instruction longer */
	dirs[0] = write_run(&a, "a", false, PLOT_NONE);
	dirs[1] = write_run(&b, "b", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_uint_eq(compare_regressions(&t, 50, NULL), 1);
	compare_free(&t);
	/* The other way round it is shorter: nothing to report. */
	dirs[0] = write_run(&b, "b2", false, PLOT_NONE);
	dirs[1] = write_run(&a, "a2", false, PLOT_NONE);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_OK);
	ck_assert_uint_eq(compare_regressions(&t, 0, NULL), 0);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/*
 * Four runs: the heatmap joins the ratio plot, every run's label is on it,
 * both sizes are rendered; compare.tex goes page wide.
 */
START_TEST(test_compare_write_many)
{
	struct fixture f[4];
	const char *dirs[4];
	struct compare_table t;
	char out[8192], *text;

	strcpy(out, path_in(tmpdir, "cmp4"));
	make_runs(f, dirs, 4, true);
	ck_assert_msg(compare_build(dirs, 4, &copts, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	ck_assert_msg(!compare_write(out, &t, have_gnuplot() ? PLOT_PNG : PLOT_NONE, err,
				     sizeof(err)), "%s", err);
	text = slurp(path_in(out, "compare-heatmap.gp"));
	ck_assert_ptr_nonnull(strstr(text, "set xtics rotate by 30 right scale 0 ('Zen 2' 0, "
				     "'Zen 3' 1, 'Zen 4' 2)"));
	ck_assert_ptr_nonnull(strstr(text, "set ytics ('x2apic_self_ipi_tpr_sti_hlt' 0, "
				     "'pio_out_user' 1)"));
	ck_assert_ptr_nonnull(strstr(text, "set palette defined"));
	ck_assert_ptr_nonnull(strstr(text, "median / median of Zen 1"));
	free(text);
	text = slurp(path_in(out, "compare-heatmap.dat"));
	ck_assert_uint_eq(count_str(text, "\n"), 1 + 2 * 3);
	/* Run 4 is 15% slower: log2(1.15) = 0.2016, marked. */
	ck_assert_msg(strstr(text, "2 1 0.20") && strstr(text, " \"*\"\n"), "%s", text);
	free(text);
	text = slurp(path_in(out, "compare.gp"));
	for (int k = 2; k <= 4; k++) {
		char label[32];

		snprintf(label, sizeof(label), "'Zen %d' : ''", k);
		ck_assert_msg(strstr(text, label), "no %s", label);
	}
	free(text);
	text = slurp(path_in(out, "compare.tex"));
	ck_assert_ptr_nonnull(strstr(text, "\\begin{table*}[htbp]"));
	free(text);
	if (have_gnuplot()) {
		expect_png_size(path_in(out, "compare.png"), 1050, 2 * 150, 6 * 150);
		expect_png_size(path_in(out, "compare-column.png"), 525, 2 * 150, 6 * 150);
		expect_png_size(path_in(out, "compare-heatmap.png"), 1050, 2 * 150, 6 * 150);
		expect_png_size(path_in(out, "compare-heatmap-column.png"), 525, 2 * 150, 6 * 150);
	}
	compare_free(&t);
	for (int k = 0; k < 4; k++) {
		free_run(&f[k]);
		free((void *)dirs[k]);
	}
}
END_TEST

/* Builds runs a (good) and b, lets @mangle break b, expects the refusal. */
static void expect_refusal(void (*mangle)(const char *dir), const char *file,
			   const char *needle)
{
	struct fixture a, b;
	struct compare_table t;
	const char *dirs[2];

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.2, 2, "Turin", 2596000);
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	mangle(dirs[1]);
	ck_assert_int_eq(compare_build(dirs, 2, &copts, &t, err, sizeof(err)), COMPARE_BAD_INPUT);
	ck_assert_msg(strstr(err, file) && strstr(err, needle), "'%s' lacks '%s' / '%s'", err,
		      file, needle);
	ck_assert_ptr_null(strchr(err, '\n'));
	compare_free(&t);
	free_run(&a);
	free_run(&b);
	/* Fresh names for the next refusal in the same test. */
	nftw(path_in(tmpdir, "a"), rm_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(path_in(tmpdir, "b"), rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Replaces the first @from in @dir/@name with @to. */
static void edit(const char *dir, const char *name, const char *from, const char *to)
{
	char *text = slurp(path_in(dir, name)), *at = strstr(text, from), *out;

	ck_assert_msg(at != NULL, "'%s' not in %s", from, name);
	out = malloc(strlen(text) + strlen(to) + 1);
	memcpy(out, text, at - text);
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	spit(path_in(dir, name), out);
	free(out);
	free(text);
}

static void rm_summary(const char *d) { unlink(path_in(d, "summary.csv")); }
static void rm_run_json(const char *d) { unlink(path_in(d, "run.json")); }
static void rm_dir(const char *d) { nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS); }
static void bad_header(const char *d) { edit(d, "summary.csv", "median", "medain"); }
static void bad_number(const char *d) { edit(d, "summary.csv", "cpuid,total,3,2000,", "cpuid,total,3,2000,12x,"); }
static void bad_unit(const char *d)
{
	edit(d, "summary.csv", "tsc_ticks", "ns");
	edit(d, "run.json", "\"unit\": \"tsc_ticks\"", "\"unit\": \"ns\"");
	unlink(path_in(d, "samples.csv"));
}
static void schema(const char *d) { edit(d, "run.json", "\"schema_version\": 1", "\"schema_version\": 2"); }
static void json_field(const char *d) { edit(d, "run.json", "\"kernel\": ", "\"kernal\": "); }
static void stray_row(const char *d) { edit(d, "summary.csv", "\ncpuid,", "\nghost,"); }

static void truncate_summary(const char *d)
{
	char *text = slurp(path_in(d, "summary.csv"));

	text[strlen(text) - 20] = 0;	/* cut inside the last line */
	spit(path_in(d, "summary.csv"), text);
	free(text);
}

static void short_line(const char *d)
{
	char *text = slurp(path_in(d, "summary.csv")), *second = strchr(text, '\n') + 1;
	char *end = strchr(second, '\n');
	char *cut = end;

	/* Drop the last twelve columns of line 2 (25 -> 13), keep the newline. */
	for (int k = 0; k < 12; k++)
		while (*--cut != ',')
			;
	memmove(cut, end, strlen(end) + 1);
	spit(path_in(d, "summary.csv"), text);
	free(text);
}

/* 2^61 + 1: times sizeof(double) wraps to 8 bytes. */
static void samples_huge(const char *d)
{
	edit(d, "summary.csv", "cpuid,total,3,2000,", "cpuid,total,3,2305843009213693953,");
}
/* A count the file does not back: no allocation is made from the claim alone. */
static void samples_claimed(const char *d)
{
	edit(d, "summary.csv", "cpuid,total,3,2000,", "cpuid,total,3,999999999,");
}
static void summary_blank(const char *d) { edit(d, "summary.csv", "cpuid,total,3,2000,", "cpuid,total,3, 2000,"); }
static void samples_blank(const char *d) { edit(d, "samples.csv", "cpuid,total,3,5,", "cpuid,total,3, 5,"); }

/* README: numbers are digits and nothing else; "+7" was taken. */
static void summary_plus(const char *d) { edit(d, "summary.csv", "cpuid,total,3,2000,", "cpuid,total,3,2000,+"); }
static void samples_plus(const char *d) { edit(d, "samples.csv", "cpuid,total,3,5,", "cpuid,total,3,5,+"); }
/* Finite, but ns and plot axes of it were inf, which gnuplot cannot read. */
static void summary_huge_median(const char *d)
{
	char *text = slurp(path_in(d, "summary.csv")), *row = strstr(text, "\ncpuid,total,3,");
	char *at = row + 1;

	/* benchmark,phase,cpl,samples,min,p25,median: the seventh field. */
	for (int k = 0; k < 6; k++)
		at = strchr(at, ',') + 1;
	memmove(at + 5, strchr(at, ','), strlen(strchr(at, ',')) + 1);
	memcpy(at, "1e308", 5);
	spit(path_in(d, "summary.csv"), text);
	free(text);
}
static void samples_huge_value(const char *d) { edit(d, "samples.csv", "cpuid,total,3,5,", "cpuid,total,3,5,1e308"); }
static void json_huge(const char *d) { edit(d, "run.json", "\"median\": ", "\"median\": 1e308, \"x\": "); }
static void json_tiny_khz(const char *d) { edit(d, "run.json", "\"tsc_khz\": ", "\"tsc_khz\": 1e-300, \"x\": "); }

static void samples_value(const char *d) { edit(d, "samples.csv", "cpuid,total,3,5,", "cpuid,total,3,5,abc"); }
static void samples_index(const char *d) { edit(d, "samples.csv", "cpuid,total,3,5,", "cpuid,total,3,6,"); }
static void samples_truncated(const char *d)
{
	char *text = slurp(path_in(d, "samples.csv"));

	text[strlen(text) - 3] = 0;
	spit(path_in(d, "samples.csv"), text);
	free(text);
}
static void samples_missing_line(const char *d)
{
	char *text = slurp(path_in(d, "samples.csv"));
	char *last = text + strlen(text) - 1;

	while (last[-1] != '\n')
		last--;
	*last = 0;	/* drop the final sample: a well-formed but short file */
	spit(path_in(d, "samples.csv"), text);
	free(text);
}

START_TEST(test_compare_refusals)
{
	expect_refusal(rm_dir, "/b", "No such file");
	expect_refusal(rm_summary, "b/summary.csv", "No such file");
	expect_refusal(rm_run_json, "b/run.json", "");
	expect_refusal(bad_header, "b/summary.csv", "line 1: header");
	expect_refusal(bad_number, "b/summary.csv", "line 2: bad value '12x' in column 'min'");
	expect_refusal(short_line, "b/summary.csv", "line 2: 13 columns");
	expect_refusal(truncate_summary, "b/summary.csv", "line 7: truncated");
	expect_refusal(bad_unit, "b/summary.csv", "unit: 'ns'");
	expect_refusal(schema, "b/run.json", "schema_version");
	expect_refusal(json_field, "b/run.json", "environment.kernel");
	expect_refusal(stray_row, "b/summary.csv", "'ghost' at cpl 3 is not in run.json");
	expect_refusal(samples_value, "b/samples.csv", "line 7: value: bad value '");
	expect_refusal(samples_index, "b/samples.csv", "index: 6, expected 5");
	expect_refusal(samples_truncated, "b/samples.csv", "truncated");
	expect_refusal(samples_missing_line, "b/samples.csv", "has 1992, summary.csv says 1993");
	expect_refusal(samples_huge, "b/summary.csv", "in column 'samples'");
	expect_refusal(samples_claimed, "b/samples.csv", "has 2000, summary.csv says 999999999");
	expect_refusal(summary_blank, "b/summary.csv", "bad value ' 2000' in column 'samples'");
	expect_refusal(samples_blank, "b/samples.csv", "index: bad value ' 5'");
	expect_refusal(summary_plus, "b/summary.csv", "line 2: bad value '+");
	expect_refusal(samples_plus, "b/samples.csv", "value: bad value '+");
	expect_refusal(summary_huge_median, "b/summary.csv", "bad value '1e308' in column 'median'");
	expect_refusal(samples_huge_value, "b/samples.csv", "value: bad value '1e308");
	expect_refusal(json_huge, "b/run.json", "median': 1e+308 is beyond");
	expect_refusal(json_tiny_khz, "b/run.json", "settings.tsc_khz': 1e-300 is not a TSC rate");
}
END_TEST

START_TEST(test_cmd_compare_usage)
{
	char *one[] = { "compare", "dir1", NULL };
	char *bogus[] = { "compare", "--frobnicate", "a", "b", NULL };
	char *unit[] = { "compare", "--unit", "furlongs", "a", "b", NULL };
	char *resamples[] = { "compare", "--resamples", "-3", "a", "b", NULL };
	char *one_resample[] = { "compare", "--resamples", "1", "a", "b", NULL };
	char *blank[] = { "compare", "--seed", " 1", "a", "b", NULL };
	char *noval[] = { "compare", "a", "b", "--output", NULL };
	char *missing[] = { "compare", "/nonexistent/a", "/nonexistent/b", NULL };
	char *help[] = { "compare", "--help", NULL };
	char *label_noeq[] = { "compare", "--label", "fast", "a", "b", NULL };
	char *label_other[] = { "compare", "--label", "fast=c", "a", "b", NULL };

	ck_assert_int_eq(cmd_compare(5, label_noeq), 2);
	ck_assert_int_eq(cmd_compare(5, label_other), 2);
	ck_assert_int_eq(cmd_compare(2, one), 2);
	ck_assert_int_eq(cmd_compare(4, bogus), 2);
	ck_assert_int_eq(cmd_compare(5, unit), 2);
	ck_assert_int_eq(cmd_compare(5, resamples), 2);
	ck_assert_int_eq(cmd_compare(5, one_resample), 2);
	ck_assert_int_eq(cmd_compare(5, blank), 2);
	ck_assert_int_eq(cmd_compare(4, noval), 2);
	ck_assert_int_eq(cmd_compare(3, missing), 2);
	ck_assert_int_eq(cmd_compare(2, help), 0);
}
END_TEST

/* --- readers: what is not a results file --------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* What a command did in a child: exit status, its stderr, how long, how much memory. */
struct child_run {
	int status;		/* exit status; 128 + signal when killed */
	char err[4096];
	double seconds;
};

/*
 * Runs @cmd(@argc, @argv) in a child limited to 256 MiB of address space
 * (where no sanitizer needs more) and 3 s of time (SIGALRM), its stderr
 * captured: a reader that blocks or balloons is a failure, not a hung test.
 */
static void run_limited(int (*cmd)(int, char **), int argc, char **argv, struct child_run *cr)
{
	struct timespec t0, t1;
	int pfd[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(pfd), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
#ifndef UNDER_ASAN
		struct rlimit rl = { 256ul << 20, 256ul << 20 };

		setrlimit(RLIMIT_AS, &rl);
#endif
		close(pfd[0]);
		dup2(pfd[1], 2);
		if (!freopen("/dev/null", "w", stdout))
			_exit(99);
		alarm(3);
		_exit(cmd(argc, argv));
	}
	close(pfd[1]);
	while ((n = read(pfd[0], cr->err + len, sizeof(cr->err) - 1 - len)) > 0)
		len += n;
	cr->err[len] = 0;
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr->seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* compare a b in a child: exit 2, one line naming @file and @what, within a second. */
static void expect_compare_refuses(const char *a, const char *b, const char *file,
				   const char *what)
{
	char *argv[] = { "compare", (char *)a, (char *)b, NULL };
	struct child_run cr;

	run_limited(cmd_compare, 3, argv, &cr);
	ck_assert_msg(cr.status == 2, "status %d (%s), stderr: %s", cr.status,
		      cr.status == 128 + SIGALRM ? "blocked" : "?", cr.err);
	ck_assert_msg(strstr(cr.err, file) && strstr(cr.err, what), "'%s' lacks '%s' / '%s'",
		      cr.err, file, what);
	ck_assert_msg(count_str(cr.err, "\n") == 1, "not one line: %s", cr.err);
	ck_assert_msg(cr.seconds < 1.0, "%.2f s", cr.seconds);
}

/* Two good runs, a and b; returns b, whose @name is then replaced by the caller. */
static const char *two_runs(struct fixture *a, struct fixture *b, const char **da)
{
	make_run(a, 1.0, 1, "Genoa", 2596000);
	make_run(b, 1.2, 2, "Turin", 2596000);
	*da = write_run(a, "a", true, PLOT_NONE);
	return write_run(b, "b", true, PLOT_NONE);
}

static void sparse_file(const char *path, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, size), 0);
	close(fd);
}

/*
 * A FIFO blocked the open forever; /dev/zero and a 4 GiB sparse file grew
 * a line (or the whole run.json) to gigabytes; a directory was "larger
 * than 64 MiB". Each is now one line, at once, in little memory.
 */
START_TEST(test_reader_not_regular)
{
	struct fixture a, b;
	const char *da, *db = two_runs(&a, &b, &da);
	char *p;

	p = path_in(db, "run.json");
	unlink(p);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	expect_compare_refuses(da, db, "b/run.json", "a FIFO, not a regular file");
	unlink(p);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	expect_compare_refuses(da, db, "b/run.json", "a directory, not a regular file");
	rmdir(p);
	sparse_file(p, 4ll << 30);
	expect_compare_refuses(da, db, "b/run.json", "larger than");
	unlink(p);
	ck_assert_int_eq(symlink("/dev/zero", p), 0);
	expect_compare_refuses(da, db, "b/run.json", "a character device");
	unlink(p);
	ck_assert_int_eq(link(path_in(da, "run.json"), p), 0);

	p = path_in(db, "summary.csv");
	unlink(p);
	ck_assert_int_eq(symlink("/dev/zero", p), 0);
	expect_compare_refuses(da, db, "b/summary.csv", "a character device, not a regular file");
	unlink(p);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	expect_compare_refuses(da, db, "b/summary.csv", "a FIFO");
	unlink(p);
	sparse_file(p, 4ll << 30);
	expect_compare_refuses(da, db, "b/summary.csv", "larger than");
	/* Within the size bound, a line of NULs is no line. */
	sparse_file(p, 100000);
	expect_compare_refuses(da, db, "b/summary.csv", "line 1: a NUL byte");
	unlink(p);
	ck_assert_int_eq(link(path_in(da, "summary.csv"), p), 0);

	p = path_in(db, "samples.csv");
	unlink(p);
	ck_assert_int_eq(symlink("/dev/zero", p), 0);
	expect_compare_refuses(da, db, "b/samples.csv", "a character device");
	unlink(p);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	expect_compare_refuses(da, db, "b/samples.csv", "a FIFO");
	unlink(p);
	sparse_file(p, 4ll << 30);
	expect_compare_refuses(da, db, "b/samples.csv", "larger than");
	free_run(&a);
	free_run(&b);
}
END_TEST

/* A line longer than any writer makes is refused where it starts, not read to its end. */
START_TEST(test_reader_long_line)
{
	struct fixture a, b;
	const char *da, *db = two_runs(&a, &b, &da);
	char *text = slurp(path_in(db, "samples.csv")), *line = malloc(100000);
	FILE *f;

	memset(line, '7', 99999);
	line[99999] = 0;
	f = fopen(path_in(db, "samples.csv"), "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s%s\n%s", (int)(strchr(text, '\n') - text + 1), text, line,
		strchr(text, '\n') + 1);
	fclose(f);
	expect_compare_refuses(da, db, "b/samples.csv", "line 2: longer than 256 bytes");
	free(line);
	free(text);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* plot: the same readers, and a plots/cdf-*.dat that is a FIFO or /dev/zero. */
START_TEST(test_plot_reader_not_regular)
{
	struct fixture a;
	const char *d;
	char *argv[] = { "plot", "--plot", "none", NULL, NULL };
	struct child_run cr;
	char *p;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	d = write_run(&a, "a", false, PLOT_NONE);
	argv[3] = (char *)d;
	p = path_in(d, "plots/cdf-cpuid-cpl3.dat");
	unlink(p);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	run_limited(cmd_plot, 4, argv, &cr);
	ck_assert_msg(cr.status == 1 && strstr(cr.err, "cdf-cpuid-cpl3.dat: a FIFO"),
		      "status %d: %s", cr.status, cr.err);
	ck_assert_msg(cr.seconds < 1.0, "%.2f s", cr.seconds);
	unlink(p);
	ck_assert_int_eq(symlink("/dev/zero", p), 0);
	run_limited(cmd_plot, 4, argv, &cr);
	ck_assert_msg(cr.status == 1 && strstr(cr.err, "a character device"),
		      "status %d: %s", cr.status, cr.err);
	unlink(p);
	spit(p, "# header\n1e308 0.5\n");
	run_limited(cmd_plot, 4, argv, &cr);
	ck_assert_msg(cr.status == 1 && strstr(cr.err, "line 2"), "status %d: %s", cr.status,
		      cr.err);
	unlink(p);
	spit(p, "# header\ninf 0.5\n");
	run_limited(cmd_plot, 4, argv, &cr);
	ck_assert_msg(cr.status == 1 && strstr(cr.err, "line 2"), "status %d: %s", cr.status,
		      cr.err);
	free_run(&a);
}
END_TEST

/* Nothing non-finite in @path: gnuplot reads "inf" as an undefined variable. */
static void expect_finite_text(const char *path)
{
	char *text = slurp(path);

	for (char *c = text; *c; c++)
		*c = tolower((unsigned char)*c);
	ck_assert_msg(!strstr(text, "inf") && !strstr(text, "nan"), "%s: %s", path, text);
	free(text);
}

/*
 * The largest costs a reader takes, converted to ns at the slowest TSC
 * rate it takes and drawn on a log axis, stay finite in every script and
 * data file; plot rereads them from the files.
 */
START_TEST(test_plot_largest_values)
{
	struct fixture a;
	struct summary_row *t;
	const char *d;
	char *argv[] = { "plot", "--plot", "none", NULL, NULL };
	struct child_run cr;
	const char *files[] = { "medians.gp", "medians.dat", "phases.gp", "phases.dat",
				"cdf-cpuid-cpl3.gp", "cdf-cpuid-cpl3.dat" };

	make_run(&a, 1.0, 1, "Genoa", 1);
	t = &a.b[0].rows[PHASE_TOTAL];
	t->median = t->ci95_hi = t->max = t->p99 = t->p95 = t->p75 = 0.999 * CSV_MAX_VALUE;
	t->ci95_lo = t->mean = t->stddev = CSV_MAX_VALUE / 2;
	for (size_t i = N / 2; i < N; i++)
		a.b[0].samples[PHASE_TOTAL][i] = 0.999 * CSV_MAX_VALUE;
	d = write_run(&a, "a", true, PLOT_NONE);
	argv[3] = (char *)d;
	run_limited(cmd_plot, 4, argv, &cr);
	ck_assert_msg(cr.status == 0, "status %d: %s", cr.status, cr.err);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		expect_finite_text(path_in(path_in(d, "plots"), files[i]));
	free_run(&a);
}
END_TEST

/* The gate through the command line: exit 3 and the rows on stderr; 0 when same. */
START_TEST(test_cmd_compare_gate)
{
	struct fixture a, b, c;
	struct child_run cr;
	char da[4096], db[4096], dc[4096];
	char *slow[] = { "compare", "--fail-above", "10", da, dc, NULL };
	char *same[] = { "compare", "--fail-above", "0", "--phases", da, db, NULL };
	char *lenient[] = { "compare", "--long", "--fail-above", "30", da, dc, NULL };
	char *rebased[] = { "compare", "--baseline", "c", "--fail-above", "0", da, dc, NULL };
	char *bad_pct[] = { "compare", "--fail-above", "ten", da, dc, NULL };
	char *neg_pct[] = { "compare", "--fail-above", "-1", da, dc, NULL };
	char *bad_base[] = { "compare", "--baseline", "nope", da, dc, NULL };

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.0, 50, "Genoa", 2596000);
	make_run(&c, 1.2, 60, "Genoa", 2596000);
	strcpy(da, write_run(&a, "a", true, PLOT_NONE));
	strcpy(db, write_run(&b, "b", true, PLOT_NONE));
	strcpy(dc, write_run(&c, "c", true, PLOT_NONE));
	run_limited(cmd_compare, 5, slow, &cr);
	ck_assert_int_eq(cr.status, 3);
	ck_assert_msg(strstr(cr.err, "vmexit-bench: compare: 2 rows significantly slower than run 1 "
			     "(Genoa (a)) by more than 10%:\n  cpuid cpl 3: run 2 Genoa (c): "), "%s",
		      cr.err);
	run_limited(cmd_compare, 6, same, &cr);
	ck_assert_msg(cr.status == 0, "%d: %s", cr.status, cr.err);
	run_limited(cmd_compare, 6, lenient, &cr);
	ck_assert_msg(cr.status == 0, "%d: %s", cr.status, cr.err);
	/* Against the slower run as baseline, the other is faster: no regression. */
	run_limited(cmd_compare, 7, rebased, &cr);
	ck_assert_msg(cr.status == 0, "%d: %s", cr.status, cr.err);
	run_limited(cmd_compare, 5, bad_pct, &cr);
	ck_assert_int_eq(cr.status, 2);
	ck_assert_msg(strstr(cr.err, "vmexit-bench: compare: --fail-above: 'ten' is not a percentage"),
		      "%s", cr.err);
	run_limited(cmd_compare, 5, neg_pct, &cr);
	ck_assert_int_eq(cr.status, 2);
	run_limited(cmd_compare, 5, bad_base, &cr);
	ck_assert_int_eq(cr.status, 2);
	ck_assert_msg(strstr(cr.err, "vmexit-bench: compare: --baseline: 'nope' is neither"), "%s",
		      cr.err);
	free_run(&a);
	free_run(&b);
	free_run(&c);
}
END_TEST

/*
 * compare --output into a directory that holds anything is refused before
 * a run is read (the runs named here do not even exist), and what is
 * there is untouched; an empty directory is taken.
 */
START_TEST(test_compare_output_not_empty)
{
	struct fixture a, b;
	const char *da, *db = two_runs(&a, &b, &da);
	char out[8192], *text;
	char *argv[] = { "compare", "--plot", "none", "--output", out, "/nonexistent/a",
			 "/nonexistent/b", NULL };
	struct child_run cr;

	strcpy(out, path_in(tmpdir, "cmp"));
	ck_assert_int_eq(mkdir(out, 0755), 0);
	spit(path_in(out, "compare.csv"), "keep me\n");
	run_limited(cmd_compare, 7, argv, &cr);
	ck_assert_msg(cr.status == 2, "status %d: %s", cr.status, cr.err);
	ck_assert_msg(strstr(cr.err, "cmp exists and is not empty") &&
		      count_str(cr.err, "\n") == 1, "%s", cr.err);
	text = slurp(path_in(out, "compare.csv"));
	ck_assert_str_eq(text, "keep me\n");
	free(text);
	/* Emptied, it is taken. */
	unlink(path_in(out, "compare.csv"));
	argv[5] = (char *)da;
	argv[6] = (char *)db;
	run_limited(cmd_compare, 7, argv, &cr);
	ck_assert_msg(cr.status == 0, "status %d: %s", cr.status, cr.err);
	text = slurp(path_in(out, "compare.csv"));
	ck_assert(!strncmp(text, "benchmark,phase,cpl,unit,run,", 29));
	free(text);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* cpuid's total replaced by @n normal samples around @mean (sd 150). */
static void big_series(struct fixture *f, size_t n, double mean, uint64_t seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct bench_record *b = &f->b[0];
	double *v = malloc(n * sizeof(*v));

	ck_assert_ptr_nonnull(v);
	gsl_rng_set(rng, seed);
	for (size_t i = 0; i < n; i++)
		v[i] = mean + gsl_ran_gaussian(rng, 150);
	free(b->samples[PHASE_TOTAL]);
	b->samples[PHASE_TOTAL] = v;
	b->rows[PHASE_TOTAL].samples = b->nsamples = n;
	b->rows[PHASE_TOTAL].median = mean;
	gsl_rng_free(rng);
}

/*
 * Two single runs of 10^6 samples: the bootstrap of the ratio of medians
 * took 120 s (n draws and a selection per resample); it is now two Beta
 * draws per resample on sorted samples, and still brackets the true ratio.
 */
START_TEST(test_compare_bootstrap_large)
{
	struct fixture a, b;
	struct compare_table t;
	struct compare_opts o = { .resamples = 1000, .seed = 5 };
	struct timespec t0, t1;
	struct compare_row *row;
	const char *dirs[2];
	double secs;

	make_run(&a, 1.0, 1, "Genoa", 2596000);
	make_run(&b, 1.0, 2, "Turin", 2596000);
	big_series(&a, 1000000, 10000, 11);
	big_series(&b, 1000000, 10010, 12);
	dirs[0] = write_run(&a, "a", true, PLOT_NONE);
	dirs[1] = write_run(&b, "b", true, PLOT_NONE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_msg(compare_build(dirs, 2, &o, &t, err, sizeof(err)) == COMPARE_OK, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	row = row_of(&t, "cpuid", PHASE_TOTAL);
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(row->cell[1].test, COMPARE_TEST_BOOTSTRAP);
	/* 1.001 true; the median's standard error is about 0.0000188 of it. */
	ck_assert_msg(row->cell[1].ratio_lo < 1.001 && row->cell[1].ratio_hi > 1.001 &&
		      row->cell[1].ratio_hi - row->cell[1].ratio_lo < 0.0002,
		      "[%f, %f]", row->cell[1].ratio_lo, row->cell[1].ratio_hi);
	ck_assert_int_eq(row->cell[1].significant, 1);
	/* Mostly reading 2 x 43 MB of samples.csv (about 1.5 s here). */
	ck_assert_msg(secs < 15, "%.1f s", secs);
	compare_free(&t);
	free_run(&a);
	free_run(&b);
}
END_TEST

/* --- progress ------------------------------------------------------------- */

START_TEST(test_progress)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	progress_init_stream(f);
	progress_update("cpuid", 1, 100);
	progress_update("cpuid", 2, 100);	/* within 100 ms: not drawn */
	progress_update("cpuid", 100, 100);	/* the end is always drawn */
	progress_done();
	fflush(f);
	ck_assert_uint_eq(count_str(buf, "cpuid:"), 2);
	ck_assert_ptr_nonnull(strstr(buf, "cpuid: 1/100 (1%)"));
	ck_assert_ptr_nonnull(strstr(buf, "cpuid: 100/100 (100%)"));
	ck_assert_ptr_null(strstr(buf, "2/100"));
	fclose(f);
	free(buf);

	/* --runs: which run the line is about. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	progress_init_stream(f);
	progress_run(2, 5);
	progress_update("cpuid", 100, 100);
	progress_done();
	fflush(f);
	ck_assert_ptr_nonnull(strstr(buf, "run 2/5: cpuid: 100/100"));
	progress_run(1, 1);
	fclose(f);
	free(buf);

	/* --quiet, or not a terminal: nothing at all. */
	progress_init(true);
	progress_update("cpuid", 1, 100);
	progress_done();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("results");
	TCase *tc = tcase_create("results");

	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_json_refusals);
	tcase_add_test(tc, test_json_incomplete);
	tcase_add_test(tc, test_tex_escape);
	tcase_add_test(tc, test_tex_content);
	tcase_add_test(tc, test_dir_contents);
	tcase_add_test(tc, test_dir_no_raw);
	tcase_add_test(tc, test_dir_auto_name_collision);
	tcase_add_test(tc, test_dir_output_exists);
	tcase_add_test(tc, test_dir_atomic_on_error);
	tcase_add_test(tc, test_dir_load_round_trip);
	tcase_add_test(tc, test_dir_stale_tmp);
	tcase_add_test(tc, test_dir_check);
	tcase_add_test(tc, test_dir_load_old_summary);
	tcase_add_test(tc, test_dir_statuses);
	tcase_add_test(tc, test_json_rounded);
	tcase_add_test(tc, test_plot_scripts);
	tcase_add_test(tc, test_plot_log_axis);
	tcase_add_test(tc, test_markdown);
	if (have_gnuplot()) {
		tcase_add_test(tc, test_plot_png);
		tcase_add_test(tc, test_plot_svg);
		tcase_add_test(tc, test_plot_pdf);
		tcase_add_test(tc, test_plot_rerun_in_dir);
		tcase_add_test(tc, test_cmd_plot);
		tcase_add_test(tc, test_plot_never_follows_links);
	} else {
		fprintf(stderr, "test_results: gnuplot not found, rendering tests not run\n");
	}
	tcase_add_test(tc, test_compare_bootstrap);
	tcase_add_test(tc, test_compare_exact);
	tcase_add_test(tc, test_compare_exact_emulated);
	tcase_add_test(tc, test_compare_overlap_and_missing);
	tcase_add_test(tc, test_compare_resamples);
	tcase_add_test(tc, test_compare_ns);
	tcase_add_test(tc, test_compare_runs_settings_labels);
	tcase_add_test(tc, test_compare_write);
	tcase_add_test(tc, test_compare_refusals);
	tcase_add_test(tc, test_cmd_compare_usage);
	tcase_add_test(tc, test_progress);
	tcase_add_test(tc, test_reader_not_regular);
	tcase_add_test(tc, test_reader_long_line);
	tcase_add_test(tc, test_plot_reader_not_regular);
	tcase_add_test(tc, test_plot_largest_values);
	tcase_add_test(tc, test_compare_output_not_empty);
	tcase_add_test(tc, test_compare_wide_five);
	tcase_add_test(tc, test_compare_write_many);
	tcase_add_test(tc, test_compare_baseline);
	tcase_add_test(tc, test_compare_units);
	tcase_add_test(tc, test_compare_regressions);
	tcase_add_test(tc, test_compare_regressions_exact);
	tcase_add_test(tc, test_cmd_compare_gate);
	tcase_add_test(tc, test_compare_bootstrap_large);
	suite_add_tcase(s, tc);
	int failed = check_run(s, false);
	nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
