/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the results-directory reader: the input becomes
 * FUZZ_FILE (run.json, summary.csv or samples.csv) of an otherwise valid
 * run, which results_dir_load reads as 'plot' and 'compare' do.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "fuzz.h"
#include "results_dir.h"

#ifndef FUZZ_FILE
#error "-DFUZZ_FILE=\"summary.csv\" (or run.json, samples.csv)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *dir;
	static struct loaded_run lr;
	char err[8192];

	if (!dir)
		dir = fuzz_dir(FUZZ_FILE);
	fuzz_put(dir, FUZZ_FILE, data, size);
	if (!results_dir_load(dir, &lr, err, sizeof(err))) {
		/* What was loaded must be what the rest of the program relies on. */
		for (size_t i = 0; i < lr.r.nbench; i++) {
			const struct bench_record *b = &lr.r.bench[i];

			for (int p = 0; p < PHASE_COUNT; p++)
				if (b->samples[p] && b->rows[p].samples)
					(void)*(volatile double *)&b->samples[p][b->rows[p].samples - 1];
		}
		results_dir_free(&lr);
	} else if (strchr(err, '\n')) {
		abort();	/* every refusal is one line */
	}
	return 0;
}
