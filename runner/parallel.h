/* SPDX-License-Identifier: MIT */
/*
 * --parallel N: the same payload on N vCPUs of one VM at once, as
 * kvm-unit-tests' .parallel tests run. vCPU 0 runs on the caller's thread
 * through run_payload as always; the siblings 1..N-1 each run the same
 * request on a thread of their own, pinned to a host CPU of their own
 * where the process has enough (else they share, and say so), through
 * the same run loop on a view of the VM that has their own vCPU, control
 * block, ring-0 stack and sample array. One VM means one KVM MMU, one
 * kvm->lock and one set of memslots: what the exits contend for.
 */
#ifndef VMEXIT_PARALLEL_H
#define VMEXIT_PARALLEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "vm.h"

struct par_vcpu {
	struct vm view;			/* the VM as this vCPU sees it */
	pthread_t thread;
	bool started;
	struct run_req req;
	struct run_res res;
	int cpu;			/* host CPU its thread is pinned to */
	int ran_on;			/* the host CPU its thread ended on */
	bool tsc_offset_zero;		/* its guest TSC reads the host's (as vCPU 0's) */
};

struct par_run {
	int n;				/* vCPUs at once, vCPU 0 included */
	struct par_vcpu v[PAR_MAX];	/* v[1..n-1]; v[0] unused (the caller's thread) */
	int host_cpus;			/* distinct host CPUs the n vCPUs are pinned to */
	bool tsc_offset_zero;		/* every sibling's guest TSC offset is 0 */
};

/* Sample bytes each vCPU needs for @iterations: the buffer holds n of these. */
size_t par_sample_stride(uint64_t iterations);

/*
 * Creates siblings 1..@n-1 on @vm where it has none yet (KVM's CPUID, TSC
 * offset 0, KVM stats) and starts each on @req (a copy; CPL0 only: the
 * guest's one TSS has one ring-0 stack for interrupts from CPL3) with its
 * samples @stride bytes after the previous vCPU's, and its arg0 @arg0_stride
 * after the previous one's (pages of its own to fault in; 0: the same
 * arg0 for all). @req gets the start gate all n vCPUs wait at before
 * their payloads, so that their timed loops begin together; vCPU 0 (the caller's
 * thread, on host CPU @cpu0) then runs @req itself. -1 with a message;
 * nothing is left running then.
 */
int par_start(struct par_run *p, struct vm *vm, int n, struct run_req *req, size_t stride,
	      uint64_t arg0_stride, int cpu0, char *err, size_t errlen);
/*
 * Waits for every sibling (a second, then stops it with a signal, as
 * vCPU 1's join does). Each one's result is in v[k].res.
 */
void par_join(struct par_run *p);

#endif
