/* SPDX-License-Identifier: MIT */
/*
 * kvm:kvm_exit / kvm:kvm_entry events of one thread, stamped with the
 * x86-tsc trace clock, read through libtracefs/libtraceevent from a
 * private tracefs instance, "vmexit_bench_<pid>" (the global trace buffer
 * is left alone, and concurrent runs each have their own).
 */
#ifndef VMEXIT_TRACE_H
#define VMEXIT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "stamps.h"

struct trace_session;

/*
 * Creates the instance and selects the x86-tsc clock, for the events of
 * thread @tid only. Nothing is enabled until trace_start(). NULL with the
 * reason in @why (no root, no tracefs, no such events, no x86-tsc clock).
 */
struct trace_session *trace_open(int tid, char *why, size_t whylen);

/*
 * Start: clears the buffer, enables kvm_exit/kvm_entry (filtered to the
 * thread since trace_open) and records. Stop: stops recording and disables
 * the events again (the recorded events stay for trace_collect). Every exit
 * outside start..stop runs with the tracepoints off.
 */
int trace_start(struct trace_session *t);
int trace_stop(struct trace_session *t);

/*
 * Everything recorded since trace_start(), sorted by time, in a malloc'd
 * array (*out, caller frees). @lost gets the events the ring buffer
 * dropped. Returns the count, or -1 with @why.
 */
long trace_collect(struct trace_session *t, struct trace_ev **out, uint64_t *lost,
		   char *why, size_t whylen);

/*
 * Removes the instances "vmexit_bench_<pid>" of processes that no longer
 * run (a killed run leaves its instance); trace_open does it first.
 * Returns how many were removed.
 */
int trace_remove_stale(void);

/* Disables the events and removes the instance. */
void trace_close(struct trace_session *t);

#endif
