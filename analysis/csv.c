/* SPDX-License-Identifier: MIT */
/* summary.csv: one row per benchmark and phase. */
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "csv.h"
#include "parse_num.h"

/* The first twelve columns are the original contract; later ones only append. */
const char csv_summary_header[] =
	"benchmark,phase,cpl,samples,min,p25,median,p75,p99,max,mean,unit,"
	"ci95_lo,ci95_hi,p5,p95,stddev,mad,outliers";

#define CSV_COLUMNS 19

void csv_write_row(FILE *f, const struct summary_row *r)
{
	fprintf(f, "%s,%s,%d,%zu,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%s,"
		"%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%zu\n",
		r->benchmark, phase_name(r->phase), r->cpl, r->samples,
		r->min, r->p25, r->median, r->p75, r->p99, r->max, r->mean, r->unit,
		r->ci95_lo, r->ci95_hi, r->p5, r->p95, r->stddev, r->mad, r->outliers);
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

static const char *const column_names[CSV_COLUMNS] = {
	"benchmark", "phase", "cpl", "samples", "min", "p25", "median", "p75",
	"p99", "max", "mean", "unit", "ci95_lo", "ci95_hi", "p5", "p95",
	"stddev", "mad", "outliers",
};

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

static int parse_field(int col, const char *s, struct summary_row *r)
{
	double *dst[CSV_COLUMNS] = {
		[4] = &r->min, [5] = &r->p25, [6] = &r->median, [7] = &r->p75,
		[8] = &r->p99, [9] = &r->max, [10] = &r->mean, [12] = &r->ci95_lo,
		[13] = &r->ci95_hi, [14] = &r->p5, [15] = &r->p95, [16] = &r->stddev,
		[17] = &r->mad,
	};
	int p;

	switch (col) {
	case 0:
		if (!*s || strlen(s) >= sizeof(r->benchmark))
			return -1;
		strcpy(r->benchmark, s);
		return 0;
	case 1:
		p = phase_from_name(s);
		if (p < 0)
			return -1;
		r->phase = p;
		return 0;
	case 2:
		if (strcmp(s, "0") && strcmp(s, "3"))
			return -1;
		r->cpl = atoi(s);
		return 0;
	case 3:
		return parse_size(s, &r->samples);
	case 11:
		if (!*s || strlen(s) >= sizeof(r->unit))
			return -1;
		strcpy(r->unit, s);
		return 0;
	case 18:
		return parse_size(s, &r->outliers);
	default:
		return parse_f64(s, dst[col]);
	}
}

int csv_parse_row(const char *line, struct summary_row *r, char *err, size_t errlen)
{
	char buf[1024], *save = NULL, *tok;
	size_t len = strcspn(line, "\r\n");
	int col = 0;

	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = 0;
	memset(r, 0, sizeof(*r));
	/* strsep keeps empty fields, so "a,,b" is an error in the right column. */
	save = buf;
	while ((tok = strsep(&save, ",")) != NULL) {
		if (col >= CSV_COLUMNS) {
			snprintf(err, errlen, "more than %d columns", CSV_COLUMNS);
			return -1;
		}
		if (parse_field(col, tok, r)) {
			snprintf(err, errlen, "bad value '%s' in column '%s'", tok,
				 column_names[col]);
			return -1;
		}
		col++;
	}
	if (col != CSV_COLUMNS) {
		snprintf(err, errlen, "%d columns, expected %d (truncated line?); missing '%s'",
			 col, CSV_COLUMNS, column_names[col]);
		return -1;
	}
	return 0;
}
