/* SPDX-License-Identifier: MIT */
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "suite_state.h"
#include "verify.h"

/* An exiting benchmark must add at least this many exits per iteration over the floor. */
#define MIN_EXTRA_EXITS_PER_ITER 0.99
/*
 * A passed-through access makes fewer exits per iteration than this beyond
 * the floor's: "no exit". An intercepted instruction exits every time it
 * runs, so anything well below one per iteration is background (timer
 * interrupts, host preemption), whose rate per iteration grows with the
 * loop's length and is not the floor's: under TCG, cr8_read with SVM's
 * V_TPR shows 0.02; under Bochs, whose iterations are long, 0.32 over 25
 * iterations (9 timer-interrupt exits). No intercept lets half the
 * iterations through; between this and one per iteration the run failed.
 */
#define MAX_PASSTHROUGH_EXITS_PER_ITER 0.5
/*
 * The floor's background exits (timer interrupts) can be absorbed by the
 * benchmark's own: cr0_toggle at emulated CPL0 makes 11002 exits for 11000
 * iterations where the floor alone makes 0.02 per iteration. So the raw
 * rate must reach one per iteration, and the rate beyond the floor may
 * fall short of it by at most this.
 */
#define ABSORBED_PER_ITER 0.1

double verify_per_iter(uint64_t count, uint64_t iters)
{
	return iters ? (double)count / (double)iters : 0;
}

bool verify_no_exit(double extra_per_iter)
{
	return extra_per_iter < MAX_PASSTHROUGH_EXITS_PER_ITER;
}

/* Exits per iteration of KVM counter b->stat, beyond what the floor itself makes. */
static double stat_extra(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, uint64_t iters)
{
	return verify_per_iter(res->stat[b->stat], iters) -
	       (b->stat == STAT_EXITS ? s->nop_exits_per_iter[cpl] : 0);
}

/*
 * One exit per iteration beyond the floor's rate, and beyond the payload's
 * untimed exits. An interrupt a host delivered in STI's shadow made the
 * guest step over that iteration's HLT (irq.S): one exit fewer, which is
 * counted back (and reported); under TCG that is a few in a few hundred.
 */
static bool exits_proven(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, uint64_t iters)
{
	double need = MIN_EXTRA_EXITS_PER_ITER + b->untimed_exits;
	double stepped = verify_per_iter(res->irq_in_shadow, iters);

	return verify_per_iter(res->stat[b->stat], iters) + stepped >= need &&
	       stat_extra(s, b, cpl, res, iters) + stepped >= need - ABSORBED_PER_ITER;
}

/*
 * The head of every stat proof: KVM's counter, what the guest counted and
 * what a second vCPU or a host thread proved on top. False where that
 * already fails the run.
 */
static bool stat_text(const struct proof *p)
{
	const struct bench_def *b = p->b;
	const struct run_res *res = p->res;
	struct bench_record *r = p->r;

	if (!res->stat_valid[b->stat]) {
		snprintf(r->exit_check, sizeof(r->exit_check), "KVM stat '%s' unavailable",
			 run_stat_names[b->stat]);
		return false;
	}
	r->exits_seen = res->stat[b->stat];
	snprintf(r->exit_check, sizeof(r->exit_check), "KVM stat '%s' +%llu over %llu "
		 "iterations: %.2f per iteration beyond the floor's", run_stat_names[b->stat],
		 (unsigned long long)res->stat[b->stat], (unsigned long long)p->iters,
		 stat_extra(p->s, b, p->cpl, res, p->iters));
	if (b->untimed_exits)
		record_check_add(r, ", %u of them untimed (%s)", b->untimed_exits,
				 b->untimed_what ? b->untimed_what : "STI;HLT");
	if (b->guest_count)
		record_check_add(r, "; %s: %llu", b->guest_count,
				 (unsigned long long)res->guest_result);
	if (p->hp->latency_proof[0]) {
		/* What a second vCPU or a host thread proved on top. */
		record_check_add(r, "; %s", p->hp->latency_proof);
		if (!p->hp->latency_ok)
			return false;
	}
	return true;
}

/* CHECK_STAT and CHECK_PASSTHROUGH: KVM's counter, one exit per iteration. */
static bool proof_stat(const struct proof *p)
{
	return stat_text(p) && exits_proven(p->s, p->b, p->cpl, p->res, p->iters);
}

/* CHECK_CPUID: KVM, not the CPU or an outer hypervisor, answered; then as CHECK_STAT. */
static bool proof_cpuid(const struct proof *p)
{
	if (!p->res->kvm_answered_cpuid) {
		snprintf(p->r->exit_check, sizeof(p->r->exit_check),
			 "CPUID at CPL%d is not answered by KVM: the guest read the CPU's "
			 "own CPUID instead of KVM's marker leaf %#x (an outer hypervisor "
			 "or the CPU answers it)", p->cpl, CPUID_MARKER_LEAF);
		return false;
	}
	return proof_stat(p);
}

/*
 * CHECK_PAGE_FAULT: KVM's page-fault counter, and where the pages were
 * write-protected by dirty logging, each timed write in KVM's log too.
 */
static bool proof_page_fault(const struct proof *p)
{
	const struct host_proof *hp = p->hp;
	struct bench_record *r = p->r;

	if (!stat_text(p))
		return false;
	if (hp->pages.rounds > 1)
		record_check_add(r, " (%llu rounds of %llu pages)",
				 (unsigned long long)hp->pages.rounds,
				 (unsigned long long)hp->pages.round);
	if (p->b->setup != SETUP_DIRTY_LOG)
		return exits_proven(p->s, p->b, p->cpl, p->res, p->iters);
	/* Each timed write must also have dirtied its page in KVM's log. */
	if (!hp->has_dirty) {
		record_check_add(r, "; dirty log: %.100s", hp->err);
		return false;
	}
	record_check_add(r, "; KVM_GET_DIRTY_LOG: %llu pages dirtied",
			 (unsigned long long)hp->dirty_pages);
	return exits_proven(p->s, p->b, p->cpl, p->res, p->iters) && hp->dirty_pages == p->iters;
}

/* Every benchmark exit to userspace had the row's width (bytes), where it has one. */
static bool width_proof(const struct bench_def *b, const struct run_res *res,
			struct bench_record *r)
{
	if (!b->width)
		return true;
	if (res->bench_widths == 1u << b->width) {
		record_check_add(r, ", each %u byte%s wide", b->width, b->width > 1 ? "s" : "");
		return true;
	}
	record_check_add(r, "; not all %u byte%s wide (sizes seen: mask %#x)", b->width,
			 b->width > 1 ? "s" : "", res->bench_widths);
	return false;
}

/* CHECK_NONE: the floor, which makes no exit of its own. */
static bool proof_none(const struct proof *p)
{
	snprintf(p->r->exit_check, sizeof(p->r->exit_check), "no exit expected");
	return true;
}

/* CHECK_LOOP_*: the run loop counted one of the kind's exits per iteration. */
static bool proof_loop(const struct proof *p)
{
	struct bench_record *r = p->r;
	uint64_t seen;

	if (run_bench_count(p->res, p->k->kvm_exit, &seen)) {
		snprintf(r->exit_check, sizeof(r->exit_check), "the run loop counts no %s",
			 p->k->exit_name);
		return false;
	}
	r->exits_seen = seen;
	snprintf(r->exit_check, sizeof(r->exit_check), "%s exits seen by the run loop: "
		 "%llu for %llu iterations", p->k->exit_name, r->exits_seen,
		 (unsigned long long)p->iters);
	return width_proof(p->b, p->res, r) && r->exits_seen == p->iters;
}

/*
 * CHECK_LOOP_IO_STRING: a string instruction moving arg1 elements per
 * iteration. The exits to userspace moved all of them, at least one exit
 * per iteration, and exactly one where the interval is one exit (then it
 * can be split).
 */
static bool proof_string_io(const struct proof *p)
{
	const struct run_res *res = p->res;
	struct bench_record *r = p->r;
	uint64_t want = p->b->arg1 * p->iters;

	r->exits_seen = res->bench_io;
	snprintf(r->exit_check, sizeof(r->exit_check), "%s exits seen by the run "
		 "loop: %llu for %llu iterations (%.2f per iteration), moving %llu elements "
		 "of the %llu the string instructions transfer", p->k->exit_name,
		 (unsigned long long)res->bench_io, (unsigned long long)p->iters,
		 verify_per_iter(res->bench_io, p->iters),
		 (unsigned long long)res->bench_io_elems, (unsigned long long)want);
	if (!width_proof(p->b, res, r))
		return false;
	return res->bench_io_elems == want && res->bench_io >= p->iters &&
	       (catalog_holds_several(p->b) || res->bench_io == p->iters);
}

/* CHECK_IOEVENTFD: the eventfd counted every write, in the kernel. */
static bool proof_ioeventfd(const struct proof *p)
{
	const struct host_proof *hp = p->hp;
	struct bench_record *r = p->r;

	if (!hp->has_eventfd) {
		snprintf(r->exit_check, sizeof(r->exit_check), "%.150s", hp->err);
		return false;
	}
	/* Any write that reached userspace instead has already failed the run. */
	r->exits_seen = hp->eventfd_count;
	snprintf(r->exit_check, sizeof(r->exit_check), "ioeventfd counter %llu for %llu "
		 "iterations, no KVM_EXIT_IO/KVM_EXIT_MMIO for them in the run loop",
		 (unsigned long long)hp->eventfd_count, (unsigned long long)p->iters);
	return hp->eventfd_count == p->iters;
}

/* CHECK_LATENCY: the host thread at the other end proved every round. */
static bool proof_latency(const struct proof *p)
{
	p->r->exits_seen = p->hp->eventfd_count;
	snprintf(p->r->exit_check, sizeof(p->r->exit_check), "%s", p->hp->latency_proof);
	return p->hp->latency_ok;
}

/*
 * The check kinds (check_kind.h), indexed by enum exit_check. A new kind
 * is a value of that enum, a row here and the function its row names.
 */
static const struct check_kind kinds[] = {
	[CHECK_NONE] = { .name = "none", .verify = proof_none },
	[CHECK_LOOP_IO] = {
		.name = "loop_io", .kvm_exit = KVM_EXIT_IO, .exit_name = "KVM_EXIT_IO",
		.verify = proof_loop,
	},
	[CHECK_LOOP_IO_STRING] = {
		.name = "loop_io_string", .kvm_exit = KVM_EXIT_IO, .exit_name = "KVM_EXIT_IO",
		.verify = proof_string_io,
	},
	[CHECK_LOOP_MMIO] = {
		.name = "loop_mmio", .kvm_exit = KVM_EXIT_MMIO, .exit_name = "KVM_EXIT_MMIO",
		.verify = proof_loop,
	},
	[CHECK_LOOP_HLT] = {
		.name = "loop_hlt", .kvm_exit = KVM_EXIT_HLT, .exit_name = "KVM_EXIT_HLT",
		.verify = proof_loop,
	},
	[CHECK_LOOP_MSR_RD] = {
		.name = "loop_msr_rd", .kvm_exit = KVM_EXIT_X86_RDMSR,
		.exit_name = "KVM_EXIT_X86_RDMSR", .msr_filter = true, .verify = proof_loop,
	},
	[CHECK_LOOP_MSR_WR] = {
		.name = "loop_msr_wr", .kvm_exit = KVM_EXIT_X86_WRMSR,
		.exit_name = "KVM_EXIT_X86_WRMSR", .msr_filter = true, .verify = proof_loop,
	},
	[CHECK_STAT] = { .name = "stat", .preflight = true, .verify = proof_stat },
	[CHECK_CPUID] = {
		.name = "cpuid", .preflight = true, .kvm_marker = true, .verify = proof_cpuid,
	},
	[CHECK_IOEVENTFD] = { .name = "ioeventfd", .verify = proof_ioeventfd },
	[CHECK_PAGE_FAULT] = { .name = "page_fault", .verify = proof_page_fault },
	[CHECK_PASSTHROUGH] = {
		.name = "passthrough", .preflight = true, .passthrough = true,
		.verify = proof_stat,
	},
	[CHECK_LATENCY] = { .name = "latency", .verify = proof_latency },
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == CHECK_COUNT,
	       "every enum exit_check has a row in kinds[]");

const struct check_kind *check_kind(enum exit_check c)
{
	/* A row left out in the middle is all zeros: no run could be judged. */
	if ((unsigned)c >= CHECK_COUNT || !kinds[c].verify) {
		fprintf(stderr, "vmexit-bench: exit check %u has no row in the check kinds' "
			"table (bench/verify.c)\n", (unsigned)c);
		abort();
	}
	return &kinds[c];
}

bool verify_exits(const struct suite *s, const struct bench_def *b, int cpl,
		  const struct run_res *res, const struct host_proof *hp, uint64_t iters,
		  struct bench_record *r)
{
	const struct proof p = {
		.s = s, .b = b, .k = check_kind(b->check), .cpl = cpl, .res = res, .hp = hp,
		.iters = iters, .r = r,
	};

	return p.k->verify(&p);
}

bool verify_deliveries(struct bench_record *r, const struct bench_def *b,
		       const struct run_res *res, uint64_t late, uint64_t iters)
{
	/*
	 * The irqchip payloads step over a HLT whose interrupt came in STI's
	 * shadow (irq.S), which hardware never does; say how often the host did.
	 */
	r->stepped_over = res->irq_in_shadow;
	if (res->irq_in_shadow)
		record_check_add(r, "; %llu interrupts arrived in STI's interrupt shadow, before "
				 "the HLT (the host does not honour the shadow; the guest stepped "
				 "over those HLTs)", (unsigned long long)res->irq_in_shadow);
	/* Interrupts a self-IPI payload expected inside its interval but took after it. */
	if (late)
		record_check_add(r, "; %llu interrupts came only after the interval (taken by "
				 "an untimed STI;HLT)", (unsigned long long)late);
	/*
	 * A latency that ends with the interrupt's delivery did not hold it
	 * when the interrupt came only after the interval: no number. Emulated
	 * CPL0 may run STI;NOP;CLI without an interrupt window (a property of
	 * the host); elsewhere it is a failure.
	 */
	if (!catalog_holds_several(b) || !late)
		return false;
	if (r->emulated)
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: CPL0 is emulated by this "
			    "host and its emulator closed the interrupt window without "
			    "delivering: %llu of %llu interrupts came only after the interval",
			    (unsigned long long)late, (unsigned long long)iters);
	else
		record_fail(r, BENCH_FAILED, "%llu of %llu interrupts came only after the "
			    "interval that should hold their delivery", (unsigned long long)late,
			    (unsigned long long)iters);
	return true;
}

void verify_unproven(const struct suite *s, const struct bench_def *b, int cpl,
		     const struct run_res *res, uint64_t iters, struct bench_record *r)
{
	const struct check_kind *k = check_kind(b->check);
	bool stat = res->stat_valid[b->stat];

	/*
	 * Where the host emulates this CPL, or something other than KVM
	 * answers, no KVM exit can be timed here: that is a property of the
	 * host, not a failure of the run.
	 */
	if (s->caps.tcg && b->tcg_gap && stat &&
	    verify_no_exit(stat_extra(s, b, cpl, res, iters))) {
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: %s (%s)", b->tcg_gap,
			    r->exit_check);
	} else if (r->emulated || (k->kvm_marker && !res->kvm_answered_cpuid)) {
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: %s%s",
			    r->emulated ? "CPL0 is emulated by this host and the emulator "
			    "completed it without a VM exit: " : "", r->exit_check);
	} else if (k->passthrough && stat &&
		   verify_no_exit(stat_extra(s, b, cpl, res, iters) - b->untimed_exits)) {
		/* Nothing to time: the guest did it without leaving. */
		record_fail(r, BENCH_NO_EXIT, "no exit: KVM lets the guest do this directly "
			    "(%s)", r->exit_check);
	} else {
		record_fail(r, BENCH_FAILED, "the expected exit did not happen (%s)",
			    r->exit_check);
		record_report(r, NULL);
	}
}
