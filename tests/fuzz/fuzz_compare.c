/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for 'compare': the input is the second run, its files
 * separated by lines "@@" (run.json, then summary.csv, then samples.csv;
 * a missing part keeps the seed's file). It is joined with the seed run,
 * tested (bootstrap and CI overlap), printed and written as compare.csv.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "compare.h"
#include "fuzz.h"

static const char *const names[] = { "run.json", "summary.csv", "samples.csv" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *a, *b;
	static FILE *null;
	static char out[300];
	const struct compare_opts o = { .resamples = COMPARE_MIN_RESAMPLES, .seed = 1 };
	const char *dirs[2], *p = (const char *)data, *end = p + size;
	struct compare_table t;
	char err[8192];

	if (!a) {
		a = fuzz_dir("compare-a");
		b = fuzz_dir("compare-b");
		null = fopen("/dev/null", "w");
		snprintf(out, sizeof(out), "%s/out", b);
	}
	for (int k = 0; k < 3; k++) {
		const char *sep = p < end ? memmem(p, end - p, "\n@@\n", 4) : NULL;
		const char *stop = sep ? sep + 1 : end;

		if (p < end)
			fuzz_put(b, names[k], p, stop - p);
		else
			fuzz_copy_base(b, names[k]);
		p = sep ? sep + 4 : end;
	}
	dirs[0] = a;
	dirs[1] = b;
	if (compare_build(dirs, 2, &o, &t, err, sizeof(err)) == COMPARE_OK) {
		compare_print(&t, null);
		if (compare_write(out, &t, PLOT_NONE, err, sizeof(err)))
			abort();	/* our own directory: writing must work */
	} else if (strchr(err, '\n')) {
		abort();
	}
	compare_free(&t);
	return 0;
}
