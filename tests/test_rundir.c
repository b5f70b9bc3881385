/* SPDX-License-Identifier: MIT */
/* Where an installed binary, and one in its build directory, find the lane and the VMX image. */
#include "check_main.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rundir.h"
#include "tmp_dir.h"

static char out[PATH_MAX], err[PATH_MAX * 4];

/* Makes @rel (and its directories) as an empty file in the test's directory. */
static void touch(const char *rel)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && : >'%s'", tmp_path(rel),
		 tmp_path(rel));
	ck_assert_int_eq(system(cmd), 0);
}

static void setup(void)
{
	tmp_dir_setup();
	unsetenv("VMEXIT_LANE_DIR");
	unsetenv("VMXB_IMAGE_DIR");
}

START_TEST(installed_binary_finds_libexec_beside_it)
{
	char want[PATH_MAX];

	if (VMEXIT_PKGLIBEXEC_REL[0] == '/')
		return;	/* configured with an absolute libexecdir: nothing relative to test */
	snprintf(want, sizeof(want), "%s/usr/bin/%s/lane", tmp_dir, VMEXIT_PKGLIBEXEC_REL);
	touch("usr/bin/" VMEXIT_PKGLIBEXEC_REL "/lane/lane.sh");
	touch("usr/bin/" VMEXIT_PKGLIBEXEC_REL "/vmx/vmxbench.bin");
	ck_assert_int_eq(rundir_find_from(tmp_path("usr/bin/vmexit-bench"), RUNDIR_LANE, out,
					  sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(rundir_find_from(tmp_path("usr/bin/vmexit-bench"), RUNDIR_VMX, out,
					  sizeof(out), err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/usr/bin/%s/vmx", tmp_dir, VMEXIT_PKGLIBEXEC_REL);
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(build_directory_binary_finds_its_copies)
{
	char want[PATH_MAX];

	touch("build/runner/lane/lane.sh");
	touch("build/runner/vmx/vmxbench.bin");
	ck_assert_int_eq(rundir_find_from(tmp_path("build/vmexit-bench"), RUNDIR_LANE, out,
					  sizeof(out), err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/build/runner/lane", tmp_dir);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(rundir_find_from(tmp_path("build/vmexit-bench"), RUNDIR_VMX, out,
					  sizeof(out), err, sizeof(err)), 0);
	snprintf(want, sizeof(want), "%s/build/runner/vmx", tmp_dir);
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(environment_overrides_and_empty_is_unset)
{
	touch("build/runner/lane/lane.sh");
	setenv("VMEXIT_LANE_DIR", "/somewhere/else", 1);
	ck_assert_int_eq(rundir_find_from(tmp_path("build/vmexit-bench"), RUNDIR_LANE, out,
					  sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, "/somewhere/else");
	setenv("VMEXIT_LANE_DIR", "", 1);
	ck_assert_int_eq(rundir_find_from(tmp_path("build/vmexit-bench"), RUNDIR_LANE, out,
					  sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, tmp_path("build/runner/lane"));
	setenv("VMXB_IMAGE_DIR", "/img", 1);
	ck_assert_int_eq(rundir_find_from(NULL, RUNDIR_VMX, out, sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, "/img");
}
END_TEST

/* A directory without the marker file is not taken; the error names where it looked. */
START_TEST(nothing_found_says_where_it_looked)
{
	touch("build/runner/lane/init.sh");
	if (!access(VMEXIT_PKGLIBEXECDIR "/lane/lane.sh", F_OK))
		return;	/* installed on this machine: the configured path is found */
	ck_assert_int_eq(rundir_find_from(tmp_path("build/vmexit-bench"), RUNDIR_LANE, out,
					  sizeof(out), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no lane scripts (lane.sh)"));
	ck_assert_ptr_nonnull(strstr(err, tmp_path("build/runner/lane")));
	ck_assert_ptr_nonnull(strstr(err, VMEXIT_PKGLIBEXECDIR "/lane"));
	ck_assert_ptr_nonnull(strstr(err, "VMEXIT_LANE_DIR"));
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_int_eq(rundir_find_from("vmexit-bench", RUNDIR_VMX, out, sizeof(out), err,
					  sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "VMXB_IMAGE_DIR"));
}
END_TEST

/* The binary under test, in the build directory, finds the build's own copies. */
START_TEST(this_build_has_its_copies)
{
	char want[PATH_MAX];

	snprintf(want, sizeof(want), "%s/runner/lane/lane.sh", BUILD_ROOT);
	ck_assert_int_eq(access(want, R_OK), 0);
	snprintf(want, sizeof(want), "%s/runner/lane/lane-kvm-hold", BUILD_ROOT);
	ck_assert_int_eq(access(want, X_OK), 0);
	ck_assert_int_eq(rundir_find_from(BUILD_ROOT "/vmexit-bench", RUNDIR_VMX, out,
					  sizeof(out), err, sizeof(err)), 0);
	ck_assert_str_eq(out, BUILD_ROOT "/runner/vmx");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rundir");
	TCase *tc = tcase_create("rundir");

	tcase_add_checked_fixture(tc, setup, tmp_dir_teardown);
	tcase_add_test(tc, installed_binary_finds_libexec_beside_it);
	tcase_add_test(tc, build_directory_binary_finds_its_copies);
	tcase_add_test(tc, environment_overrides_and_empty_is_unset);
	tcase_add_test(tc, nothing_found_says_where_it_looked);
	tcase_add_test(tc, this_build_has_its_copies);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
