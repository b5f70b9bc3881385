/* SPDX-License-Identifier: MIT */
/*
 * A second vCPU (id 1) on a VM with an in-kernel irqchip, for the
 * benchmarks between two vCPUs (IPIs). It is created once per VM, gets the
 * same CPUID and TSC offset 0 as vCPU 0, and runs its own payload from its
 * own control block (GPA_CTL_AP) on its own thread, pinned to a host CPU
 * other than vCPU 0's where there is one, until the payload reports.
 */
#ifndef VMEXIT_VCPU2_H
#define VMEXIT_VCPU2_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

struct vcpu2 {
	struct vm *vm;
	pthread_t thread;
	bool started;
	volatile int stop;
	int cpu;			/* host CPU of its thread */
	bool shares_cpu;		/* the host has no CPU other than vCPU 0's */
	bool tsc_offset_zero;		/* its guest TSC offset is 0 */
	char tsc_note[160];
	/* Host context switches of its thread over the run (/proc: voluntary + not). */
	uint64_t ctx_before, ctx_after;
	int ran_on;			/* the host CPU its thread ended on */
	/* What it reported. */
	bool done;			/* UCALL_DONE */
	char err[200];			/* its failure, or "" */
};

/*
 * Starts vCPU 1 on @vm (created on first use) running @payload with @arg0
 * for @iterations, on a host CPU other than the caller's where there is
 * one, or on @cpu when @cpu >= 0. -1 with a one-line message.
 */
int vcpu2_start(struct vcpu2 *c, struct vm *vm, enum payload payload, uint64_t arg0,
		uint64_t iterations, int cpu, char *err, size_t errlen);
/* Joins vCPU 1's thread, stopping it if it has not finished within a second. */
void vcpu2_stop(struct vcpu2 *c);
/* Context switches of the calling thread so far (voluntary + involuntary). */
uint64_t vcpu2_ctx_switches(void);

#endif
