/* SPDX-License-Identifier: MIT */
/*
 * The tracefs instance of a run: named per process, so two runs at once do
 * not destroy each other's, and a killed run's left-over is removed by the
 * next one, while a live run's is not. Needs root and tracefs (else skipped).
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracefs.h>

#include "trace.h"

static char dead_name[64], live_name[64], own_name[64];

static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static struct tracefs_instance *make(const char *name)
{
	struct tracefs_instance *inst = tracefs_instance_create(name);

	ck_assert_msg(inst != NULL, "cannot create instance %s", name);
	return inst;
}

START_TEST(stale_instances_go_live_ones_stay)
{
	struct tracefs_instance *dead, *live;

	dead = make(dead_name);
	live = make(live_name);
	ck_assert_int_ge(trace_remove_stale(), 1);
	ck_assert(!tracefs_instance_exists(dead_name));
	ck_assert(tracefs_instance_exists(live_name));
	tracefs_instance_destroy(live);
	tracefs_instance_free(live);
	tracefs_instance_free(dead);
}
END_TEST

START_TEST(each_run_has_its_own)
{
	char why[256];
	struct trace_session *t = trace_open(gettid(), why, sizeof(why));

	if (!t) {
		/* No kvm tracepoints or x86-tsc clock: the naming is all there is to test. */
		printf("trace_open: %s\n", why);
		ck_assert(!tracefs_instance_exists(own_name));
		return;
	}
	ck_assert(tracefs_instance_exists(own_name));
	trace_close(t);
	ck_assert(!tracefs_instance_exists(own_name));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trace_instance");
	TCase *tc = tcase_create("trace_instance");
	int failed;

	if (geteuid() != 0 || !tracefs_tracing_dir()) {
		printf("SKIP: 2 tests: needs root and tracefs\n");
		return 77;
	}
	snprintf(dead_name, sizeof(dead_name), "vmexit_bench_%d", (int)dead_pid());
	/* Our parent runs for as long as we do. */
	snprintf(live_name, sizeof(live_name), "vmexit_bench_%d", (int)getppid());
	snprintf(own_name, sizeof(own_name), "vmexit_bench_%d", (int)getpid());
	tcase_add_test(tc, stale_instances_go_live_ones_stay);
	tcase_add_test(tc, each_run_has_its_own);
	suite_add_tcase(s, tc);
	failed = check_run(s, true);
	return failed;
}
