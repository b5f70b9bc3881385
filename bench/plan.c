/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

int plan_pick_cpl(const struct bench_def *b, enum cpl_mode mode, bool cpl0_emulated,
		  const char **why)
{
	bool needs0 = b->needs & NEED_CPL0;

	*why = NULL;
	switch (mode) {
	case CPL_0:
		return 0;
	case CPL_3:
		if (needs0) {
			*why = "needs CPL0 (privileged instruction) and --cpl 3 was given";
			return -1;
		}
		return 3;
	case CPL_AUTO:
	default:
		return (cpl0_emulated && !needs0) ? 3 : 0;
	}
}

int plan_init(struct plan *p, const bool *selected)
{
	memset(p, 0, sizeof(*p));
	p->item = calloc(catalog_size(), sizeof(*p->item));
	if (!p->item)
		return -1;
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		if (!selected[i])
			continue;
		p->selected++;
		if (catalog_kind(b) == BENCH_KIND_FLOOR) {
			p->keep_floor = true;
			continue;
		}
		p->item[p->n++].b = b;
		p->trace |= b->handled == HANDLED_KERNEL;
		if (b->hypercall_probe && !p->hypercall)
			p->hypercall = b;
	}
	return 0;
}

_Static_assert(GPA_FRESH_SIZE / 4096 == 131072, "decide_action names the fresh slot's pages");

/* Whether the item's verdict is known before it runs, and which. */
static void decide_action(struct plan_item *it, const struct options *o,
			  const struct host_caps *caps)
{
	const struct bench_def *b = it->b;
	const char *why;

	it->cpl = plan_pick_cpl(b, o->cpl, caps->cpl0_emulated, &why);
	it->action = PLAN_UNSUPPORTED;
	it->why = why;
	if (it->cpl < 0)
		return;
	it->why = catalog_refusal(b, caps);
	if (it->why) {
		it->action = PLAN_REFUSED;
		return;
	}
	it->why = b->unsupported ? b->unsupported(caps) : NULL;
	if (it->why)
		return;
	if (o->parallel > 1 && it->cpl != 0)
		it->why = "not with --parallel: it would run at CPL3 here (CPL0 is emulated), and "
			  "the vCPUs run at CPL0 only";
	else if (o->parallel > 1)
		it->why = catalog_parallel_why(b);
	/*
	 * Under Bochs no host interrupt reaches a guest that makes no exit, so
	 * a vCPU spinning at the start gate never gives a shared host CPU back
	 * (docs/real-kvm.md, "The Intel lane"): the gate alone would stall.
	 */
	if (!it->why && o->parallel > 1 && caps_spin_starves(caps, o->parallel))
		it->why = "not with --parallel: the vCPUs would share this host's CPUs, and under "
			  "Bochs a vCPU spinning at the start gate never gives a shared CPU back";
	/* Pages of its own for each vCPU, all in one round: a re-arm is vCPU 0's alone. */
	if (!it->why && o->parallel > 1 && b->setup == SETUP_FRESH_PAGES &&
	    o->parallel * (o->iterations + o->warmup) > GPA_FRESH_SIZE / 4096)
		it->why = "not with --parallel: the vCPUs' pages, one per iteration each, exceed "
			  "the memslot's 131072 never-touched pages (fewer --iterations)";
	it->action = it->why ? PLAN_UNSUPPORTED : PLAN_MEASURE;
}

/*
 * Emulated CPL0 mostly completes in-kernel exits without one: a short
 * pre-flight run, verified the same way, refuses those in milliseconds
 * instead of after a full run, where the check kind's proof allows it.
 * Only where the run needs no host set-up or MSR filter, which a second
 * run would have to repeat.
 */
static bool wants_preflight(const struct plan_item *it, const struct host_caps *caps)
{
	const struct bench_def *b = it->b;
	const struct check_kind *k = check_kind(b->check);

	return it->cpl == 0 && caps->cpl0_emulated && b->setup == SETUP_NONE &&
	       !k->msr_filter && k->preflight;
}

void plan_decide(struct plan *p, const struct options *o, const struct host_caps *caps)
{
	const char *why;
	int cpl;

	/* The floor is measured where a row is, and reported where it was selected. */
	if (p->keep_floor && (cpl = plan_pick_cpl(catalog_floor(), o->cpl, caps->cpl0_emulated,
						  &why)) >= 0)
		p->floor_at[cpl] = true;
	for (size_t i = 0; i < p->n; i++) {
		struct plan_item *it = &p->item[i];
		const struct bench_def *b = it->b;

		decide_action(it, o, caps);
		if (it->cpl >= 0 && it->action == PLAN_MEASURE)
			p->floor_at[it->cpl] = true;
		it->irqchip = b->needs & NEED_IRQCHIP;
		it->host_stamps = b->handled == HANDLED_USER ||
				  b->interval == INTERVAL_MIXED_CLOCKS;
		it->preflight = wants_preflight(it, caps);
		it->split = b->handled == HANDLED_KERNEL ? SPLIT_KERNEL :
			    b->handled == HANDLED_USER && !catalog_holds_several(b) ? SPLIT_USER :
			    SPLIT_NONE;
		it->floor_share = catalog_floor_share(b);
	}
}

void plan_free(struct plan *p)
{
	free(p->item);
	memset(p, 0, sizeof(*p));
}
