/* SPDX-License-Identifier: MIT */
/*
 * Everything one run measured, as the writers see it. The runner fills it;
 * analysis/ turns it into the table, CSV, JSON, LaTeX and plots.
 */
#ifndef VMEXIT_RUN_RECORD_H
#define VMEXIT_RUN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include "summary.h"

/* Per-CPL arrays, here and in the suite, are indexed by the CPL: 0 and 3 are used. */
#define CPL_SLOTS 4

/*
 * A benchmark's verdict, as data: writers name it (run.json, summary.csv's
 * status column, list --json) and readers act on it; the reason is for
 * people and is never parsed.
 */
enum bench_status {
	BENCH_OK,		/* measured; rows[] are valid */
	BENCH_FAILED,		/* the guest faulted, hung, or the exit was not seen */
	BENCH_UNSUPPORTED,	/* cannot run here; reason says why */
	BENCH_NO_EXIT,		/* ran, but KVM let the guest do it without an exit */
	BENCH_REFUSED,		/* not run: unsafe here without --allow-dangerous */
	BENCH_STATUS_COUNT
};

/* What a row's interval is (catalog.h says which benchmark is which). */
enum bench_kind {
	BENCH_KIND_EXIT,	/* one exit's round trip */
	BENCH_KIND_LATENCY,	/* something else: a wake-up latency, a burst */
	BENCH_KIND_FLOOR,	/* the timer floor itself (nop) */
};

struct bench_record {
	char name[SUMMARY_NAME_MAX];
	int cpl;
	bool emulated;			/* ran at a CPL this host emulates */
	bool tcg;			/* ran on a CPU emulated by QEMU's TCG (unit tcg_tsc_ticks) */
	bool bochs;			/* ran on a CPU emulated by Bochs (unit emulated_ticks) */
	enum bench_status status;
	char reason[256];		/* failure / unsupported reason */
	size_t nsamples;		/* samples kept (warm-up dropped) */
	double floor;			/* timer floor subtracted (TSC ticks) */
	/*
	 * The floor's own spread (width of its p5..p95) and whether this
	 * row's floor-subtracted median lies within it: then the row is not a
	 * cost but the floor's noise (an emulated CPL0 floor drifts by
	 * thousands of ticks), and says so.
	 */
	double floor_spread;
	bool within_floor_spread;
	/* Per phase: floor-subtracted samples in TSC ticks, NULL if the phase is not split. */
	double *samples[PHASE_COUNT];
	bool has_phase[PHASE_COUNT];
	struct summary_row rows[PHASE_COUNT];
	char phase_note[256];		/* e.g. "unavailable: <reason>" for the split */
	/* Samples left out of the phase split: something else happened inside them. */
	unsigned long long disturbed;
	/*
	 * Total median of the samples the phases were split from, when those
	 * are not the measured ones (the traced rerun's matched samples), so
	 * the phases are compared with their own total; 0: rows[PHASE_TOTAL].
	 */
	double split_total_median;
	/* Exit verification. */
	char exit_check[256];		/* what was checked and what was seen */
	unsigned long long exits_seen;
	/*
	 * Iterations whose exit did not happen because the host delivered an
	 * interrupt in STI's shadow and the guest stepped over the HLT (a TCG
	 * property; counted back in the proof and said in exit_check).
	 */
	unsigned long long stepped_over;
	/*
	 * Independent runs merged into this record (--runs; 0 or 1: one run).
	 * run_median[p][k]: the median of run k in phase p; NULL for one run.
	 */
	unsigned runs;
	double *run_median[PHASE_COUNT];
	enum bench_kind kind;
};

/* Measured, with all three phases split (exit, handler, entry). */
static inline bool bench_has_split(const struct bench_record *b)
{
	return b->status == BENCH_OK && b->has_phase[PHASE_EXIT] &&
	       b->has_phase[PHASE_HANDLER] && b->has_phase[PHASE_ENTRY];
}

struct run_record {
	struct bench_record *bench;
	size_t nbench;
	double tsc_khz;			/* TSC frequency used for ns */
	char tsc_source[64];
	int pinned_cpu;
	bool cpl0_emulated;
	char cpl_mode[8];		/* "0", "3" or "auto" */
	/*
	 * "tcg" when this host's CPU is emulated by QEMU's TCG (the KVM under
	 * test runs on it), "" on hardware: ticks are then host time spent
	 * emulating, and every row's unit says so. "bochs" under Bochs, whose
	 * TSC counts emulated instructions (unit emulated_ticks).
	 */
	char emulator[16];
	/* Indexed by the CPL itself (CPL_SLOTS): 0 and 3 are used. */
	char timer[CPL_SLOTS][96];	/* how each CPL's stamps are taken */
	double floor[CPL_SLOTS];	/* nop median subtracted at each CPL, TSC ticks */
	bool floor_valid[CPL_SLOTS];	/* that CPL's floor was measured */
	double cpl0_nop_probe;		/* calibration: NOP median at CPL0 / CPL3 */
	double cpl3_nop_probe;
	unsigned long long iterations, warmup;
	/*
	 * Stopped by a signal before every selected benchmark ran: what is
	 * here was measured in full, the rest was never started.
	 */
	bool incomplete;
	char stopped_by[16];		/* "SIGINT", "SIGTERM" */
	unsigned long long selected;	/* benchmarks selected (0: not recorded) */
	unsigned runs;			/* --runs: independent runs merged (0 or 1: one) */
	/*
	 * --parallel: vCPUs that ran each row at once (0 or 1: one). Each
	 * measured row is then NAME (pooled) and NAME@vcpuK, one per vCPU.
	 */
	unsigned parallel;
};

/* @ticks of @r's TSC in nanoseconds (tsc_khz: KVM's, or the host's). */
static inline double run_record_ns(const struct run_record *r, double ticks)
{
	return ticks * 1e6 / r->tsc_khz;
}

/* A measured row ran at a CPL this host emulates (what the emulation warning concerns). */
static inline bool run_record_any_emulated(const struct run_record *r)
{
	for (size_t i = 0; i < r->nbench; i++)
		if (r->bench[i].status == BENCH_OK && r->bench[i].emulated)
			return true;
	return false;
}

#endif
