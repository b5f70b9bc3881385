/* SPDX-License-Identifier: MIT */
/*
 * The real-KVM lane's host side without an emulator: the arguments lane.sh
 * gets, its exit status, and what is done with what it leaves behind.
 * (tests/lane_amd.sh and tests/lane_intel.sh boot the real lanes.)
 */
#include "check_main.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

START_TEST(package_names_are_never_paths)
{
	const char *good[] = { "linux-image-6.1.0-57-amd64", "linux-image-amd64", "g++", "0ad" };
	const char *bad[] = { "../victim", "../../../../etc/X", "a/b", "x", "", ".hidden",
			      "-opt", "Linux-image", "linux image", "linux-image-6.1\n" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(lane_package_name_ok(good[i]), "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!lane_package_name_ok(bad[i]), "%s", bad[i]);
}
END_TEST

/* The pid in @name, written by the stand-in's emulator, once it is there. */
static pid_t wait_pid_file(const char *name)
{
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(tmp_path(name), "r");
		int pid = 0;

		if (f && fscanf(f, "%d", &pid) == 1 && pid > 0) {
			fclose(f);
			return pid;
		}
		if (f)
			fclose(f);
		usleep(50000);
	}
	ck_abort_msg("no %s", name);
	return -1;
}

static bool gone_within(pid_t pid, const char *path, int ms)
{
	struct stat st;

	for (;; ms -= 50) {
		if (kill(pid, 0) && errno == ESRCH && (!path || stat(path, &st)))
			return true;
		if (ms <= 0)
			return false;
		usleep(50000);
	}
}

/*
 * A stand-in for lane.sh whose "emulator" runs under timeout(1), in a
 * process group of its own as QEMU's does, and a caller (a child of the
 * test's) running it; returns the caller's pid, the emulator's in @emu.
 */
static pid_t start_lane(pid_t *emu)
{
	pid_t pid;

	ck_assert_int_eq(mkdir(tmp_path("work"), 0700), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct lane_spec s = spec(NULL, 0);

		put("lane.sh", "echo \"$TMPDIR\" >\"${0%/*}/tmpdir.txt\"\n"
			       "timeout 300 sh -c 'echo $$ >\"$0\"; exec sleep 300' "
			       "\"${0%/*}/emu.pid\" &\nwait\n");
		s.work = tmp_path("work");
		_exit(lane_run(&s) == 128 + SIGTERM && s.stopped == SIGTERM ? 0 : 1);
	}
	*emu = wait_pid_file("emu.pid");
	return pid;
}

/* SIGTERM to the caller alone: the emulator is stopped at once, in another process group. */
START_TEST(a_signal_stops_the_emulator_too)
{
	struct timespec t0, t1;
	pid_t emu, pid = start_lane(&emu);
	char want[4200];
	int st;

	/* lane.sh's own work directory is made inside the caller's */
	snprintf(want, sizeof(want), "%s\n", tmp_path("work"));
	ck_assert_str_eq(slurp(tmp_path("tmpdir.txt")), want);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "lane_run did not report SIGTERM");
	ck_assert_msg(gone_within(emu, NULL, 0), "the emulator %d still runs", (int)emu);
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 2, "took %lds", (long)(t1.tv_sec - t0.tv_sec));
}
END_TEST

/* kill -9 of the caller: the emulator dies with it, and the work directory goes. */
START_TEST(a_killed_caller_takes_the_lane_with_it)
{
	pid_t emu, pid = start_lane(&emu);

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_msg(gone_within(emu, tmp_path("work"), 3000), "emulator %d or %s left",
		      (int)emu, tmp_path("work"));
}
END_TEST

static void mark(const char *dir, const char *owner)
{
	char p[256];

	ck_assert_int_eq(mkdir(tmp_path(dir), 0700), 0);
	snprintf(p, sizeof(p), "%s/.vmexit-lane-owner", dir);
	if (owner)
		put(p, owner);
}

START_TEST(removes_only_what_dead_lanes_left)
{
	char dead[64], live[64];
	struct stat st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);	/* a pid that no longer runs */
	snprintf(dead, sizeof(dead), "%d 123\n", (int)pid);
	mark("r.lane-AAAAAA", dead);
	mark("r.lane-BBBBBB", NULL);
	ck_assert_int_eq(lane_mark_work(tmp_path("r.lane-BBBBBB")), 0);	/* this process */
	mark("r.lane-CCCCCC", NULL);	/* not marked: not a lane's, or kept for the user */
	mark("r-DDDDDD", dead);		/* not a work directory's name */
	snprintf(live, sizeof(live), "1 %llu\n", ~0ull);	/* a pid reused since */
	mark("s.lane-EEEEEE", live);
	put("r.lane-AAAAAA/initrd", "x");
	lane_clean_stale(tmp_dir);
	ck_assert_int_eq(stat(tmp_path("r.lane-AAAAAA"), &st), -1);
	ck_assert_int_eq(stat(tmp_path("r.lane-BBBBBB"), &st), 0);
	ck_assert_int_eq(stat(tmp_path("r.lane-CCCCCC"), &st), 0);
	ck_assert_int_eq(stat(tmp_path("r-DDDDDD"), &st), 0);
	ck_assert_int_eq(stat(tmp_path("s.lane-EEEEEE"), &st), -1);
	lane_unmark_work(tmp_path("r.lane-BBBBBB"));
	ck_assert_int_eq(stat(tmp_path("r.lane-BBBBBB/.vmexit-lane-owner"), &st), -1);
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
	tcase_add_test(tc, package_names_are_never_paths);
	tcase_add_test(tc, a_signal_stops_the_emulator_too);
	tcase_add_test(tc, a_killed_caller_takes_the_lane_with_it);
	tcase_add_test(tc, removes_only_what_dead_lanes_left);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
