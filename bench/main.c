/* SPDX-License-Identifier: MIT */
/* vmexit-bench: what a VM exit costs, per exit type, on this CPU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cmd_results.h"
#include "cmd_vmx.h"
#include "csv.h"
#include "env.h"
#include "preset.h"
#include "progress.h"
#include "results_dir.h"
#include "suite.h"
#include "table.h"
#include "vm.h"

#ifndef VMEXIT_VERSION
#define VMEXIT_VERSION "unknown"
#endif

static int usage_error(const char *msg)
{
	fprintf(stderr, "vmexit-bench: %s\n", msg);
	return 2;
}

/*
 * Probes the host as a run does (CPL0 emulation, irqchip, a VMCALL that
 * never returns), so 'list' says what a run would do with each benchmark.
 */
static int cmd_list(const struct options *o)
{
	static struct suite s;
	struct host_caps *caps = &s.caps;
	char needs[32], err[256];
	bool live = suite_init(&s, o, err, sizeof(err)) == 0;

	if (live)
		suite_probe_vmcall(&s);
	printf("%-28s %-32s %-7s %-18s %s\n", "benchmark", "exit reason", "handled", "needs",
	       "description / runs here?");
	for (size_t i = 0; i < bench_catalog_size; i++) {
		const struct bench_def *b = &bench_catalog[i];
		const char *refusal = live ? catalog_refusal(b, caps) : NULL, *why = NULL;
		int cpl = live ? suite_pick_cpl(b, o->cpl, caps->cpl0_emulated, &why) : -1;

		if (b->needs & HIDDEN)
			continue;
		if (!live)
			why = err;
		else if (cpl >= 0 && b->unsupported)
			why = b->unsupported(caps);
		printf("%-28s %-32s %-7s %-18s %s\n", b->name, b->exit_reason,
		       handled_name(b->handled), needs_string(b->needs, needs, sizeof(needs)),
		       b->description);
		if (refusal)
			printf("%-28s -> refused: %s\n", "", refusal);
		else if (why)
			printf("%-28s -> unsupported here: %s\n", "", why);
		else if (cpl == 0 && caps->cpl0_emulated)
			printf("%-28s -> runs at CPL0, which this host emulates: reported only if "
			       "KVM counts an exit, marked 'emulated'\n", "");
		else
			printf("%-28s -> runs here at CPL%d\n", "", cpl);
	}
	if (live)
		suite_free(&s);
	return 0;
}

static int write_csv(const struct suite *s, const char *path)
{
	struct summary_row *rows;
	size_t n = table_rows(&s->rec, &rows);
	char err[512];
	int r;

	if (!rows) {
		fprintf(stderr, "vmexit-bench: out of memory\n");
		return -1;
	}
	r = csv_write_summary(path, rows, n, err, sizeof(err));
	if (r)
		fprintf(stderr, "vmexit-bench: %s\n", err);
	free(rows);
	return r;
}

/* The environment record, its warnings, and the self-describing results directory. */
static int write_results(const struct suite *s, const struct options *o, int argc, char **argv)
{
	static struct env_record env;	/* large: keep it off the stack */
	char warn[16][ENV_WARN_LEN], dir[4096] = "", err[1024];
	struct results_opts ro = {
		.output = o->output, .raw = o->raw, .plot = o->plot,
		.created = dir, .createdlen = sizeof(dir),
	};
	size_t nw;

	env_collect(&env, s->rec.pinned_cpu, s->rec.tsc_khz, argc, argv);
	nw = env_warnings(&env, &s->rec, warn, 16);
	fflush(stdout);	/* the warnings follow the table, also when stdout is a pipe */
	for (size_t i = 0; i < nw && i < 16; i++)
		fprintf(stderr, "vmexit-bench: warning: %s\n", warn[i]);
	if (results_dir_write(NULL, &s->rec, &env, &ro, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return -1;
	}
	if (o->preset && preset_tex_file(dir, preset_find(o->preset), &s->rec, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		return -1;
	}
	if (!o->quiet)
		printf("# results: %s\n", dir);
	return 0;
}

static int cmd_run(const struct options *o, int argc, char **argv)
{
	bool *selected = calloc(bench_catalog_size, sizeof(*selected));
	struct suite s;
	char err[512];
	int failed, status = 0;

	if (!selected) {
		fprintf(stderr, "vmexit-bench: out of memory\n");
		return 1;
	}
	if (cli_select(o, selected, err, sizeof(err))) {
		free(selected);
		return usage_error(err);
	}
	if (suite_init(&s, o, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: %s\n", err);
		suite_free(&s);
		free(selected);
		return 1;
	}
	progress_init(o->quiet);
	failed = suite_run(&s, selected);
	free(selected);
	progress_done();
	if (failed < 0) {
		fprintf(stderr, "vmexit-bench: out of memory\n");
		status = 1;
	} else if (failed > 0) {
		status = 1;
	}
	/* Whatever was measured is written, even when some benchmark failed. */
	if (!o->quiet)
		table_print(stdout, &s.rec);
	if (!o->quiet && o->preset)
		preset_print(stdout, preset_find(o->preset), &s.rec);
	if (o->csv && write_csv(&s, o->csv))
		status = 1;
	if (write_results(&s, o, argc, argv))
		status = 1;
	if (failed > 0)
		fprintf(stderr, "vmexit-bench: %d benchmark%s failed (see above); the others "
			"are reported\n", failed, failed == 1 ? "" : "s");
	suite_free(&s);
	return status;
}

int main(int argc, char **argv)
{
	struct options o;
	char err[512];

	/* Subcommands with their own options. */
	if (argc > 1 && strcmp(argv[1], "env") == 0)
		return cmd_env(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "plot") == 0)
		return cmd_plot(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "vmx") == 0)
		return cmd_vmx(argc - 1, argv + 1);
	if (cli_parse(argc, argv, &o, err, sizeof(err)))
		return usage_error(err);
	switch (o.cmd) {
	case CMD_HELP:
		fputs(cli_usage, stdout);
		return 0;
	case CMD_VERSION:
		printf("vmexit-bench %s\n", VMEXIT_VERSION);
		return 0;
	case CMD_LIST:
		return cmd_list(&o);
	case CMD_RUN:
	default:
		return cmd_run(&o, argc, argv);
	}
}
