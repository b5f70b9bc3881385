/* SPDX-License-Identifier: MIT */
/* summary.csv: one row per benchmark and phase. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "csv.h"
#include "parse_num.h"
#include "run_json.h"

/* The first twelve columns are the original contract; later ones only append. */
const char csv_summary_header[] =
	"benchmark,phase,cpl,samples,min,p25,median,p75,p99,max,mean,unit,"
	"ci95_lo,ci95_hi,p5,p95,stddev,mad,outliers,status,reason,emulated,median_ns,runs,kind";

/* Before status/reason/emulated/median_ns/runs/kind were appended. */
const char csv_summary_header_v1[] =
	"benchmark,phase,cpl,samples,min,p25,median,p75,p99,max,mean,unit,"
	"ci95_lo,ci95_hi,p5,p95,stddev,mad,outliers";

/* The columns, in file order; the first CSV_COLUMNS_V1 are the original format. */
enum csv_col {
	COL_BENCHMARK, COL_PHASE, COL_CPL, COL_SAMPLES, COL_MIN, COL_P25, COL_MEDIAN,
	COL_P75, COL_P99, COL_MAX, COL_MEAN, COL_UNIT, COL_CI95_LO, COL_CI95_HI, COL_P5,
	COL_P95, COL_STDDEV, COL_MAD, COL_OUTLIERS,
	/* appended */
	COL_STATUS, COL_REASON, COL_EMULATED, COL_MEDIAN_NS, COL_RUNS, COL_KIND,
	COL_COUNT
};
_Static_assert(COL_COUNT == CSV_COLUMNS, "enum csv_col and CSV_COLUMNS disagree");
_Static_assert(COL_STATUS == CSV_COLUMNS_V1, "the original format ends before status");

/*
 * The statistics' columns: where each one is in a row (NULL for the other
 * columns), for the writer and the reader alike. A macro, so that a const
 * row gives const pointers.
 */
#define STAT_FIELDS(r) {							\
	[COL_MIN] = &(r)->min, [COL_P25] = &(r)->p25, [COL_MEDIAN] = &(r)->median,	\
	[COL_P75] = &(r)->p75, [COL_P99] = &(r)->p99, [COL_MAX] = &(r)->max,		\
	[COL_MEAN] = &(r)->mean, [COL_CI95_LO] = &(r)->ci95_lo,			\
	[COL_CI95_HI] = &(r)->ci95_hi, [COL_P5] = &(r)->p5, [COL_P95] = &(r)->p95,	\
	[COL_STDDEV] = &(r)->stddev, [COL_MAD] = &(r)->mad,				\
	[COL_MEDIAN_NS] = &(r)->median_ns,						\
}

/*
 * Two decimals, and never "-0.00"; a statistic that does not exist (a row
 * of a benchmark that was not measured) is an empty field.
 */
static void num(FILE *f, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		fputc(',', f);
		return;
	}
	snprintf(buf, sizeof(buf), "%.2f", v);
	fprintf(f, ",%s", strcmp(buf, "-0.00") ? buf : "0.00");
}

/* The statistics of columns @from..@to: only a measured row has them. */
static void stats(FILE *f, const struct summary_row *r, bool measured, int from, int to)
{
	const double *stat[CSV_COLUMNS] = STAT_FIELDS(r);

	for (int col = from; col <= to; col++)
		num(f, measured ? *stat[col] : NAN);
}

/* RFC 4180 quoting, only where needed: reasons are sentences with commas. */
static void text(FILE *f, const char *s)
{
	fputc(',', f);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
	fputc('"', f);
}

void csv_write_row(FILE *f, const struct summary_row *r)
{
	bool ok = summary_row_measured(r);

	fputs(r->benchmark, f);
	fprintf(f, ",%s,", phase_name(r->phase));
	if (r->cpl >= 0)
		fprintf(f, "%d", r->cpl);
	fprintf(f, ",%zu", r->samples);
	stats(f, r, ok, COL_MIN, COL_MEAN);
	fprintf(f, ",%s", r->unit[0] ? r->unit : "tsc_ticks");
	stats(f, r, ok, COL_CI95_LO, COL_MAD);
	fprintf(f, ",%zu", ok ? r->outliers : 0);
	text(f, r->status[0] ? r->status : "ok");
	text(f, r->reason);
	fprintf(f, ",%d", r->emulated ? 1 : 0);
	num(f, ok ? r->median_ns : NAN);
	fprintf(f, ",%u,%s\n", r->runs ? r->runs : 1, r->kind[0] ? r->kind : "exit");
}

int csv_write_summary(const char *path, const struct summary_row *rows, size_t n,
		      char *err, size_t errlen)
{
	struct atomic_file af;

	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	fprintf(af.f, "%s\n", csv_summary_header);
	for (size_t i = 0; i < n; i++)
		csv_write_row(af.f, &rows[i]);
	return atomic_file_commit(&af, err, errlen);
}

/* The appended columns: status, reason, emulated, the median in ns, runs. */
static void row_extras(const struct run_record *r, const struct bench_record *b,
		       struct summary_row *row)
{
	snprintf(row->status, sizeof(row->status), "%s", bench_status_name(b->status));
	snprintf(row->reason, sizeof(row->reason), "%s", b->reason);
	row->emulated = b->emulated;
	row->median_ns = r->tsc_khz > 0 && b->status == BENCH_OK ?
			 run_record_ns(r, row->median) : NAN;
	row->runs = b->runs ? b->runs : 1;
	snprintf(row->kind, sizeof(row->kind), "%s", bench_kind_name(b->kind));
}

size_t csv_rows(const struct run_record *r, struct summary_row **out)
{
	size_t n = 0;

	*out = calloc(r->nbench * PHASE_COUNT + 1, sizeof(**out));
	if (!*out)
		return 0;
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		/* Not measured: one row saying why, so no benchmark silently vanishes. */
		if (b->status != BENCH_OK) {
			struct summary_row *row = &(*out)[n++];

			snprintf(row->benchmark, sizeof(row->benchmark), "%s", b->name);
			row->phase = PHASE_TOTAL;
			row->cpl = b->cpl;
			snprintf(row->unit, sizeof(row->unit), "tsc_ticks");
			row_extras(r, b, row);
			continue;
		}
		for (int p = 0; p < PHASE_COUNT; p++) {
			if (!b->has_phase[p])
				continue;
			(*out)[n] = b->rows[p];
			row_extras(r, b, &(*out)[n++]);
		}
	}
	return n;
}

int csv_write_run(const char *path, const struct run_record *r, char *err, size_t errlen)
{
	struct summary_row *rows;
	size_t n = csv_rows(r, &rows);
	int ret;

	if (!rows)
		return ERR("%s: out of memory", path);
	ret = csv_write_summary(path, rows, n, err, errlen);
	free(rows);
	return ret;
}

static const char *const column_names[CSV_COLUMNS] = {
	"benchmark", "phase", "cpl", "samples", "min", "p25", "median", "p75",
	"p99", "max", "mean", "unit", "ci95_lo", "ci95_hi", "p5", "p95",
	"stddev", "mad", "outliers", "status", "reason", "emulated", "median_ns", "runs",
	"kind",
};

/* A number within @max; empty only where the row was not measured (then NaN). */
static int parse_bounded(const char *s, double *out, bool may_be_empty, double max)
{
	double v;

	if (!*s && may_be_empty) {
		*out = NAN;
		return 0;
	}
	if (parse_f64(s, &v) || fabs(v) > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double *out, bool may_be_empty)
{
	return parse_bounded(s, out, may_be_empty, CSV_MAX_VALUE);
}

/*
 * A count of samples: at most what one run can hold, so that nothing sized
 * from it (samples.csv's arrays) can overflow.
 */
static int parse_size(const char *s, size_t *out)
{
	unsigned long long v;

	if (parse_u64(s, CSV_MAX_SAMPLES, &v))
		return -1;
	*out = v;
	return 0;
}

static int copy_str(char *dst, size_t len, const char *s, bool may_be_empty)
{
	if ((!*s && !may_be_empty) || strlen(s) >= len)
		return -1;
	strcpy(dst, s);
	return 0;
}

/* @measured: the row has statistics (its status is ok, or the file predates status). */
static int parse_field(int col, const char *s, bool measured, struct summary_row *r)
{
	double *stat[CSV_COLUMNS] = STAT_FIELDS(r);
	size_t v;
	int p;

	switch (col) {
	case COL_BENCHMARK:
		return copy_str(r->benchmark, sizeof(r->benchmark), s, false);
	case COL_PHASE:
		p = phase_from_name(s);
		if (p < 0)
			return -1;
		r->phase = p;
		return 0;
	case COL_CPL:
		/* A benchmark that could not run at any CPL has none. */
		if (!*s && !measured) {
			r->cpl = -1;
			return 0;
		}
		if (strcmp(s, "0") && strcmp(s, "3"))
			return -1;
		r->cpl = atoi(s);
		return 0;
	case COL_SAMPLES:
		return parse_size(s, &r->samples);
	case COL_UNIT:
		return copy_str(r->unit, sizeof(r->unit), s, false);
	case COL_OUTLIERS:
		return parse_size(s, &r->outliers);
	case COL_STATUS:
		if (strcmp(s, "ok") && strcmp(s, "failed") && strcmp(s, "unsupported") &&
		    strcmp(s, "no_exit") && strcmp(s, "refused"))
			return -1;
		return copy_str(r->status, sizeof(r->status), s, false);
	case COL_REASON:
		return copy_str(r->reason, sizeof(r->reason), s, true);
	case COL_EMULATED:
		if (strcmp(s, "0") && strcmp(s, "1"))
			return -1;
		r->emulated = *s == '1';
		return 0;
	case COL_MEDIAN_NS:
		/* Empty where the TSC rate is unknown. */
		return parse_bounded(s, stat[col], true, CSV_MAX_NS);
	case COL_RUNS:
		if (parse_size(s, &v) || v < 1 || v > 1000000)
			return -1;
		r->runs = v;
		return 0;
	case COL_KIND:
		if (strcmp(s, "exit") && strcmp(s, "latency") && strcmp(s, "floor"))
			return -1;
		return copy_str(r->kind, sizeof(r->kind), s, false);
	default:
		return parse_double(s, stat[col], !measured);
	}
}

/*
 * Splits one line into fields (RFC 4180: quoted fields may hold commas and
 * doubled quotes). Returns the number of fields, or -1 for an unterminated
 * quote. At most @max fields are stored; more are counted.
 */
static int split_csv(char *buf, char **field, int max)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		char *start = p, *out = p;

		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return -1;
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			if (*p && *p != ',')
				return -1;
		} else {
			while (*p && *p != ',')
				p++;
			out = p;
		}
		if (n < max)
			field[n] = start;
		n++;
		if (!*p) {
			*out = 0;
			return n;
		}
		*out = 0;
		p++;
	}
}

int csv_parse_row_n(const char *line, struct summary_row *r, int *ncols, char *err,
		    size_t errlen)
{
	char buf[CSV_MAX_LINE], *field[CSV_COLUMNS];
	size_t len = strcspn(line, "\r\n");
	bool measured;
	int n;

	if (len >= sizeof(buf))
		return ERR("line too long");
	memcpy(buf, line, len);
	buf[len] = 0;
	memset(r, 0, sizeof(*r));
	r->median_ns = NAN;
	r->runs = 1;
	n = split_csv(buf, field, CSV_COLUMNS);
	if (n < 0)
		return ERR("unterminated quote");
	/* Values first: a stray comma is reported at the value it displaced. */
	measured = n != CSV_COLUMNS || !strcmp(field[COL_STATUS], "ok");
	for (int col = 0; col < n && col < (n == CSV_COLUMNS ? n : CSV_COLUMNS_V1); col++) {
		if (parse_field(col, field[col], measured, r))
			return ERR("bad value '%s' in column '%s'", field[col],
				 column_names[col]);
	}
	if (n > CSV_COLUMNS)
		return ERR("more than %d columns", CSV_COLUMNS);
	if (n != CSV_COLUMNS_V1 && n != CSV_COLUMNS) {
		if (n > CSV_COLUMNS_V1)
			ERR("%d columns: more than the %d of the original format, "
				 "fewer than %d; missing '%s'", n, CSV_COLUMNS_V1, CSV_COLUMNS,
				 column_names[n]);
		else
			ERR("%d columns, expected %d (truncated line?); missing '%s'",
				 n, CSV_COLUMNS, column_names[n]);
		return -1;
	}
	*ncols = n;
	return 0;
}

int csv_parse_row(const char *line, struct summary_row *r, char *err, size_t errlen)
{
	int n;

	return csv_parse_row_n(line, r, &n, err, errlen);
}
