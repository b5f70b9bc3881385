/* SPDX-License-Identifier: MIT */
/* A comparison of runs written out: the table on stdout, compare.csv, the plot. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "compare.h"
#include "run_json.h"

static void csv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.6g", v);
	else
		fprintf(f, ",");
}

static int write_csv(const char *dir, const struct compare_table *t, char *err, size_t errlen)
{
	struct atomic_file af;
	char path[4096];

	snprintf(path, sizeof(path), "%s/compare.csv", dir);
	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	fprintf(af.f, "benchmark,phase,cpl,unit,run,label,median,ci95_lo,ci95_hi,ratio,"
		"ratio_ci95_lo,ratio_ci95_hi,significant,test\n");
	for (size_t r = 0; r < t->nrows; r++) {
		const struct compare_row *row = &t->rows[r];

		if (!compare_shown(t, row))
			continue;
		for (size_t i = 0; i < t->nruns; i++) {
			const struct compare_cell *c = &row->cell[i];
			const char *sig = c->significant == 1 ? "yes" : c->significant == 0 ? "no" : "";

			fprintf(af.f, "%s,%s,%d,%s,%zu,\"%s\"", row->benchmark, phase_name(row->phase),
				row->cpl, row->unit, i + 1, t->label[i]);
			csv_num(af.f, c->present ? c->median : NAN);
			csv_num(af.f, c->present ? c->ci_lo : NAN);
			csv_num(af.f, c->present ? c->ci_hi : NAN);
			csv_num(af.f, c->ratio);
			csv_num(af.f, c->ratio_lo);
			csv_num(af.f, c->ratio_hi);
			fprintf(af.f, ",%s,%s\n", sig, c->test ? compare_test_name(c->test) : "");
		}
	}
	return atomic_file_commit(&af, err, errlen);
}

/* The floor (nop) is no exit cost: it stays out of the plot. */
static bool is_floor(const struct compare_table *t, const struct compare_row *row)
{
	for (size_t i = 0; i < t->nruns; i++) {
		const struct bench_record *br = run_record_find(&t->runs[i]->r, row->benchmark,
								row->cpl);

		if (br)
			return br->kind == BENCH_KIND_FLOOR;
	}
	return false;
}

static bool plotted(const struct compare_table *t, const struct compare_row *row)
{
	return compare_shown(t, row) && row->phase == PHASE_TOTAL && !is_floor(t, row);
}

/* The plot's groups (the rows it shows, in table order) and its value axis. */
struct compare_plot {
	const struct compare_table *t;
	const struct compare_row **group;
	size_t groups;
	struct plot_axis x;
};

static void plot_data(FILE *f, const struct plot *plot)
{
	const struct compare_plot *p = plot->ctx;
	const struct compare_table *t = p->t;

	fprintf(f, "# benchmark  y  median  ci95_lo  ci95_hi  run   (%s; phase total; "
		"first benchmark at the top)\n", t->unit == COMPARE_NS ? "ns" : "TSC ticks");
	for (size_t g = 0; g < p->groups; g++) {
		const struct compare_row *row = p->group[g];

		for (size_t i = 0; i < t->nruns; i++) {
			const struct compare_cell *c = &row->cell[i];
			/* Groups from the top; inside a group run 1 on top. */
			double y = (double)(p->groups - 1 - g) * (t->nruns + 1) + (t->nruns - 1 - i);

			if (!c->present)
				continue;
			fprintf(f, "\"%s\" %.1f %.6g %.6g %.6g %zu\n", row->benchmark, y, c->median,
				p->x.log ? fmax(c->ci_lo, p->x.base) : c->ci_lo, c->ci_hi, i + 1);
		}
	}
}

static void plot_script(FILE *f, const struct plot *plot)
{
	const struct compare_plot *p = plot->ctx;
	const struct compare_table *t = p->t;

	fprintf(f, "if (size eq 'page') set title 'Median cost per run (95%% CI)'\n"
		"set xlabel 'median, %s (phase total)'\nset grid xtics mxtics\n"
		"set style fill solid 0.7 border -1\nset key tmargin left vertical maxrows 2\n"
		"set ytics nomirror scale 0\nset yrange [-1:%zu]\nbase = %.6g\n",
		t->unit == COMPARE_NS ? "ns, floor subtracted" : "TSC ticks, floor subtracted",
		p->groups * (t->nruns + 1) - 1, p->x.base);
	if (p->x.log)
		plot_log_axis(f, 'x', p->x.base, p->x.hi * 1.3);
	else
		fprintf(f, "set xrange [0:*]\n");
	/* One label per benchmark, at the middle of its group. */
	fprintf(f, "set ytics (");
	for (size_t g = 0; g < p->groups; g++)
		fprintf(f, "%s\"%s\" %.1f", g ? ", " : "", p->group[g]->benchmark,
			(double)(p->groups - 1 - g) * (t->nruns + 1) + (t->nruns - 1) / 2.0);
	fprintf(f, ")\n");
	fprintf(f, "array label[%zu]\n", t->nruns);
	for (size_t i = 0; i < t->nruns; i++) {
		fprintf(f, "label[%zu] = '", i + 1);
		for (const char *c = t->label[i]; *c; c++)
			fprintf(f, *c == '\'' ? "''" : "%c", *c);
		fprintf(f, "'\n");
	}
	if (!p->groups)
		fprintf(f, "set label 'no benchmark in common' at graph 0.5, graph 0.5 center\n"
			"plot 1/0 notitle\n");
	else
		fprintf(f, "plot for [i=1:%zu] 'compare.dat' using ($6 == i ? (base+$3)/2 : 1/0):2:"
			"(base):3:($2-0.4):($2+0.4) with boxxyerror title label[i], \\\n"
			"     'compare.dat' using 3:2:4:5 with xerrorbars pt 0 lc rgb 'black' "
			"notitle\n", t->nruns);
}

/*
 * Totals only, one group of horizontal bars per benchmark (one bar per
 * run, the key names the runs), one label per group; log x when the
 * medians span more than a factor PLOT_LOG_RANGE.
 */
static int write_plot(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		      char *err, size_t errlen)
{
	struct compare_plot cp = { t, NULL, 0, PLOT_AXIS_EMPTY };
	struct plot p = { "compare", "medians of several runs, grouped by benchmark", 0,
			  plot_data, plot_script, &cp };
	int ret;

	cp.group = malloc((t->nrows + 1) * sizeof(*cp.group));
	if (!cp.group) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (!plotted(t, &t->rows[r]))
			continue;
		cp.group[cp.groups++] = &t->rows[r];
		for (size_t i = 0; i < t->nruns; i++)
			if (t->rows[r].cell[i].present)
				plot_axis_add(&cp.x, t->rows[r].cell[i].median, t->rows[r].cell[i].ci_hi);
	}
	plot_axis_decide(&cp.x);
	p.rows = (int)(cp.groups * (t->nruns + 1) / 2 + 2 + t->nruns);
	ret = plot_write(dir, fmt, &p, err, errlen);
	free(cp.group);
	return ret ? -1 : plot_render(dir, "compare", fmt, err, errlen);
}

static int write_doc(const char *dir, const char *name, const struct compare_table *t,
		     void (*doc)(FILE *, const struct compare_table *), char *err, size_t errlen)
{
	struct atomic_file af;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	doc(af.f, t);
	return atomic_file_commit(&af, err, errlen);
}

int compare_write(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		  char *err, size_t errlen)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (write_csv(dir, t, err, errlen) ||
	    write_doc(dir, "compare.md", t, compare_md_table, err, errlen) ||
	    write_doc(dir, "compare.tex", t, compare_tex_table, err, errlen))
		return -1;
	return write_plot(dir, t, fmt, err, errlen);
}
