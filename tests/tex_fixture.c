/* SPDX-License-Identifier: MIT */
/*
 * Writes the widest and longest table.tex a run can produce: every catalog
 * benchmark measured and split, seven-digit and negative values, emulated
 * and latency rows, and every hidden benchmark as not measured. The LaTeX
 * test compiles it. Usage: tex_fixture OUT.tex
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "tex.h"

int main(int argc, char **argv)
{
	static struct env_record e;
	struct run_record r = { 0 };
	char err[512];
	size_t n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: tex_fixture OUT.tex\n");
		return 2;
	}
	r.bench = calloc(catalog_size(), sizeof(*r.bench));
	if (!r.bench)
		return 1;
	r.tsc_khz = 2596146;
	r.runs = 5;
	r.floor[0] = 10784;
	r.floor_valid[0] = true;
	r.floor[3] = 52;
	r.floor_valid[3] = true;
	strcpy(r.tsc_source, "KVM_GET_TSC_KHZ");
	strcpy(e.version, "fixture");
	strcpy(e.cpu_brand, "Intel(R) Xeon(R) Platinum 8480+ 56-Core Processor");
	strcpy(e.cpu_codename, "Sapphire Rapids-SP (SPR)");
	strcpy(e.kernel, "6.12.0-rc7-00123-gabcdef012345-dirty");
	strcpy(e.kvm_module, "kvm_intel");
	for (size_t i = 0; i < catalog_size(); i++, n++) {
		const struct bench_def *d = catalog_row(i);
		struct bench_record *b = &r.bench[n];

		snprintf(b->name, sizeof(b->name), "%s", d->name);
		b->cpl = d->needs & NEED_CPL0 ? 0 : 3;
		b->kind = catalog_kind(d);
		b->emulated = b->cpl == 0;
		b->floor = 52;
		if (d->needs & HIDDEN) {
			b->status = BENCH_UNSUPPORTED;
			strcpy(b->reason, "unsupported here: a reason long enough to wrap, twice over");
			continue;
		}
		for (int p = 0; p < PHASE_COUNT; p++) {
			b->has_phase[p] = true;
			b->rows[p].median = p == PHASE_HANDLER ? -26 : 1234567.0 + i;
			b->rows[p].ci95_lo = b->rows[p].median - 1234;
			b->rows[p].ci95_hi = b->rows[p].median + 12345;
			b->rows[p].samples = 50000;
		}
	}
	r.nbench = n;
	if (tex_write(argv[1], &r, &e, err, sizeof(err))) {
		fprintf(stderr, "tex_fixture: %s\n", err);
		return 1;
	}
	free(r.bench);
	return 0;
}
