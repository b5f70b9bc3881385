/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "hostwatch.h"
#include "measure.h"
#include "record.h"
#include "split.h"
#include "stats.h"
#include "suite_state.h"
#include "verify.h"

/* ept_fault_in's pages: one per iteration (guest_payloads/ept.c). */
#define PAGE_BYTES 4096ull

/* Iterations of the pre-flight run that refuses an exit emulated CPL0 does not make. */
#define PREFLIGHT_ITERATIONS 256

int measure_prepared(struct suite *s, const struct bench_def *b, const struct run_req *req,
		     struct run_res *res, struct host_proof *hp, bool traced, struct par_run *par,
		     char *err, size_t errlen)
{
	struct run_req rq = *req;
	struct host_proof own;
	char why[256];
	int rr;

	if (!hp)
		hp = &own;
	memset(res, 0, sizeof(*res));
	if (hostprep_before(&s->vmh.vm, b, &rq, hp, why, sizeof(why))) {
		hostprep_after(&s->vmh.vm, b, hp);
		res->status = RUN_HOST_ERROR;
		snprintf(res->err, sizeof(res->err), "%s", why);
		ERR("%s", why);
		if (vmhold_renew(&s->vmh, why, sizeof(why)))
			ERR("%s", why);
		return -1;
	}
	rr = traced && trace_start(s->trace);
	if (!rr && par &&
	    par_start(par, &s->vmh.vm, (int)s->opt->parallel, &rq,
		      par_sample_stride(s->opt->iterations + s->opt->warmup),
		      b->setup == SETUP_FRESH_PAGES ? rq.iterations * PAGE_BYTES : 0,
		      s->rec.pinned_cpu, why, sizeof(why))) {
		res->status = RUN_HOST_ERROR;
		snprintf(res->err, sizeof(res->err), "%s", why);
		rr = -1;
	}
	rr = rr || run_payload(&s->vmh.vm, &rq, res);
	if (par) {
		/* Each sibling's own watchdog ends its run; this watch is for one that cannot. */
		hostwatch_arm("joining the --parallel vCPUs' threads");
		par_join(par);
		hostwatch_disarm();
	}
	if (traced)
		rr |= trace_stop(s->trace);
	hostprep_after(&s->vmh.vm, b, hp);
	if (!rr && !hp->vm_spoiled)
		return 0;
	ERR("%s", res->err[0] ? res->err :
		 hp->vm_spoiled ? "the MSR filter could not be removed" : "tracing failed");
	/* A failed guest may leave KVM state behind: the next run starts clean. */
	if (vmhold_renew(&s->vmh, why, sizeof(why)))
		ERR("%s", why);
	return rr ? -1 : 0;
}

/* Raw samples of the timed iterations, warm-up dropped; NULL when out of memory. */
static double *timed_samples(struct suite *s, struct bench_record *r, bool *backwards)
{
	const struct options *o = s->opt;
	double *raw = malloc(o->iterations * sizeof(*raw));
	size_t back;

	*backwards = false;
	if (raw && vm_raw_deltas(&s->vmh.vm, o->warmup, o->iterations, raw, &back)) {
		free(raw);
		record_fail(r, BENCH_FAILED, "guest TSC ran backwards in %zu samples", back);
		record_report(r, NULL);
		*backwards = true;
		return NULL;
	}
	return raw;
}

/* The guest's run failed: a property of the host where the emulator cannot run it. */
void measure_run_failed(const struct run_res *res, const struct host_proof *hp,
			struct bench_record *r)
{
	if (res->status == RUN_HOST_ERROR && hp->unsupported) {
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: %s", res->err);
	} else if (r->emulated && res->emulation_failed) {
		/* The instruction itself is what the emulator cannot run: no exit to time. */
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: CPL0 is emulated by this "
			    "host and KVM's instruction emulator cannot execute this "
			    "instruction (%.160s)", res->err);
	} else {
		record_fail(r, BENCH_FAILED, "%s", res->err);
		record_report(r, res);
	}
}

/*
 * The measured run of @it into @r: pre-flight first where planned, then
 * the full run, verified. True when @r holds a proven run whose samples
 * are in guest memory; false when its verdict is set.
 */
static bool proven_run(struct suite *s, const struct plan_item *it, struct run_req *req,
		       const struct user_stamps *u, struct run_res *res, struct bench_record *r)
{
	const struct bench_def *b = it->b;
	uint64_t total = req->iterations;
	bool preflight = it->preflight && total > PREFLIGHT_ITERATIONS, verified;
	struct host_proof hp;
	char err[256];

	for (;;) {
		req->iterations = preflight ? PREFLIGHT_ITERATIONS : total;
		if (measure_prepared(s, b, req, res, &hp, false, NULL, err, sizeof(err))) {
			/* A VM that could not be made again fails the rows after this one, each. */
			measure_run_failed(res, &hp, r);
			return false;
		}
		verified = verify_exits(s, b, it->cpl, res, &hp, req->iterations, r);
		if (verify_deliveries(r, b, res, vm_ctl(&s->vmh.vm)->irq_late, req->iterations))
			return false;
		if (b->interval == INTERVAL_MIXED_CLOCKS)
			record_check_add(r, "; guest - host TSC in [%lld, %lld] ticks (calibration)",
					 (long long)u->cal.lo, (long long)u->cal.hi);
		if (!verified) {
			verify_unproven(s, b, it->cpl, res, req->iterations, r);
			return false;
		}
		if (!preflight)
			return true;
		preflight = false;
	}
}

/*
 * The in-kernel split: the same request run again with kvm:kvm_exit and
 * kvm:kvm_entry traced (the first run's total stays untraced), its events
 * handed to split.c. 0 also when it is not split (the phase note says
 * why); -1: out of memory.
 */
static int kernel_split(struct suite *s, const struct bench_def *b, struct bench_record *r,
			const struct run_req *req)
{
	struct run_res res = { 0 };
	struct trace_ev *ev = NULL;
	char note[sizeof(r->phase_note)], err[256];
	uint64_t lost = 0;
	long nev;
	int ret;

	if (split_kernel_unsplit(s, b, note, sizeof(note))) {
		record_phase_note(r, "%s", note);
		return 0;
	}
	if (measure_prepared(s, b, req, &res, NULL, true, NULL, err, sizeof(err))) {
		record_phase_note(r, "unavailable: the traced run failed: %.180s", err);
		return 0;	/* the next row renews the VM */
	}
	nev = trace_collect(s->trace, &ev, &lost, note, sizeof(note));
	if (nev < 0) {
		record_phase_note(r, "unavailable: %s", note);
		return 0;
	}
	ret = split_kernel(s, r, ev, nev, lost);
	free(ev);
	return ret;
}

int measure_item(struct suite *s, const struct plan_item *it)
{
	const struct bench_def *b = it->b;
	const struct options *o = s->opt;
	struct run_req req = {
		.payload = b->payload, .cpl = it->cpl, .flags = suite_run_flags(s, it->cpl),
		.iterations = o->iterations + o->warmup, .arg0 = b->arg0, .arg1 = b->arg1,
		.timeout_s = o->timeout_s, .bench_exit = catalog_bench_exit(b),
	};
	struct bench_record *r;
	struct user_stamps u = { 0 };
	struct run_res res;
	bool backwards;
	double *raw;
	char err[256];
	int ret = -1;

	if (o->parallel > 1 && catalog_kind(b) != BENCH_KIND_FLOOR)
		return measure_parallel(s, it);
	r = record_new(&s->rec, b, it->cpl, &s->caps);
	if (!r)
		return -1;
	/* The irqchip VM changes HLT and port semantics: only its benchmarks get it. */
	if (vmhold_flavour(&s->vmh, it->irqchip, err, sizeof(err))) {
		record_fail(r, BENCH_FAILED, "cannot create the VM: %s", err);
		record_report(r, NULL);
		return 0;
	}
	if (it->host_stamps) {
		if (split_stamps_alloc(&u, req.iterations))
			goto out;
		if (split_calibrate(s, it->cpl, &u, err, sizeof(err))) {
			record_fail(r, BENCH_FAILED, "cannot create the VM: %s", err);
			record_report(r, NULL);
			ret = 0;
			goto out;
		}
		if (b->interval == INTERVAL_MIXED_CLOCKS && !u.cal_ok) {
			/* Each sample mixes a guest and a host stamp: one clock, or no number. */
			record_fail(r, BENCH_UNSUPPORTED, "unsupported here: each sample mixes a "
				    "guest and a host stamp, and %s", u.cal_why);
			ret = 0;
			goto out;
		}
		if (it->split == SPLIT_USER)
			split_user_request(s, &u, &req);
	}
	if (!proven_run(s, it, &req, &u, &res, r)) {
		ret = 0;
		goto out;
	}
	if (catalog_kind(b) == BENCH_KIND_FLOOR && res.stat_valid[STAT_EXITS])
		s->nop_exits_per_iter[it->cpl] = verify_per_iter(res.stat[STAT_EXITS],
								 req.iterations);
	raw = timed_samples(s, r, &backwards);
	if (!raw) {
		ret = backwards ? 0 : -1;
		goto out;
	}
	/* The floor row: its own raw median is this CPL's floor, subtracted from it too. */
	if (catalog_kind(b) == BENCH_KIND_FLOOR &&
	    isnan(s->floor[it->cpl] = stats_median_of(raw, o->iterations))) {
		free(raw);
		goto out;
	}
	if (record_total(r, raw, o->iterations,
			 o->no_subtract ? 0 : s->floor[it->cpl] * it->floor_share))
		goto out;
	r->status = BENCH_OK;
	if (it->split == SPLIT_USER && split_user(s, r, &u, &res))
		goto out;
	if (it->split == SPLIT_KERNEL && kernel_split(s, b, r, &req))
		goto out;
	/* A latency of exits to userspace (a string instruction's many) is not split either. */
	if (it->split == SPLIT_NONE && catalog_holds_several(b) && b->handled == HANDLED_USER)
		record_phase_note(r, "not split: a latency, not one exit: %s", b->latency);
	ret = 0;
out:
	split_stamps_free(&u);
	return ret;
}

int measure_floor(struct suite *s, int cpl, bool keep)
{
	struct plan_item it = {
		.b = catalog_floor(), .cpl = cpl, .action = PLAN_MEASURE, .floor_share = 1,
	};
	struct bench_record *r;

	if (!it.b || measure_item(s, &it))
		return -1;
	r = &s->rec.bench[s->rec.nbench - 1];
	s->floor_ok[cpl] = r->status == BENCH_OK;
	/* Every later row is judged against the floor's spread: it is summarized now. */
	if (record_summarize(r))
		return -1;
	if (s->floor_ok[cpl])
		s->floor_spread[cpl] = r->rows[PHASE_TOTAL].p95 - r->rows[PHASE_TOTAL].p5;
	s->rec.floor[cpl] = s->floor[cpl];
	s->rec.floor_valid[cpl] = s->floor_ok[cpl];
	if (!keep) {
		for (int p = 0; p < PHASE_COUNT; p++)
			free(r->samples[p]);
		s->rec.nbench--;
	}
	return s->floor_ok[cpl] ? 0 : 1;
}
