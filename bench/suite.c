/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "hostwatch.h"
#include "measure.h"
#include "parallel.h"
#include "plan.h"
#include "probe.h"
#include "progress.h"
#include "record.h"
#include "split.h"
#include "suite.h"

/* A host-side call silent this many watchdog periods, at least this long, is hung. */
#define HOSTWATCH_PERIODS 4
#define HOSTWATCH_MIN_S 30.0

volatile sig_atomic_t suite_stop;

int suite_init(struct suite *s, const struct options *opt, char *err, size_t errlen)
{
	unsigned long long total = opt->iterations + opt->warmup;
	int cpu;

	memset(s, 0, sizeof(*s));
	s->opt = opt;
	if (total > VM_MAX_SAMPLES)
		return ERR("--iterations + --warmup = %llu exceeds the %llu samples "
			 "guest memory holds", total, (unsigned long long)VM_MAX_SAMPLES);
	s->vmh.sample_bytes = (total > CAL_ITERATIONS ? total : CAL_ITERATIONS) *
			  sizeof(struct sample);
	/* --parallel: a stride of samples per vCPU, vCPU 0's first. */
	if (opt->parallel > 1) {
		if (par_sample_stride(total) * opt->parallel > GPA_SAMPLES_END - GPA_SAMPLES)
			return ERR("--iterations + --warmup = %llu on %u vCPUs exceeds the samples "
				   "guest memory holds", total, opt->parallel);
		if (par_sample_stride(total) * opt->parallel > s->vmh.sample_bytes)
			s->vmh.sample_bytes = par_sample_stride(total) * opt->parallel;
	}
	cpu = probe_pin_cpu(opt->cpu, err, errlen);
	if (cpu < 0 || run_init(err, errlen))
		return -1;
	/*
	 * The run loop's watchdog signal returns every KVM_RUN at least once
	 * per --timeout; a call into the kernel silent for several of those
	 * periods will not come back.
	 */
	if (hostwatch_start(opt->timeout_s * HOSTWATCH_PERIODS > HOSTWATCH_MIN_S ?
			    opt->timeout_s * HOSTWATCH_PERIODS : HOSTWATCH_MIN_S))
		return ERR("cannot start the host-side watchdog thread");
	if (vmhold_make(&s->vmh, false, err, errlen))
		return -1;
	s->rec.pinned_cpu = cpu;
	s->rec.iterations = opt->iterations;
	s->rec.parallel = opt->parallel > 1 ? opt->parallel : 0;
	s->rec.warmup = opt->warmup;
	s->rec.tsc_khz = s->vmh.vm.tsc_khz;
	snprintf(s->rec.tsc_source, sizeof(s->rec.tsc_source), "%s",
		 s->vmh.vm.tsc_khz ? "KVM_GET_TSC_KHZ" : "unknown");
	snprintf(s->rec.cpl_mode, sizeof(s->rec.cpl_mode), "%s",
		 opt->cpl == CPL_0 ? "0" : opt->cpl == CPL_3 ? "3" : "auto");
	if (opt->handler_work_ns && !s->vmh.vm.tsc_khz)
		return ERR("--handler-work needs the TSC frequency, and "
			 "KVM_GET_TSC_KHZ did not give it");
	s->handler_ticks = (uint64_t)((double)opt->handler_work_ns * s->vmh.vm.tsc_khz / 1e6 + 0.5);
	return probe_host(s, err, errlen);
}

void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->rec.nbench; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			free(s->rec.bench[i].samples[p]);
	free(s->rec.bench);
	s->rec.bench = NULL;
	s->rec.nbench = 0;
	trace_close(s->trace);
	s->trace = NULL;
	vmhold_free(&s->vmh);
}

/*
 * An in-kernel benchmark that was not split still says why the split is
 * unavailable here, so the reason is reported even where the benchmark
 * itself cannot run.
 */
static void kernel_split_note(struct suite *s, const struct plan *p, const struct bench_def *b)
{
	struct bench_record *r;

	if (!s->rec.nbench)
		return;
	r = &s->rec.bench[s->rec.nbench - 1];
	if (b->handled != HANDLED_KERNEL || strcmp(r->name, b->name) ||
	    r->phase_note[0] || r->has_phase[PHASE_EXIT])
		return;
	record_phase_note(r, "unavailable: %s", p->trace && !s->trace ? s->trace_why :
			  "the benchmark was not measured");
}

/*
 * A floor-subtracted median no further from zero than the floor's own
 * p5..p95 width is not a cost: the floor, measured at another moment,
 * may have been that much higher or lower (an emulated CPL0 NOP moves
 * between ~8,000 and ~13,000 ticks). The row keeps its numbers and says so.
 */
static void mark_floor_spread(struct suite *s, struct bench_record *r)
{
	if (r->status != BENCH_OK || !r->floor || r->cpl < 0 || !s->floor_ok[r->cpl])
		return;
	r->floor_spread = s->floor_spread[r->cpl];
	r->within_floor_spread = fabs(r->rows[PHASE_TOTAL].median) <= r->floor_spread;
}

/* A signal asked to stop: the record says so, and by which signal. */
static bool stop_requested(struct suite *s, unsigned long long nsel)
{
	int sig = suite_stop;

	if (!sig)
		return false;
	s->rec.incomplete = true;
	s->rec.selected = nsel;
	snprintf(s->rec.stopped_by, sizeof(s->rec.stopped_by), "SIG%s", sigabbrev_np(sig));
	return true;
}

/*
 * The probes the plan's decisions rest on. A VM that cannot be made again
 * after one is said once here; every row then fails with the reason.
 */
static void plan_probes(struct suite *s, const struct plan *p)
{
	char err[256];

	if (p->hypercall && probe_hypercall(s, p->hypercall, err, sizeof(err)))
		fprintf(stderr, "vmexit-bench: after the hypercall probe: %s\n", err);
	if (p->trace && probe_trace(s, err, sizeof(err)))
		fprintf(stderr, "vmexit-bench: after the tracing probe: %s\n", err);
}

/* One planned benchmark: measured, or its verdict recorded. -1: fatal. */
static int run_item(struct suite *s, const struct plan *p, const struct plan_item *it)
{
	struct bench_record *r;

	if (it->action == PLAN_MEASURE && !s->floor_ok[it->cpl]) {
		r = record_new(&s->rec, it->b, it->cpl, &s->caps);
		if (!r)
			return -1;
		record_fail(r, BENCH_UNSUPPORTED, "unsupported here: the timer floor at this "
			    "CPL could not be measured");
	} else if (it->action != PLAN_MEASURE) {
		r = record_new(&s->rec, it->b, it->cpl, &s->caps);
		if (!r)
			return -1;
		if (it->action == PLAN_REFUSED)
			record_fail(r, BENCH_REFUSED, "refused: %s", it->why);
		else
			record_fail(r, BENCH_UNSUPPORTED, "unsupported here: %s", it->why);
	} else {
		if (measure_item(s, it))
			return -1;
		r = &s->rec.bench[s->rec.nbench - 1];
	}
	if (it->action != PLAN_REFUSED)
		kernel_split_note(s, p, it->b);
	return r->status == BENCH_FAILED;
}

int suite_run(struct suite *s, const bool *selected)
{
	struct plan p;
	int failed = 0, f;

	if (plan_init(&p, selected))
		return -1;
	plan_probes(s, &p);
	plan_decide(&p, s->opt, &s->caps);
	for (int cpl = 3; cpl >= 0; cpl -= 3) {
		if (!p.floor_at[cpl])
			continue;
		f = measure_floor(s, cpl, p.keep_floor);
		if (f < 0)
			goto fatal;
		failed += f;
	}
	for (size_t i = 0; i < p.n; i++) {
		if (stop_requested(s, p.selected))
			break;
		progress_update(p.item[i].b->name, i, p.n);
		f = run_item(s, &p, &p.item[i]);
		if (f < 0)
			goto fatal;
		failed += f;
	}
	/* Statistics after measuring: nothing of them runs between two benchmarks. */
	for (size_t i = 0; i < s->rec.nbench; i++) {
		/* The floor's rows were summarized when measured, and are the spread. */
		if (s->rec.bench[i].kind == BENCH_KIND_FLOOR)
			continue;
		if (record_summarize(&s->rec.bench[i]))
			goto fatal;
		mark_floor_spread(s, &s->rec.bench[i]);
	}
	plan_free(&p);
	return failed;
fatal:
	plan_free(&p);
	return -1;
}
