/* SPDX-License-Identifier: MIT */
/*
 * Shared by the test programs whose cases need /dev/kvm. Every such Check
 * test case carries the tag KVM_TAG and the program is in meson's 'kvm'
 * suite: that is all tests/lane_tests.sh needs to run exactly those cases
 * (CK_INCLUDE_TAGS=kvm) inside a lane guest, which has a real KVM, when
 * this host has none. No list of programs or cases is kept anywhere else.
 */
#ifndef VMEXIT_KVM_TEST_H
#define VMEXIT_KVM_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm.h"

#define KVM_TAG "kvm"

/*
 * Whether the @ntests cases that need KVM can run here. When they cannot,
 * says why once: with VMEXIT_KVM_CASES=lane (tests/run.sh sets it, because
 * its lane test runs these cases against a real KVM and counts them there)
 * as a note that counts nothing; otherwise as the SKIP line that
 * tests/summarize.py counts.
 */
static inline bool kvm_cases_run_here(int ntests)
{
	const char *where = getenv("VMEXIT_KVM_CASES");
	char err[256];
	int fd = kvm_open(err, sizeof(err));

	if (fd >= 0) {
		close(fd);
		return true;
	}
	if (where && !strcmp(where, "lane"))
		printf("NOTE: %d tests need KVM (%s): they run in the lane test\n", ntests, err);
	else
		printf("SKIP: %d tests: %s\n", ntests, err);
	return false;
}

/*
 * Whether cases without a tag run: not where only tagged ones were asked
 * for (CK_INCLUDE_TAGS, as in the lane's guest). A program checks it
 * before it says that such a case cannot run here.
 */
static inline bool untagged_cases_run(void)
{
	const char *tags = getenv("CK_INCLUDE_TAGS");

	return !tags || !*tags;
}

/* Marks @tc as needing KVM (see above) and adds it to @s. */
static inline void kvm_tcase_add(Suite *s, TCase *tc)
{
	tcase_set_tags(tc, KVM_TAG);
	suite_add_tcase(s, tc);
}

#endif
