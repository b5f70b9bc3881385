/* SPDX-License-Identifier: MIT */
/*
 * One run of the selected benchmarks into a run_record: the VM, what the
 * probes found, the floors, and the plan executed in catalog order. The
 * jobs are in their own files: probe.c (the host), plan.c (what to do with
 * each benchmark), measure.c (one benchmark), verify.c (its exit proof),
 * split.c (its phases), record.c (its record).
 */
#ifndef VMEXIT_SUITE_H
#define VMEXIT_SUITE_H

#include <signal.h>
#include <stdbool.h>

#include "suite_state.h"

/*
 * Set (to the signal's number) from a signal handler: suite_run finishes
 * the benchmark it is measuring, starts no other, and marks the record
 * incomplete.
 */
extern volatile sig_atomic_t suite_stop;

/* Opens KVM, creates the VM, probes the host. -1 with a one-line message. */
int suite_init(struct suite *s, const struct options *opt, char *err, size_t errlen);
/*
 * Runs the benchmarks marked in @selected; returns the number that
 * failed, or -1 when out of memory. A VM that cannot be made again fails
 * the rows after it, each with the reason: what was measured is kept.
 */
int suite_run(struct suite *s, const bool *selected);
void suite_free(struct suite *s);

#endif
