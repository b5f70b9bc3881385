/* SPDX-License-Identifier: MIT */
/*
 * The plots of one run: medians and latencies (horizontal bars), the
 * exit/handler/entry split, and one CDF per benchmark.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "csv.h"
#include "input_file.h"
#include "parse_num.h"
#include "plot.h"
#include "stats.h"

/* A CDF with more points than this is drawn from evenly spaced quantiles. */
#define CDF_POINTS 2000
/* A cdf-*.dat read back: its header and CDF_POINTS + 1 lines of "%.17g %.9f". */
#define CDF_DAT_MAX_LINE 128
#define CDF_DAT_MAX_BYTES ((CDF_POINTS + 2) * CDF_DAT_MAX_LINE)

/* What the run's plots are drawn from, where they go, and the stems written so far. */
struct run_plots {
	const char *dir;
	const struct run_record *r;
	const struct env_record *e;
	enum plot_fmt fmt;
	char (*stems)[200];
	size_t n;
	char *err;
	size_t errlen;
};

/* Writes @p and keeps its stem for rendering once every plot is written. */
static int add_plot(struct run_plots *rp, const struct plot *p)
{
	if (plot_write(rp->dir, rp->fmt, p, rp->err, rp->errlen))
		return -1;
	snprintf(rp->stems[rp->n++], sizeof(rp->stems[0]), "%s", p->stem);
	return 0;
}

/* Data-file strings are double-quoted; keep " and newlines out of them. */
static void dat_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\n' ? '\'' : *s, f);
	fputc('"', f);
}

/*
 * Plots are in ns where the TSC rate is known (round ticks, a unit a
 * reader knows), TSC ticks otherwise; the .dat files keep both.
 */
static const char *unit_label(double tsc_khz)
{
	return tsc_khz > 0 ? "ns" : "TSC ticks";
}

static double to_unit(double tsc_khz, double ticks)
{
	return tsc_khz > 0 ? ticks * 1e6 / tsc_khz : ticks;
}

/*
 * The title only at page width: at column width the paper's caption says
 * it. But for an emulated CPU, whose ticks are no hardware cost: that is
 * said at both widths.
 */
static void title_line(FILE *f, const char *what, const struct run_record *r,
		       const struct env_record *e)
{
	char buf[900], cpu[512], emul[128] = "";
	const char *brief = "";

	if (!strcmp(r->emulator, "tcg")) {
		snprintf(emul, sizeof(emul), "CPU emulated by QEMU's TCG: behaviour, not hardware cost");
		brief = "emulated CPU (QEMU TCG): not hardware cost";
	} else if (!strcmp(r->emulator, "bochs")) {
		snprintf(emul, sizeof(emul), "CPU emulated by Bochs: path lengths, not hardware cost");
		brief = "emulated CPU (Bochs): not hardware cost";
	}
	env_cpu_label(e, cpu, sizeof(cpu));
	snprintf(buf, sizeof(buf), "%s\n%s, Linux %s, %s%s%s", what, cpu, e->kernel, e->kvm_module,
		 emul[0] ? "\n" : "", emul);
	if (emul[0])
		fprintf(f, "if (size ne 'page') set title \"%s\"\n", brief);
	/*
	 * Centred on the image, not on the plot area, which long benchmark
	 * names push to the right (a title there was cut at the right edge):
	 * an empty title of as many lines keeps the room, a label holds the
	 * text.
	 */
	fprintf(f, "if (size eq 'page') set title \"%s\"; set label 999 ", emul[0] ? "\\n\\n" :
		"\\n");
	/* Not dat_quote: the title has several lines on purpose. */
	fputc('"', f);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
	fprintf(f, "\" at screen 0.5, graph 1 center offset 0, char %.1f front\n",
		emul[0] ? 3.1 : 2.6);
}

static void bench_label(const struct bench_record *b, char *out, size_t len)
{
	snprintf(out, len, "%s%s", b->name, b->emulated ? " (emul.)" : "");
}

/* A bar's line in a .dat file starts with its label, quoted. */
static void dat_label(FILE *f, const struct bench_record *b)
{
	char label[160];

	bench_label(b, label, sizeof(label));
	dat_quote(f, label);
}

/* --- medians and latencies: one horizontal bar per benchmark -------------- */

struct bars {
	const struct run_record *r;
	const struct env_record *e;
	enum bench_kind kind;
	int n;
	struct plot_axis x;
};

static bool in_bars(const struct bench_record *b, enum bench_kind kind)
{
	return b->status == BENCH_OK && b->has_phase[PHASE_TOTAL] && b->kind == kind;
}

static void bars_data(FILE *f, const struct plot *plot)
{
	const struct bars *p = plot->ctx;
	const struct run_record *r = p->r;

	fprintf(f, "# benchmark  median  ci95_lo  ci95_hi  (%s)  median_ticks   "
		"(timer floor subtracted; phase total; top row first)\n", unit_label(r->tsc_khz));
	/* gnuplot counts rows from the bottom: write the catalog order reversed. */
	for (size_t i = r->nbench; i-- > 0;) {
		const struct bench_record *b = &r->bench[i];
		const struct summary_row *t = &b->rows[PHASE_TOTAL];

		if (!in_bars(b, p->kind))
			continue;
		dat_label(f, b);
		fprintf(f, " %.6g %.6g %.6g %.6g\n", to_unit(r->tsc_khz, t->median),
			fmax(to_unit(r->tsc_khz, t->ci95_lo), p->x.log ? p->x.base : -INFINITY),
			to_unit(r->tsc_khz, t->ci95_hi), t->median);
	}
}

static void bars_script(FILE *f, const struct plot *plot)
{
	const struct bars *p = plot->ctx;

	title_line(f, plot->what, p->r, p->e);
	fprintf(f, "set xlabel 'median, %s (95%% CI; timer floor subtracted)'\n",
		unit_label(p->r->tsc_khz));
	if (p->x.log)
		plot_log_axis(f, 'x', p->x.base, p->x.hi * 1.3);
	else
		fprintf(f, "set xrange [0:*]\nset offsets 0, graph 0.05, 0, 0\n"
			"set format x '%%.0s%%c'\n");
	fprintf(f, "set yrange [-0.7:%d-0.3]\nset ytics nomirror scale 0\nset grid xtics mxtics\n"
		"set style fill solid 0.6 border -1\nunset key\nbase = %.6g\n"
		"plot '%s.dat' using ((base+$2)/2):0:(base):2:($0-0.35):($0+0.35):ytic(1) "
		"with boxxyerror lc rgb '#3465a4', \\\n"
		"     '' using 2:0:3:4 with xerrorbars pt 0 lc rgb 'black'\n", p->n, p->x.base,
		plot->stem);
}

/*
 * Horizontal bars, one per benchmark of @kind (names read level, none is
 * cut), median with its 95% CI, in ns where the rate is known.
 */
static int write_bars(struct run_plots *rp, enum bench_kind kind, const char *stem,
		      const char *what)
{
	const struct run_record *r = rp->r;
	struct bars b = { r, rp->e, kind, 0, PLOT_AXIS_EMPTY };
	struct plot p = { stem, what, 0, bars_data, bars_script, &b };

	for (size_t i = 0; i < r->nbench; i++) {
		const struct summary_row *t = &r->bench[i].rows[PHASE_TOTAL];

		if (!in_bars(&r->bench[i], kind))
			continue;
		b.n++;
		plot_axis_add(&b.x, to_unit(r->tsc_khz, t->median),
			      to_unit(r->tsc_khz, fmax(t->ci95_hi, t->median)));
	}
	if (!b.n)
		return 0;
	plot_axis_decide(&b.x);
	p.rows = b.n;
	return add_plot(rp, &p);
}

/* --- the phase split: stacked exit/handler/entry medians ------------------ */

/*
 * The handler is often 0.3% of the total: it is drawn at least HANDLER_MIN
 * of the widest bar wide, in a colour that stands out, and its value is
 * printed.
 */
#define HANDLER_MIN 0.015

struct phases {
	const struct run_record *r;
	const struct env_record *e;
	int n;
	double widest;
};

static void phases_data(FILE *f, const struct plot *plot)
{
	const struct phases *p = plot->ctx;
	const struct run_record *r = p->r;

	fprintf(f, "# benchmark  exit  handler  entry  total  handler_drawn   (median %s per "
		"phase; top row first)\n", unit_label(r->tsc_khz));
	for (size_t i = r->nbench; i-- > 0;) {
		const struct bench_record *b = &r->bench[i];
		double h;

		if (!bench_has_split(b))
			continue;
		h = to_unit(r->tsc_khz, b->rows[PHASE_HANDLER].median);
		dat_label(f, b);
		fprintf(f, " %.6g %.6g %.6g", to_unit(r->tsc_khz, b->rows[PHASE_EXIT].median), h,
			to_unit(r->tsc_khz, b->rows[PHASE_ENTRY].median));
		fprintf(f, " %.6g", to_unit(r->tsc_khz, b->rows[PHASE_TOTAL].median));
		fprintf(f, " %.6g\n", fmax(h, HANDLER_MIN * p->widest));
	}
}

static void phases_script(FILE *f, const struct plot *plot)
{
	const struct phases *p = plot->ctx;

	title_line(f, "Where an exit's time goes (median of each phase)", p->r, p->e);
	fprintf(f, "set xlabel 'median, %s (handler drawn at least %.1f%% wide)'\n",
		unit_label(p->r->tsc_khz), 100 * HANDLER_MIN);
	fprintf(f, "set format x '%%.0s%%c'\n");
	fprintf(f, "set xrange [0:%.6g]\nset yrange [-0.7:%d-0.3]\nset ytics nomirror scale 0\n"
		"set grid xtics\nset style fill solid 0.8 border -1\n"
		"set key below horizontal samplen 1.5 maxrows 1\n", p->widest * 1.3, p->n);
	fprintf(f, "plot 'phases.dat' using ($2/2):0:(0):2:($0-0.35):($0+0.35):ytic(1) "
		"with boxxyerror lc rgb '#3465a4' title 'exit', \\\n"
		"     '' using ($2+$6/2):0:2:($2+$6):($0-0.35):($0+0.35) with boxxyerror "
		"lc rgb '#f57900' title 'handler', \\\n"
		"     '' using ($2+$6+$4/2):0:($2+$6):($2+$6+$4):($0-0.35):($0+0.35) with boxxyerror "
		"lc rgb '#73d216' title 'entry', \\\n"
		"     '' using ($2+$6+$4):0:(sprintf(' handler %%.0f', $3)) with labels left "
		"notitle, \\\n"
		"     '' using 5:0 with points pt 2 ps 1 lc rgb 'black' title 'total'\n");
}

/* One stacked bar per split benchmark. */
static int write_phases(struct run_plots *rp)
{
	const struct run_record *r = rp->r;
	struct phases ph = { r, rp->e, 0, 0 };
	struct plot p = { "phases", "exit/handler/entry split, stacked medians", 0, phases_data,
			  phases_script, &ph };

	for (size_t i = 0; i < r->nbench; i++)
		if (bench_has_split(&r->bench[i])) {
			ph.n++;
			ph.widest = fmax(ph.widest,
					 to_unit(r->tsc_khz, r->bench[i].rows[PHASE_TOTAL].median));
		}
	if (!ph.n)
		return 0;
	p.rows = ph.n + 2;
	return add_plot(rp, &p);
}

/* --- the distribution of one benchmark's samples -------------------------- */

struct cdf {
	const struct run_record *r;
	const struct env_record *e;
	const struct bench_record *b;
	const double *v;	/* sorted */
	size_t nv, n;		/* values in @v; samples in all */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void cdf_data(FILE *f, const struct plot *plot)
{
	const struct cdf *c = plot->ctx;
	size_t n = c->nv;

	fprintf(f, "# value (TSC ticks, floor subtracted)  cumulative fraction   %zu samples\n", c->n);
	if (n <= CDF_POINTS) {
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%.17g %.9f\n", c->v[i], (double)(i + 1) / n);
		return;
	}
	/* Evenly spaced ranks, always including the first and the last sample. */
	for (size_t k = 0; k <= CDF_POINTS; k++) {
		size_t i = (size_t)((double)k * (n - 1) / CDF_POINTS);

		fprintf(f, "%.17g %.9f\n", c->v[i], (double)(i + 1) / n);
	}
}

/*
 * The x axis ends past p99.9, not at the maximum, so the body of the
 * distribution is not squeezed into the left edge; log where the values
 * are all positive.
 */
static void cdf_script(FILE *f, const struct plot *plot)
{
	const struct cdf *c = plot->ctx;
	const double *v = c->v;
	size_t nv = c->nv;
	double k = to_unit(c->r->tsc_khz, 1), lo, hi, p999, med, p99;
	char title[256], label[160];

	lo = stats_quantile_sorted(v, nv, 0.001) * k;
	p999 = stats_quantile_sorted(v, nv, 0.999) * k;
	med = stats_quantile_sorted(v, nv, 0.5) * k;
	p99 = stats_quantile_sorted(v, nv, 0.99) * k;
	hi = p999 > 0 ? p999 * 1.25 : p999 + fabs(med) + 1;
	bench_label(c->b, label, sizeof(label));
	snprintf(title, sizeof(title), "CDF of %s, CPL%d, %zu samples", label, c->b->cpl, c->n);
	title_line(f, title, c->r, c->e);
	fprintf(f, "set xlabel '%s (timer floor of %.0f ticks subtracted; axis ends past "
		"p99.9; max %.0f)'\n", unit_label(c->r->tsc_khz), c->b->floor, v[nv - 1] * k);
	fprintf(f, "set ylabel 'fraction of samples'\nset yrange [0:1]\nset grid xtics mxtics ytics\n"
		"unset key\nk = %.9g\n", k);
	if (lo > 0)
		plot_log_axis(f, 'x', pow(10, floor(log10(lo))), hi);
	else
		fprintf(f, "set xrange [%.6g:%.6g]\n", lo - 0.05 * fabs(hi - lo), hi);
	fprintf(f, "median = %.6g\np99 = %.6g\n"
		"set arrow from median, graph 0 to median, graph 1 nohead dt 2 lc rgb 'gray40'\n"
		"set label 'median' at median, graph 0.08 offset 0.5,0\n"
		"set arrow from p99, graph 0 to p99, graph 1 nohead dt 3 lc rgb 'gray40'\n"
		"set label 'p99' at p99, graph 0.92 offset 0.5,0\n", med, p99);
	fprintf(f, "plot '%s.dat' using ($1*k):2 with steps lw 2 lc rgb '#3465a4'\n", plot->stem);
}

/*
 * The CDF of @nv values (sorted here): all samples, or the points of an
 * earlier cdf-*.dat when samples.csv was not kept; @n samples in all.
 */
static int write_cdf_from(struct run_plots *rp, const struct bench_record *b, double *v,
			  size_t nv, size_t n, const char *stem)
{
	struct cdf c = { rp->r, rp->e, b, v, nv, n };
	struct plot p = { stem, "distribution (CDF) of one benchmark's samples", 0, cdf_data,
			  cdf_script, &c };

	qsort(v, nv, sizeof(*v), cmp_double);
	return add_plot(rp, &p);
}

static int cdf_stem(const struct bench_record *b, char *stem, size_t stemlen, char *err,
		    size_t errlen)
{
	char name[200];

	plot_file_stem(b->name, name, sizeof(name));
	if (snprintf(stem, stemlen, "cdf-%s-cpl%d", name, b->cpl) >= (int)stemlen)
		return ERR("cdf %s: name too long", b->name);
	return 0;
}

static int write_cdf(struct run_plots *rp, const struct bench_record *b, const char *stem)
{
	size_t n = b->rows[PHASE_TOTAL].samples;
	double *v = malloc(n * sizeof(*v));
	int ret;

	if (!v) {
		snprintf(rp->err, rp->errlen, "cdf %s: out of memory", b->name);
		return -1;
	}
	memcpy(v, b->samples[PHASE_TOTAL], n * sizeof(*v));
	ret = write_cdf_from(rp, b, v, n, n, stem);
	free(v);
	return ret;
}

/*
 * Without samples (no samples.csv), an earlier cdf-*.dat still holds the
 * distribution at 2001 ranks: the CDF is restyled from it rather than
 * silently left out. Returns 1 when there is no such file.
 */
static int rewrite_cdf(struct run_plots *rp, const struct bench_record *b, const char *stem)
{
	char path[4400];
	double v[CDF_POINTS + 1], y;
	struct input_file in;
	size_t nv = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.dat", rp->dir, stem);
	rc = input_file_open(&in, path, CDF_DAT_MAX_BYTES, CDF_DAT_MAX_LINE, true, rp->err,
			     rp->errlen);
	if (rc)
		return rc;
	/* The header, then "<value> <fraction>" per point, as cdf_data writes them. */
	rc = input_file_line(&in);
	while (rc > 0 && (rc = input_file_line(&in)) > 0) {
		char *x = in.line, *sp = strchr(x, ' ');

		in.line[strcspn(in.line, "\r\n")] = 0;
		if (!sp || nv == CDF_POINTS + 1) {
			rc = -1;
			snprintf(rp->err, rp->errlen, "%s: line %zu: %s", path, in.lineno,
				 sp ? "more points than a CDF has" : "not '<value> <fraction>'");
			break;
		}
		*sp = 0;
		if (parse_f64(x, &v[nv]) || fabs(v[nv]) > CSV_MAX_VALUE || parse_f64(sp + 1, &y)) {
			rc = -1;
			snprintf(rp->err, rp->errlen, "%s: line %zu: not '<value> <fraction>'",
				 path, in.lineno);
			break;
		}
		nv++;
	}
	input_file_close(&in);
	if (rc < 0)
		return -1;
	if (!nv) {
		snprintf(rp->err, rp->errlen, "%s: no data", path);
		return -1;
	}
	return write_cdf_from(rp, b, v, nv, b->rows[PHASE_TOTAL].samples, stem);
}

/* One benchmark's CDF, from its samples or else from its earlier plot. */
static int write_bench_cdf(struct run_plots *rp, const struct bench_record *b)
{
	char stem[200];
	int rc;

	if (cdf_stem(b, stem, sizeof(stem), rp->err, rp->errlen))
		return -1;
	if (b->samples[PHASE_TOTAL])
		return write_cdf(rp, b, stem);
	rc = rewrite_cdf(rp, b, stem);
	if (rc > 0)
		fprintf(stderr, "vmexit-bench: note: no CDF of %s (CPL%d): neither "
			"samples.csv nor plots/%s.dat is there\n", b->name, b->cpl, stem);
	return rc < 0 ? -1 : 0;
}

int plot_write_run(const char *dir, const struct run_record *r, const struct env_record *e,
		   enum plot_fmt fmt, char *err, size_t errlen)
{
	struct run_plots rp = { dir, r, e, fmt, NULL, 0, err, errlen };
	char title[96];
	int ret = -1;

	/* Two bar plots, the phases, a CDF per benchmark. */
	rp.stems = calloc(r->nbench + 3, sizeof(*rp.stems));
	if (!rp.stems)
		return ERR("plots: out of memory");
	/* Exit costs and latencies on separate axes; the floor (nop) is in neither. */
	/* --parallel: NAME pools N vCPUs that ran at once, NAME@vcpuK is one of them. */
	if (r->parallel > 1)
		snprintf(title, sizeof(title), "Median VM-exit cost (95%% CI), %u vCPUs at once",
			 r->parallel);
	else
		snprintf(title, sizeof(title), "Median VM-exit cost (95%% CI)");
	if (write_bars(&rp, BENCH_KIND_EXIT, "medians", title) ||
	    write_bars(&rp, BENCH_KIND_LATENCY, "latencies",
		       "Latencies and bursts, not single exits (median, 95% CI)") ||
	    write_phases(&rp))
		goto out;
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		if (b->status != BENCH_OK || !b->rows[PHASE_TOTAL].samples)
			continue;
		if (write_bench_cdf(&rp, b))
			goto out;
	}
	ret = 0;
	for (size_t i = 0; !ret && i < rp.n; i++)
		ret = plot_render(dir, rp.stems[i], fmt, err, errlen);
out:
	free(rp.stems);
	return ret;
}
