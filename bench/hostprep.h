/* SPDX-License-Identifier: MIT */
/*
 * Host-side state a benchmark needs around its run, set up and torn down
 * outside the timed loop: never-touched or write-protected pages for the
 * EPT/NPT benchmarks, an ioeventfd for the in-kernel I/O ones. Also what
 * the host reads afterwards to prove the exits happened (eventfd counter,
 * dirty-log bits).
 */
#ifndef VMEXIT_HOSTPREP_H
#define VMEXIT_HOSTPREP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "ioevent.h"
#include "iolat.h"
#include "vcpu2.h"
#include "run.h"
#include "vm.h"

struct host_proof {
	bool msr_filtered;		/* the MSR filter is on for this run */
	bool unsupported;		/* the set-up failed for want of a kernel feature */
	bool vm_spoiled;		/* tearing down failed: the VM must be made again */
	struct ioevent io;
	struct memslot *slot;
	bool has_eventfd;
	uint64_t eventfd_count;		/* writes the ioeventfd completed */
	bool has_dirty;
	uint64_t dirty_pages;		/* pages the timed run dirtied, per KVM_GET_DIRTY_LOG */
	/* Page benchmarks: a run longer than the slot goes in rounds (the run loop re-arms). */
	struct page_rounds pages;
	char err[256];			/* why the proof could not be read */
	/* The I/O latencies: the host thread, and what it proves. */
	struct iolat lat;
	struct vcpu2 ap;		/* SETUP_VCPU2 */
	uint64_t ctx_before;		/* vCPU 0's thread's context switches before */
	bool latency_ok;
	char latency_proof[256];
};

/*
 * Prepares @vm for @b's run @req, and @req for it (the page benchmarks'
 * rounds: arg0, arg1 and req->rounds, which points into @p). Returns 0, or -1
 * with a one-line message in @err. Always pair with hostprep_after(), also
 * after a failure.
 */
int hostprep_before(struct vm *vm, const struct bench_def *b, struct run_req *req,
		    struct host_proof *p, char *err, size_t errlen);
/* Reads the proof and releases what hostprep_before() set up. */
void hostprep_after(struct vm *vm, const struct bench_def *b, struct host_proof *p);

#endif
