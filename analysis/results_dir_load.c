/* SPDX-License-Identifier: MIT */
/*
 * Loading a results directory: run.json, then summary.csv's rows and
 * samples.csv's samples checked against it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "csv.h"
#include "input_file.h"
#include "parse_num.h"
#include "results_dir.h"
#include "run_json.h"

/*
 * A CSV file of the directory read line by line, so that every message
 * names the file and the line: "<path>: line N: <what>".
 */
struct lines {
	struct input_file in;
	char *line;		/* the current line, its end of line still there */
	size_t lineno;
	char *err;
	size_t errlen;
};

/* Returns 0; 1 when @optional and there is no such file; -1 with "<path>: <why>". */
static int lines_open(struct lines *l, const char *dir, const char *name,
		      unsigned long long max_bytes, size_t max_line, bool optional,
		      char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	memset(l, 0, sizeof(*l));
	l->err = err;
	l->errlen = errlen;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = input_file_open(&l->in, path, max_bytes, max_line, optional, err, errlen);
	l->line = l->in.line;
	return rc;
}

static void lines_close(struct lines *l)
{
	input_file_close(&l->in);
}

static int lines_fail(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "<path>: line N: " and the message; returns -1. */
static int lines_fail(struct lines *l, const char *fmt, ...)
{
	int n = snprintf(l->err, l->errlen, "%s: line %zu: ", l->in.path, l->lineno);
	va_list ap;

	if (n >= 0 && (size_t)n < l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The first line: which of @headers (NULL-terminated) it is, or -1 with
 * "header: expected '<the first>'".
 */
static int lines_header(struct lines *l, const char *const *headers)
{
	int rc = input_file_line(&l->in);
	const char *hdr = rc > 0 && strtok(l->line, "\r\n") ? l->line : "";

	l->lineno = 1;
	if (rc < 0)
		return -1;
	for (int i = 0; headers[i]; i++)
		if (!strcmp(hdr, headers[i]))
			return i;
	return lines_fail(l, "header: expected '%s'", headers[0]);
}

/*
 * The next line into l->line: 1, or 0 at the end of the file; -1 for a
 * line without '\n' at the end of the file, which is a truncated write,
 * and for one beyond the file's bounds.
 */
static int lines_next(struct lines *l)
{
	int rc = input_file_line(&l->in);

	l->lineno = l->in.lineno;
	return rc;
}

static int load_summary(const char *dir, struct run_record *r, char *err, size_t errlen)
{
	/* Files written before the status columns were appended are still read. */
	static const char *const headers[] = { csv_summary_header, csv_summary_header_v1, NULL };
	bool seen[RUN_JSON_MAX_BENCH][PHASE_COUNT];
	struct lines l;
	char msg[256];
	int ret = -1, rc, want, ncols;

	if (lines_open(&l, dir, "summary.csv", RESULTS_SUMMARY_MAX_BYTES, CSV_MAX_LINE, false,
		       err, errlen))
		return -1;
	memset(seen, 0, sizeof(seen));
	rc = lines_header(&l, headers);
	if (rc < 0)
		goto out;
	want = rc == 0 ? CSV_COLUMNS : CSV_COLUMNS_V1;
	while ((rc = lines_next(&l)) > 0) {
		struct summary_row row;
		struct bench_record *b;

		if (csv_parse_row_n(l.line, &row, &ncols, msg, sizeof(msg))) {
			lines_fail(&l, "%s", msg);
			goto out;
		}
		if (ncols != want) {
			lines_fail(&l, "%d columns, the header has %d", ncols, want);
			goto out;
		}
		/* A benchmark that was not measured: its status is run.json's to tell. */
		if (!summary_row_measured(&row))
			continue;
		b = run_record_find(r, row.benchmark, row.cpl);
		if (!b) {
			lines_fail(&l, "benchmark: '%s' at cpl %d is not in run.json", row.benchmark,
				   row.cpl);
			goto out;
		}
		if (seen[b - r->bench][row.phase]) {
			lines_fail(&l, "benchmark: '%s' phase %s cpl %d appears twice", row.benchmark,
				   phase_name(row.phase), row.cpl);
			goto out;
		}
		seen[b - r->bench][row.phase] = true;
		b->rows[row.phase] = row;
	}
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < r->nbench; i++)
		for (int p = 0; p < PHASE_COUNT; p++) {
			if (r->bench[i].has_phase[p] && !seen[i][p]) {
				ERR("%s: benchmark: no row for '%s' phase %s cpl %d, which run.json has",
					 l.in.path, r->bench[i].name, phase_name(p), r->bench[i].cpl);
				goto out;
			}
			r->bench[i].has_phase[p] = seen[i][p];
		}
	ret = 0;
out:
	lines_close(&l);
	return ret;
}

struct sample_line {
	char *field[6];
};

static int split_fields(char *line, struct sample_line *s)
{
	int n = 0;
	char *tok;

	line[strcspn(line, "\r\n")] = 0;
	while ((tok = strsep(&line, ",")) != NULL) {
		if (n == 6)
			return 7;
		s->field[n++] = tok;
	}
	return n;
}

static const char *const sample_cols[] = { "benchmark", "phase", "cpl", "index", "value", "unit" };

/* Where one series of samples.csv stands while it is read. */
struct series_fill {
	size_t n, cap;
};

/*
 * Grows a series as its lines arrive: summary.csv's count is only a claim
 * until the lines are there, so it bounds the series but sizes nothing.
 */
static int series_append(double **v, struct series_fill *f, double x)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 1024;
		double *p = realloc(*v, cap * sizeof(*p));

		if (!p)
			return -1;
		*v = p;
		f->cap = cap;
	}
	(*v)[f->n++] = x;
	return 0;
}

static int parse_sample(struct run_record *r, struct sample_line *s, struct series_fill *fills,
			char *msg, size_t len)
{
	struct bench_record *b;
	struct series_fill *fill;
	unsigned long long idx;
	long long cpl;
	double v;
	int p = phase_from_name(s->field[1]);

	if (parse_i64(s->field[2], 0, 3, &cpl) || (cpl != 0 && cpl != 3))
		return snprintf(msg, len, "cpl: bad value '%s'", s->field[2]), -1;
	if (p < 0)
		return snprintf(msg, len, "phase: bad value '%s'", s->field[1]), -1;
	b = run_record_find(r, s->field[0], cpl);
	if (!b || !b->has_phase[p])
		return snprintf(msg, len, "benchmark: '%s' phase %s cpl %lld is not in summary.csv",
				s->field[0], s->field[1], cpl), -1;
	if (parse_u64(s->field[3], ~0ull, &idx))
		return snprintf(msg, len, "index: bad value '%s'", s->field[3]), -1;
	if (parse_f64(s->field[4], &v) || fabs(v) > CSV_MAX_VALUE)
		return snprintf(msg, len, "value: bad value '%s'", s->field[4]), -1;
	if (strcmp(s->field[5], b->rows[p].unit))
		return snprintf(msg, len, "unit: '%s', summary.csv says '%s'", s->field[5],
				b->rows[p].unit), -1;
	/* Indices count up per series, so a lost or repeated line is caught. */
	fill = &fills[(b - r->bench) * PHASE_COUNT + p];
	if (idx != fill->n)
		return snprintf(msg, len, "index: %llu, expected %zu", idx, fill->n), -1;
	if (fill->n >= b->rows[p].samples)
		return snprintf(msg, len, "index: more samples than summary.csv's %zu",
				b->rows[p].samples), -1;
	if (series_append(&b->samples[p], fill, v))
		return snprintf(msg, len, "out of memory"), -1;
	return 0;
}

static int check_counts(const char *path, struct run_record *r, const struct series_fill *fill,
			char *err, size_t errlen)
{
	for (size_t i = 0; i < r->nbench; i++) {
		struct bench_record *b = &r->bench[i];

		for (int p = 0; p < PHASE_COUNT; p++) {
			size_t have = fill[i * PHASE_COUNT + p].n;

			if (!b->has_phase[p] || have == b->rows[p].samples)
				continue;
			return ERR("%s: samples: '%s' phase %s cpl %d has %zu, summary.csv says %zu",
				 path, b->name, phase_name(p), b->cpl, have, b->rows[p].samples);
		}
		b->nsamples = fill[i * PHASE_COUNT + PHASE_TOTAL].n;
	}
	return 0;
}

/*
 * The largest samples.csv that can match summary.csv: its header and one
 * line of at most RESULTS_SAMPLES_MAX_LINE bytes per sample counted there.
 */
static unsigned long long samples_max_bytes(const struct run_record *r)
{
	unsigned long long n = 1;

	for (size_t i = 0; i < r->nbench; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			if (r->bench[i].has_phase[p])
				n += r->bench[i].rows[p].samples;
	return n * RESULTS_SAMPLES_MAX_LINE;
}

/* Returns 1 if there is no samples.csv, 0 when loaded, -1 on bad input. */
static int load_samples(const char *dir, struct run_record *r, char *err, size_t errlen)
{
	static const char *const headers[] = { RESULTS_SAMPLES_HEADER, NULL };
	struct series_fill *count;
	struct sample_line s;
	struct lines l;
	char msg[256];
	int ret, rc, n;

	ret = lines_open(&l, dir, "samples.csv", samples_max_bytes(r), RESULTS_SAMPLES_MAX_LINE,
			 true, err, errlen);
	if (ret)
		return ret;
	ret = -1;
	count = calloc(r->nbench * PHASE_COUNT + 1, sizeof(*count));
	if (!count) {
		ERR("%s: %s", l.in.path, strerror(errno));
		goto out;
	}
	if (lines_header(&l, headers) < 0)
		goto out;
	while ((rc = lines_next(&l)) > 0) {
		n = split_fields(l.line, &s);
		if (n != 6) {
			lines_fail(&l, "%d columns, expected 6%s%s", n, n < 6 ? "; missing " : "",
				   n < 6 ? sample_cols[n] : "");
			goto out;
		}
		if (parse_sample(r, &s, count, msg, sizeof(msg))) {
			lines_fail(&l, "%s", msg);
			goto out;
		}
	}
	if (rc == 0)
		ret = check_counts(l.in.path, r, count, err, errlen);
out:
	free(count);
	lines_close(&l);
	return ret;
}

int results_dir_load(const char *dir, struct loaded_run *lr, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct stat st;
	int ret;

	memset(lr, 0, sizeof(*lr));
	snprintf(lr->dir, sizeof(lr->dir), "%s", dir);
	if (stat(dir, &st))
		return ERR("%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ERR("%s: not a directory", dir);
	snprintf(path, sizeof(path), "%s/run.json", dir);
	if (run_json_read(path, &lr->r, &lr->e, err, errlen))
		return -1;
	if (load_summary(dir, &lr->r, err, errlen))
		goto fail;
	ret = load_samples(dir, &lr->r, err, errlen);
	if (ret < 0)
		goto fail;
	lr->has_samples = ret == 0;
	return 0;
fail:
	run_record_free(&lr->r);
	return -1;
}

void results_dir_free(struct loaded_run *lr)
{
	run_record_free(&lr->r);
}
