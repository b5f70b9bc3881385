/* SPDX-License-Identifier: MIT */
/* The run's table as text (stdout) and as Markdown; summary.csv's rows are csv.c's. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "table.h"

/* Width of the name column: the longest benchmark name, at least 18. */
static int name_width(const struct run_record *r)
{
	size_t w = 18;

	for (size_t i = 0; i < r->nbench; i++)
		if (strlen(r->bench[i].name) > w)
			w = strlen(r->bench[i].name);
	return (int)w;
}

/*
 * The phase note that two or more measured benchmarks share (typically "the
 * split is unavailable on this kernel"): printed once above the table rather
 * than under every row. NULL when no note is shared.
 */
static const char *shared_phase_note(const struct run_record *r, size_t *count)
{
	const char *best = NULL;
	size_t best_n = 1;

	for (size_t i = 0; i < r->nbench; i++) {
		const char *n = r->bench[i].phase_note;
		size_t k = 0;

		if (r->bench[i].status != BENCH_OK || !n[0])
			continue;
		for (size_t j = 0; j < r->nbench; j++)
			if (r->bench[j].status == BENCH_OK && !strcmp(r->bench[j].phase_note, n))
				k++;
		if (k > best_n) {
			best = n;
			best_n = k;
		}
	}
	*count = best ? best_n : 0;
	return best;
}

static void print_header(FILE *f, const struct run_record *r)
{
	fprintf(f, "# TSC %.3f MHz (%s); vCPU thread pinned to CPU %d; %llu iterations "
		"after %llu warm-up\n", r->tsc_khz / 1000.0, r->tsc_source, r->pinned_cpu,
		r->iterations, r->warmup);
	if (!strcmp(r->emulator, "tcg"))
		fprintf(f, "# this host's CPU is emulated by QEMU's TCG: ticks (unit tcg_tsc_ticks) "
			"are host time spent emulating the guest and KVM, not hardware exit costs\n");
	if (!strcmp(r->emulator, "bochs"))
		fprintf(f, "# this host's CPU is emulated by Bochs: ticks (unit emulated_ticks) count "
			"instructions it executed (KVM's path and the guest's stamps), not hardware "
			"time; they repeat exactly\n");
	if (r->cpl0_emulated)
		fprintf(f, "# CPL0 guest code is emulated by this host (NOP %.0f ticks at CPL0 "
			"vs %.0f at CPL3): rows marked 'emulated' are not hardware exit costs\n",
			r->cpl0_nop_probe, r->cpl3_nop_probe);
	for (int cpl = 3; cpl >= 0; cpl -= 3)
		if (r->floor_valid[cpl])
			fprintf(f, "# CPL%d stamps: %s; timer floor (NOP median) %.0f ticks\n",
				cpl, r->timer[cpl], r->floor[cpl]);
	fprintf(f, "# values in TSC ticks with the floor of their CPL subtracted; "
		"ns = ticks / TSC frequency\n");
	if (r->runs > 1)
		fprintf(f, "# %u independent runs (fresh VM each): median = mean of the per-run "
			"medians, min/p99 over all samples, 95%% CI of the median = t-interval "
			"over runs\n", r->runs);
	else
		fprintf(f, "# one run: the CI of the median (summary.csv) is within this run; "
			"--runs N adds the spread between runs\n");
	if (r->parallel > 1)
		fprintf(f, "# %u vCPUs of one VM ran each row at once (--parallel): NAME@vcpuK is "
			"vCPU K's samples, NAME all of them pooled; only samples taken while "
			"every vCPU was in its timed loop are kept\n", r->parallel);
}

/*
 * 100 * (exit + handler + entry medians - total median) / total median,
 * against the total of the samples the phases came from.
 */
double table_phase_sum_gap(const struct bench_record *b)
{
	double sum = 0, tot = b->split_total_median ? b->split_total_median :
			      b->rows[PHASE_TOTAL].median;

	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++)
		sum += b->rows[p].median;
	return tot != 0 ? 100.0 * (sum - tot) / tot : 0;
}

static void print_row(FILE *f, const struct run_record *r, int w, const char *name,
		      const char *cpl, const struct summary_row *t, const char *note)
{
	double h = fmax(t->ci95_hi - t->median, t->median - t->ci95_lo);

	/* The CI as +-its larger half: one column, readable at a glance. */
	fprintf(f, "%-*s %4s %8zu %10.0f %10.0f %8s%-6.0f %10.0f ", w, name, cpl, t->samples,
		t->min, t->median, "+-", isfinite(h) ? h : 0, t->p99);
	if (r->tsc_khz > 0)
		fprintf(f, "%11.1f", run_record_ns(r, t->median));
	else
		fprintf(f, "%11s", "-");
	fprintf(f, "  %s\n", note);
}

/*
 * "emulated", and the floor where this row subtracted another than its
 * CPL's (a one-stamp interval subtracts half of it).
 */
static const char *row_note(const struct run_record *r, const struct bench_record *b,
			    char *buf, size_t len)
{
	int i = b->cpl == 3 ? 3 : 0;
	bool other = b->cpl >= 0 && r->floor_valid[i] && b->floor != r->floor[i] &&
		     b->floor != 0;

	snprintf(buf, len, "%s%s", b->emulated ? "emulated" : "",
		 other && b->emulated ? "; " : "");
	if (other)
		snprintf(buf + strlen(buf), len - strlen(buf), "floor %.0f subtracted, not %.0f",
			 b->floor, r->floor[i]);
	if (b->within_floor_spread)
		snprintf(buf + strlen(buf), len - strlen(buf), "%swithin the timer floor's spread "
			 "(%.0f): no cost measured", buf[0] ? "; " : "", b->floor_spread);
	if (b->kind == BENCH_KIND_LATENCY)
		snprintf(buf + strlen(buf), len - strlen(buf), "%slatency, not an exit cost",
			 buf[0] ? "; " : "");
	return buf;
}

/* The split under its benchmark: one row per phase, then how well they add up. */
static void print_phases(FILE *f, const struct run_record *r, int w,
			 const struct bench_record *b, const char *cpl, const char *shared)
{
	if (bench_has_split(b)) {
		for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++) {
			char name[24];

			snprintf(name, sizeof(name), "  .%s", phase_name(p));
			print_row(f, r, w, name, cpl, &b->rows[p], "");
		}
		fprintf(f, "%-*s exit+handler+entry medians %.0f ticks, %+.2f%% of the %s "
			"median; %llu disturbed sample%s excluded\n", w, "",
			b->rows[PHASE_EXIT].median + b->rows[PHASE_HANDLER].median +
			b->rows[PHASE_ENTRY].median, table_phase_sum_gap(b),
			b->split_total_median ? "traced total" : "total", b->disturbed,
			b->disturbed == 1 ? "" : "s");
	}
	/* A benchmark that did not run has no split to explain; see the JSON. */
	if (b->status == BENCH_OK && b->phase_note[0] &&
	    !(shared && !strcmp(b->phase_note, shared)))
		fprintf(f, "%-*s phases: %s\n", w, "", b->phase_note);
}

void table_print(FILE *f, const struct run_record *r)
{
	int w = name_width(r);
	size_t nshared;
	const char *shared = shared_phase_note(r, &nshared);

	print_header(f, r);
	if (shared)
		fprintf(f, "# phases of the %zu measured benchmarks with no split or note below: "
			"%s\n", nshared, shared);
	fprintf(f, "%-*s %4s %8s %10s %10s %-14s %10s %11s  %s\n", w, "benchmark", "cpl",
		"samples", "min", "median", "  95% CI", "p99", "median_ns", "note");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];
		const struct summary_row *t = &b->rows[PHASE_TOTAL];
		char cpl[12], note[128];

		if (b->cpl < 0)
			snprintf(cpl, sizeof(cpl), "-");
		else
			snprintf(cpl, sizeof(cpl), "%d", b->cpl);
		if (b->status != BENCH_OK) {
			fprintf(f, "%-*s %4s %8s %10s %10s %-14s %10s %11s  %s%s\n", w, b->name, cpl,
				"-", "-", "-", "", "-", "-", b->status == BENCH_FAILED ? "FAILED: " : "",
				b->reason);
		} else {
			print_row(f, r, w, b->name, cpl, t, row_note(r, b, note, sizeof(note)));
		}
		print_phases(f, r, w, b, cpl, shared);
	}
}

void table_grouped(double v, const char *sep, const char *minus, char *buf, size_t len)
{
	char digits[32], *out = buf;
	long long n = llround(fabs(v));
	int nd, lead;

	if (!isfinite(v)) {
		snprintf(buf, len, "--");
		return;
	}
	nd = snprintf(digits, sizeof(digits), "%lld", n);
	if (len < 64) {
		snprintf(buf, len, "%s", digits);
		return;
	}
	if (v < 0 && n != 0)
		out += sprintf(out, "%s", minus);
	lead = nd % 3 ? nd % 3 : 3;
	for (int i = 0; i < nd; i++) {
		if (i && (i - lead) % 3 == 0)
			out += sprintf(out, "%s", sep);
		*out++ = digits[i];
	}
	*out = 0;
}

/* Markdown cells: '|' ends a cell, a newline ends the table. */
static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void md_num(FILE *f, double v)
{
	char buf[64];

	table_grouped(v, ",", "\u2212", buf, sizeof(buf));
	fprintf(f, " %s |", buf);
}

int table_write_markdown(const char *path, const struct run_record *r, char *err,
			 size_t errlen)
{
	struct atomic_file af;
	bool ns = r->tsc_khz > 0, missing = false;

	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	if (r->incomplete)
		fprintf(af.f, "**INCOMPLETE**: stopped by %s; %zu of %llu benchmarks measured, the "
			"rest not run.\n\n", r->stopped_by, r->nbench, r->selected);
	if (!strcmp(r->emulator, "tcg"))
		fprintf(af.f, "**Emulated CPU** (QEMU's TCG): ticks are host time spent emulating "
			"the guest and KVM: behaviour, not hardware cost.\n\n");
	if (!strcmp(r->emulator, "bochs"))
		fprintf(af.f, "**Emulated CPU** (Bochs): ticks count instructions it executed: "
			"path lengths, not hardware cost.\n\n");
	fprintf(af.f, "Median cost in TSC ticks (timer floor subtracted), %llu iterations",
		r->iterations);
	if (r->runs > 1)
		fprintf(af.f, " in each of %u runs; median = mean of the per-run medians, 95%% CI "
			"= t-interval over runs", r->runs);
	else
		fprintf(af.f, ", one run; 95%% CI = order statistics of the median within the run");
	if (r->parallel > 1)
		fprintf(af.f, "; %u vCPUs at once (NAME@vcpuK: one vCPU's samples, NAME: pooled)",
			r->parallel);
	if (ns)
		fprintf(af.f, "; TSC %.0f MHz", r->tsc_khz / 1000);
	fprintf(af.f, ".\n\n| benchmark | CPL | median | 95%% CI |%s exit | handler | entry | "
		"note |\n|---|--:|--:|--:|%s--:|--:|--:|---|\n", ns ? " ns |" : "",
		ns ? "--:|" : "");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];
		const struct summary_row *t = &b->rows[PHASE_TOTAL];
		char lo[64], hi[64], note[128];

		if (b->status != BENCH_OK || !b->has_phase[PHASE_TOTAL]) {
			missing = true;
			continue;
		}
		fprintf(af.f, "| `%s` | %d |", b->name, b->cpl);
		md_num(af.f, t->median);
		table_grouped(t->ci95_lo, ",", "\u2212", lo, sizeof(lo));
		table_grouped(t->ci95_hi, ",", "\u2212", hi, sizeof(hi));
		fprintf(af.f, " %s \u2013 %s |", lo, hi);
		if (ns)
			md_num(af.f, run_record_ns(r, t->median));
		for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++) {
			if (bench_has_split(b))
				md_num(af.f, b->rows[p].median);
			else
				fprintf(af.f, " |");
		}
		fputc(' ', af.f);
		md_text(af.f, row_note(r, b, note, sizeof(note)));
		fprintf(af.f, " |\n");
	}
	if (missing) {
		fprintf(af.f, "\nNot measured here:\n\n");
		for (size_t i = 0; i < r->nbench; i++) {
			const struct bench_record *b = &r->bench[i];

			if (b->status == BENCH_OK && b->has_phase[PHASE_TOTAL])
				continue;
			fprintf(af.f, "- `%s`: %s", b->name, b->status == BENCH_FAILED ? "failed: " : "");
			md_text(af.f, b->reason);
			fputc('\n', af.f);
		}
	}
	return atomic_file_commit(&af, err, errlen);
}
