/* SPDX-License-Identifier: MIT */
/* run.json's validating reader. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "csv.h"
#include "input_file.h"
#include "run_json.h"

struct reader {
	const char *path;
	char *err;
	size_t errlen;
	int failed;
};

static void reader_fail(struct reader *rd, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (rd->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "%s: field '%s': %s", rd->path, field, msg);
}

static json_t *get(struct reader *rd, json_t *o, const char *key, const char *field,
		   json_type type)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer",
		[JSON_REAL] = "a number", [JSON_TRUE] = "a boolean",
		[JSON_FALSE] = "a boolean", [JSON_NULL] = "null",
	};
	json_t *v = json_object_get(o, key);
	bool ok;

	if (!v) {
		reader_fail(rd, field, "missing");
		return NULL;
	}
	switch (type) {
	case JSON_REAL:
		ok = json_is_number(v);
		break;
	case JSON_TRUE:
		ok = json_is_boolean(v);
		break;
	default:
		ok = json_typeof(v) == type;
	}
	if (!ok) {
		reader_fail(rd, field, "not %s", names[type]);
		return NULL;
	}
	return v;
}

static void get_str(struct reader *rd, json_t *o, const char *key, const char *field,
		    char *dst, size_t len)
{
	json_t *v = get(rd, o, key, field, JSON_STRING);

	if (!v)
		return;
	if (json_string_length(v) >= len) {
		reader_fail(rd, field, "longer than %zu bytes", len - 1);
		return;
	}
	snprintf(dst, len, "%s", json_string_value(v));
}

/* A number within CSV_MAX_VALUE, as in summary.csv: sums and ns of it stay finite. */
static double get_num(struct reader *rd, json_t *o, const char *key, const char *field,
		      bool null_ok)
{
	json_t *v = json_object_get(o, key);
	double x;

	if (v && json_is_null(v) && null_ok)
		return NAN;
	v = get(rd, o, key, field, JSON_REAL);
	if (!v)
		return NAN;
	x = json_number_value(v);
	if (!(fabs(x) <= CSV_MAX_VALUE)) {
		reader_fail(rd, field, "%g is beyond %g", x, CSV_MAX_VALUE);
		return NAN;
	}
	return x;
}

static long long get_int(struct reader *rd, json_t *o, const char *key, const char *field,
			 long long min)
{
	json_t *v = get(rd, o, key, field, JSON_INTEGER);

	if (!v)
		return min;
	if (json_integer_value(v) < min) {
		reader_fail(rd, field, "%lld is below %lld", (long long)json_integer_value(v), min);
		return min;
	}
	return json_integer_value(v);
}

/* A sample count: bounded as summary.csv's is, so nothing sized from it overflows. */
static size_t get_count(struct reader *rd, json_t *o, const char *key, const char *field)
{
	long long v = get_int(rd, o, key, field, 0);

	if ((unsigned long long)v > CSV_MAX_SAMPLES) {
		reader_fail(rd, field, "%lld is above %llu", v, CSV_MAX_SAMPLES);
		return 0;
	}
	return (size_t)v;
}

/*
 * A TSC rate: unknown (null, 0) or 1 kHz..1 THz, so that ticks * 1e6 /
 * kHz of any value read stays finite.
 */
static void check_khz(struct reader *rd, double khz, const char *field)
{
	if (isnan(khz) || khz == 0 || (khz >= 1 && khz <= 1e9))
		return;
	reader_fail(rd, field, "%g is not a TSC rate in kHz (0 or null: unknown; 1..1e9)", khz);
}

static bool get_bool(struct reader *rd, json_t *o, const char *key, const char *field)
{
	json_t *v = get(rd, o, key, field, JSON_TRUE);

	return v && json_is_true(v);
}

static void read_env(struct reader *rd, json_t *root, struct env_record *e)
{
	json_t *env = get(rd, root, "environment", "environment", JSON_OBJECT), *cpu, *tsc, *kvm;

	if (!env)
		return;
	get_str(rd, env, "version", "environment.version", e->version, sizeof(e->version));
	get_str(rd, env, "date", "environment.date", e->date, sizeof(e->date));
	get_str(rd, env, "hostname", "environment.hostname", e->hostname, sizeof(e->hostname));
	get_str(rd, env, "kernel", "environment.kernel", e->kernel, sizeof(e->kernel));
	cpu = get(rd, env, "cpu", "environment.cpu", JSON_OBJECT);
	if (cpu) {
		get_str(rd, cpu, "vendor", "environment.cpu.vendor", e->cpu_vendor,
			sizeof(e->cpu_vendor));
		get_str(rd, cpu, "brand", "environment.cpu.brand", e->cpu_brand,
			sizeof(e->cpu_brand));
		get_str(rd, cpu, "codename", "environment.cpu.codename", e->cpu_codename,
			sizeof(e->cpu_codename));
		get_str(rd, cpu, "microcode", "environment.cpu.microcode", e->microcode,
			sizeof(e->microcode));
	}
	tsc = get(rd, env, "tsc", "environment.tsc", JSON_OBJECT);
	if (tsc) {
		e->tsc_khz = get_num(rd, tsc, "khz", "environment.tsc.khz", false);
		check_khz(rd, e->tsc_khz, "environment.tsc.khz");
		get_str(rd, tsc, "source", "environment.tsc.source", e->tsc_source,
			sizeof(e->tsc_source));
	}
	kvm = get(rd, env, "kvm", "environment.kvm", JSON_OBJECT);
	if (kvm)
		get_str(rd, kvm, "module", "environment.kvm.module", e->kvm_module,
			sizeof(e->kvm_module));
	/* Added later; null where /proc/loadavg was unreadable. */
	e->loadavg1 = -1;
	if (json_object_get(env, "loadavg_1min")) {
		double l = get_num(rd, env, "loadavg_1min", "environment.loadavg_1min", true);

		e->loadavg1 = isfinite(l) ? l : -1;
	}
}

static void read_floors(struct reader *rd, json_t *s, struct run_record *r)
{
	static const int cpls[] = { 0, 3 };
	json_t *o = get(rd, s, "floor_tsc_ticks", "settings.floor_tsc_ticks", JSON_OBJECT);

	for (size_t k = 0; o && k < 2; k++) {
		char key[8], field[48];
		size_t i = run_json_timer_slot(r, cpls[k]);
		json_t *v;

		snprintf(key, sizeof(key), "cpl%d", cpls[k]);
		snprintf(field, sizeof(field), "settings.floor_tsc_ticks.%s", key);
		v = json_object_get(o, key);
		if (!v || json_is_null(v))
			continue;
		r->floor[i] = get_num(rd, o, key, field, false);
		r->floor_valid[i] = !rd->failed;
	}
}

static void read_settings(struct reader *rd, json_t *root, struct run_record *r)
{
	json_t *s = get(rd, root, "settings", "settings", JSON_OBJECT), *timer;

	if (!s)
		return;
	r->iterations = get_int(rd, s, "iterations", "settings.iterations", 0);
	r->warmup = get_int(rd, s, "warmup", "settings.warmup", 0);
	/* Added later: older files hold one run. */
	r->runs = json_object_get(s, "runs") ? get_int(rd, s, "runs", "settings.runs", 1) : 1;
	get_str(rd, s, "cpl_mode", "settings.cpl_mode", r->cpl_mode, sizeof(r->cpl_mode));
	r->tsc_khz = get_num(rd, s, "tsc_khz", "settings.tsc_khz", true);
	check_khz(rd, r->tsc_khz, "settings.tsc_khz");
	get_str(rd, s, "tsc_source", "settings.tsc_source", r->tsc_source,
		sizeof(r->tsc_source));
	r->pinned_cpu = get_int(rd, s, "pinned_cpu", "settings.pinned_cpu", -1);
	r->cpl0_emulated = get_bool(rd, s, "cpl0_emulated", "settings.cpl0_emulated");
	/* Only where the CPU was emulated: the plots' titles say so. */
	if (json_object_get(s, "parallel"))
		r->parallel = (unsigned)get_int(rd, s, "parallel", "settings.parallel", 1);
	if (json_object_get(s, "emulator"))
		get_str(rd, s, "emulator", "settings.emulator", r->emulator, sizeof(r->emulator));
	read_floors(rd, s, r);
	timer = get(rd, s, "timer", "settings.timer", JSON_OBJECT);
	if (timer) {
		get_str(rd, timer, "cpl0", "settings.timer.cpl0", r->timer[0], sizeof(r->timer[0]));
		get_str(rd, timer, "cpl3", "settings.timer.cpl3", r->timer[run_json_timer_slot(r, 3)],
			sizeof(r->timer[0]));
	}
}

static void read_row(struct reader *rd, json_t *o, const char *where, struct summary_row *s)
{
	char f[160];

#define FIELD(x) (snprintf(f, sizeof(f), "%s.%s", where, x), f)
	s->samples = get_count(rd, o, "samples", FIELD("samples"));
	s->outliers = get_count(rd, o, "outliers", FIELD("outliers"));
	get_str(rd, o, "unit", FIELD("unit"), s->unit, sizeof(s->unit));
#define NUM(x) s->x = get_num(rd, o, #x, FIELD(#x), true)
	NUM(min); NUM(p5); NUM(p25); NUM(median); NUM(p75); NUM(p95); NUM(p99);
	NUM(max); NUM(mean); NUM(stddev); NUM(mad); NUM(ci95_lo); NUM(ci95_hi);
#undef NUM
#undef FIELD
}

/* Optional: "run_medians", one number per run, where the record merges several runs. */
static void read_run_medians(struct reader *rd, json_t *o, const char *where,
			     struct bench_record *b, int p)
{
	json_t *a = json_object_get(o, "run_medians"), *v;
	char f[160];
	size_t k;

	if (!a)
		return;
	snprintf(f, sizeof(f), "%s.run_medians", where);
	if (!json_is_array(a) || json_array_size(a) != b->runs) {
		reader_fail(rd, f, "not an array of %u numbers (the benchmark's runs)", b->runs);
		return;
	}
	b->run_median[p] = calloc(b->runs, sizeof(double));
	if (!b->run_median[p]) {
		reader_fail(rd, f, "out of memory");
		return;
	}
	json_array_foreach(a, k, v) {
		if (!json_is_number(v)) {
			reader_fail(rd, f, "element %zu is not a number", k);
			return;
		}
		b->run_median[p][k] = json_number_value(v);
		if (!(fabs(b->run_median[p][k]) <= CSV_MAX_VALUE)) {
			reader_fail(rd, f, "element %zu is beyond %g", k, CSV_MAX_VALUE);
			return;
		}
	}
}

static void read_phases(struct reader *rd, json_t *phases, const char *where,
			struct bench_record *b)
{
	const char *key;
	json_t *v;
	char f[128];

	json_object_foreach(phases, key, v) {
		int p = phase_from_name(key);

		snprintf(f, sizeof(f), "%s.phases.%s", where, key);
		if (p < 0) {
			reader_fail(rd, f, "unknown phase");
			return;
		}
		if (!json_is_object(v)) {
			reader_fail(rd, f, "not an object");
			return;
		}
		b->has_phase[p] = true;
		b->rows[p].phase = p;
		b->rows[p].cpl = b->cpl;
		memcpy(b->rows[p].benchmark, b->name, sizeof(b->rows[p].benchmark));
		read_row(rd, v, f, &b->rows[p]);
		b->rows[p].runs = b->runs;
		read_run_medians(rd, v, f, b, p);
		if (rd->failed)
			return;
	}
}

static void read_bench(struct reader *rd, json_t *o, size_t i, struct bench_record *b)
{
	char where[64], f[128], status[16] = "";
	json_t *phases;
	int s;

#define FIELD(x) (snprintf(f, sizeof(f), "%s.%s", where, x), f)
	snprintf(where, sizeof(where), "benchmarks[%zu]", i);
	if (!json_is_object(o)) {
		reader_fail(rd, where, "not an object");
		return;
	}
	get_str(rd, o, "name", FIELD("name"), b->name, sizeof(b->name));
	get_str(rd, o, "status", FIELD("status"), status, sizeof(status));
	s = bench_status_from_name(status);
	if (s < 0 && !rd->failed)
		reader_fail(rd, FIELD("status"), "'%s' is not ok/failed/unsupported/no_exit/refused",
			    status);
	get_str(rd, o, "reason", FIELD("reason"), b->reason, sizeof(b->reason));
	b->status = s < 0 ? BENCH_FAILED : bench_status_of_old(s, b->reason);
	/* -1: a row that runs at no CPL here (unsupported before it ran), as run.json writes it. */
	b->cpl = get_int(rd, o, "cpl", FIELD("cpl"), -1);
	if (b->cpl != 0 && b->cpl != 3 && !(b->cpl == -1 && b->status != BENCH_OK) && !rd->failed)
		reader_fail(rd, FIELD("cpl"), "%d is not 0 or 3%s", b->cpl,
			    b->cpl == -1 ? " (-1 only for a row that was not measured)" : "");
	b->emulated = get_bool(rd, o, "emulated", FIELD("emulated"));
	b->nsamples = get_count(rd, o, "samples", FIELD("samples"));
	b->floor = get_num(rd, o, "floor_tsc_ticks", FIELD("floor_tsc_ticks"), true);
	get_str(rd, o, "exit_check", FIELD("exit_check"), b->exit_check, sizeof(b->exit_check));
	get_str(rd, o, "phase_note", FIELD("phase_note"), b->phase_note, sizeof(b->phase_note));
	b->exits_seen = get_int(rd, o, "exits_seen", FIELD("exits_seen"), 0);
	b->disturbed = get_int(rd, o, "disturbed", FIELD("disturbed"), 0);
	/* Optional: files from before these fields are rows without the note. */
	if (json_object_get(o, "floor_spread_tsc_ticks"))
		b->floor_spread = get_num(rd, o, "floor_spread_tsc_ticks",
					  FIELD("floor_spread_tsc_ticks"), true);
	if (json_object_get(o, "within_floor_spread"))
		b->within_floor_spread = get_bool(rd, o, "within_floor_spread",
						  FIELD("within_floor_spread"));
	/* Added later: absent in older files, which hold one run of exit costs. */
	if (json_object_get(o, "kind")) {
		char kind[16] = "";

		get_str(rd, o, "kind", FIELD("kind"), kind, sizeof(kind));
		for (int k = BENCH_KIND_EXIT; k <= BENCH_KIND_FLOOR; k++)
			if (!strcmp(kind, bench_kind_name(k)))
				b->kind = k;
		if (strcmp(kind, bench_kind_name(b->kind)) && !rd->failed)
			reader_fail(rd, FIELD("kind"), "'%s' is not exit/latency/floor", kind);
	}
	b->runs = json_object_get(o, "runs") ? get_int(rd, o, "runs", FIELD("runs"), 1) : 1;
	phases = get(rd, o, "phases", FIELD("phases"), JSON_OBJECT);
	if (phases && !rd->failed)
		read_phases(rd, phases, where, b);
#undef FIELD
}

/* Optional: files written before these fields existed are complete runs. */
static void read_incomplete(struct reader *rd, json_t *root, struct run_record *r)
{
	json_t *v = json_object_get(root, "incomplete"), *i;

	if (!v)
		return;
	r->incomplete = get_bool(rd, root, "incomplete", "incomplete");
	i = json_object_get(root, "interrupted");
	if (!r->incomplete || !i || json_is_null(i))
		return;
	if (!json_is_object(i)) {
		reader_fail(rd, "interrupted", "not an object or null");
		return;
	}
	get_str(rd, i, "signal", "interrupted.signal", r->stopped_by, sizeof(r->stopped_by));
	r->selected = get_int(rd, i, "benchmarks_selected", "interrupted.benchmarks_selected", 0);
}

static void read_benches(struct reader *rd, json_t *root, struct run_record *r)
{
	json_t *a = get(rd, root, "benchmarks", "benchmarks", JSON_ARRAY), *v;
	size_t i;

	if (!a || !json_array_size(a))
		return;
	/* Every element is checked before any is allocated for. */
	if (json_array_size(a) > RUN_JSON_MAX_BENCH) {
		reader_fail(rd, "benchmarks", "more than %d", RUN_JSON_MAX_BENCH);
		return;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_object(v)) {
			reader_fail(rd, "benchmarks", "element %zu is not an object", i);
			return;
		}
	}
	r->bench = calloc(json_array_size(a), sizeof(*r->bench));
	if (!r->bench) {
		reader_fail(rd, "benchmarks", "out of memory");
		return;
	}
	json_array_foreach(a, i, v) {
		r->nbench = i + 1;
		read_bench(rd, v, i, &r->bench[i]);
		if (rd->failed)
			return;
	}
}

/*
 * The whole file, then one parse: json_load_file reads a character at a
 * time. Bounded: a run.json is kilobytes (25 KB for the whole catalog,
 * more with --runs' per-run medians); 64 MiB is not one.
 */
#define RUN_JSON_MAX_BYTES (64ull << 20)
#define RUN_JSON_MAX_LINE 0	/* read whole, not by line */

/* NULL with @jerr->text set and line -1 when the file itself is refused. */
static json_t *load_json(const char *path, json_error_t *jerr, char *err, size_t errlen)
{
	struct input_file in;
	json_t *root = NULL;
	char *buf = NULL;
	size_t len = 0;

	memset(jerr, 0, sizeof(*jerr));
	jerr->line = -1;
	if (input_file_open(&in, path, RUN_JSON_MAX_BYTES, RUN_JSON_MAX_LINE, false, err, errlen))
		return NULL;
	if (!input_file_slurp(&in, &buf, &len))
		root = json_loadb(buf, len, 0, jerr);
	else
		jerr->line = -2;
	free(buf);
	input_file_close(&in);
	return root;
}

int run_json_read(const char *path, struct run_record *r, struct env_record *e,
		  char *err, size_t errlen)
{
	struct reader rd = { path, err, errlen, 0 };
	json_error_t jerr;
	json_t *root;
	long long schema;

	memset(r, 0, sizeof(*r));
	memset(e, 0, sizeof(*e));
	err[0] = 0;
	root = load_json(path, &jerr, err, errlen);
	if (!root) {
		if (jerr.line < 0 && err[0])
			;	/* the file was refused: the message is there already */
		else if (jerr.line < 0)
			ERR("%s: %s", path, jerr.text);
		else
			ERR("%s: line %d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		reader_fail(&rd, "(top level)", "not an object");
		goto out;
	}
	schema = get_int(&rd, root, "schema_version", "schema_version", 0);
	if (!rd.failed && schema != RUN_JSON_SCHEMA)
		reader_fail(&rd, "schema_version", "%lld, this vmexit-bench reads version %d",
		     schema, RUN_JSON_SCHEMA);
	if (!rd.failed)
		read_env(&rd, root, e);
	if (!rd.failed)
		read_settings(&rd, root, r);
	if (!rd.failed)
		read_benches(&rd, root, r);
	if (!rd.failed)
		read_incomplete(&rd, root, r);
out:
	json_decref(root);
	if (rd.failed) {
		run_record_free(r);
		return -1;
	}
	return 0;
}

void run_record_free(struct run_record *r)
{
	for (size_t i = 0; r->bench && i < r->nbench; i++)
		for (int p = 0; p < PHASE_COUNT; p++) {
			free(r->bench[i].samples[p]);
			free(r->bench[i].run_median[p]);
		}
	free(r->bench);
	r->bench = NULL;
	r->nbench = 0;
}

struct bench_record *run_record_find(const struct run_record *r, const char *name, int cpl)
{
	for (size_t i = 0; i < r->nbench; i++)
		if (r->bench[i].cpl == cpl && !strcmp(r->bench[i].name, name))
			return &r->bench[i];
	return NULL;
}
