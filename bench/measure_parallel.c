/* SPDX-License-Identifier: MIT */
/*
 * --parallel N: one planned row on N vCPUs of one VM at once
 * (runner/parallel.c). Each vCPU's run is proven by its own counts (its
 * KVM stats, its run loop's exits), exactly as one vCPU's run is; of its
 * samples only those taken while every vCPU was in its timed loop are
 * kept (one guest TSC: offset 0 on each vCPU); the records are NAME, every
 * vCPU's kept samples pooled, and NAME@vcpuK, vCPU K's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "measure.h"
#include "record.h"
#include "suite_state.h"
#include "verify.h"

/* Record k of the row: 0 the pooled one, 1 + K vCPU K's. */
#define REC(s, base, k) (&(s)->rec.bench[(base) + (k)])

/* The pooled record and one per vCPU, appended in that order. -1 when out of memory. */
static int add_records(struct suite *s, const struct plan_item *it, int n, size_t *base)
{
	*base = s->rec.nbench;
	for (int k = 0; k <= n; k++) {
		struct bench_record *r = record_new(&s->rec, it->b, it->cpl, &s->caps);

		if (!r)
			return -1;
		if (k > 0)
			snprintf(r->name, sizeof(r->name), "%s@vcpu%d", it->b->name, k - 1);
	}
	return 0;
}

/*
 * Gives every other record of the row the verdict of record @from (vCPU
 * from - 1's own), naming that vCPU after the opening words its status
 * gives every reason (record.h), so that the reason still opens with them.
 */
static void verdict_all(struct suite *s, size_t base, int n, int from)
{
	const struct bench_record *f = REC(s, base, from);
	size_t skip = strlen(record_status_opening(f->status));

	if (strncmp(f->reason, record_status_opening(f->status), skip))
		skip = 0;
	for (int k = 0; k <= n; k++)
		if (k != from)
			record_fail(REC(s, base, k), f->status, "%.*svCPU %d: %.200s", (int)skip,
				    f->reason, from - 1, f->reason + skip);
}

/*
 * Proves vCPU k's run (its result @res) into record 1 + k. False: its
 * verdict is set.
 */
static bool vcpu_proven(struct suite *s, const struct plan_item *it, const struct run_res *res,
			const struct host_proof *hp, uint64_t iters, struct bench_record *r)
{
	if (res->status != RUN_OK) {
		record_fail(r, BENCH_FAILED, "%s", res->err);
		record_report(r, res);
		return false;
	}
	if (verify_exits(s, it->b, it->cpl, res, hp, iters, r))
		return true;
	verify_unproven(s, it->b, it->cpl, res, iters, r);
	return false;
}

/*
 * The window every vCPU spent in its timed loop: from the latest first
 * stamp to the earliest last one. False when the loops did not overlap.
 */
static bool overlap(const struct vm *const *vm, int n, uint64_t warmup, uint64_t iters,
		    uint64_t *lo, uint64_t *hi)
{
	*lo = 0;
	*hi = UINT64_MAX;
	for (int k = 0; k < n; k++) {
		const struct sample *smp = vm_samples(vm[k]);

		if (smp[warmup].before > *lo)
			*lo = smp[warmup].before;
		if (smp[warmup + iters - 1].after < *hi)
			*hi = smp[warmup + iters - 1].after;
	}
	return *lo < *hi;
}

/* The timed samples of @vm inside [@lo, @hi], as raw deltas; their count in @kept. */
static double *window_samples(const struct vm *vm, uint64_t warmup, uint64_t iters,
			      uint64_t lo, uint64_t hi, size_t *kept)
{
	const struct sample *smp = vm_samples(vm);
	double *v = malloc(iters * sizeof(*v));

	*kept = 0;
	if (!v)
		return NULL;
	for (uint64_t i = warmup; i < warmup + iters; i++)
		if (smp[i].before >= lo && smp[i].after <= hi && smp[i].after >= smp[i].before)
			v[(*kept)++] = (double)(smp[i].after - smp[i].before);
	return v;
}

/* Stores every vCPU's window samples and the pool. -1 when out of memory. */
static int store_samples(struct suite *s, const struct plan_item *it, const struct par_run *par,
			 const struct vm *const *vm, size_t base)
{
	const struct options *o = s->opt;
	const int n = par->n;
	const double floor = o->no_subtract ? 0 : s->floor[it->cpl] * it->floor_share;
	uint64_t lo = 0, hi = UINT64_MAX, seen = 0;
	double *pool = malloc((size_t)n * o->iterations * sizeof(*pool));
	size_t npool = 0;

	if (!pool)
		return -1;
	if (par->tsc_offset_zero && !overlap(vm, n, o->warmup, o->iterations, &lo, &hi)) {
		free(pool);
		for (int k = 0; k <= n; k++)
			record_fail(REC(s, base, k), BENCH_UNSUPPORTED, "unsupported here: the "
				    "%d vCPUs' timed loops did not overlap (this host ran them by "
				    "turns: fewer free CPUs than vCPUs, or loops shorter than its "
				    "time slice; more --iterations)", n);
		return 0;
	}
	for (int k = 0; k < n; k++) {
		struct bench_record *r = REC(s, base, k + 1);
		size_t kept;
		double *v = window_samples(vm[k], o->warmup, o->iterations, lo, hi, &kept);

		if (!v) {
			free(pool);
			return -1;
		}
		memcpy(pool + npool, v, kept * sizeof(*v));
		npool += kept;
		seen += r->exits_seen;
		if (par->tsc_offset_zero)
			record_check_add(r, "; %zu of %llu samples taken while all %d vCPUs were in "
					 "their timed loops", kept, o->iterations, n);
		if (!kept) {
			free(v);
			record_fail(r, BENCH_UNSUPPORTED, "unsupported here: no sample of vCPU %d "
				    "lies in the window all %d vCPUs ran at once (this host ran them "
				    "by turns; more --iterations)", k, n);
			verdict_all(s, base, n, k + 1);
			free(pool);
			return 0;
		}
		if (record_total(r, v, kept, floor)) {
			free(pool);
			return -1;
		}
		r->status = BENCH_OK;
	}
	{
		struct bench_record *r = REC(s, base, 0);

		record_check_add(r, "%d vCPUs at once on %d host CPU%s%s, each proven (%s@vcpuK); "
				 "%zu samples pooled", n, par->host_cpus, par->host_cpus > 1 ? "s" : "",
				 par->host_cpus < n ? " (they share)" : "", it->b->name, npool);
		if (!par->tsc_offset_zero)
			record_check_add(r, "; every timed sample kept: the vCPUs' TSC offsets could "
					 "not all be set to 0, so when they overlapped is not known");
		r->exits_seen = seen;
		if (record_total(r, pool, npool, floor))
			return -1;
		r->status = BENCH_OK;
	}
	return 0;
}

int measure_parallel(struct suite *s, const struct plan_item *it)
{
	const struct bench_def *b = it->b;
	const struct options *o = s->opt;
	const int n = (int)o->parallel;
	struct run_req req = {
		.payload = b->payload, .cpl = it->cpl, .flags = suite_run_flags(s, it->cpl),
		.iterations = o->iterations + o->warmup, .arg0 = b->arg0, .arg1 = b->arg1,
		.timeout_s = o->timeout_s, .bench_exit = catalog_bench_exit(b),
	};
	struct par_run *par = calloc(1, sizeof(*par));	/* n views of the VM: off the stack */
	const struct vm *vm[PAR_MAX];
	struct host_proof hp;
	struct run_res res0;
	char err[256];
	size_t base;
	int ret = -1, failed = -1;

	if (!par || add_records(s, it, n, &base))
		goto out;
	ret = 0;
	if (vmhold_flavour(&s->vmh, it->irqchip, err, sizeof(err))) {
		record_fail(REC(s, base, 1), BENCH_FAILED, "cannot create the VM: %s", err);
		verdict_all(s, base, n, 1);
		goto out;
	}
	if (measure_prepared(s, b, &req, &res0, &hp, false, par, err, sizeof(err))) {
		/* vCPU 0's run failed, or the siblings could not start: the VM is new again. */
		measure_run_failed(&res0, &hp, REC(s, base, 1));
		verdict_all(s, base, n, 1);
		goto out;
	}
	for (int k = 0; k < n && failed < 0; k++) {
		vm[k] = k ? &par->v[k].view : &s->vmh.vm;
		if (!vcpu_proven(s, it, k ? &par->v[k].res : &res0, &hp, req.iterations,
				 REC(s, base, k + 1)))
			failed = k;
	}
	if (failed >= 0) {
		verdict_all(s, base, n, failed + 1);
		/* A sibling's failure may leave KVM state behind, as vCPU 0's would. */
		if (vmhold_renew(&s->vmh, err, sizeof(err)))
			fprintf(stderr, "vmexit-bench: %s\n", err);
		goto out;
	}
	ret = store_samples(s, it, par, vm, base);
	for (int k = 0; ret == 0 && k <= n; k++)
		record_phase_note(REC(s, base, k), "not split: --parallel times each vCPU's "
				  "round trip whole");
out:
	free(par);
	return ret;
}
