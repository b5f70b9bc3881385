/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "hostprep.h"
#include "irqchip.h"

#include "errmsg.h"

/*
 * One page per iteration, in rounds of at most the slot's pages: a run
 * never holds more host memory than the slot, however long it is.
 */
static struct memslot *page_slot(struct vm *vm, enum vm_slot which, struct run_req *req,
				 struct host_proof *p, char *err, size_t errlen)
{
	struct memslot *m = vm_memslot(vm, which, err, errlen);

	if (!m)
		return NULL;
	p->pages.slot = m;
	p->pages.round = req->iterations < memslot_pages(m) ? req->iterations : memslot_pages(m);
	p->pages.rounds = 1;
	req->arg0 = m->gpa;
	req->arg1 = p->pages.round;
	req->rounds = &p->pages;
	/* Frees what an earlier run touched: every page is fresh again. */
	return memslot_discard(m, err, errlen) ? NULL : m;
}

/*
 * The timed pass must hit write-protected pages that are otherwise mapped:
 * an untimed pass writes them all (mapping them and setting their dirty
 * bits), then reading and clearing the log write-protects exactly those.
 */
static int arm_dirty_log(struct vm *vm, struct memslot *m, const struct run_req *req,
			 uint64_t pages, char *err, size_t errlen)
{
	struct run_req touch = *req;
	struct run_res res;
	uint64_t n;

	touch.host_ret = touch.host_enter = touch.other_ret = NULL;
	touch.handler_work = NULL;
	touch.rounds = NULL;
	touch.payload = PAYLOAD_PAGE_WRITE;
	touch.iterations = pages;
	touch.arg0 = m->gpa;
	touch.arg1 = 0;
	if (run_payload(vm, &touch, &res)) {
		ERR("the pass that pre-touches the dirty-logged pages failed: %s", res.err);
		return -1;
	}
	if (memslot_dirty_log(m, &n, err, errlen))
		return -1;
	if (n != pages) {
		ERR("pre-touching %llu pages dirtied %llu in KVM's log: dirty logging does not "
		    "track this slot", (unsigned long long)pages, (unsigned long long)n);
		return -1;
	}
	return 0;
}

static int setup(struct vm *vm, const struct bench_def *b, struct run_req *req,
		 struct host_proof *p, char *err, size_t errlen)
{
	bool pio = b->io_space == IO_SPACE_PIO;

	switch (b->setup) {
	case SETUP_NONE:
		return 0;
	case SETUP_FRESH_PAGES:
	case SETUP_DIRTY_LOG:
		p->pages.by_dirty_log = b->setup == SETUP_DIRTY_LOG;
		p->slot = page_slot(vm, p->pages.by_dirty_log ? VM_SLOT_DIRTY : VM_SLOT_FRESH, req,
				    p, err, errlen);
		if (!p->slot)
			return -1;
		return p->pages.by_dirty_log ? arm_dirty_log(vm, p->slot, req, p->pages.round, err,
							      errlen) : 0;
	case SETUP_IOEVENTFD:
	case SETUP_IOEVENTFD_MATCH:
		/* Both payloads store 32 bits. */
		return ioevent_assign(&p->io, vm->vm_fd, pio, b->arg0, 4,
				      b->setup == SETUP_IOEVENTFD_MATCH, b->arg1, err, errlen);
	case SETUP_XAPIC:
		/* An x2APIC payload before it may have left x2APIC mode on. */
		return irqchip_xapic_mode(vm->vcpu_fd, GPA_LAPIC, err, errlen);
	case SETUP_VCPU2:
	case SETUP_VCPU2_SAME_CPU:
		p->ctx_before = vcpu2_ctx_switches();
		return vcpu2_start(&p->ap, vm, PAYLOAD_IPI_TARGET, b->arg0, req->iterations,
				   b->setup == SETUP_VCPU2_SAME_CPU ? sched_getcpu() : -1, err,
				   errlen);
	case SETUP_VCPU2_PLE:
		p->ctx_before = vcpu2_ctx_switches();
		return vcpu2_start(&p->ap, vm, PAYLOAD_PLE_TARGET, 0, req->iterations,
				   sched_getcpu(), err, errlen);
	case SETUP_IO_LATENCY_OUT:
	case SETUP_IO_LATENCY_IN:
		return iolat_start(&p->lat, vm, b->setup == SETUP_IO_LATENCY_IN,
				   (uint16_t)b->arg0, (uint32_t)b->arg0, req->iterations, err, errlen);
	}
	return 0;
}

/*
 * Out: every OUT was one read of one write (the guest waits for the host's
 * acknowledgement, so none coalesce) and none reached userspace (the run
 * loop fails on that port). In: the thread wrote the irqfd once per
 * iteration; the guest counts the interrupts and fails the run on a miss.
 */
static void iolat_latency_proof(struct host_proof *p)
{
	struct iolat *l = &p->lat;
	char where[96];

	iolat_stop(l);
	snprintf(where, sizeof(where), "; host thread on CPU %d%s", l->cpu,
		 l->shares_cpu ? ", the vCPU's: this host has no other CPU" : "");
	if (l->err[0]) {
		snprintf(p->latency_proof, sizeof(p->latency_proof), "the host thread failed: %s",
			 l->err);
		return;
	}
	if (l->in) {
		p->latency_ok = l->count == l->n;
		snprintf(p->latency_proof, sizeof(p->latency_proof), "%llu irqfd writes for %llu "
			 "iterations, each interrupt counted by the guest's handler%s",
			 (unsigned long long)l->count, (unsigned long long)l->n, where);
	} else {
		p->latency_ok = l->reads == l->n && l->count == l->n && !l->coalesced;
		snprintf(p->latency_proof, sizeof(p->latency_proof), "ioeventfd read %llu times "
			 "(%llu writes, %llu reads of more than one) for %llu iterations, none "
			 "reached userspace%s", (unsigned long long)l->reads,
			 (unsigned long long)l->count, (unsigned long long)l->coalesced,
			 (unsigned long long)l->n, where);
	}
	p->eventfd_count = l->count;
}

/*
 * vcpu_switch: vCPU 1 answered every IPI, and the host switched between
 * the two vCPUs' threads, which share one CPU, at least twice per round
 * (0 to 1 and back): otherwise the round did not hold two switches.
 */
static void vcpu2_switch_proof(struct host_proof *p, uint64_t ctx, uint64_t n)
{
	const struct vcpu2 *c = &p->ap;
	const struct ctl_block *ap = (const struct ctl_block *)(c->vm->mem + GPA_CTL_AP);

	if (c->err[0]) {
		snprintf(p->latency_proof, sizeof(p->latency_proof), "%s", c->err);
		return;
	}
	p->latency_ok = c->done && ap->arg1 == n && ctx >= 2 * n && c->ran_on == sched_getcpu();
	snprintf(p->latency_proof, sizeof(p->latency_proof), "vCPU 1 answered %llu IPIs for %llu "
		 "rounds, both vCPUs' threads on host CPU %d (vCPU 1's ended on %d); host context "
		 "switches of their threads: %llu (%.2f per round, two needed)",
		 (unsigned long long)ap->arg1, (unsigned long long)n, c->cpu, c->ran_on,
		 (unsigned long long)ctx, n ? (double)ctx / (double)n : 0);
}

/*
 * ple_round_robin: vCPU 1 passed every token back, and both vCPUs' threads
 * stayed on the one host CPU, so each round handed that CPU over twice
 * (the context switches say how: by yield or by preemption).
 */
static void vcpu2_ple_proof(struct host_proof *p, uint64_t n)
{
	struct vcpu2 *c = &p->ap;
	const struct ctl_block *ap = (const struct ctl_block *)(c->vm->mem + GPA_CTL_AP);
	uint64_t ctx = vcpu2_ctx_switches() - p->ctx_before;

	vcpu2_stop(c);
	ctx += c->ctx_after - c->ctx_before;
	if (c->err[0]) {
		snprintf(p->latency_proof, sizeof(p->latency_proof), "%s", c->err);
		return;
	}
	p->latency_ok = c->done && ap->completed == n && ctx >= 2 * n &&
			c->ran_on == sched_getcpu();
	snprintf(p->latency_proof, sizeof(p->latency_proof), "vCPU 1 passed back %llu tokens "
		 "for %llu rounds, both vCPUs' threads on host CPU %d (vCPU 1's ended on %d); "
		 "host context switches of their threads: %llu (%.2f per round, two needed)",
		 (unsigned long long)ap->completed, (unsigned long long)n, c->cpu, c->ran_on,
		 (unsigned long long)ctx, n ? (double)ctx / (double)n : 0);
}

/*
 * vCPU 1 handled every IPI, and its handler's stamps are causally ordered
 * with vCPU 0's (the bound of vCPU 1 - vCPU 0 TSC holds 0), both offsets 0.
 */
static void vcpu2_proof(struct vm *vm, struct host_proof *p, bool same_cpu)
{
	const struct ctl_block *ap = (const struct ctl_block *)(vm->mem + GPA_CTL_AP);
	const struct ctl_block *bsp = vm_ctl(vm);
	struct vcpu2 *c = &p->ap;
	bool agree;
	size_t l;

	uint64_t ctx = vcpu2_ctx_switches() - p->ctx_before;

	vcpu2_stop(c);
	if (same_cpu) {
		vcpu2_switch_proof(p, ctx + c->ctx_after - c->ctx_before, bsp->iterations);
		return;
	}
	if (c->err[0]) {
		snprintf(p->latency_proof, sizeof(p->latency_proof), "%s", c->err);
		return;
	}
	agree = bsp->tsc_bound_valid && bsp->tsc_lo <= 0 && bsp->tsc_hi >= 0;
	p->latency_ok = c->done && ap->arg1 == ap->iterations && agree && c->tsc_offset_zero &&
			vm->tsc_offset_zero;
	p->eventfd_count = ap->arg1;
	snprintf(p->latency_proof, sizeof(p->latency_proof), "vCPU 1 (host CPU %d%s) handled "
		 "%llu IPIs for %llu iterations; vCPU 1 - vCPU 0 TSC in [%lld, %lld] ticks%s",
		 c->cpu, c->shares_cpu ? ", vCPU 0's: this host has no other CPU" : "",
		 (unsigned long long)ap->arg1, (unsigned long long)ap->iterations,
		 (long long)bsp->tsc_lo, (long long)bsp->tsc_hi,
		 !c->tsc_offset_zero ? " (its TSC offset could not be set to 0)" :
		 agree ? "" : " (the clocks disagree)");
	l = strlen(p->latency_proof);
	if (ap->irq_in_shadow)
		snprintf(p->latency_proof + l, sizeof(p->latency_proof) - l, "; %llu IPIs came in "
			 "STI's shadow, before the HLT", (unsigned long long)ap->irq_in_shadow);
}

int hostprep_before(struct vm *vm, const struct bench_def *b, struct run_req *req,
		    struct host_proof *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->io.efd = -1;
	/* The *_user MSR rows: KVM sends the accesses to userspace through a filter. */
	if (catalog_filters_msr(b)) {
		if (run_msr_to_user(vm, (uint32_t)b->arg0, err, errlen)) {
			p->unsupported = true;
			return -1;
		}
		p->msr_filtered = true;
	}
	return setup(vm, b, req, p, err, errlen);
}

void hostprep_after(struct vm *vm, const struct bench_def *b, struct host_proof *p)
{
	char err[256];

	/* The other benchmarks on this VM expect KVM to handle every MSR. */
	if (p->msr_filtered && run_msr_to_user(vm, UINT32_MAX, err, sizeof(err)))
		p->vm_spoiled = true;
	p->msr_filtered = false;
	switch (b->setup) {
	case SETUP_NONE:
	case SETUP_XAPIC:
		break;
	case SETUP_FRESH_PAGES:
	case SETUP_DIRTY_LOG:
		if (!p->slot)
			break;
		if (b->setup == SETUP_DIRTY_LOG) {
			uint64_t n = 0;

			/* The last round's pages; the earlier rounds' were counted at re-arm. */
			p->has_dirty = memslot_dirty_log(p->slot, &n, p->err, sizeof(p->err)) == 0;
			p->dirty_pages = p->pages.dirty_pages + n;
		}
		/* The pages go back to the host between runs: no run keeps more. */
		memslot_discard(p->slot, err, sizeof(err));
		break;
	case SETUP_IOEVENTFD:
	case SETUP_IOEVENTFD_MATCH:
		if (p->io.efd < 0)
			break;
		p->has_eventfd = ioevent_take(&p->io, &p->eventfd_count) == 0;
		if (!p->has_eventfd)
			snprintf(p->err, sizeof(p->err), "the eventfd counter could not be read");
		ioevent_deassign(&p->io);
		break;
	case SETUP_IO_LATENCY_OUT:
	case SETUP_IO_LATENCY_IN:
		iolat_latency_proof(p);
		break;
	case SETUP_VCPU2:
	case SETUP_VCPU2_SAME_CPU:
		vcpu2_proof(vm, p, b->setup == SETUP_VCPU2_SAME_CPU);
		break;
	case SETUP_VCPU2_PLE:
		vcpu2_ple_proof(p, vm_ctl(vm)->iterations);
		break;
	}
}
