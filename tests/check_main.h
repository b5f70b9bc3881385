/* SPDX-License-Identifier: MIT */
/* The one way every Check suite here is run and turned into an exit status. */
#ifndef VMEXIT_CHECK_MAIN_H
#define VMEXIT_CHECK_MAIN_H

#include <check.h>
#include <stdbool.h>

/* Runs @s, prints Check's summary line (tests/summarize.py reads it), frees it. */
static inline int check_run(Suite *s, bool nofork)
{
	SRunner *sr = srunner_create(s);
	int failed;

	if (nofork)
		srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
