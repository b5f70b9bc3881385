/* SPDX-License-Identifier: MIT */
/*
 * --runs N: N independent runs of the suite (each with its own VM, probes
 * and timer floor), merged into one record whose confidence intervals hold
 * across runs, not only within one.
 */
#ifndef VMEXIT_RUNS_H
#define VMEXIT_RUNS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "run_record.h"

/*
 * Runs the benchmarks marked in @selected o->runs times and merges the
 * records into @out (free with runs_free). Returns the number of
 * benchmarks that failed (in any run), or -1 with a one-line message in
 * @err when KVM cannot be used or memory runs out; @out is then empty.
 */
int runs_measure(const struct options *o, const bool *selected, struct run_record *out,
		 char *err, size_t errlen);

/*
 * Merges @n records of the same selection: per benchmark, phase and CPL,
 * the pooled samples give the quantiles; the median is the mean of the n
 * per-run medians and the 95% CI is Student's t-interval of that mean
 * (n - 1 degrees of freedom), so the spread between runs is in it. A
 * benchmark that failed or was unsupported in any run is reported so,
 * with the run named. The inputs are consumed (their samples move into
 * @out). Returns 0, or -1 when out of memory.
 */
int runs_merge(struct run_record *in, size_t n, struct run_record *out);

void runs_free(struct run_record *r);

#endif
