/* SPDX-License-Identifier: MIT */
/* Rate-limited one-line progress on stderr. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_INTERVAL_NS 100000000LL

static FILE *out;
static long long last_ns;
static bool drawn;
static unsigned run_k, run_n;	/* --runs: which run of how many; 0 with one run */

void progress_init(bool quiet)
{
	out = !quiet && isatty(STDERR_FILENO) ? stderr : NULL;
	last_ns = 0;
	drawn = false;
}

void progress_init_stream(FILE *f)
{
	out = f;
	last_ns = 0;
	drawn = false;
}

/* The coarse clock is a vDSO read of the last tick: no syscall, no rdtsc. */
static long long coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void progress_update(const char *bench, unsigned long long done, unsigned long long total)
{
	long long now;

	if (!out)
		return;
	now = coarse_ns();
	if (done < total && drawn && now - last_ns < PROGRESS_INTERVAL_NS)
		return;
	last_ns = now;
	drawn = true;
	/* \033[K erases what a longer previous line left behind. */
	fprintf(out, "\r\033[K");
	if (run_n > 1)
		fprintf(out, "run %u/%u: ", run_k, run_n);
	if (total)
		fprintf(out, "%s: %llu/%llu (%.0f%%)", bench, done, total,
			100.0 * done / total);
	else
		fprintf(out, "%s: %llu", bench, done);
	fflush(out);
}

void progress_done(void)
{
	if (!out || !drawn)
		return;
	fprintf(out, "\r\033[K");
	fflush(out);
	drawn = false;
}

void progress_run(unsigned k, unsigned n)
{
	run_k = k;
	run_n = n;
}
