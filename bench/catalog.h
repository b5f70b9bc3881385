/* SPDX-License-Identifier: MIT */
/* The catalog: one table of benchmarks, in the style of kvm-unit-tests' x86/vmexit. */
#ifndef VMEXIT_CATALOG_H
#define VMEXIT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control.h"
#include "run.h"

enum handled_in {
	HANDLED_NONE,		/* no exit: the timer floor */
	HANDLED_KERNEL,
	HANDLED_USER,
};

/* needs */
#define NEED_CPL0	(1u << 0)	/* privileged instruction: cannot run at CPL3 */
#define HIDDEN		(1u << 31)	/* self-test of the failure paths: exact name only */

/* How a run proves that each iteration exited. */
enum exit_check {
	CHECK_NONE,		/* the floor: no exit expected */
	CHECK_LOOP_IO,		/* the exit loop saw one KVM_EXIT_IO per iteration */
	CHECK_LOOP_MMIO,	/* ... one KVM_EXIT_MMIO per iteration */
	CHECK_LOOP_HLT,		/* ... one KVM_EXIT_HLT per iteration */
	CHECK_LOOP_MSR_RD,	/* ... one KVM_EXIT_X86_RDMSR per iteration (arg0 filtered) */
	CHECK_LOOP_MSR_WR,	/* ... one KVM_EXIT_X86_WRMSR per iteration (arg0 filtered) */
	CHECK_STAT,		/* KVM counter `stat` grew by at least one per iteration */
	CHECK_CPUID,		/* KVM answered (marker leaf), then as CHECK_STAT */
};

/* What the host knows when deciding whether a benchmark can run. */
struct host_caps {
	bool kvm;			/* /dev/kvm usable */
	bool cpl0_emulated;		/* CPL0 guest code is emulated (measured) */
	bool stats_fd;			/* KVM_GET_STATS_FD works */
	bool amd;
	char kvm_error[256];
};

struct bench_def {
	const char *name;
	const char *exit_reason;	/* as the hardware/KVM calls it */
	enum handled_in handled;
	unsigned needs;
	enum payload payload;
	uint64_t arg0, arg1;
	enum exit_check check;
	enum run_stat stat;		/* for CHECK_STAT */
	const char *description;
	/* NULL when it can run here, else the reason it cannot. */
	const char *(*unsupported)(const struct host_caps *caps);
};

extern const struct bench_def bench_catalog[];
extern const size_t bench_catalog_size;

const struct bench_def *catalog_find(const char *name);
const char *handled_name(enum handled_in h);
/* "cpl0" etc.; writes into buf. */
const char *needs_string(unsigned needs, char *buf, size_t len);

#endif
