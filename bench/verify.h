/* SPDX-License-Identifier: MIT */
/*
 * Exit proofs: that each iteration of a run made the exit its benchmark
 * times (the run loop's counts, KVM's stats, an eventfd counter, the dirty
 * log, a second vCPU's interrupt count), and what a run that did not prove
 * it means (no exit, emulated, unsupported, failed).
 */
#ifndef VMEXIT_VERIFY_H
#define VMEXIT_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "hostprep.h"
#include "run.h"
#include "run_record.h"

struct suite;

/*
 * Whether @extra_per_iter exits per iteration beyond the floor's (and the
 * payload's untimed ones) mean the instruction did not exit at all.
 */
bool verify_no_exit(double extra_per_iter);

/*
 * Proves each of @iters iterations of @b's run exited the way @b says;
 * what was checked and seen goes into r->exit_check.
 */
bool verify_exits(const struct suite *s, const struct bench_def *b, int cpl,
		  const struct run_res *res, const struct host_proof *hp, uint64_t iters,
		  struct bench_record *r);

/*
 * After verify_exits: the interrupt notes (shadow, late), and whether a
 * latency whose interrupt came after its interval leaves no number (then
 * @r is finished: true).
 */
bool verify_deliveries(struct bench_record *r, const struct bench_def *b,
		       const struct run_res *res, uint64_t late, uint64_t iters);

/*
 * A run that did not prove its exit: sets @r's verdict (unsupported here,
 * no exit, or failed, reported on stderr).
 */
void verify_unproven(const struct suite *s, const struct bench_def *b, int cpl,
		     const struct run_res *res, uint64_t iters, struct bench_record *r);

/* The exits per iteration of KVM's `exits` stat in the floor's own run, kept for later rows. */
double verify_per_iter(uint64_t count, uint64_t iters);

#endif
