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

#include "catalog.h"
#include "cli.h"
#include "run_record.h"
#include "trace.h"
#include "vm.h"

/* Short untimed runs (probes, calibrations) are stopped after this long. */
#define PROBE_TIMEOUT_S 2.0

struct suite {
	const struct options *opt;
	struct vm vm;
	bool vm_live;
	size_t sample_bytes;
	struct host_caps caps;
	/* Per CPL (CPL_SLOTS, indexed by the CPL): */
	bool rdtscp_ok[CPL_SLOTS];
	double floor[CPL_SLOTS];	/* nop median, TSC ticks */
	double nop_exits_per_iter[CPL_SLOTS];	/* the floor's own exit rate */
	bool floor_ok[CPL_SLOTS];
	double floor_spread[CPL_SLOTS];	/* width of the floor's p5..p95 */
	struct run_record rec;
	uint64_t handler_ticks;		/* --handler-work in TSC ticks */
	struct trace_session *trace;	/* NULL: in-kernel split unavailable */
	char trace_why[200];		/* why, when NULL */
	char tsc_untrusted[256];	/* why no stamps can be mixed with guest ones, or "" */
};

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

/* Destroys the VM and makes a new one of the same flavour. -1 with a message. */
int suite_vm_renew(struct suite *s, char *err, size_t errlen);
/* Makes sure the live VM has (@irqchip) an in-kernel irqchip or not. */
int suite_vm_flavour(struct suite *s, bool irqchip, char *err, size_t errlen);
/* The run flags a payload at @cpl gets (RDTSCP where it works, VMMCALL on AMD). */
uint32_t suite_run_flags(const struct suite *s, int cpl);
/* The guest's sample array. */
const struct sample *suite_samples(const struct vm *vm);
/* Raw per-iteration deltas from sample @first on. -1 if the TSC ran backwards. */
int suite_raw_deltas(const struct vm *vm, uint64_t first, uint64_t n, double *out,
		     size_t *backwards);

#endif
