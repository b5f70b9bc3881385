/* SPDX-License-Identifier: MIT */
/*
 * `list` and `run` are driven by the same plan: `list --json` and a run of
 * the whole catalog (opt-in rows included, so they show as refused) must
 * give every benchmark the same verdict class and CPL. The run uses other
 * counts than list's short run, so a verdict that hinged on the count would
 * show here.
 *
 *   test_list_run VMEXIT_BENCH
 *       the Check test (needs KVM; tagged so the lane runs it)
 *   test_list_run --compare LIST.json RUN.json [--default] [--label NAME]
 *       only the comparison, of files made elsewhere (the amd lane's npt=0
 *       guest); --default: the run had the default selection, so the opt-in
 *       rows list shows as refused may be absent. Exit 1 on a disagreement.
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_test.h"
#include "tmp_dir.h"

static const char *binary;

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The verdict class a run.json benchmark falls in, as list names them. */
static const char *run_class(json_t *b)
{
	const char *status = str(b, "status");

	/* The same names, but for the one a run calls "ok". */
	return !strcmp(status, "ok") ? "runs" : status;
}

static json_t *recorded(json_t *run, const char *name)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(run, "benchmarks"), i, b)
		if (!strcmp(str(b, "name"), name))
			return b;
	return NULL;
}

/* One line per disagreement and a summary line on @to; the number that disagree. */
static int disagreements(json_t *list, json_t *run, bool default_sel, const char *label,
			 FILE *to)
{
	json_t *row;
	size_t i;
	int bad = 0;

	json_array_foreach(list, i, row) {
		const char *name = str(row, "name");
		json_t *here = json_object_get(row, "here");
		const char *want = str(here, "status");
		json_t *b;

		if (!strcmp(name, "nop"))	/* the floor: a row at every CPL in use */
			continue;
		b = recorded(run, name);
		if (!b && default_sel && !strcmp(want, "refused"))
			continue;
		if (!b) {
			fprintf(to, "%s: %s: listed as %s, not in the run\n", label, name, want);
			bad++;
		} else if (strcmp(run_class(b), want)) {
			fprintf(to, "%s: %s: list says %s (%.90s), run says %s (%.90s)\n", label,
				name, want, str(here, "reason"), str(b, "status"), str(b, "reason"));
			bad++;
		} else if (!strcmp(want, "runs") &&
			   json_integer_value(json_object_get(here, "cpl")) !=
			   json_integer_value(json_object_get(b, "cpl"))) {
			fprintf(to, "%s: %s: list runs it at CPL%lld, run at CPL%lld\n", label, name,
				json_integer_value(json_object_get(here, "cpl")),
				json_integer_value(json_object_get(b, "cpl")));
			bad++;
		}
	}
	fprintf(to, "%s: %zu benchmarks compared, %d disagree\n", label, json_array_size(list),
		bad);
	return bad;
}

/* Runs the binary with @argv[1..], stdout to @out (a path), stderr to @err; its status. */
static int run_to(const char *out, const char *err, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(125);
		execv(binary, argv);
		fprintf(stderr, "test_list_run: cannot run %s: %s\n", binary, strerror(errno));
		_exit(126);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(list_and_run_agree_on_every_row)
{
	char list_out[300], list_err[300], run_dir[300], run_json[300], run_err[300];
	char *list_argv[] = { (char *)binary, "list", "--json", NULL };
	char *run_argv[] = { (char *)binary, "*", "--iterations", "1000", "--warmup", "100",
			     "--runs", "2", "--no-trace", "--quiet", "--plot", "none",
			     "--output", run_dir, NULL };
	json_error_t jerr;
	json_t *list, *run;
	int rc;

	snprintf(list_out, sizeof(list_out), "%s", tmp_path("list.json"));
	snprintf(list_err, sizeof(list_err), "%s", tmp_path("list.err"));
	snprintf(run_dir, sizeof(run_dir), "%s", tmp_path("run"));
	snprintf(run_json, sizeof(run_json), "%s", tmp_path("run/run.json"));
	snprintf(run_err, sizeof(run_err), "%s", tmp_path("run.err"));
	ck_assert_int_eq(run_to(list_out, list_err, list_argv), 0);
	rc = run_to("/dev/null", run_err, run_argv);
	ck_assert_msg(rc == 0 || rc == 1, "the run exited %d (see %s)", rc, run_err);
	list = json_load_file(list_out, 0, &jerr);
	ck_assert_msg(json_is_array(list) && json_array_size(list) > 0, "list --json: %s",
		      jerr.text);
	run = json_load_file(run_json, 0, &jerr);
	ck_assert_msg(run != NULL, "run.json: %s", jerr.text);
	ck_assert_int_eq(disagreements(list, run, false, "list_run", stdout), 0);
	json_decref(list);
	json_decref(run);
}
END_TEST

static int compare_files(int argc, char **argv)
{
	const char *label = "list/run";
	bool default_sel = false;
	json_error_t jerr;
	json_t *list, *run;
	int bad;

	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--default"))
			default_sel = true;
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else
			return fprintf(stderr, "test_list_run: unknown argument '%s'\n", argv[i]), 2;
	}
	list = json_load_file(argv[2], 0, &jerr);
	run = list ? json_load_file(argv[3], 0, &jerr) : NULL;
	if (!json_is_array(list) || !run) {
		fprintf(stderr, "test_list_run: %s: %s\n", jerr.source, jerr.text);
		return 2;
	}
	bad = disagreements(list, run, default_sel, label, stdout);
	if (!json_array_size(list))
		bad = 1;
	json_decref(list);
	json_decref(run);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	Suite *s = suite_create("list_run");
	TCase *kvm;

	if (argc >= 4 && !strcmp(argv[1], "--compare"))
		return compare_files(argc, argv);
	if (argc != 2) {
		fprintf(stderr, "usage: test_list_run VMEXIT_BENCH | --compare LIST.json RUN.json "
			"[--default] [--label NAME]\n");
		return 2;
	}
	binary = argv[1];
	if (!kvm_cases_run_here(1))
		return 77;
	kvm = tcase_create("kvm");
	tcase_add_checked_fixture(kvm, tmp_dir_setup, tmp_dir_teardown);
	tcase_set_timeout(kvm, 600);
	tcase_add_test(kvm, list_and_run_agree_on_every_row);
	kvm_tcase_add(s, kvm);
	return check_run(s, false);
}
