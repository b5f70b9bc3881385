/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "preset.h"
#include "tex.h"

static const struct preset presets[] = {
	{
		.name = "paper",
		.caption = "Virtualization microbenchmarks",
		.nrows = 7,
		.rows = {
			{ "Hypercall", "vmcall" },
			{ "Interrupt Controller Trap", "apic_mmio_read" },
			/* The papers time the IPI to the receiver's handler: the delivery. */
			{ "Virtual IPI", "ipi_delivery" },
			{ "Virtual IRQ Completion", "apic_eoi" },
			{ "VM Switch", "vcpu_switch" },
			{ "I/O Latency Out", "io_latency_out" },
			{ "I/O Latency In", "io_latency_in" },
		},
	},
};

const struct preset *preset_find(const char *name)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

const char *preset_names(void)
{
	return "paper";
}

static const struct bench_record *find(const struct run_record *rec, const char *name)
{
	for (size_t i = 0; i < rec->nbench; i++)
		if (strcmp(rec->bench[i].name, name) == 0)
			return &rec->bench[i];
	return NULL;
}

static double to_ns(const struct run_record *rec, double ticks)
{
	return rec->tsc_khz > 0 ? ticks * 1e6 / rec->tsc_khz : 0;
}

/* What the row's value column says where there is no number. */
static const char *no_number(const struct bench_record *b)
{
	if (!b)
		return "not run";
	return b->reason[0] ? b->reason : "no number";
}

void preset_print(FILE *f, const struct preset *p, const struct run_record *rec)
{
	const char *unit = "TSC ticks";

	for (size_t i = 0; i < rec->nbench; i++)
		if (rec->bench[i].tcg)
			unit = "TCG TSC ticks: emulated CPU, not hardware costs";
	fprintf(f, "# preset %s: %s (medians, %s, floor subtracted)\n", p->name, p->caption, unit);
	fprintf(f, "%-26s %-16s %3s %12s %12s  %s\n", "microbenchmark", "benchmark", "cpl",
		"median", "median_ns", "note");
	for (size_t i = 0; i < p->nrows; i++) {
		const struct bench_record *b = find(rec, p->rows[i].bench);

		if (!b || b->status != BENCH_OK) {
			fprintf(f, "%-26s %-16s %3s %12s %12s  %s\n", p->rows[i].title,
				p->rows[i].bench, "-", "-", "-", no_number(b));
			continue;
		}
		fprintf(f, "%-26s %-16s %3d %12.0f %12.1f  %s\n", p->rows[i].title,
			p->rows[i].bench, b->cpl, b->rows[PHASE_TOTAL].median,
			to_ns(rec, b->rows[PHASE_TOTAL].median), b->emulated ? "emulated" : "");
	}
}

void preset_write_tex(FILE *f, const struct preset *p, const struct run_record *rec)
{
	char name[2 * SUMMARY_NAME_MAX], why[600];
	bool tcg = false, emulated = false;

	for (size_t i = 0; i < rec->nbench; i++)
		tcg |= rec->bench[i].tcg;
	fprintf(f, "%% vmexit-bench --preset %s: the papers' microbenchmark table.\n", p->name);
	fprintf(f, "\\begin{table}\n\\centering\n\\small\n\\begin{tabular}{llrr}\n\\hline\n");
	fprintf(f, "Microbenchmark & Benchmark & Ticks & ns \\\\\n\\hline\n");
	for (size_t i = 0; i < p->nrows; i++) {
		const struct bench_record *b = find(rec, p->rows[i].bench);

		tex_escape(p->rows[i].bench, name, sizeof(name));
		if (!b || b->status != BENCH_OK) {
			tex_escape(no_number(b), why, sizeof(why));
			fprintf(f, "%s & \\texttt{%s} & \\multicolumn{2}{p{0.25\\textwidth}}{\\footnotesize "
				"%s} \\\\\n", p->rows[i].title, name, why);
			continue;
		}
		emulated |= b->emulated;
		fprintf(f, "%s & \\texttt{%s}%s & %.0f & %.1f \\\\\n", p->rows[i].title, name,
			b->emulated ? "$^\\dagger$" : "", b->rows[PHASE_TOTAL].median,
			to_ns(rec, b->rows[PHASE_TOTAL].median));
	}
	fprintf(f, "\\hline\n\\end{tabular}\n\\caption{%s: medians over %llu iterations in %s "
		"ticks (TSC at %.0f kHz) and ns, timer floor subtracted%s%s.}\n\\end{table}\n",
		p->caption, (unsigned long long)rec->iterations, tcg ? "TCG TSC" : "TSC",
		rec->tsc_khz,
		tcg ? "; the CPU is emulated by QEMU's TCG, so these are not hardware costs" : "",
		emulated ? "; $^\\dagger$ guest CPL0 emulated by this host, not a hardware exit "
		"cost" : "");
}

int preset_tex_file(const char *dir, const struct preset *p, const struct run_record *rec,
		    char *err, size_t errlen)
{
	struct atomic_file af;
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/paper.tex", dir) >= sizeof(path))
		return ERR("results directory path too long");
	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	preset_write_tex(af.f, p, rec);
	return atomic_file_commit(&af, err, errlen);
}
