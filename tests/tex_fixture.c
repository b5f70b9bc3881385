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
#include "compare.h"
#include "tex.h"

static int compare_fixture(size_t n, const char *path)
{
	struct compare_table t = { 0 };
	FILE *f;
	int ret;

	t.nruns = n;
	t.runs = calloc(n, sizeof(*t.runs));
	t.label = calloc(n, sizeof(*t.label));
	t.rows = calloc(catalog_size(), sizeof(*t.rows));
	if (!t.runs || !t.label || !t.rows)
		return 1;
	for (size_t i = 0; i < n; i++) {
		struct loaded_run *lr = calloc(1, sizeof(*lr));

		if (!lr)
			return 1;
		t.runs[i] = lr;
		snprintf(lr->dir, sizeof(lr->dir), "results/run-%zu", i + 1);
		snprintf(t.label[i], sizeof(t.label[i]), "Zen%zu-a", i + 1);	/* 6: the longest in a head */
		strcpy(lr->e.version, "fixture");
		strcpy(lr->e.cpu_brand, "AMD EPYC 9654 96-Core Processor & friends_v2");
		/* Kernels differ (each is named), CPUs do not (said once). */
		snprintf(lr->e.kernel, sizeof(lr->e.kernel), "6.12.%zu-rc7-00123-gabcdef012345-dirty", i);
		strcpy(lr->e.kvm_module, "kvm_amd");
		lr->r.iterations = 100000;
		lr->r.runs = 5;
	}
	/* The kinds (exit, latency) come from the runs' records. */
	t.runs[0]->r.bench = calloc(catalog_size(), sizeof(*t.runs[0]->r.bench));
	if (!t.runs[0]->r.bench)
		return 1;
	for (size_t i = 0; i < catalog_size(); i++) {
		struct bench_record *b = &t.runs[0]->r.bench[i];

		snprintf(b->name, sizeof(b->name), "%s", catalog_row(i)->name);
		b->cpl = catalog_row(i)->needs & NEED_CPL0 ? 0 : 3;
		b->kind = catalog_kind(catalog_row(i));
	}
	t.runs[0]->r.nbench = catalog_size();
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *d = catalog_row(i);
		struct compare_row *row = &t.rows[t.nrows];

		if (d->needs & HIDDEN)
			continue;
		snprintf(row->benchmark, sizeof(row->benchmark), "%s", d->name);
		row->phase = PHASE_TOTAL;
		row->cpl = d->needs & NEED_CPL0 ? 0 : 3;
		strcpy(row->unit, "tsc_ticks");
		row->common = true;
		row->cell = calloc(n, sizeof(*row->cell));
		if (!row->cell)
			return 1;
		for (size_t k = 0; k < n; k++) {
			struct compare_cell *c = &row->cell[k];

			c->present = true;
			c->median = 1234567.0 + i + k;
			c->ci_lo = c->median - 1234;
			c->ci_hi = c->median + 123456;
			c->ratio = k ? 12.345 : NAN;
			c->test = k ? (i % 3 ? COMPARE_TEST_BOOTSTRAP : COMPARE_TEST_EXACT) :
				  COMPARE_TEST_NONE;
			if (c->test == COMPARE_TEST_EXACT)
				c->median -= 123456 + k;	/* a six-digit exact difference */
			c->significant = k ? 1 : -1;
		}
		t.nrows++;
	}
	f = fopen(path, "w");
	if (f)
		compare_tex_table(f, &t);
	ret = !f || fclose(f) ? 1 : 0;
	for (size_t r = 0; r < t.nrows; r++)
		free(t.rows[r].cell);
	free(t.runs[0]->r.bench);
	for (size_t i = 0; i < n; i++)
		free(t.runs[i]);
	free(t.rows);
	free(t.runs);
	free(t.label);
	return ret;
}

int main(int argc, char **argv)
{
	static struct env_record e;
	struct run_record r = { 0 };
	char err[512];
	size_t n = 0;

	if (argc == 4 && !strcmp(argv[1], "--compare"))
		return compare_fixture(strtoul(argv[2], NULL, 10), argv[3]);
	if (argc != 2) {
		fprintf(stderr, "usage: tex_fixture [--compare N] OUT.tex\n");
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
