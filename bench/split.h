/* SPDX-License-Identifier: MIT */
/*
 * Phase splitting: one exit's round trip as exit, handler and entry.
 * Userspace exits from host stamps around KVM_RUN, after a calibration
 * exchange proves guest and host read one TSC; in-kernel exits from
 * kvm:kvm_exit/kvm_entry in a traced rerun.
 */
#ifndef VMEXIT_SPLIT_H
#define VMEXIT_SPLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "phases.h"
#include "run.h"
#include "run_record.h"

struct suite;

/* OUT exchanges that check guest TSC == host TSC before each userspace split. */
#define CAL_ITERATIONS 1000
/* Non-benchmark KVM_RUN returns remembered per run (the watchdog's, mostly). */
#define OTHER_RET_CAP 65536

/* Host-side buffers of a run whose samples mix or are split by host stamps. */
struct user_stamps {
	uint64_t *ret, *enter, *other;
	struct tsc_bound cal;
	bool cal_ok;
	char cal_why[256];
};

/* Buffers for runs of up to @n iterations; -1 when out of memory. */
int split_stamps_alloc(struct user_stamps *u, uint64_t n);
void split_stamps_free(struct user_stamps *u);

/*
 * The calibration exchange at @cpl: u->cal_ok, or u->cal_why. -1 when
 * the VM cannot be made again after a failed exchange (in @err).
 */
int split_calibrate(struct suite *s, int cpl, struct user_stamps *u, char *err,
		    size_t errlen);

/* Makes @req stamp every benchmark exit into @u (and run --handler-work). */
void split_user_request(struct suite *s, struct user_stamps *u, struct run_req *req);

/* exit/handler/entry of a userspace exit from @u's stamps of the run @res. -1: no memory. */
int split_user(struct suite *s, struct bench_record *r, const struct user_stamps *u,
	       const struct run_res *res);

/* Why an in-kernel row is not split at all (into @buf), or NULL: it is. */
const char *split_kernel_unsplit(const struct suite *s, const struct bench_def *b,
				 char *buf, size_t len);
/*
 * exit/handler/entry of an in-kernel exit from the @nev kvm_exit/kvm_entry
 * events of its traced rerun (measure.c runs it; @lost: events the ring
 * buffer dropped), matched to the rerun's samples; or the phase note says
 * why not. -1: out of memory.
 */
int split_kernel(struct suite *s, struct bench_record *r, const struct trace_ev *ev, long nev,
		 uint64_t lost);

#endif
