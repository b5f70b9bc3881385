/* SPDX-License-Identifier: MIT */
/* vmexit-bench: what a VM exit costs, per exit type, on this CPU. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "catalog.h"
#include "cli.h"
#include "cmd_lane.h"
#include "cmd_results.h"
#include "cmd_vmx.h"
#include "csv.h"
#include "env.h"
#include "preset.h"
#include "progress.h"
#include "results_dir.h"
#include "run_json.h"
#include "runs.h"
#include "suite.h"
#include "table.h"
#include "vm.h"

#ifndef VMEXIT_VERSION
#define VMEXIT_VERSION "unknown"
#endif

/*
 * The first SIGINT/SIGTERM lets the benchmark being measured finish and
 * the run write what it has; a second one ends the process at once.
 */
static void on_stop_signal(int sig)
{
	static const char msg[] = "\nvmexit-bench: stopping after the current benchmark and "
				  "writing what was measured (again to quit at once)\n";
	int saved = errno;
	ssize_t n;

	if (suite_stop) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	suite_stop = sig;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;	/* nothing to do about a failed write in a signal handler */
	errno = saved;
}

static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "vmexit-bench: %s\n", msg);
	return 2;
}

/* Iterations of the short run behind 'list': enough for every exit check, not for numbers. */
#define LIST_PROBE_ITERATIONS 200
#define LIST_PROBE_WARMUP 16
#define LIST_WIDTH 100

/* What a run would report for one benchmark, from list's own short run. */
struct verdict {
	const char *status;	/* "runs", "unsupported", "no_exit", "refused", "failed" */
	int cpl;		/* -1 where it does not run */
	bool emulated;
	char text[320];
};

static void verdict_of(const struct bench_def *b, const struct run_record *rec, bool live,
		       const char *kvm_err, const struct options *o, struct verdict *v)
{
	const struct bench_record *r = NULL;

	memset(v, 0, sizeof(*v));
	v->cpl = -1;
	for (size_t i = 0; live && i < rec->nbench; i++)
		if (!r && !strcmp(rec->bench[i].name, b->name))
			r = &rec->bench[i];
	if (!live || !r) {
		v->status = "unsupported";
		snprintf(v->text, sizeof(v->text), "unsupported here: %s",
			 live ? "not measured" : kvm_err);
		return;
	}
	v->cpl = r->cpl;
	v->emulated = r->emulated;
	switch (r->status) {
	case BENCH_OK:
		v->status = "runs";
		snprintf(v->text, sizeof(v->text), "runs here at CPL%d%s", r->cpl, r->emulated ?
			 ", which this host emulates: reported as 'emulated', not as a hardware "
			 "exit cost" : "");
		break;
	case BENCH_FAILED:
		v->status = "failed";
		snprintf(v->text, sizeof(v->text), "fails here: %s", r->reason);
		break;
	case BENCH_REFUSED:
		v->status = "refused";
		snprintf(v->text, sizeof(v->text), "%s", o->allow_dangerous ?
			 "runs only with --allow-dangerous, which 'list' never uses" : r->reason);
		break;
	default:
		v->status = bench_status_name(r->status);
		snprintf(v->text, sizeof(v->text), "%s", r->reason);
		break;
	}
}

/* Prints @text from column @indent, wrapped at LIST_WIDTH on spaces. */
static void wrapped(const char *lead, int indent, const char *text)
{
	int col = printf("%*s%s", indent, "", lead);

	while (*text) {
		size_t word = strcspn(text, " ");

		if (col + (int)word + 1 > LIST_WIDTH && col > indent + (int)strlen(lead)) {
			col = printf("\n%*s", indent + (int)strlen(lead), "") - 1;
		} else if (col > indent + (int)strlen(lead)) {
			col += printf(" ");
		}
		col += printf("%.*s", (int)word, text);
		text += word;
		text += strspn(text, " ");
	}
	putchar('\n');
}

static void list_json(const struct verdict *v)
{
	json_t *a = json_array();
	char needs[32];

	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		if (b->needs & HIDDEN)
			continue;
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:o,s:b,s:s}}",
			"name", b->name, "exit_reason", b->exit_reason,
			"handled", handled_name(b->handled),
			"needs", needs_string(b->needs, needs, sizeof(needs)),
			"kind", bench_kind_name(catalog_kind(b)), "description", b->description,
			"here", "status", v[i].status,
			"cpl", v[i].cpl >= 0 ? json_integer(v[i].cpl) : json_null(),
			"emulated", v[i].emulated, "reason", v[i].text));
	}
	json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(a);
}

/*
 * Which backend a run with @o would use, from @o->backend and whether
 * /dev/kvm (VMEXIT_KVM_DEVICE) opens: BACKEND_KVM, or a lane with why
 * /dev/kvm is not used in @why ("" when the lane was asked for).
 */
static enum backend backend_of(const struct options *o, char *why, size_t len)
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

/* list's first line where a run would not use /dev/kvm. */
static void list_backend(const struct options *o)
{
	char why[256], text[768];
	enum backend b = backend_of(o, why, sizeof(why));
	const char *kvm = b == BACKEND_LANE_INTEL ? "kvm_intel" : "kvm_amd";

	if (b == BACKEND_KVM)
		return;
	snprintf(text, sizeof(text), "a run here uses %s, Debian's kernel and its own %s under "
		 "an emulator (%s%s); the verdicts below are this host's; what runs on %s: "
		 "docs/real-kvm.md", cli_backend_name(b), kvm,
		 why[0] ? why : "--backend ", why[0] ? "" : cli_backend_name(b), kvm);
	if (o->json) {
		fprintf(stderr, "vmexit-bench: list: %s\n", text);
		return;
	}
	wrapped("# backend: ", 0, text);
}

/*
 * 'list' says what a run would do with each benchmark by doing it: a short
 * run of the whole catalog through the same code as 'run' (probes, CPL
 * choice, exit checks), so the two cannot disagree. No tracing (no root
 * needed), no opt-in benchmarks.
 */
static int cmd_list(const struct options *o)
{
	bool *selected = calloc(catalog_size(), sizeof(*selected));
	struct verdict *v = calloc(catalog_size(), sizeof(*v));
	struct options probe = *o;
	struct run_record rec = { 0 };
	char needs[32], err[256] = "";
	bool live;

	if (!selected || !v) {
		free(selected);
		free(v);
		fprintf(stderr, "vmexit-bench: out of memory\n");
		return 1;
	}
	probe.iterations = LIST_PROBE_ITERATIONS;
	probe.warmup = LIST_PROBE_WARMUP;
	probe.runs = 1;
	probe.no_trace = true;
	probe.allow_dangerous = false;
	probe.handler_work_ns = 0;
	probe.npatterns = 0;
	for (size_t i = 0; i < catalog_size(); i++)
		selected[i] = !(catalog_row(i)->needs & HIDDEN);
	progress_init(true);
	live = runs_measure(&probe, selected, &rec, err, sizeof(err)) >= 0;
	for (size_t i = 0; i < catalog_size(); i++)
		verdict_of(catalog_row(i), &rec, live, err, o, &v[i]);
	list_backend(o);
	if (o->json) {
		list_json(v);
		goto out;
	}
	printf("%-28s %-7s %-18s %s\n", "benchmark", "handled", "needs", "exit reason");
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		if (b->needs & HIDDEN)
			continue;
		printf("%-28s %-7s %-18s %s\n", b->name, handled_name(b->handled),
		       needs_string(b->needs, needs, sizeof(needs)), b->exit_reason);
		wrapped("", 4, b->description);
		if (b->alias)
			printf("    also named %s\n", b->alias);
		wrapped("-> ", 4, v[i].text);
	}
out:
	if (live)
		runs_free(&rec);
	free(selected);
	free(v);
	return 0;
}

static int write_csv(const struct run_record *rec, const char *path)
{
	char err[512];

	if (!table_write_csv(path, rec, err, sizeof(err)))
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

static int write_markdown(const struct run_record *rec, const char *path)
{
	char err[512];

	if (!table_write_markdown(path, rec, err, sizeof(err)))
		return 0;
	fprintf(stderr, "vmexit-bench: %s\n", err);
	return -1;
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

static int cmd_run(const struct options *o, int argc, char **argv)
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
		return usage_error(err);
	}
	if (check_outputs(o)) {
		free(selected);
		return 2;
	}
	/* Without a usable /dev/kvm, the kvm_amd lane (docs/real-kvm.md). */
	backend = backend_of(o, why, sizeof(why));
	if (backend != BACKEND_KVM) {
		free(selected);
		return lane_backend_run(o, backend, why[0] ? why : NULL);
	}
	progress_init(o->quiet);
	catch_stop_signals();
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
	if (o->csv && write_csv(&rec, o->csv))
		status = 1;
	if (o->markdown && write_markdown(&rec, o->markdown))
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

/* `vmexit-bench [run|list|help] ...`: the options cli_parse() knows. */
static int cmd_measure(int argc, char **argv)
{
	struct options o;
	char err[512];

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

/*
 * The subcommands with options of their own, each given its argv from its
 * name on; anything else (run, list, help, options, benchmark names) is
 * the measuring command's.
 */
static const struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "env", cmd_env },
	{ "plot", cmd_plot },
	{ "compare", cmd_compare },
	{ "vmx", cmd_vmx },
	{ "lane", cmd_lane },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(argc - 1, argv + 1);
	return cmd_measure(argc, argv);
}
