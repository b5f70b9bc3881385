/* SPDX-License-Identifier: MIT */
/* run.json: the names it uses and its writer (run_json_read.c reads it). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "run_json.h"

static const char *const status_names[] = {
	[BENCH_OK] = "ok",
	[BENCH_FAILED] = "failed",
	[BENCH_UNSUPPORTED] = "unsupported",
	[BENCH_NO_EXIT] = "no_exit",
	[BENCH_REFUSED] = "refused",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == BENCH_STATUS_COUNT,
	       "status_names: one name per enum bench_status");

static const char *const kind_names[] = {
	[BENCH_KIND_EXIT] = "exit",
	[BENCH_KIND_LATENCY] = "latency",
	[BENCH_KIND_FLOOR] = "floor",
};

const char *bench_kind_name(enum bench_kind k)
{
	return (unsigned)k <= BENCH_KIND_FLOOR ? kind_names[k] : "?";
}

const char *bench_status_name(enum bench_status s)
{
	return (unsigned)s < BENCH_STATUS_COUNT ? status_names[s] : "?";
}

int bench_status_from_name(const char *name)
{
	for (int s = BENCH_OK; s < BENCH_STATUS_COUNT; s++)
		if (!strcmp(name, status_names[s]))
			return s;
	return -1;
}

enum bench_status bench_status_of_old(enum bench_status s, const char *reason)
{
	if (s != BENCH_UNSUPPORTED)
		return s;
	if (!strncmp(reason, "no exit:", 8))
		return BENCH_NO_EXIT;
	if (!strncmp(reason, "refused:", 8))
		return BENCH_REFUSED;
	return s;
}

/* JSON has no NaN/inf; a statistic that could not be computed is null. */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/*
 * Statistics to 0.01 tick, like summary.csv: the samples are whole ticks,
 * and more digits are binary noise (443295.1500000004), not precision.
 */
static json_t *jstat(double v)
{
	return jnum(isfinite(v) ? round(v * 100) / 100 : v);
}

static json_t *row_to_json(const struct summary_row *s, unsigned runs, const double *run_median)
{
	json_t *o = json_object();

	json_object_set_new(o, "samples", json_integer(s->samples));
	json_object_set_new(o, "unit", json_string(s->unit));
#define F(x) json_object_set_new(o, #x, jstat(s->x))
	F(min); F(p5); F(p25); F(median); F(p75); F(p95); F(p99); F(max);
	F(mean); F(stddev); F(mad); F(ci95_lo); F(ci95_hi);
#undef F
	json_object_set_new(o, "outliers", json_integer(s->outliers));
	if (runs > 1 && run_median) {
		json_t *a = json_array();

		for (unsigned k = 0; k < runs; k++)
			json_array_append_new(a, jstat(run_median[k]));
		json_object_set_new(o, "run_medians", a);
	}
	return o;
}

static json_t *bench_to_json(const struct bench_record *b)
{
	json_t *phases = json_object(), *o;

	for (int p = 0; p < PHASE_COUNT; p++)
		if (b->has_phase[p])
			json_object_set_new(phases, phase_name(p),
					    row_to_json(&b->rows[p], b->runs, b->run_median[p]));
	o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:b,s:I,s:o,s:s,s:I,s:s,s:I,s:i,s:o,s:o,s:b}",
		"name", b->name, "kind", bench_kind_name(b->kind),
		"status", bench_status_name(b->status),
		"reason", b->reason, "cpl", b->cpl, "emulated", b->emulated,
		"samples", (json_int_t)b->nsamples, "floor_tsc_ticks", jnum(b->floor),
		"exit_check", b->exit_check, "exits_seen", (json_int_t)b->exits_seen,
		"phase_note", b->phase_note, "disturbed", (json_int_t)b->disturbed,
		"runs", b->runs ? (int)b->runs : 1, "phases", phases,
		"floor_spread_tsc_ticks", jnum(b->floor_spread),
		"within_floor_spread", b->within_floor_spread);
	if (o && b->split_total_median)
		json_object_set_new(o, "split_total_median", jnum(b->split_total_median));
	return o;
}

/* A floor that was not measured is null, not 0: 0 would look subtracted. */
static json_t *floor_of(const struct run_record *r, int cpl)
{
	size_t i = run_json_timer_slot(r, cpl);

	return r->floor_valid[i] ? jnum(r->floor[i]) : json_null();
}

static json_t *settings_to_json(const struct run_record *r)
{
	json_t *o = json_pack("{s:I,s:I,s:i,s:s,s:{s:s,s:s},s:o,s:s,s:i,s:b,s:{s:o,s:o},s:{s:o,s:o}}",
		"iterations", (json_int_t)r->iterations, "warmup", (json_int_t)r->warmup,
		"runs", r->runs ? (int)r->runs : 1,
		"cpl_mode", r->cpl_mode,
		"timer", "cpl0", r->timer[0], "cpl3", r->timer[run_json_timer_slot(r, 3)],
		"tsc_khz", jnum(r->tsc_khz), "tsc_source", r->tsc_source,
		"pinned_cpu", r->pinned_cpu, "cpl0_emulated", r->cpl0_emulated,
		"floor_tsc_ticks", "cpl0", floor_of(r, 0), "cpl3", floor_of(r, 3),
		"nop_probe_tsc_ticks", "cpl0", jnum(r->cpl0_nop_probe),
		"cpl3", jnum(r->cpl3_nop_probe));

	if (o && r->emulator[0])
		json_object_set_new(o, "emulator", json_string(r->emulator));
	/* Only where it was given: a run on one vCPU reads as it always did. */
	if (o && r->parallel > 1)
		json_object_set_new(o, "parallel", json_integer(r->parallel));
	return o;
}

/* Added in schema 1 without a bump: a reader that does not know it sees a shorter run. */
static json_t *interrupted_to_json(const struct run_record *r)
{
	if (!r->incomplete)
		return json_null();
	return json_pack("{s:s,s:I,s:I}", "signal", r->stopped_by,
			 "benchmarks_selected", (json_int_t)r->selected,
			 "benchmarks_recorded", (json_int_t)r->nbench);
}

json_t *run_json_build(const struct run_record *r, const struct env_record *e)
{
	char warn[32][ENV_WARN_LEN];
	size_t nwarn = env_warnings(e, r, warn, 32);
	json_t *warnings = json_array(), *benches = json_array();

	for (size_t i = 0; i < nwarn && i < 32; i++)
		json_array_append_new(warnings, json_string(warn[i]));
	for (size_t i = 0; i < r->nbench; i++)
		json_array_append_new(benches, bench_to_json(&r->bench[i]));
	return json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:b,s:o}",
		"schema_version", RUN_JSON_SCHEMA, "tool", "vmexit-bench",
		"environment", env_to_json(e), "settings", settings_to_json(r),
		"warnings", warnings, "benchmarks", benches,
		"incomplete", r->incomplete, "interrupted", interrupted_to_json(r));
}

int run_json_write(const char *path, const struct run_record *r,
		   const struct env_record *e, char *err, size_t errlen)
{
	struct atomic_file af;
	json_t *root = run_json_build(r, e);

	if (!root)
		return ERR("%s: cannot build JSON (out of memory or bad string)", path);
	if (atomic_file_open(&af, path, err, errlen)) {
		json_decref(root);
		return -1;
	}
	/* 15 digits: 0.01-tick statistics print as written, not as their binary neighbours. */
	if (json_dumpf(root, af.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(15)) ||
	    fputc('\n', af.f) == EOF) {
		ERR("%s: cannot write JSON", path);
		atomic_file_abort(&af);
		json_decref(root);
		return -1;
	}
	json_decref(root);
	return atomic_file_commit(&af, err, errlen);
}
