// SPDX-License-Identifier: MIT
/* What a raw VMX run writes (see vmx_report.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "csv.h"
#include "vmx_report.h"
#include "vmx_stats.h"

int vmx_report_copy_log(const char *from, const char *to, char *err, size_t errlen)
{
	struct atomic_file af;
	char buf[65536];
	size_t n;
	FILE *f = fopen(from, "rb");

	if (!f)
		return ERR("cannot read %.200s: %.100s", from, strerror(errno));
	if (atomic_file_open(&af, to, err, errlen)) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, af.f) != n)
			break;
	if (ferror(f) || ferror(af.f)) {
		ERR("cannot %s %.200s", ferror(f) ? "read" : "write",
			 ferror(f) ? from : to);
		atomic_file_abort(&af);
		fclose(f);
		return -1;
	}
	fclose(f);
	return atomic_file_commit(&af, err, errlen);
}

static int write_sweep_csv(const struct vmx_log *log, const char *path,
			   const struct vmx_fit fits[VMX_AREA_COUNT], char *err, size_t errlen)
{
	struct atomic_file af;

	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	fprintf(af.f, "area,phase,count,samples,median_total_raw,median_phase,"
		"slope,slope_ci95_lo,slope_ci95_hi,verified,unit\n");
	for (size_t i = 0; i < log->nseries; i++) {
		const struct vmx_series *s = &log->series[i];
		const struct vmx_fit *fit;

		if (s->area == VMX_AREA_NONE || !s->n)
			continue;
		fit = &fits[s->area];
		fprintf(af.f, "%s,%s,%u,%zu,%.1f,%.1f,%.4f,%.4f,%.4f,%s,%s\n",
			vmx_area_name(s->area), phase_name(fit->phase), s->count, s->n,
			vmx_series_median(s, PHASE_TOTAL),
			s->has_phases ? vmx_series_median(s, fit->phase) : NAN,
			fit->slope, fit->ci95_lo, fit->ci95_hi,
			s->verified == 1 ? "yes" : "no", vmx_log_unit(log));
	}
	return atomic_file_commit(&af, err, errlen);
}

static const char *timing_note(const struct vmx_log *log)
{
	switch (log->timing) {
	case VMX_TIMING_EMULATED:
		return "EMULATED: ticks of an emulator, not CPU cycles; only exit reasons and "
		       "MSR-area processing are meaningful";
	case VMX_TIMING_VIRTUALIZED:
		return "NESTED: an outer hypervisor handles every VMX instruction; not hardware costs";
	case VMX_TIMING_NATIVE:
		return "native TSC ticks";
	default:
		return "timing source not reported";
	}
}

/* Sweep points show their total only: the other phases are in the sweep CSV. */
static void print_rows(FILE *out, const struct summary_row *rows, size_t n)
{
	fprintf(out, "%-26s %-8s %7s %10s %10s %10s %10s\n", "benchmark", "phase", "samples",
		"median", "p25", "p75", "p99");
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(rows[i].benchmark, "vmx-msr-", 8) && rows[i].phase != PHASE_TOTAL)
			continue;
		fprintf(out, "%-26s %-8s %7zu %10.1f %10.1f %10.1f %10.1f\n", rows[i].benchmark,
			phase_name(rows[i].phase), rows[i].samples, rows[i].median, rows[i].p25,
			rows[i].p75, rows[i].p99);
	}
}

static void print_fits(FILE *out, const struct vmx_log *log,
		       const struct vmx_fit fits[VMX_AREA_COUNT])
{
	fprintf(out, "\nMSR-area sweep: least-squares slope over all samples\n");
	for (int a = 0; a < VMX_AREA_COUNT; a++) {
		const struct vmx_fit *f = &fits[a];

		if (!f->npoints)
			continue;
		if (isnan(f->slope))
			fprintf(out, "%-11s %-6s %zu point(s): not enough sizes for a slope\n",
				vmx_area_name(a), phase_name(f->phase), f->npoints);
		else
			fprintf(out, "%-11s %-6s %zu points %6zu samples: %.3f %s per entry, "
				"95%% CI [%.3f, %.3f]\n", vmx_area_name(a), phase_name(f->phase),
				f->npoints, f->nsamples, f->slope, vmx_log_unit(log), f->ci95_lo,
				f->ci95_hi);
	}
}

static void print_table(FILE *out, const struct vmx_log *log, const struct summary_row *rows,
			size_t n, double floor, const struct vmx_fit fits[VMX_AREA_COUNT])
{
	fprintf(out, "raw VMX harness (%s)\n", log->cpu[0] ? log->cpu : "unknown CPU");
	fprintf(out, "unit: %s -- %s\n", vmx_log_unit(log), timing_note(log));
	fprintf(out, "timer floor %.1f subtracted from the total phase only\n\n", floor);
	print_rows(out, rows, n);
	print_fits(out, log, fits);
}

int vmx_report_write(const struct vmx_log *log, const char *csv, const char *sweep_csv,
		     FILE *table, char *err, size_t errlen)
{
	struct vmx_fit fits[VMX_AREA_COUNT];
	struct summary_row *rows;
	double floor;
	size_t n;
	int rc;

	if (vmx_log_summaries(log, &rows, &n, &floor, err, errlen))
		return -1;
	for (int a = 0; a < VMX_AREA_COUNT; a++)
		vmx_log_fit(log, a, vmx_area_phase(a), &fits[a]);
	rc = csv_write_summary(csv, rows, n, err, errlen);
	if (!rc)
		rc = write_sweep_csv(log, sweep_csv, fits, err, errlen);
	if (!rc)
		print_table(table, log, rows, n, floor, fits);
	free(rows);
	return rc ? -1 : 0;
}
