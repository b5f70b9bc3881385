// SPDX-License-Identifier: MIT
/* Reader of the raw VMX harness's serial line format (see vmx_parse.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "parse_num.h"
#include "vmx_parse.h"

#define MAX_TOKENS 24

static const char *const area_names[VMX_AREA_COUNT] = {
	"exit-store", "exit-load", "entry-load",
};

static const struct {
	const char *name;
	long reason;
} bench_reasons[] = {
	{ "null", 13 }, { "cpuid", 10 }, { "rdmsr", 31 }, { "wrmsr", 32 },
	{ "pio-out", 30 }, { "pio-in", 30 }, { "ept", 48 }, { "vmcall", 18 },
};

const char *vmx_area_name(int area)
{
	return area >= 0 && area < VMX_AREA_COUNT ? area_names[area] : "-";
}

long vmx_expected_reason(const char *bench)
{
	for (size_t i = 0; i < sizeof(bench_reasons) / sizeof(bench_reasons[0]); i++)
		if (!strcmp(bench, bench_reasons[i].name))
			return bench_reasons[i].reason;
	return -1;
}

enum phase vmx_area_phase(int area)
{
	return area == VMX_AREA_ENTRY_LOAD ? PHASE_ENTRY : PHASE_EXIT;
}

const char *vmx_log_unit(const struct vmx_log *log)
{
	return log->timing == VMX_TIMING_EMULATED ? "emulated_ticks" : "tsc_ticks";
}

void vmx_log_init(struct vmx_log *log)
{
	memset(log, 0, sizeof(*log));
}

void vmx_log_free(struct vmx_log *log)
{
	for (size_t i = 0; i < log->nseries; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			free(log->series[i].v[p]);
	free(log->series);
	vmx_log_init(log);
}

static int line_fail(char *err, size_t errlen, unsigned long lineno, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "line %lu: ", lineno);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_long(const char *s, long *out)
{
	long long v;

	if (parse_i64(s, LONG_MIN, LONG_MAX, &v))
		return -1;
	*out = (long)v;
	return 0;
}

static int parse_count(const char *s, unsigned long *out)
{
	unsigned long long v;

	if (parse_u64(s, LONG_MAX, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/* "key=<unsigned>" */
static int parse_kv(const char *tok, const char *key, unsigned long *out)
{
	size_t k = strlen(key);

	if (strncmp(tok, key, k) || tok[k] != '=')
		return -1;
	return parse_count(tok + k + 1, out);
}

static bool is_name(const char *s)
{
	if (!*s || strlen(s) >= 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int area_from_name(const char *s)
{
	for (int a = 0; a < VMX_AREA_COUNT; a++)
		if (!strcmp(s, area_names[a]))
			return a;
	return VMX_AREA_NONE;
}

static struct vmx_series *find_series(struct vmx_log *log, const char *name, int area,
				      unsigned count, bool create)
{
	struct vmx_series *s;

	for (size_t i = 0; i < log->nseries; i++) {
		s = &log->series[i];
		if (s->area == area && !strcmp(s->name, name) &&
		    (area == VMX_AREA_NONE || s->count == count))
			return s;
	}
	if (!create)
		return NULL;
	if (log->nseries == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 16;
		struct vmx_series *p = realloc(log->series, cap * sizeof(*p));

		if (!p)
			return NULL;
		log->series = p;
		log->cap = cap;
	}
	s = &log->series[log->nseries++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->area = area;
	s->count = count;
	s->reason = -1;
	s->verified = -1;
	return s;
}

static int series_push(struct vmx_series *s, const double v[PHASE_COUNT])
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;

		for (int p = 0; p < PHASE_COUNT; p++) {
			double *q = realloc(s->v[p], cap * sizeof(*q));

			if (!q)
				return -1;
			s->v[p] = q;
		}
		s->cap = cap;
	}
	for (int p = 0; p < PHASE_COUNT; p++)
		s->v[p][s->n] = v[p];
	s->n++;
	return 0;
}

/* tok: index, total, exit, handler, entry (the last three may all be "-"). */
static int add_sample(struct vmx_log *log, struct vmx_series *s, char **tok,
		      unsigned long lineno, char *err, size_t errlen)
{
	double v[PHASE_COUNT] = { 0 };
	unsigned long idx;
	long x[PHASE_COUNT], sum;
	bool dashes = !strcmp(tok[2], "-") && !strcmp(tok[3], "-") && !strcmp(tok[4], "-");

	(void)log;
	if (!s)
		return line_fail(err, errlen, lineno, "out of memory");
	if (parse_count(tok[0], &idx))
		return line_fail(err, errlen, lineno, "bad sample index '%s'", tok[0]);
	if (idx != s->n)
		return line_fail(err, errlen, lineno, "sample %lu of %s out of order (expected %zu)",
			    idx, s->name, s->n);
	if (parse_long(tok[1], &x[PHASE_TOTAL]))
		return line_fail(err, errlen, lineno, "bad total '%s'", tok[1]);
	if (s->n && s->has_phases == dashes)
		return line_fail(err, errlen, lineno, "%s mixes split and unsplit samples", s->name);
	s->has_phases = !dashes;
	if (!dashes) {
		for (int p = PHASE_EXIT; p < PHASE_COUNT; p++)
			if (parse_long(tok[1 + p], &x[p]))
				return line_fail(err, errlen, lineno, "bad %s value '%s'",
					    phase_name(p), tok[1 + p]);
		/* A sum that wraps must not pass for one that adds up. */
		if (__builtin_add_overflow(x[PHASE_EXIT], x[PHASE_HANDLER], &sum) ||
		    __builtin_add_overflow(sum, x[PHASE_ENTRY], &sum) || sum != x[PHASE_TOTAL])
			return line_fail(err, errlen, lineno,
				    "phases do not add up to the total");
		for (int p = PHASE_EXIT; p < PHASE_COUNT; p++)
			v[p] = (double)x[p];
	}
	v[PHASE_TOTAL] = (double)x[PHASE_TOTAL];
	if (series_push(s, v))
		return line_fail(err, errlen, lineno, "out of memory");
	return 0;
}

static int line_sample(struct vmx_log *log, char **t, int nt, unsigned long ln,
		       char *err, size_t errlen)
{
	if (nt != 7)
		return line_fail(err, errlen, ln, "sample wants 5 fields after the name");
	if (!is_name(t[1]))
		return line_fail(err, errlen, ln, "bad bench name '%s'", t[1]);
	return add_sample(log, find_series(log, t[1], VMX_AREA_NONE, 0, true), t + 2, ln,
			  err, errlen);
}

static int area_count(char **t, unsigned long ln, int *area, unsigned long *count,
		      char *err, size_t errlen)
{
	*area = area_from_name(t[0]);
	if (*area == VMX_AREA_NONE)
		return line_fail(err, errlen, ln, "unknown MSR area '%s'", t[0]);
	if (parse_count(t[1], count) || *count > 1000000)
		return line_fail(err, errlen, ln, "bad MSR-area count '%s'", t[1]);
	return 0;
}

static int line_sweep_sample(struct vmx_log *log, char **t, int nt, unsigned long ln,
			     char *err, size_t errlen)
{
	unsigned long count;
	int area;

	if (nt != 8)
		return line_fail(err, errlen, ln, "sweep-sample wants area, count and 5 fields");
	if (area_count(t + 1, ln, &area, &count, err, errlen))
		return -1;
	return add_sample(log, find_series(log, t[1], area, (unsigned)count, true), t + 3,
			  ln, err, errlen);
}

static int line_sweep(struct vmx_log *log, char **t, int nt, unsigned long ln,
		      char *err, size_t errlen)
{
	struct vmx_series *s;
	unsigned long count, samples, median;
	int area;

	if (nt != 5)
		return line_fail(err, errlen, ln, "sweep wants area, count, samples=, median=");
	if (area_count(t + 1, ln, &area, &count, err, errlen))
		return -1;
	if (parse_kv(t[3], "samples", &samples) || parse_kv(t[4], "median", &median))
		return line_fail(err, errlen, ln, "bad sweep summary");
	s = find_series(log, t[1], area, (unsigned)count, true);
	if (!s)
		return line_fail(err, errlen, ln, "out of memory");
	if (s->n != samples)
		return line_fail(err, errlen, ln, "sweep %s %lu: %lu samples announced, %zu seen",
			    t[1], count, samples, s->n);
	s->summarized = true;
	s->device_median = (double)median;
	return 0;
}

static int line_verify(struct vmx_log *log, char **t, int nt, unsigned long ln,
		       char *err, size_t errlen)
{
	struct vmx_series *s;
	unsigned long count;
	int area;

	if (nt < 4)
		return line_fail(err, errlen, ln, "verify wants area, count, ok|fail");
	if (area_count(t + 1, ln, &area, &count, err, errlen))
		return -1;
	if (strcmp(t[3], "ok") && strcmp(t[3], "fail"))
		return line_fail(err, errlen, ln, "verify result must be ok or fail");
	if (!strcmp(t[3], "ok") && nt != 4)
		return line_fail(err, errlen, ln, "trailing fields after verify ok");
	s = find_series(log, t[1], area, (unsigned)count, true);
	if (!s)
		return line_fail(err, errlen, ln, "out of memory");
	s->verified = !strcmp(t[3], "ok");
	return 0;
}

static int line_exit(struct vmx_log *log, char **t, int nt, unsigned long ln,
		     char *err, size_t errlen)
{
	struct vmx_series *s;
	unsigned long reason, count;

	if (nt != 5 || strcmp(t[4], "ok"))
		return line_fail(err, errlen, ln, "exit wants bench, reason=, count=, ok");
	if (!is_name(t[1]))
		return line_fail(err, errlen, ln, "bad bench name '%s'", t[1]);
	if (parse_kv(t[2], "reason", &reason) || parse_kv(t[3], "count", &count) ||
	    reason > 0xffff)
		return line_fail(err, errlen, ln, "bad exit reason or count");
	s = find_series(log, t[1], VMX_AREA_NONE, 0, true);
	if (!s)
		return line_fail(err, errlen, ln, "out of memory");
	s->reason = (long)reason;
	s->exits = count;
	return 0;
}

static int line_config(struct vmx_log *log, char **t, int nt, unsigned long ln,
		       char *err, size_t errlen)
{
	unsigned long iters, warmup;

	if (nt != 4 || parse_kv(t[1], "iters", &iters) || parse_kv(t[2], "warmup", &warmup) ||
	    strncmp(t[3], "msr-area=", 9))
		return line_fail(err, errlen, ln, "config wants iters=, warmup=, msr-area=");
	log->iters = (unsigned)iters;
	log->warmup = (unsigned)warmup;
	return 0;
}

static void join(char *dst, size_t len, char **t, int nt)
{
	size_t n = 0;

	dst[0] = 0;
	for (int i = 0; i < nt && n < len; i++)
		n += (size_t)snprintf(dst + n, len - n, "%s%s", i ? " " : "", t[i]);
}

static int line_info(struct vmx_log *log, char **t, int nt, unsigned long ln,
		     char *err, size_t errlen)
{
	static const char *const timings[] = { "native", "virtualized", "emulated" };

	if (nt < 3)
		return line_fail(err, errlen, ln, "info wants a key and a value");
	if (!strcmp(t[1], "timing")) {
		for (int i = 0; i < 3; i++)
			if (nt == 3 && !strcmp(t[2], timings[i])) {
				log->timing = (enum vmx_timing)(VMX_TIMING_NATIVE + i);
				return 0;
			}
		return line_fail(err, errlen, ln, "unknown timing '%s'", t[2]);
	}
	if (!strcmp(t[1], "cpu"))
		join(log->cpu, sizeof(log->cpu), t + 2, nt - 2);
	if (!strcmp(t[1], "vmx"))
		for (int i = 2; i < nt; i++) {
			unsigned long v;

			if (!parse_kv(t[i], "msr_max", &v))
				log->msr_max = (unsigned)v;
		}
	return 0;
}

static int line_other(struct vmx_log *log, char **t, int nt, unsigned long ln,
		      char *err, size_t errlen)
{
	if (!strcmp(t[0], "hello")) {
		if (nt < 2 || strncmp(t[1], "engine=", 7))
			return line_fail(err, errlen, ln, "hello wants engine=");
		log->hello = true;
		return 0;
	}
	if (!strcmp(t[0], "error")) {
		if (!log->errors++)
			join(log->first_error, sizeof(log->first_error), t + 1, nt - 1);
		return 0;
	}
	if (!strcmp(t[0], "done")) {
		if (nt != 2 || (strcmp(t[1], "ok") && strcmp(t[1], "fail")))
			return line_fail(err, errlen, ln, "done wants ok or fail");
		log->done = true;
		log->done_ok = !strcmp(t[1], "ok");
		return 0;
	}
	return line_fail(err, errlen, ln, "unknown record '%s'", t[0]);
}

/* The records with fields of their own; line_other() takes the rest. */
static const struct {
	const char *name;
	int (*parse)(struct vmx_log *log, char **t, int nt, unsigned long ln, char *err,
		     size_t errlen);
} records[] = {
	{ "sample", line_sample },
	{ "sweep-sample", line_sweep_sample },
	{ "sweep", line_sweep },
	{ "verify", line_verify },
	{ "exit", line_exit },
	{ "config", line_config },
	{ "info", line_info },
};

static int tokenize(char *s, char **tok)
{
	int n = 0;

	for (char *p = strtok(s, " \t"); p; p = strtok(NULL, " \t")) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = p;
	}
	return n;
}

int vmx_parse_line(struct vmx_log *log, const char *line, unsigned long lineno,
		   char *err, size_t errlen)
{
	char buf[1024], *t[MAX_TOKENS];
	const char *p = strstr(line, "VMXB");
	size_t len;
	long version;
	int nt;

	/* A serial line may start with noise (e.g. the BIOS' last output). */
	if (!p)
		return 0;
	if (p[4] != ' ')
		return line_fail(err, errlen, lineno, "truncated record");
	len = strcspn(p, "\r\n");
	if (len >= sizeof(buf))
		return line_fail(err, errlen, lineno, "line too long");
	memcpy(buf, p, len);
	buf[len] = 0;
	nt = tokenize(buf, t);
	if (nt < 0)
		return line_fail(err, errlen, lineno, "too many fields");
	if (nt < 3)
		return line_fail(err, errlen, lineno, "truncated record");
	if (parse_long(t[1], &version) || version != VMX_LINE_VERSION)
		return line_fail(err, errlen, lineno, "unsupported line format version '%s'", t[1]);
	nt -= 2;
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++)
		if (!strcmp(t[2], records[i].name))
			return records[i].parse(log, t + 2, nt, lineno, err, errlen);
	return line_other(log, t + 2, nt, lineno, err, errlen);
}

int vmx_parse_stream(FILE *f, struct vmx_log *log, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long ln = 0;
	int ret = 0;

	/*
	 * Whole lines, however long: noise (a BIOS, a boot loader) may be any
	 * length and is skipped; only a record itself is bounded.
	 */
	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		ln++;
		ret = vmx_parse_line(log, line, ln, err, errlen);
		if (ret)
			break;
		errno = 0;
	}
	if (!ret && ferror(f)) {
		ERR("read error after line %lu: %s", ln,
			 strerror(errno ? errno : EIO));
		ret = -1;
	}
	free(line);
	return ret;
}

static int check_series(const struct vmx_series *s, char *err, size_t errlen)
{
	long want;

	if (s->area != VMX_AREA_NONE) {
		if (!s->summarized || !s->n)
			return ERR("sweep %s %u: incomplete", s->name, s->count);
		if (s->verified != 1)
			return ERR("sweep %s %u: MSR area %s", s->name, s->count,
				 s->verified ? "not verified" : "verification failed");
		return 0;
	}
	if (!s->n)
		return ERR("bench %s: no samples", s->name);
	want = vmx_expected_reason(s->name);
	if (!strcmp(s->name, "floor"))
		return 0;
	if (s->reason < 0)
		return ERR("bench %s: no exit reported", s->name);
	if (want >= 0 && s->reason != want)
		return ERR("bench %s: exit reason %ld, expected %ld", s->name,
			 s->reason, want);
	return 0;
}

int vmx_log_check(const struct vmx_log *log, char *err, size_t errlen)
{
	if (log->errors)
		return ERR("the harness reported %u error(s), first: %s",
			 log->errors, log->first_error);
	if (!log->done)
		return ERR("log ends before the done line");
	if (!log->nseries)
		return ERR("no measurements in the log");
	/* the first bad series says more than the final verdict */
	for (size_t i = 0; i < log->nseries; i++)
		if (check_series(&log->series[i], err, errlen))
			return -1;
	if (!log->done_ok)
		return ERR("the harness finished with done fail");
	return 0;
}
