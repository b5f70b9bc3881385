/* SPDX-License-Identifier: MIT */
/* vmexit-bench [run]: measure, then print and write what was measured. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "atomic_file.h"
#include "catalog.h"
#include "cli.h"
#include "cmd_lane.h"
#include "cmd_run.h"
#include "csv.h"
#include "env.h"
#include "preset.h"
#include "progress.h"
#include "results_dir.h"
#include "runs.h"
#include "suite.h"
#include "table.h"
#include "vm.h"

enum backend run_backend(const struct options *o, char *why, size_t len)
{
	int fd;

	why[0] = 0;
	if (o->backend != BACKEND_AUTO)
		return o->backend;
	fd = kvm_open(why, len);
	if (fd < 0)
		return BACKEND_LANE_AMD;
	close(fd);
	why[0] = 0;
	return BACKEND_KVM;
}

/* One of the run's own files (--csv, --export-markdown) by @writer, its error said. */
static int write_file(int (*writer)(const char *, const struct run_record *, char *, size_t),
		      const struct run_record *rec, const char *path)
{
	char err[512];

	if (!writer(path, rec, err, sizeof(err)))
		return 0;
	fprintf(stderr, "vmexit-bench: %s\n", err);
	return -1;
}

/*
 * Everything a run will write is checked before it measures anything: a
 * bad --output or --csv found after an hour of measuring loses the hour.
 */
static int check_outputs(const struct options *o)
{
	struct results_opts ro = { .output = o->output };
	char err[1024];

	if (results_dir_check(NULL, &ro, err, sizeof(err)) ||
	    (o->csv && atomic_file_check(o->csv, err, sizeof(err))) ||
	    (o->markdown && atomic_file_check(o->markdown, err, sizeof(err)))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return -1;
	}
	return 0;
}

/* The environment record, its warnings, and the self-describing results directory. */
static int write_results(const struct run_record *rec, const struct options *o, int argc,
			 char **argv)
{
	static struct env_record env;	/* large: keep it off the stack */
	char warn[16][ENV_WARN_LEN], dir[4096] = "", err[1024];
	struct results_opts ro = {
		.output = o->output, .raw = o->raw, .plot = o->plot,
		.created = dir, .createdlen = sizeof(dir),
	};
	size_t nw;

	env_collect(&env, rec->pinned_cpu, rec->tsc_khz, argc, argv);
	nw = env_warnings(&env, rec, warn, 16);
	fflush(stdout);	/* the warnings follow the table, also when stdout is a pipe */
	for (size_t i = 0; i < nw && i < 16; i++)
		fprintf(stderr, "vmexit-bench: warning: %s\n", warn[i]);
	if (results_dir_write(NULL, rec, &env, &ro, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return -1;
	}
	if (o->preset && preset_tex_file(dir, preset_find(o->preset), rec, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return -1;
	}
	if (!o->quiet)
		printf("# results: %s\n", dir);
	return 0;
}

int cmd_run(const struct options *o, int argc, char **argv, void (*catch_stop)(void))
{
	bool *selected = calloc(catalog_size(), sizeof(*selected));
	struct run_record rec;
	char err[512], why[256];
	enum backend backend;
	int failed, status = 0;

	if (!selected) {
		fprintf(stderr, "vmexit-bench: out of memory\n");
		return 1;
	}
	if (cli_select(o, selected, err, sizeof(err))) {
		free(selected);
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return 2;
	}
	if (check_outputs(o)) {
		free(selected);
		return 2;
	}
	/* Without a usable /dev/kvm, the kvm_amd lane (docs/real-kvm.md). */
	backend = run_backend(o, why, sizeof(why));
	if (backend != BACKEND_KVM) {
		free(selected);
		return lane_backend_run(o, backend, why[0] ? why : NULL);
	}
	progress_init(o->quiet);
	catch_stop();
	failed = runs_measure(o, selected, &rec, err, sizeof(err));
	free(selected);
	progress_done();
	if (failed < 0) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return 1;
	}
	if (failed > 0)
		status = 1;
	/* Whatever was measured is written, even when some benchmark failed. */
	if (!o->quiet)
		table_print(stdout, &rec);
	if (!o->quiet && o->preset)
		preset_print(stdout, preset_find(o->preset), &rec);
	if (rec.incomplete && !o->quiet)
		printf("# INCOMPLETE: stopped by %s; %zu of %llu benchmarks recorded, the rest "
		       "were not run\n", rec.stopped_by, rec.nbench, rec.selected);
	if (o->csv && write_file(csv_write_run, &rec, o->csv))
		status = 1;
	if (o->markdown && write_file(table_write_markdown, &rec, o->markdown))
		status = 1;
	if (write_results(&rec, o, argc, argv))
		status = 1;
	if (failed > 0)
		fprintf(stderr, "vmexit-bench: %d benchmark%s failed (see above); the others "
			"are reported\n", failed, failed == 1 ? "" : "s");
	if (rec.incomplete) {
		fprintf(stderr, "vmexit-bench: incomplete run (%s): what was measured is written\n",
			rec.stopped_by);
		status = 128 + suite_stop;	/* as a shell reports a run ended by the signal */
	}
	runs_free(&rec);
	return status;
}
