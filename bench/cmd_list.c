/* SPDX-License-Identifier: MIT */
/* vmexit-bench list: the catalog, and what a run would do with each benchmark here. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cmd_list.h"
#include "cmd_run.h"
#include "progress.h"
#include "run_json.h"
#include "runs.h"

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

/* list's first line where a run would not use /dev/kvm. */
static void list_backend(const struct options *o)
{
	char why[256], text[768];
	enum backend b = run_backend(o, why, sizeof(why));
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
int cmd_list(const struct options *o)
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
