/* SPDX-License-Identifier: MIT */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"

extern const struct bench_def catalog_classic[], catalog_kernel[], catalog_irqchip[],
	catalog_selftest[];
extern const size_t catalog_classic_n, catalog_kernel_n, catalog_irqchip_n, catalog_selftest_n;

/* The catalog is its parts in this order (the order of every table and plot). */
static const struct {
	const struct bench_def *rows;
	const size_t *n;
} parts[] = {
	{ catalog_classic, &catalog_classic_n },
	{ catalog_kernel, &catalog_kernel_n },
	{ catalog_irqchip, &catalog_irqchip_n },
	{ catalog_selftest, &catalog_selftest_n },
};

size_t catalog_size(void)
{
	size_t n = 0;

	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++)
		n += *parts[p].n;
	return n;
}

const struct bench_def *catalog_row(size_t i)
{
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); i -= *parts[p].n, p++)
		if (i < *parts[p].n)
			return &parts[p].rows[i];
	return NULL;
}

const struct bench_def *catalog_find(const char *name)
{
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		if (strcmp(b->name, name) == 0 || (b->alias && strcmp(b->alias, name) == 0))
			return b;
	}
	return NULL;
}

bool catalog_matches(const struct bench_def *b, const char *pattern)
{
	return fnmatch(pattern, b->name, 0) == 0 ||
	       (b->alias && fnmatch(pattern, b->alias, 0) == 0);
}

const struct bench_def *catalog_floor(void)
{
	for (size_t i = 0; i < catalog_size(); i++)
		if (catalog_kind(catalog_row(i)) == BENCH_KIND_FLOOR)
			return catalog_row(i);
	return NULL;
}

/* What each interval means for the row's kind, its floor share and its phases. */
static const struct {
	enum bench_kind kind;
	bool half_floor;	/* a sample holds one of the floor's stamps, or half of both */
	bool several;		/* several exits or a delivery, named by .latency */
} intervals[] = {
	[INTERVAL_EXIT] = { BENCH_KIND_EXIT, false, false },
	[INTERVAL_FLOOR] = { BENCH_KIND_FLOOR, false, false },
	[INTERVAL_BURST] = { BENCH_KIND_LATENCY, false, false },
	[INTERVAL_LATENCY] = { BENCH_KIND_LATENCY, false, true },
	[INTERVAL_ONE_STAMP] = { BENCH_KIND_LATENCY, true, false },
	[INTERVAL_MIXED_CLOCKS] = { BENCH_KIND_LATENCY, true, true },
	[INTERVAL_HALVED] = { BENCH_KIND_LATENCY, true, true },
};
_Static_assert(sizeof(intervals) / sizeof(intervals[0]) == INTERVAL_COUNT,
	       "every interval has a row in intervals[]");

enum bench_kind catalog_kind(const struct bench_def *b)
{
	return intervals[b->interval].kind;
}

double catalog_floor_share(const struct bench_def *b)
{
	return intervals[b->interval].half_floor ? 0.5 : 1.0;
}

bool catalog_holds_several(const struct bench_def *b)
{
	return intervals[b->interval].several;
}

bool catalog_filters_msr(const struct bench_def *b)
{
	return check_kind(b->check)->msr_filter;
}

uint32_t catalog_bench_exit(const struct bench_def *b)
{
	const struct check_kind *k = check_kind(b->check);

	return k->msr_filter ? k->kvm_exit : 0;
}

const char *handled_name(enum handled_in h)
{
	return h == HANDLED_KERNEL ? "kernel" : h == HANDLED_USER ? "user" : "-";
}

const char *needs_string(unsigned needs, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", needs & NEED_CPL0 ? "cpl0" : "",
		 (needs & NEED_CPL0) && (needs & (NEED_IRQCHIP | NEED_OPT_IN)) ? "," : "",
		 needs & NEED_IRQCHIP ? "irqchip" : "",
		 (needs & NEED_IRQCHIP) && (needs & NEED_OPT_IN) ? "," : "",
		 needs & NEED_OPT_IN ? "opt-in" : "");
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

const char *catalog_parallel_why(const struct bench_def *b)
{
	if (catalog_holds_several(b))
		return "not with --parallel: its interval holds several exits or a delivery (a "
		       "latency), not one exit each vCPU makes";
	if (b->needs & NEED_IRQCHIP)
		return "not with --parallel: it runs on the VM with an in-kernel irqchip, whose "
		       "interrupt handlers the vCPUs would share";
	switch (b->setup) {
	case SETUP_NONE:
		break;
	case SETUP_FRESH_PAGES:
		break;	/* each vCPU faults in pages of its own (plan.c: if they fit) */
	case SETUP_DIRTY_LOG:
		return "not with --parallel: its proof is one dirty log for the whole memslot, "
		       "which cannot tell the vCPUs apart";
	case SETUP_IOEVENTFD:
	case SETUP_IOEVENTFD_MATCH:
		return "not with --parallel: its proof is one eventfd's count, which cannot tell "
		       "the vCPUs apart";
	default:
		return "not with --parallel: it has two vCPUs or a host thread of its own";
	}
	if (b->payload == PAYLOAD_NESTED_VMX || b->payload == PAYLOAD_NESTED_SVM)
		return "not with --parallel: its VMXON region and VMCS (VMCB) are one per "
		       "guest";
	return NULL;
}

const char *catalog_refusal(const struct bench_def *b, const struct host_caps *caps)
{
	if ((b->needs & NEED_OPT_IN) && !caps->allow_dangerous)
		return "opt-in only: where this instruction reaches the CPU (bare metal, a "
		       "raw VMX engine) it can stall the host or corrupt memory; pass "
		       "--allow-dangerous to run it";
	return NULL;
}
