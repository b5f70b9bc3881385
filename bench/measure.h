/* SPDX-License-Identifier: MIT */
/* The measuring loop: one planned benchmark, run, proven, stored and split. */
#ifndef VMEXIT_MEASURE_H
#define VMEXIT_MEASURE_H

#include <stdbool.h>

#include "catalog.h"
#include "hostprep.h"
#include "parallel.h"
#include "plan.h"
#include "run.h"

struct suite;

/*
 * One run of @b as @req says, between its host set-up and teardown
 * (hostprep_before/after: pages, eventfds, MSR filter, a second vCPU,
 * a host thread), under tracing when @traced, and on @par's siblings at
 * once where @par is not NULL (--parallel: each one's result is then in
 * par->v[k].res, joined before this returns). The proof the teardown
 * read goes into @hp (may be NULL). 0 when the guest finished; -1 with
 * a one-line reason in @err (res->status says which failure), after
 * which the VM has been made again (s->vmh.live false if even that
 * failed). res->status RUN_HOST_ERROR with hp->unsupported: the set-up
 * needs what this kernel lacks.
 */
int measure_prepared(struct suite *s, const struct bench_def *b, const struct run_req *req,
		     struct run_res *res, struct host_proof *hp, bool traced, struct par_run *par,
		     char *err, size_t errlen);

/*
 * Measures @it into a new record of s->rec (status set; a VM that cannot
 * be made is the row's failure). -1 only when out of memory.
 */
int measure_item(struct suite *s, const struct plan_item *it);

/* A run that failed: its verdict in @r (unsupported where the host cannot run it). */
void measure_run_failed(const struct run_res *res, const struct host_proof *hp,
			struct bench_record *r);

/*
 * --parallel: @it on s->opt->parallel vCPUs at once, into records NAME
 * (pooled) and NAME@vcpuK (bench/measure_parallel.c). -1 only when out
 * of memory.
 */
int measure_parallel(struct suite *s, const struct plan_item *it);

/*
 * The timer floor at @cpl (the nop row, kept as a row when @keep).
 * Sets s->floor*[cpl]. 0; 1 when the floor's run failed; -1 when out of
 * memory or without a VM.
 */
int measure_floor(struct suite *s, int cpl, bool keep);

#endif
