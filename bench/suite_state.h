/* SPDX-License-Identifier: MIT */
/*
 * What one run knows, shared by the steps that do the work (probe.c,
 * measure.c, split.c, verify.c) and owned by suite.c, which runs them:
 * the options, the VM holder, what the probes found, the floors, the trace
 * session and the record. Data only: the steps include this, never
 * suite.h, so none of them reaches back up to the code that calls it.
 */
#ifndef VMEXIT_SUITE_STATE_H
#define VMEXIT_SUITE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "cli.h"
#include "run_record.h"
#include "trace.h"
#include "vmhold.h"

/* Short untimed runs (probes, calibrations) are stopped after this long. */
#define PROBE_TIMEOUT_S 2.0

struct suite {
	const struct options *opt;
	struct vm_holder vmh;		/* the VM, its flavour and its renewal */
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

/* The run flags a payload at @cpl gets (RDTSCP where it works, VMMCALL on AMD). */
static inline uint32_t suite_run_flags(const struct suite *s, int cpl)
{
	return (s->rdtscp_ok[cpl] ? CTL_F_RDTSCP : 0) | (s->caps.amd ? CTL_F_VMMCALL : 0);
}

#endif
