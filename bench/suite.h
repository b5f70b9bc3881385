/* SPDX-License-Identifier: MIT */
/* Runs the selected benchmarks and fills a run_record. */
#ifndef VMEXIT_SUITE_H
#define VMEXIT_SUITE_H

#include <signal.h>
#include <stdbool.h>

#include "catalog.h"
#include "cli.h"
#include "run_record.h"
#include "trace.h"
#include "vm.h"

struct suite {
	const struct options *opt;
	struct vm vm;
	bool vm_live;
	bool want_irqchip;		/* the flavour vm_renew() creates */
	bool vmcall_probed;
	size_t sample_bytes;
	struct host_caps caps;
	bool rdtscp_ok[4];		/* per CPL (0 and 3 used) */
	double floor[4];		/* nop median per CPL, TSC ticks */
	double nop_exits_per_iter[4];	/* the floor's own exit rate, per CPL */
	bool floor_ok[4];
	double floor_spread[4];		/* width of the floor's p5..p95, per CPL */
	struct run_record rec;
	uint64_t handler_ticks;		/* --handler-work in TSC ticks */
	bool trace_probed;
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
/* Runs the benchmarks marked in @selected; returns the number that failed. */
int suite_run(struct suite *s, const bool *selected);
void suite_free(struct suite *s);

/* The CPL a benchmark runs at under @mode; -1 when it cannot (reason in @why). */
int suite_pick_cpl(const struct bench_def *b, enum cpl_mode mode, bool cpl0_emulated,
		   const char **why);

/* Whether a VMCALL completes here at all (caps.vmcall_hangs); once, on the plain VM. */
void suite_probe_vmcall(struct suite *s);
/* Whether this KVM offers the in-kernel irqchip the APIC benchmarks need (into @caps). */
void suite_probe_irqchip(struct host_caps *caps, int kvm_fd);

/*
 * Whether @extra_per_iter exits per iteration beyond the floor's (and the
 * payload's untimed ones) mean the instruction did not exit at all.
 */
bool suite_no_exit(double extra_per_iter);

/* Pins the calling thread; cpu < 0 picks the last online CPU. Returns the CPU or -1. */
int suite_pin(int cpu, char *err, size_t errlen);

#endif
