/* SPDX-License-Identifier: MIT */
/*
 * A bound on the host side. The run loop's watchdog catches a guest that
 * makes no progress, but only while KVM_RUN returns to it: an ioctl that
 * never returns (a vCPU stuck in the kernel, VM teardown, reading a trace)
 * would hang the process for good. Code that calls into KVM or tracefs
 * arms this watch with what it is doing; a second thread ends the process
 * with a one-line error when the armed section makes no progress for the
 * bound. Nothing unarmed (statistics, writing files) is watched.
 */
#ifndef VMEXIT_HOSTWATCH_H
#define VMEXIT_HOSTWATCH_H

#include <stdatomic.h>

/*
 * Starts the watching thread; a section hung for @bound_s seconds ends the
 * process with status 1. Idempotent; -1 when the thread cannot start.
 */
int hostwatch_start(double bound_s);
/* Enters a watched section; @what ("KVM_RUN of cpuid") names it in the error. */
void hostwatch_arm(const char *what);
/*
 * Progress inside the armed section (the run loop, at each KVM_RUN return
 * that is not the benchmark's own exit: at least one per watchdog period).
 * A plain load and store (one writer, the run loop), not a locked add, a
 * call or a clock read. The watching thread only needs to see it change.
 */
extern atomic_ullong hostwatch_kicks;
static inline void hostwatch_kick(void)
{
	atomic_store_explicit(&hostwatch_kicks,
			      atomic_load_explicit(&hostwatch_kicks, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}
void hostwatch_disarm(void);

#endif
