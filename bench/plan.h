/* SPDX-License-Identifier: MIT */
/*
 * The plan: what a run will do with each selected benchmark, decided once
 * from the catalog, the options and the host's probed capabilities, before
 * anything is measured. `run` executes it; `list` prints it (and, for the
 * rows it measures, what their short runs proved).
 */
#ifndef VMEXIT_PLAN_H
#define VMEXIT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "cli.h"
#include "run_record.h"

enum plan_action {
	PLAN_MEASURE,		/* run it at item->cpl */
	PLAN_UNSUPPORTED,	/* cannot run here: item->why */
	PLAN_REFUSED,		/* could, but is opt-in: item->why */
};

/* How a measured row's round trip is split into exit, handler and entry. */
enum plan_split {
	SPLIT_NONE,		/* not split (the record's phase_note says why, once known) */
	SPLIT_USER,		/* host stamps around KVM_RUN, after a TSC calibration */
	SPLIT_KERNEL,		/* kvm:kvm_exit/kvm_entry in a traced rerun */
};

struct plan_item {
	const struct bench_def *b;
	int cpl;			/* -1: none fits (PLAN_UNSUPPORTED) */
	enum plan_action action;
	const char *why;		/* PLAN_UNSUPPORTED / PLAN_REFUSED: the reason */
	bool irqchip;			/* runs on the VM with an in-kernel irqchip */
	/*
	 * Host stamps are taken around its exits: for the split (SPLIT_USER)
	 * or because each sample mixes a host and a guest stamp. Either way
	 * a calibration exchange first proves the two read one TSC.
	 */
	bool host_stamps;
	bool preflight;			/* a short verified run first (emulated CPL0) */
	enum plan_split split;
	double floor_share;		/* of the CPL's floor, subtracted: 1 or 1/2 */
};

struct plan {
	struct plan_item *item;		/* catalog order; the floor is not among them */
	size_t n;
	size_t selected;		/* benchmarks selected, the floor included */
	bool floor_at[CPL_SLOTS];	/* the floor is measured at this CPL */
	bool keep_floor;		/* and reported as a row: the floor was selected */
	bool trace;			/* a row is handled in the kernel: probe tracing */
	const struct bench_def *hypercall;	/* a selected row needs the hypercall probe */
};

/* The CPL @b runs at under @mode; -1 when it cannot (reason in @why). */
int plan_pick_cpl(const struct bench_def *b, enum cpl_mode mode, bool cpl0_emulated,
		  const char **why);

/*
 * What needs probing before the plan can be decided (p->trace and
 * p->hypercall) for the benchmarks marked in @selected. Call plan_decide
 * after the probes. -1 when out of memory.
 */
int plan_init(struct plan *p, const bool *selected);

/* Decides every item from @o and @caps (probed). */
void plan_decide(struct plan *p, const struct options *o, const struct host_caps *caps);

void plan_free(struct plan *p);

#endif
