/* SPDX-License-Identifier: MIT */
/*
 * The suite as `vmexit-bench ARGS...` runs it, for the test programs that
 * check whole runs on KVM (test_kvm, test_phases, test_parallel), and the
 * lookup of one of its records by name.
 */
#ifndef VMEXIT_SUITE_FIXTURE_H
#define VMEXIT_SUITE_FIXTURE_H

#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "suite.h"

/* Parses @args (the words after "vmexit-bench") into @o and runs them into @s. */
static inline void suite_fixture_run(struct suite *s, struct options *o,
				     const char *const *args, int nargs)
{
	char *argv[32] = { "vmexit-bench" };
	bool selected[128];
	char err[512];

	ck_assert_int_lt(nargs, 31);
	ck_assert_uint_le(catalog_size(), sizeof(selected) / sizeof(selected[0]));
	for (int i = 0; i < nargs; i++)
		argv[i + 1] = (char *)args[i];
	ck_assert_msg(cli_parse(nargs + 1, argv, o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(cli_select(o, selected, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(suite_init(s, o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_ge(suite_run(s, selected), 0);
}

/* @s's record called @name, or NULL. */
static inline const struct bench_record *suite_fixture_find(const struct suite *s,
							    const char *name)
{
	for (size_t i = 0; i < s->rec.nbench; i++)
		if (strcmp(s->rec.bench[i].name, name) == 0)
			return &s->rec.bench[i];
	return NULL;
}

#endif
