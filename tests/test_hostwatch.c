/* SPDX-License-Identifier: MIT */
/* The host-side bound: a watched section that stops making progress ends the process. */
#include "check_main.h"
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostwatch.h"

enum child { HANG, KICKED, UNARMED };

/* Runs @what in a child with a 1 s bound; returns its exit status, its stderr in @out. */
static int in_child(enum child what, char *out, size_t len)
{
	int p[2], st;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		if (hostwatch_start(1.0))
			_exit(2);
		if (what != UNARMED)
			hostwatch_arm("a test section");
		for (int i = 0; i < 25; i++) {
			usleep(100000);	/* 2.5 s in all */
			if (what == KICKED)
				hostwatch_kick();
		}
		hostwatch_disarm();
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

START_TEST(a_silent_section_ends_the_process_with_one_line)
{
	char err[512];

	ck_assert_int_eq(in_child(HANG, err, sizeof(err)), 1);
	ck_assert_msg(strstr(err, "vmexit-bench: the host side hung for") &&
		      strstr(err, "in a test section"), "%s", err);
	ck_assert_ptr_eq(strchr(err, '\n'), err + strlen(err) - 1);
}
END_TEST

START_TEST(progress_or_no_section_is_not_a_hang)
{
	char err[512];

	ck_assert_int_eq(in_child(KICKED, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(in_child(UNARMED, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hostwatch");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_silent_section_ends_the_process_with_one_line);
	tcase_add_test(tc, progress_or_no_section_is_not_a_hang);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
