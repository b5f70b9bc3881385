/* SPDX-License-Identifier: MIT */
/*
 * The real-KVM lane's host side without an emulator: the arguments lane.sh
 * gets, its exit status, and what is done with what it leaves behind.
 * (tests/lane_amd.sh and tests/lane_intel.sh boot the real lanes.)
 */
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lane/driver.h"
#include "tmp_dir.h"

static void put(const char *name, const char *text)
{
	FILE *f = fopen(tmp_path(name), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The file's text, kept until the next call. */
static const char *slurp(const char *path)
{
	static char *text;

	free(text);
	text = tmp_read(path, NULL);
	return text;
}

/* A stand-in for lane.sh: one argument a line into args.txt, then exit 3. */
static struct lane_spec spec(char **guest, int nguest)
{
	put("lane.sh", "for a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done >\"${0%/*}/args.txt\"\n"
		       "exit 3\n");
	return (struct lane_spec){
		.script = tmp_path("lane.sh"), .vendor = "amd", .bin = "/x/vmexit-bench",
		.out = "/o/out", .cache = "/c", .log = "/o/out/console.txt", .timeout = 900,
		.guest_args = guest, .nguest = nguest,
	};
}

START_TEST(runs_lane_sh_with_the_lanes_arguments)
{
	char *guest[] = { "--iterations", "5", "--raw", "cpuid" };
	struct lane_spec s = spec(guest, 4);
	char want[1024];

	snprintf(want, sizeof(want), "%s\n--vendor\namd\n--bin\n/x/vmexit-bench\n--out\n/o/out\n"
		 "--cache\n/c\n--timeout\n900\n--log\n/o/out/console.txt\n--\n"
		 "--iterations\n5\n--raw\ncpuid\n", s.script);
	ck_assert_int_eq(lane_run(&s), 3);
	ck_assert_str_eq(slurp(tmp_path("args.txt")), want);
}
END_TEST

START_TEST(passes_exactly_the_options_given)
{
	struct lane_spec s = spec(NULL, 0);
	char want[1024];

	s.pkg = "linux-image-6.1.0-9-amd64";
	s.params = "nested=1 npt=0";
	snprintf(want, sizeof(want), "%s\n--vendor\namd\n--bin\n/x/vmexit-bench\n--out\n/o/out\n"
		 "--cache\n/c\n--timeout\n900\n--log\n/o/out/console.txt\n"
		 "--kernel-package\nlinux-image-6.1.0-9-amd64\n--kvm-param\nnested=1 npt=0\n--\n",
		 s.script);
	ck_assert_int_eq(lane_run(&s), 3);
	ck_assert_str_eq(slurp(tmp_path("args.txt")), want);

	s.pkg = NULL;
	s.params = NULL;
	s.kernel = "/k/bzImage";
	s.modules = "/k/lib/modules/6.1";
	ck_assert_int_eq(lane_run(&s), 3);
	ck_assert(strstr(slurp(tmp_path("args.txt")),
			 "\n/o/out/console.txt\n--kernel\n/k/bzImage\n--modules\n/k/lib/modules/6.1\n--\n"));
}
END_TEST

START_TEST(a_killed_lane_reports_its_signal)
{
	struct lane_spec s = spec(NULL, 0);

	put("lane.sh", "kill -TERM $$\n");
	ck_assert_int_eq(lane_run(&s), 128 + 15);
	put("lane.sh", "exit 0\n");
	ck_assert_int_eq(lane_run(&s), 0);
}
END_TEST

/* lane.sh's SKIP line is kept for one error line; our work directory is not named. */
START_TEST(keeps_the_skip_reason_and_hides_the_work_directory)
{
	struct lane_spec s = spec(NULL, 0);
	FILE *saved;
	int fd;

	put("lane.sh", "echo 'lane: amd guest finished in 9s; results in /o/out' >&2\n"
		       "echo 'lane: SKIP: qemu-system-x86 is not installed' >&2\nexit 77\n");
	fflush(stderr);
	fd = dup(2);
	saved = freopen(tmp_path("stderr.txt"), "w", stderr);
	ck_assert_ptr_nonnull(saved);
	ck_assert_int_eq(lane_run(&s), 77);
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	ck_assert_str_eq(s.skip, "qemu-system-x86 is not installed");
	ck_assert_str_eq(slurp(tmp_path("stderr.txt")), "lane: amd guest finished in 9s\n");
}
END_TEST

START_TEST(reads_the_guests_exit_status)
{
	put("lane.rc", "7\n");
	ck_assert_int_eq(lane_read_rc(tmp_path("lane.rc")), 7);
	put("lane.rc", "0");
	ck_assert_int_eq(lane_read_rc(tmp_path("lane.rc")), 0);
	put("lane.rc", "none\n");
	ck_assert_int_eq(lane_read_rc(tmp_path("lane.rc")), -1);
	ck_assert_int_eq(lane_read_rc(tmp_path("missing.rc")), -1);
}
END_TEST

START_TEST(prints_the_output_without_the_guests_results_line)
{
	FILE *to = fopen(tmp_path("shown.txt"), "w");

	put("stdout.txt", "# run: 3 benchmarks\ncpuid 1200\n# results: /out/run\nhlt 900\n");
	ck_assert_ptr_nonnull(to);
	lane_print_output(tmp_path("stdout.txt"), to);
	lane_print_output(tmp_path("missing.txt"), to);
	fclose(to);
	ck_assert_str_eq(slurp(tmp_path("shown.txt")), "# run: 3 benchmarks\ncpuid 1200\nhlt 900\n");
}
END_TEST

START_TEST(keeps_the_logs_beside_the_results)
{
	struct stat st;

	ck_assert_int_eq(mkdir(tmp_path("out"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp_path("out/run"), 0755), 0);
	put("out/lane.env", "emulator=qemu-tcg\n");
	put("out/console.txt", "boot\n");
	put("out/lane.rc", "0\n");
	ck_assert_int_eq(lane_keep_logs(tmp_path("out"), tmp_path("out/run")), 0);
	ck_assert_str_eq(slurp(tmp_path("out/run/lane/lane.env")), "emulator=qemu-tcg\n");
	ck_assert_str_eq(slurp(tmp_path("out/run/lane/console.txt")), "boot\n");
	ck_assert_int_eq(stat(tmp_path("out/lane.rc"), &st), -1);
	/* a log the lane did not write is simply not there */
	ck_assert_int_eq(stat(tmp_path("out/run/lane/dmesg.txt"), &st), -1);
	/* lane/ is made here: one already there is not the lane's */
	ck_assert_int_eq(lane_keep_logs(tmp_path("out"), tmp_path("out/run")), -1);
}
END_TEST

START_TEST(removes_the_work_tree)
{
	struct stat st;

	ck_assert_int_eq(mkdir(tmp_path("w"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp_path("w/out"), 0755), 0);
	ck_assert_int_eq(mkdir(tmp_path("w/out/run"), 0755), 0);
	put("w/out/run/summary.csv", "x\n");
	ck_assert_int_eq(symlink("/etc/hostname", tmp_path("w/out/link")), 0);
	lane_remove_tree(tmp_path("w"));
	ck_assert_int_eq(stat(tmp_path("w"), &st), -1);
	/* a link is removed, not followed */
	ck_assert_int_eq(stat("/etc/hostname", &st), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lane_driver");
	TCase *tc = tcase_create("lane_driver");

	tcase_add_checked_fixture(tc, tmp_dir_setup, tmp_dir_teardown);
	tcase_add_test(tc, runs_lane_sh_with_the_lanes_arguments);
	tcase_add_test(tc, passes_exactly_the_options_given);
	tcase_add_test(tc, a_killed_lane_reports_its_signal);
	tcase_add_test(tc, keeps_the_skip_reason_and_hides_the_work_directory);
	tcase_add_test(tc, reads_the_guests_exit_status);
	tcase_add_test(tc, prints_the_output_without_the_guests_results_line);
	tcase_add_test(tc, keeps_the_logs_beside_the_results);
	tcase_add_test(tc, removes_the_work_tree);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
