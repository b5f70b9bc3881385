/* SPDX-License-Identifier: MIT */
/* A comparison of runs written out: the table on stdout, compare.csv, the plot. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
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

/* Rows the figures show: totals of exits and latencies (the floor is no cost). */
static bool plotted(const struct compare_table *t, const struct compare_row *row)
{
	return compare_shown(t, row) && row->phase == PHASE_TOTAL &&
	       compare_row_kind(t, row) != BENCH_KIND_FLOOR;
}

/* Labels are cut to this many characters in a figure (the table has them whole). */
#define PLOT_LABEL_MAX 24

/*
 * A gnuplot single-quoted string: quotes doubled, cut to @max characters
 * in the middle ('~'), so that labels which differ at their end (runs of
 * one CPU: 'EPYC ... (r1)', '... (r2)') stay apart.
 */
static void gp_str(FILE *f, const char *s, size_t max)
{
	size_t len = strlen(s), head = len > max ? (max - 1) / 2 : len;

	fputc('\'', f);
	for (size_t i = 0; i < len; i++) {
		if (i == head && len > max) {
			fputc('~', f);
			i = len - (max - 1 - head);
		}
		fprintf(f, s[i] == '\'' ? "''" : "%c", s[i]);
	}
	fputc('\'', f);
}

/* What the two figures draw: the rows by panel (exits, then latencies) and the axis. */
struct compare_fig {
	const struct compare_table *t;
	const struct compare_row **row;
	size_t nrows, nexit;		/* rows[0..nexit) exits, the rest latencies */
	size_t others[64 + 1], nothers;
	double m;			/* the axis runs from 1/m to m */
	size_t name_len;		/* the longest row name, for the left margin */
};

/*
 * A cell's whisker: the bootstrap CI of the ratio where there is one; else
 * the run's own 95% CI divided by the baseline's median (the baseline's
 * spread not included); none for an exact row.
 */
static void whisker(const struct compare_table *t, const struct compare_row *row, size_t i,
		    double *lo, double *hi)
{
	const struct compare_cell *c = &row->cell[i], *ref = &row->cell[t->base];

	*lo = *hi = c->ratio;
	if (c->test == COMPARE_TEST_BOOTSTRAP) {
		*lo = c->ratio_lo;
		*hi = c->ratio_hi;
	} else if (c->test != COMPARE_TEST_EXACT && ref->median > 0) {
		*lo = c->ci_lo / ref->median;
		*hi = c->ci_hi / ref->median;
	}
}

static bool usable(double r)
{
	return isfinite(r) && r > 0;
}

static int fig_collect(struct compare_fig *g, const struct compare_table *t)
{
	memset(g, 0, sizeof(*g));
	g->t = t;
	g->m = 1.1;
	g->row = malloc((t->nrows + 1) * sizeof(*g->row));
	if (!g->row)
		return -1;
	for (int kind = BENCH_KIND_EXIT; kind <= BENCH_KIND_LATENCY; kind++)
		for (size_t r = 0; r < t->nrows; r++) {
			const struct compare_row *row = &t->rows[r];

			if (!plotted(t, row) || compare_row_kind(t, row) != (enum bench_kind)kind)
				continue;
			g->row[g->nrows++] = row;
			g->nexit += kind == BENCH_KIND_EXIT;
			g->name_len = strlen(row->benchmark) > g->name_len ?
				      strlen(row->benchmark) : g->name_len;
		}
	for (size_t i = 0; i < t->nruns && g->nothers < 64; i++)
		if (i != t->base)
			g->others[g->nothers++] = i;
	/* The marks set the axis; a whisker longer than that is cut at the edge. */
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t k = 0; k < g->nothers; k++) {
			double v = g->row[r]->cell[g->others[k]].ratio;

			if (usable(v))
				g->m = fmax(g->m, fmax(v, 1 / v));
		}
	/* Room beyond the farthest mark; never past a factor of 1000 either way. */
	g->m = fmin(g->m * 1.08, 1000);
	return 0;
}

/* Round ticks, symmetric on the log axis: r and 1/r. */
static void ratio_ticks(FILE *f, const char *axis, double m, bool log2scale)
{
	static const double nice[] = { 1000, 100, 10, 5, 2, 1.5, 1.25, 1.1, 1.05, 1.02 };
	double pick[3];
	size_t n = 0;

	/*
	 * The largest that fits, then each at most 40% of the last on the log
	 * scale, none closer to 1 than a quarter of the axis: labels never touch.
	 */
	for (size_t i = 0; i < sizeof(nice) / sizeof(nice[0]) && n < 3; i++)
		if (nice[i] <= m && log(nice[i]) >= 0.25 * log(m) &&
		    (!n || log(nice[i]) <= 0.4 * log(pick[n - 1])))
			pick[n++] = nice[i];
	fprintf(f, "set %stics (\"1\" %g", axis, log2scale ? 0.0 : 1.0);
	for (size_t i = 0; i < n; i++) {
		if (log2scale)
			fprintf(f, ", \"%.3g\" %g, \"%.3g\" %g", pick[i], log2(pick[i]), 1 / pick[i],
				-log2(pick[i]));
		else
			fprintf(f, ", \"%.3g\" %g, \"%.3g\" %g", pick[i], pick[i], 1 / pick[i],
				1 / pick[i]);
	}
	fprintf(f, ")\n");
}

/* --- the ratio plot: a row per benchmark, a mark per run ------------------ */

static void ratio_data(FILE *f, const struct plot *plot)
{
	const struct compare_fig *g = plot->ctx;
	const struct compare_table *t = g->t;

	fprintf(f, "# panel  y  ratio  whisker_lo  whisker_hi  run  significant  benchmark\n"
		"# ratio: median / median of run %zu (%s), %s; panel 0 exits, 1 latencies; "
		"y counts from the top of each panel\n", t->base + 1, t->label[t->base],
		compare_unit_name(t));
	for (size_t r = 0; r < g->nrows; r++) {
		bool lat = r >= g->nexit;
		size_t y = lat ? r - g->nexit : r;

		for (size_t k = 0; k < g->nothers; k++) {
			size_t i = g->others[k];
			const struct compare_cell *c = &g->row[r]->cell[i];
			double lo, hi, off;

			if (!c->present || !usable(c->ratio))
				continue;
			whisker(t, g->row[r], i, &lo, &hi);
			/* Marks of one row side by side vertically, first run on top. */
			off = g->nothers > 1 ? 0.5 * ((double)k / (g->nothers - 1) - 0.5) : 0;
			fprintf(f, "%d %.3f %.6g %.6g %.6g %zu %d \"%s\"\n", lat, y + off,
				c->ratio, usable(lo) ? fmax(lo, 1 / g->m) : c->ratio,
				usable(hi) ? fmin(hi, g->m) : c->ratio, k + 1, c->significant == 1,
				g->row[r]->benchmark);
		}
	}
}

/* Filled and open versions of one shape per run; colours that survive greyscale. */
static const int pt_filled[] = { 7, 5, 9, 11, 13, 15 };
static const int pt_open[] = { 6, 4, 8, 10, 12, 14 };
static const char *const colour[] = { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
				       "#56B4E9" };

static void ratio_panel(FILE *f, const struct compare_fig *g, int panel, size_t n, bool last)
{
	size_t from = panel ? g->nexit : 0;

	fprintf(f, "set tmargin at screen (h - ytop) / h\nset bmargin at screen "
		"(h - ytop - %zu * rh) / h\n", n);
	fprintf(f, "set yrange [%zu - 0.5:-0.5]\n", n);
	fprintf(f, "set ytics (");
	for (size_t r = 0; r < n; r++) {
		fprintf(f, "%s", r ? ", " : "");
		gp_str(f, g->row[from + r]->benchmark, 64);
		fprintf(f, " %zu", r);
	}
	fprintf(f, ")\n");
	fprintf(f, "set label 1 %s at screen 0.1 / w, graph 1 offset 0, 0.7 left\n",
		panel ? "'Latencies, bursts (not single exits)'" : "'Exits'");
	if (last)
		fprintf(f, "set label 3 xl at screen 0.5, screen (h - ytop - %zu * rh - 2.4 * line) / h "
			"center\n", n);
	fprintf(f, "%s\n", last ? "set format x '%g'" : "set format x ''");
	fprintf(f, "plot ");
	for (size_t k = 0; k < g->nothers; k++) {
		size_t i = g->others[k];
		int s = k % 6;

		fprintf(f, "%s'compare.dat' using ($1 == %d && $6 == %zu ? $3 : 1/0):2:4:5 "
			"with xerrorbars pt 0 lc rgb '%s' notitle, \\\n"
			"     'compare.dat' using ($1 == %d && $6 == %zu && $7 > 0 ? $3 : 1/0):2 "
			"with points pt %d ps 1.1 lc rgb '%s' title (%d ? ", k ? ", \\\n     " : "",
			panel, k + 1, colour[s], panel, k + 1, pt_filled[s], colour[s], panel == 0);
		gp_str(f, g->t->label[i], PLOT_LABEL_MAX);
		fprintf(f, " : ''), \\\n     'compare.dat' using ($1 == %d && $6 == %zu && $7 == 0 ? $3 : "
			"1/0):2 with points pt %d ps 1.1 lc rgb '%s' notitle", panel, k + 1,
			pt_open[s], colour[s]);
	}
	fprintf(f, "\n");
	/* The next panel starts below this one's tics (and label, if any). */
	fprintf(f, "ytop = ytop + %zu * rh + gap\n", n);
}

static void ratio_script(FILE *f, const struct plot *plot)
{
	const struct compare_fig *g = plot->ctx;
	const struct compare_table *t = g->t;

	size_t percol;

	fprintf(f, "# Inches from the top: the key, then each panel (a title, its rows, x tics).\n"
		"rh = (size eq 'column') ? 0.16 : 0.2\n"
		"line = fs * 1.4 / 72.0\n"
		"gap = 2.2 * line + 0.2\n");
	/* The key: as many entries a line as the width holds, as many lines as needed. */
	percol = g->nothers > 1 ? 2 : 1;
	fprintf(f, "kcols = (size eq 'column') ? %zu : %zu\n"
		"ytop = 0.15 + line * ceil(%zu / (kcols * 1.0)) + 1.3 * line\n", percol,
		g->nothers < 3 ? g->nothers ? g->nothers : 1 : 3, g->nothers);
	fprintf(f, "# Left margin: the longest benchmark name at this font size.\n"
		"set lmargin at screen ((%zu * (fs - 1) * 0.8 / 72.0 + 0.3) / w)\n"
		"set rmargin at screen 1 - 0.15 / w\n", g->name_len);
	fprintf(f, "xl = \"");
	for (const char *c = t->label[t->base]; *c; c++)
		fputc(*c == '"' || *c == '\\' ? '\'' : *c, f);
	fprintf(f, "\"\nxl = 'median / median of ' . xl . ' (log scale)' . \"\\n\" . "
		"'filled: significant at 95%%; whiskers: 95%% CI'\n"
		"# Benchmark names a point smaller than the rest, in the terminal's font units.\n"
		"fscale = (fmt eq 'png') ? 150 / 72.0 : (fmt eq 'svg') ? 96 / 72.0 : 1\n"
		"yfont = sprintf(',%%g', (fs - 1) * fscale)\nset ytics font yfont\n");
	fprintf(f, "set logscale x 10\nset xrange [%.6g:%.6g]\n", 1 / g->m, g->m);
	ratio_ticks(f, "x", g->m, false);
	fprintf(f, "set grid xtics\nset ytics nomirror scale 0\nset bars small\n"
		"set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb 'black' dt 2\n"
		"set key at screen 0.5, screen 1 - 0.1 / h center top horizontal maxcols kcols "
		"samplen 1 box\n");
	if (!g->nrows || !g->nothers) {
		fprintf(f, "set label 2 'no benchmark in common' at graph 0.5, graph 0.5 center\n"
			"set yrange [0:1]\nplot 1/0 notitle\n");
		return;
	}
	fprintf(f, "set multiplot\n");
	if (g->nexit)
		ratio_panel(f, g, 0, g->nexit, g->nrows == g->nexit);
	if (g->nrows > g->nexit) {
		fprintf(f, "set key off\n");
		ratio_panel(f, g, 1, g->nrows - g->nexit, true);
	}
	fprintf(f, "unset multiplot\n");
}

/* --- the heatmap: benchmarks x runs, colour = ratio --------------------------- */

/*
 * The heatmap's colours span at most a factor 2 either way: wider, a few
 * far-off rows would wash out every other difference. Cells beyond are
 * drawn at the end colour, which the colour box labels as such.
 */
#define HEAT_MAX 2.0

static double heat_m(const struct compare_fig *g)
{
	return fmin(g->m, HEAT_MAX);
}

static void heat_data(FILE *f, const struct plot *plot)
{
	const struct compare_fig *g = plot->ctx;
	const struct compare_table *t = g->t;
	double m = heat_m(g);

	fprintf(f, "# column  row  log2(ratio)  ratio  mark   (ratio: median / median of run %zu, "
		"%s; row 0 at the top)\n", t->base + 1, compare_unit_name(t));
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t k = 0; k < g->nothers; k++) {
			const struct compare_cell *c = &g->row[r]->cell[g->others[k]];

			if (!c->present || !usable(c->ratio))
				fprintf(f, "%zu %zu - - \"\"\n", k, r);
			else
				fprintf(f, "%zu %zu %.6g %.6g \"%s\"\n", k, r,
					fmax(fmin(log2(c->ratio), log2(m)), -log2(m)), c->ratio,
					c->significant == 1 ? "*" : "");
		}
}

static void heat_script(FILE *f, const struct plot *plot)
{
	const struct compare_fig *g = plot->ctx;
	const struct compare_table *t = g->t;

	fprintf(f, "fscale = (fmt eq 'png') ? 150 / 72.0 : (fmt eq 'svg') ? 96 / 72.0 : 1\n"
		"set lmargin at screen ((%zu * (fs - 1) * 0.8 / 72.0 + 0.3) / w)\n"
		"set rmargin at screen 0.80\nset tmargin at screen 1 - 0.75 / h\n"
		"set bmargin at screen 1.3 / h\n", g->name_len);
	fprintf(f, "set label 2 \"median / median of ");
	for (const char *c = t->label[t->base]; *c; c++)
		fputc(*c == '"' || *c == '\\' ? '\'' : *c, f);
	fprintf(f, "\\n*: significant at 95%%\" at screen 0.1 / w, screen 1 - 0.15 / h left "
		"front\n");
	fprintf(f, "set xrange [-0.5:%zu - 0.5]\nset yrange [%zu - 0.5:-0.5]\n", g->nothers,
		g->nrows);
	fprintf(f, "set xtics rotate by 30 right scale 0 (");
	for (size_t k = 0; k < g->nothers; k++) {
		fprintf(f, "%s", k ? ", " : "");
		gp_str(f, t->label[g->others[k]], PLOT_LABEL_MAX);
		fprintf(f, " %zu", k);
	}
	fprintf(f, ")\nyfont = sprintf(',%%g', (fs - 1) * fscale)\nset ytics scale 0 font yfont\nset ytics (");
	for (size_t r = 0; r < g->nrows; r++) {
		fprintf(f, "%s", r ? ", " : "");
		gp_str(f, g->row[r]->benchmark, 64);
		fprintf(f, " %zu", r);
	}
	fprintf(f, ")\n");
	if (g->nexit && g->nexit < g->nrows)
		fprintf(f, "set arrow 1 from -0.5, %zu - 0.5 to %zu - 0.5, %zu - 0.5 nohead lw 2 "
			"lc rgb 'black' front\n", g->nexit, g->nothers, g->nexit);
	/* Blue faster, white equal, red slower; symmetric on the log scale. */
	fprintf(f, "set palette defined (-1 '#2166AC', 0 '#F7F7F7', 1 '#B2182B')\n"
		"set cbrange [%.6g:%.6g]\nset colorbox user origin screen 0.84, screen 1.3 / h "
		"size screen 0.03, screen (h - 2.05) / h\n", -log2(heat_m(g)), log2(heat_m(g)));
	if (g->m > HEAT_MAX)
		fprintf(f, "set cbtics (\"\u2264 0.5\" -1, \"0.8\" %g, \"1\" 0, \"1.25\" %g, "
			"\"\u2265 2\" 1)\n", log2(0.8), log2(1.25));
	else
		ratio_ticks(f, "cb", heat_m(g), true);
	fprintf(f, "set cblabel 'ratio (log)'\nunset key\n");
	fprintf(f, "plot 'compare-heatmap.dat' using 1:2:3 with image, \\\n"
		"     '' using 1:2:5 with labels\n");
}

/* The ratio plot, and the heatmap for more than three runs; each at page and column width. */
static int write_plot(const char *dir, const struct compare_table *t, enum plot_fmt fmt,
		      char *err, size_t errlen)
{
	struct compare_fig g;
	struct plot ratio = { "compare", "ratio of each run's median to the baseline's, "
			      "exits and latencies apart", 0, ratio_data, ratio_script, &g };
	struct plot heat = { "compare-heatmap", "benchmarks x runs, colour = ratio to the "
			     "baseline", 0, heat_data, heat_script, &g };
	int ret = -1;

	if (fig_collect(&g, t))
		return ERR("out of memory");
	/* Rows: the marks, and about four rows of title and tics per panel. */
	ratio.rows = (int)(g.nrows + 4 * (1 + (g.nexit && g.nrows > g.nexit)));
	heat.rows = (int)(g.nrows + 6);
	if (plot_write(dir, fmt, &ratio, err, errlen) ||
	    (t->nruns > 3 && plot_write(dir, fmt, &heat, err, errlen)) ||
	    plot_render_sizes(dir, "compare", fmt, true, err, errlen) ||
	    (t->nruns > 3 && plot_render_sizes(dir, "compare-heatmap", fmt, true, err, errlen)))
		goto out;
	ret = 0;
out:
	free(g.row);
	return ret;
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
	if (mkdir(dir, 0755) && errno != EEXIST)
		return ERR("cannot create %s: %s", dir, strerror(errno));
	if (write_csv(dir, t, err, errlen) ||
	    write_doc(dir, "compare.md", t, compare_md_table, err, errlen) ||
	    write_doc(dir, "compare.tex", t, compare_tex_table, err, errlen))
		return -1;
	return write_plot(dir, t, fmt, err, errlen);
}
