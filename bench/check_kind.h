/* SPDX-License-Identifier: MIT */
/*
 * The kinds of exit proof: one table, indexed by enum exit_check, that
 * says for each kind what the run loop counts, what the host prepares for
 * it, whether a short pre-flight run can refuse it, how a run that did not
 * prove it is judged, and which function proves it. verify.c holds the
 * table, next to the functions its rows point to; the catalog, the plan
 * and the run request read it through check_kind(), so none of them names
 * a kind. Only pointers to the structures it names cross this header: the
 * catalog includes it, and it includes nothing of the catalog.
 */
#ifndef VMEXIT_CHECK_KIND_H
#define VMEXIT_CHECK_KIND_H

#include <stdbool.h>
#include <stdint.h>

struct bench_def;
struct bench_record;
struct check_kind;
struct host_proof;
struct run_res;
struct suite;

/* How a run proves that each iteration exited: a row of the table. */
enum exit_check {
	CHECK_NONE,		/* the floor: no exit expected */
	CHECK_LOOP_IO,		/* the exit loop saw one KVM_EXIT_IO per iteration */
	CHECK_LOOP_IO_STRING,	/* ... KVM_EXIT_IO moving arg1 elements per iteration, in one
				 * exit per iteration or (a latency) in as many as KVM makes */
	CHECK_LOOP_MMIO,	/* ... one KVM_EXIT_MMIO per iteration */
	CHECK_LOOP_HLT,		/* ... one KVM_EXIT_HLT per iteration */
	CHECK_LOOP_MSR_RD,	/* ... one KVM_EXIT_X86_RDMSR per iteration (arg0 filtered) */
	CHECK_LOOP_MSR_WR,	/* ... one KVM_EXIT_X86_WRMSR per iteration (arg0 filtered) */
	CHECK_STAT,		/* KVM counter `stat` grew by at least one per iteration */
	CHECK_CPUID,		/* KVM answered (marker leaf), then as CHECK_STAT */
	CHECK_IOEVENTFD,	/* the eventfd counted every write; none reached userspace */
	CHECK_PAGE_FAULT,	/* `stat` (pf_fixed) one per iteration; dirty log agrees */
	CHECK_PASSTHROUGH,	/* KVM may let the guest do it without an exit: "no exit" */
	CHECK_LATENCY,		/* a host thread's eventfd count and the guest's interrupt count */
	CHECK_COUNT,
};

/* What a proof looks at, and where it writes what it checked and saw. */
struct proof {
	const struct suite *s;
	const struct bench_def *b;
	const struct check_kind *k;	/* b's check kind */
	int cpl;
	const struct run_res *res;
	const struct host_proof *hp;	/* what the host set up and counted around the run */
	uint64_t iters;
	struct bench_record *r;		/* exit_check, exits_seen */
};

struct check_kind {
	const char *name;		/* the kind in words: messages and tests */
	/*
	 * The KVM_EXIT_* of which the run loop must count one per iteration
	 * (run_bench_count), and its name in the proof's words; 0: the proof
	 * is KVM's stats or what the host counted.
	 */
	uint32_t kvm_exit;
	const char *exit_name;
	/*
	 * KVM sends the row's MSR (arg0) to userspace only through its MSR
	 * filter: the host installs one around the run, and the run loop is
	 * told that kvm_exit is the benchmark's (run_req.bench_exit).
	 */
	bool msr_filter;
	/*
	 * A KVM stat that emulated CPL0 mostly never moves: a short run,
	 * verified the same way, can refuse the row before its full run.
	 */
	bool preflight;
	/*
	 * KVM may let the guest do it without an exit (the access is passed
	 * through, or the CPU virtualizes it): a run with well under one exit
	 * per iteration beyond the floor's is "no exit", not a failure.
	 */
	bool passthrough;
	/*
	 * Only KVM's answer counts (the guest reads back the CPUID marker
	 * leaf): where something else answered, no KVM exit can be timed here.
	 */
	bool kvm_marker;
	/* Whether @p's run proved its exit; what was checked goes into p->r->exit_check. */
	bool (*verify)(const struct proof *p);
};

/*
 * The row of @c. A kind without one is a build that cannot prove its
 * exits: it stops the program (the table's tests catch it first).
 */
const struct check_kind *check_kind(enum exit_check c);

#endif
