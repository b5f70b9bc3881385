/* SPDX-License-Identifier: MIT */
#include <linux/kvm.h>
#include <stdio.h>
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

static const char *loop_exit_name(enum exit_check c)
{
	switch (c) {
	case CHECK_LOOP_IO:
	case CHECK_LOOP_IO_STRING:
		return "KVM_EXIT_IO";
	case CHECK_LOOP_MMIO:
		return "KVM_EXIT_MMIO";
	case CHECK_LOOP_HLT:
		return "KVM_EXIT_HLT";
	case CHECK_LOOP_MSR_RD:
		return "KVM_EXIT_X86_RDMSR";
	case CHECK_LOOP_MSR_WR:
		return "KVM_EXIT_X86_WRMSR";
	default:
		return "?";
	}
}

/* What the run loop counted of a CHECK_LOOP_* benchmark's exit. */
static uint64_t loop_count(enum exit_check c, const struct run_res *res)
{
	return c == CHECK_LOOP_IO || c == CHECK_LOOP_IO_STRING ? res->bench_io :
	       c == CHECK_LOOP_MMIO ? res->bench_mmio :
	       c == CHECK_LOOP_HLT ? res->hlt : c == CHECK_LOOP_MSR_RD ? res->msr_rd :
	       res->msr_wr;
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

/* CHECK_STAT and its kin: KVM's counter, and what the host proved on top. */
static bool stat_proof(const struct suite *s, const struct bench_def *b, int cpl,
		       const struct run_res *res, const struct host_proof *hp, uint64_t iters,
		       struct bench_record *r)
{
	if (!res->stat_valid[b->stat]) {
		snprintf(r->exit_check, sizeof(r->exit_check), "KVM stat '%s' unavailable",
			 run_stat_names[b->stat]);
		return false;
	}
	r->exits_seen = res->stat[b->stat];
	snprintf(r->exit_check, sizeof(r->exit_check), "KVM stat '%s' +%llu over %llu "
		 "iterations: %.2f per iteration beyond the floor's", run_stat_names[b->stat],
		 (unsigned long long)res->stat[b->stat], (unsigned long long)iters,
		 stat_extra(s, b, cpl, res, iters));
	if (b->untimed_exits)
		record_check_add(r, ", %u of them untimed (%s)", b->untimed_exits,
				 b->untimed_what ? b->untimed_what : "STI;HLT");
	if (b->guest_count)
		record_check_add(r, "; %s: %llu", b->guest_count,
				 (unsigned long long)res->guest_result);
	if (hp->latency_proof[0]) {
		/* What a second vCPU or a host thread proved on top. */
		record_check_add(r, "; %s", hp->latency_proof);
		if (!hp->latency_ok)
			return false;
	}
	if (b->check == CHECK_PAGE_FAULT && hp->pages.rounds > 1)
		record_check_add(r, " (%llu rounds of %llu pages)",
				 (unsigned long long)hp->pages.rounds,
				 (unsigned long long)hp->pages.round);
	if (b->setup != SETUP_DIRTY_LOG)
		return exits_proven(s, b, cpl, res, iters);
	/* Each timed write must also have dirtied its page in KVM's log. */
	if (!hp->has_dirty) {
		record_check_add(r, "; dirty log: %.100s", hp->err);
		return false;
	}
	record_check_add(r, "; KVM_GET_DIRTY_LOG: %llu pages dirtied",
			 (unsigned long long)hp->dirty_pages);
	return exits_proven(s, b, cpl, res, iters) && hp->dirty_pages == iters;
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

/*
 * A string instruction moving arg1 elements per iteration: the exits to
 * userspace moved all of them, at least one exit per iteration, and
 * exactly one where the row is not a latency (then it can be split).
 */
static bool string_io_proof(const struct bench_def *b, const struct run_res *res,
			    uint64_t iters, struct bench_record *r)
{
	uint64_t want = b->arg1 * iters;

	r->exits_seen = res->bench_io;
	snprintf(r->exit_check, sizeof(r->exit_check), "KVM_EXIT_IO exits seen by the run "
		 "loop: %llu for %llu iterations (%.2f per iteration), moving %llu elements "
		 "of the %llu the string instructions transfer", (unsigned long long)res->bench_io,
		 (unsigned long long)iters, verify_per_iter(res->bench_io, iters),
		 (unsigned long long)res->bench_io_elems, (unsigned long long)want);
	if (!width_proof(b, res, r))
		return false;
	return res->bench_io_elems == want && res->bench_io >= iters &&
	       (b->latency || res->bench_io == iters);
}

bool verify_exits(const struct suite *s, const struct bench_def *b, int cpl,
		  const struct run_res *res, const struct host_proof *hp, uint64_t iters,
		  struct bench_record *r)
{
	switch (b->check) {
	case CHECK_NONE:
		snprintf(r->exit_check, sizeof(r->exit_check), "no exit expected");
		return true;
	case CHECK_LOOP_IO:
	case CHECK_LOOP_MMIO:
	case CHECK_LOOP_HLT:
	case CHECK_LOOP_MSR_RD:
	case CHECK_LOOP_MSR_WR:
		r->exits_seen = loop_count(b->check, res);
		snprintf(r->exit_check, sizeof(r->exit_check), "%s exits seen by the run loop: "
			 "%llu for %llu iterations", loop_exit_name(b->check), r->exits_seen,
			 (unsigned long long)iters);
		return width_proof(b, res, r) && r->exits_seen == iters;
	case CHECK_LOOP_IO_STRING:
		return string_io_proof(b, res, iters, r);
	case CHECK_CPUID:
		if (!res->kvm_answered_cpuid) {
			snprintf(r->exit_check, sizeof(r->exit_check),
				 "CPUID at CPL%d is not answered by KVM: the guest read the CPU's "
				 "own CPUID instead of KVM's marker leaf %#x (an outer hypervisor "
				 "or the CPU answers it)", cpl, CPUID_MARKER_LEAF);
			return false;
		}
		/* KVM answered; now prove each one was an exit. */
		return stat_proof(s, b, cpl, res, hp, iters, r);
	case CHECK_STAT:
	case CHECK_PASSTHROUGH:
	case CHECK_PAGE_FAULT:
		return stat_proof(s, b, cpl, res, hp, iters, r);
	case CHECK_IOEVENTFD:
		if (!hp->has_eventfd) {
			snprintf(r->exit_check, sizeof(r->exit_check), "%.150s", hp->err);
			return false;
		}
		/* Any write that reached userspace instead has already failed the run. */
		r->exits_seen = hp->eventfd_count;
		snprintf(r->exit_check, sizeof(r->exit_check), "ioeventfd counter %llu for %llu "
			 "iterations, no KVM_EXIT_IO/KVM_EXIT_MMIO for them in the run loop",
			 (unsigned long long)hp->eventfd_count, (unsigned long long)iters);
		return hp->eventfd_count == iters;
	case CHECK_LATENCY:
		r->exits_seen = hp->eventfd_count;
		snprintf(r->exit_check, sizeof(r->exit_check), "%s", hp->latency_proof);
		return hp->latency_ok;
	}
	return false;
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
	if (!b->latency || !late)
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
	} else if (r->emulated || (b->check == CHECK_CPUID && !res->kvm_answered_cpuid)) {
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: %s%s",
			    r->emulated ? "CPL0 is emulated by this host and the emulator "
			    "completed it without a VM exit: " : "", r->exit_check);
	} else if (b->check == CHECK_PASSTHROUGH && stat &&
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
