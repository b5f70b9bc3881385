/* SPDX-License-Identifier: MIT */
/* gnuplot scripts, their data, and rendering. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "atomic_file.h"
#include "plot.h"
#include "stats.h"

/* A CDF with more points than this is drawn from evenly spaced quantiles. */
#define CDF_POINTS 2000

static const char *const fmt_names[] = {
	[PLOT_NONE] = "none", [PLOT_PNG] = "png", [PLOT_SVG] = "svg", [PLOT_PDF] = "pdf",
};

int plot_fmt_from_name(const char *name)
{
	for (int i = PLOT_NONE; i <= PLOT_PDF; i++)
		if (!strcmp(name, fmt_names[i]))
			return i;
	return -1;
}

const char *plot_fmt_name(enum plot_fmt fmt)
{
	return (unsigned)fmt <= PLOT_PDF ? fmt_names[fmt] : "?";
}

void plot_file_stem(const char *name, char *out, size_t len)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		out[i] = ok ? c : '_';
	}
	out[i] = 0;
}

/* Data-file strings are double-quoted; keep " and newlines out of them. */
static void dat_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\n' ? '\'' : *s, f);
	fputc('"', f);
}

void plot_script_prologue(FILE *f, enum plot_fmt fmt, const char *stem, const char *what)
{
	plot_script_prologue_rows(f, fmt, stem, what, 0);
}

/*
 * Sizes for a paper: 'page' is 7 in wide (one column of text in a
 * one-column paper, both columns in a two-column one), 'column' 3.5 in.
 * @rows > 0 makes the plot taller by a fixed amount per row (horizontal bars).
 */
void plot_script_prologue_rows(FILE *f, enum plot_fmt fmt, const char *stem, const char *what,
			       int rows)
{
	fprintf(f, "# vmexit-bench: %s\n", what);
	fprintf(f, "# Re-render from this directory: gnuplot %s.gp\n", stem);
	fprintf(f, "# Other format: gnuplot -e \"fmt='svg'\" %s.gp (png, svg, pdf)\n", stem);
	fprintf(f, "# Column width (3.5 in) instead of page width (7 in): -e \"size='column'\"\n");
	fprintf(f, "if (!exists(\"fmt\")) fmt = '%s'\n",
		fmt == PLOT_NONE ? "png" : plot_fmt_name(fmt));
	fprintf(f, "if (!exists(\"size\")) size = 'page'\n");
	fprintf(f, "if (!exists(\"outfile\")) outfile = '%s' . (size eq 'column' ? '-column.' : '.') . fmt\n",
		stem);
	fprintf(f, "rows = %d\n", rows);
	/* Inches; fonts in points at that size, so a 3.5 in plot reads like its caption. */
	fprintf(f, "w = (size eq 'column') ? 3.5 : 7.0\n"
		"h = (rows > 0) ? (((size eq 'column') ? 1.1 : 1.5) + rows * "
		"((size eq 'column') ? 0.16 : 0.2)) : ((size eq 'column') ? 2.6 : 3.6)\n"
		"h = (h < 2.0) ? 2.0 : h\n"
		"fs = (size eq 'column') ? 7 : 9\n");
	fprintf(f, "if (fmt eq 'png') set terminal pngcairo noenhanced size w*150, h*150 "
		"font sprintf(',%%d', fs*150/72.0) linewidth 1.5\n");
	fprintf(f, "if (fmt eq 'svg') set terminal svg noenhanced size w*96, h*96 dynamic "
		"font sprintf(',%%d', fs*96/72.0)\n");
	fprintf(f, "if (fmt eq 'pdf') set terminal pdfcairo noenhanced size w, h "
		"font sprintf(',%%d', fs)\n");
	fprintf(f, "set output outfile\n");
	fprintf(f, "set datafile missing '-'\n");
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

/* The title only at page width: at column width the paper's caption says it. */
static void title_line(FILE *f, const char *what, const struct env_record *e)
{
	char buf[700], cpu[512];

	env_cpu_label(e, cpu, sizeof(cpu));
	snprintf(buf, sizeof(buf), "%s\n%s, Linux %s, %s", what, cpu, e->kernel, e->kvm_module);
	fprintf(f, "if (size eq 'page') set title ");
	/* gp_quote turns newlines into spaces; the title has two lines on purpose. */
	fputc('"', f);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
	fputs("\"\n", f);
}

/* A log axis when the values span more than this factor. */
#define LOG_RANGE 20.0

/* Opens "<dir>/<name>" for atomic writing. */
static int open_in(struct atomic_file *af, const char *dir, const char *name,
		   char *err, size_t errlen)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return -1;
	}
	return atomic_file_open(af, path, err, errlen);
}

static void bench_label(const struct bench_record *b, char *out, size_t len)
{
	snprintf(out, len, "%s%s", b->name, b->emulated ? " (emul.)" : "");
}

static bool in_bars(const struct bench_record *b, enum bench_kind kind)
{
	return b->status == BENCH_OK && b->has_phase[PHASE_TOTAL] && b->kind == kind;
}

/* Log axis: only for positive values that span more than LOG_RANGE. */
static bool wants_log(double lo, double hi)
{
	return lo > 0 && hi / lo > LOG_RANGE;
}

static void log_axis(FILE *f, char axis, double lo, double hi)
{
	/* 1, 10, 100, 1k, 10k: round ticks, minor ticks at 2..9. */
	fprintf(f, "set logscale %c 10\nset format %c '%%.0s%%c'\nset m%ctics 10\n"
		"set %crange [%.6g:%.6g]\n", axis, axis, axis, axis, lo, hi);
}

/*
 * Horizontal bars, one per benchmark of @kind (names read level, none is
 * cut), median with its 95% CI, in ns where the rate is known.
 */
static int write_bars(const char *dir, const struct run_record *r, const struct env_record *e,
		      enum plot_fmt fmt, enum bench_kind kind, const char *stem,
		      const char *what, int *made, char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	double lo = INFINITY, hi = 0, base;
	char label[160], name[64];
	int n = 0;
	bool logx;

	for (size_t i = 0; i < r->nbench; i++) {
		const struct summary_row *t = &r->bench[i].rows[PHASE_TOTAL];

		if (!in_bars(&r->bench[i], kind))
			continue;
		n++;
		lo = fmin(lo, to_unit(r->tsc_khz, t->median));
		hi = fmax(hi, to_unit(r->tsc_khz, fmax(t->ci95_hi, t->median)));
	}
	if (!n)
		return 0;
	logx = wants_log(lo, hi);
	base = logx ? pow(10, floor(log10(lo))) : 0;
	snprintf(name, sizeof(name), "%s.dat", stem);
	if (open_in(&dat, dir, name, err, errlen))
		return -1;
	fprintf(dat.f, "# benchmark  median  ci95_lo  ci95_hi  (%s)  median_ticks   "
		"(timer floor subtracted; phase total; top row first)\n", unit_label(r->tsc_khz));
	/* gnuplot counts rows from the bottom: write the catalog order reversed. */
	for (size_t i = r->nbench; i-- > 0;) {
		const struct bench_record *b = &r->bench[i];
		const struct summary_row *t = &b->rows[PHASE_TOTAL];

		if (!in_bars(b, kind))
			continue;
		bench_label(b, label, sizeof(label));
		dat_quote(dat.f, label);
		fprintf(dat.f, " %.6g %.6g %.6g %.6g\n", to_unit(r->tsc_khz, t->median),
			fmax(to_unit(r->tsc_khz, t->ci95_lo), logx ? base : -INFINITY),
			to_unit(r->tsc_khz, t->ci95_hi), t->median);
	}
	if (atomic_file_commit(&dat, err, errlen))
		return -1;
	snprintf(name, sizeof(name), "%s.gp", stem);
	if (open_in(&gp, dir, name, err, errlen))
		return -1;
	plot_script_prologue_rows(gp.f, fmt, stem, what, n);
	title_line(gp.f, what, e);
	fprintf(gp.f, "set xlabel 'median, %s (95%% CI; timer floor subtracted)'\n",
		unit_label(r->tsc_khz));
	if (logx)
		log_axis(gp.f, 'x', base, hi * 1.3);
	else
		fprintf(gp.f, "set xrange [0:*]\nset offsets 0, graph 0.05, 0, 0\n"
			"set format x '%%.0s%%c'\n");
	fprintf(gp.f, "set yrange [-0.7:%d-0.3]\nset ytics nomirror scale 0\nset grid xtics mxtics\n"
		"set style fill solid 0.6 border -1\nunset key\nbase = %.6g\n"
		"plot '%s.dat' using ((base+$2)/2):0:(base):2:($0-0.35):($0+0.35):ytic(1) "
		"with boxxyerror lc rgb '#3465a4', \\\n"
		"     '' using 2:0:3:4 with xerrorbars pt 0 lc rgb 'black'\n", n, base, stem);
	if (atomic_file_commit(&gp, err, errlen))
		return -1;
	*made = 1;
	return 0;
}

/*
 * Stacked exit/handler/entry medians per split benchmark. The handler is
 * often 0.3% of the total: it is drawn at least HANDLER_MIN of the widest
 * bar wide, in a colour that stands out, and its value is printed.
 */
#define HANDLER_MIN 0.015

static int write_phases(const char *dir, const struct run_record *r,
			const struct env_record *e, enum plot_fmt fmt, int *made,
			char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	char label[160];
	double widest = 0;
	int n = 0;

	for (size_t i = 0; i < r->nbench; i++)
		if (bench_has_split(&r->bench[i])) {
			n++;
			widest = fmax(widest, to_unit(r->tsc_khz, r->bench[i].rows[PHASE_TOTAL].median));
		}
	if (!n)
		return 0;
	if (open_in(&dat, dir, "phases.dat", err, errlen))
		return -1;
	fprintf(dat.f, "# benchmark  exit  handler  entry  total  handler_drawn   (median %s per "
		"phase; top row first)\n", unit_label(r->tsc_khz));
	for (size_t i = r->nbench; i-- > 0;) {
		const struct bench_record *b = &r->bench[i];
		double h;

		if (!bench_has_split(b))
			continue;
		h = to_unit(r->tsc_khz, b->rows[PHASE_HANDLER].median);
		bench_label(b, label, sizeof(label));
		dat_quote(dat.f, label);
		fprintf(dat.f, " %.6g %.6g %.6g", to_unit(r->tsc_khz, b->rows[PHASE_EXIT].median), h,
			to_unit(r->tsc_khz, b->rows[PHASE_ENTRY].median));
		fprintf(dat.f, " %.6g", to_unit(r->tsc_khz, b->rows[PHASE_TOTAL].median));
		fprintf(dat.f, " %.6g\n", fmax(h, HANDLER_MIN * widest));
	}
	if (atomic_file_commit(&dat, err, errlen))
		return -1;
	if (open_in(&gp, dir, "phases.gp", err, errlen))
		return -1;
	plot_script_prologue_rows(gp.f, fmt, "phases", "exit/handler/entry split, stacked medians",
				  n + 2);
	title_line(gp.f, "Where an exit's time goes (median of each phase)", e);
	fprintf(gp.f, "set xlabel 'median, %s (handler drawn at least %.1f%% wide)'\n",
		unit_label(r->tsc_khz), 100 * HANDLER_MIN);
	fprintf(gp.f, "set format x '%%.0s%%c'\n");
	fprintf(gp.f, "set xrange [0:%.6g]\nset yrange [-0.7:%d-0.3]\nset ytics nomirror scale 0\n"
		"set grid xtics\nset style fill solid 0.8 border -1\n"
		"set key below horizontal samplen 1.5 maxrows 1\n", widest * 1.3, n);
	fprintf(gp.f, "plot 'phases.dat' using ($2/2):0:(0):2:($0-0.35):($0+0.35):ytic(1) "
		"with boxxyerror lc rgb '#3465a4' title 'exit', \\\n"
		"     '' using ($2+$6/2):0:2:($2+$6):($0-0.35):($0+0.35) with boxxyerror "
		"lc rgb '#f57900' title 'handler', \\\n"
		"     '' using ($2+$6+$4/2):0:($2+$6):($2+$6+$4):($0-0.35):($0+0.35) with boxxyerror "
		"lc rgb '#73d216' title 'entry', \\\n"
		"     '' using ($2+$6+$4):0:(sprintf(' handler %%.0f', $3)) with labels left "
		"notitle, \\\n"
		"     '' using 5:0 with points pt 2 ps 1 lc rgb 'black' title 'total'\n");
	if (atomic_file_commit(&gp, err, errlen))
		return -1;
	*made = 1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void cdf_data(FILE *f, const double *sorted, size_t n)
{
	if (n <= CDF_POINTS) {
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%.17g %.9f\n", sorted[i], (double)(i + 1) / n);
		return;
	}
	/* Evenly spaced ranks, always including the first and the last sample. */
	for (size_t k = 0; k <= CDF_POINTS; k++) {
		size_t i = (size_t)((double)k * (n - 1) / CDF_POINTS);

		fprintf(f, "%.17g %.9f\n", sorted[i], (double)(i + 1) / n);
	}
}

/*
 * The CDF of @nv sorted values (all samples, or the points of an earlier
 * cdf-*.dat when samples.csv was not kept), @n samples in all. The x axis
 * ends past p99.9, not at the maximum, so the body of the distribution is
 * not squeezed into the left edge; log where the values are all positive.
 */
static int write_cdf_from(const char *dir, const struct run_record *r,
			  const struct env_record *e, const struct bench_record *b,
			  const double *v, size_t nv, size_t n, enum plot_fmt fmt,
			  const char *stem, char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	char name[256], label[160];
	double k = to_unit(r->tsc_khz, 1), lo, hi, p999, med, p99;

	snprintf(name, sizeof(name), "%s.dat", stem);
	if (open_in(&dat, dir, name, err, errlen))
		return -1;
	fprintf(dat.f, "# value (TSC ticks, floor subtracted)  cumulative fraction   %zu samples\n", n);
	cdf_data(dat.f, v, nv);
	if (atomic_file_commit(&dat, err, errlen))
		return -1;
	snprintf(name, sizeof(name), "%s.gp", stem);
	if (open_in(&gp, dir, name, err, errlen))
		return -1;
	lo = stats_quantile_sorted(v, nv, 0.001) * k;
	p999 = stats_quantile_sorted(v, nv, 0.999) * k;
	med = stats_quantile_sorted(v, nv, 0.5) * k;
	p99 = stats_quantile_sorted(v, nv, 0.99) * k;
	hi = p999 > 0 ? p999 * 1.25 : p999 + fabs(med) + 1;
	bench_label(b, label, sizeof(label));
	plot_script_prologue(gp.f, fmt, stem, "distribution (CDF) of one benchmark's samples");
	snprintf(name, sizeof(name), "CDF of %s, CPL%d, %zu samples", label, b->cpl, n);
	title_line(gp.f, name, e);
	fprintf(gp.f, "set xlabel '%s (timer floor of %.0f ticks subtracted; axis ends past "
		"p99.9; max %.0f)'\n", unit_label(r->tsc_khz), b->floor, v[nv - 1] * k);
	fprintf(gp.f, "set ylabel 'fraction of samples'\nset yrange [0:1]\nset grid xtics mxtics ytics\n"
		"unset key\nk = %.9g\n", k);
	if (lo > 0)
		log_axis(gp.f, 'x', pow(10, floor(log10(lo))), hi);
	else
		fprintf(gp.f, "set xrange [%.6g:%.6g]\n", lo - 0.05 * fabs(hi - lo), hi);
	fprintf(gp.f, "median = %.6g\np99 = %.6g\n"
		"set arrow from median, graph 0 to median, graph 1 nohead dt 2 lc rgb 'gray40'\n"
		"set label 'median' at median, graph 0.08 offset 0.5,0\n"
		"set arrow from p99, graph 0 to p99, graph 1 nohead dt 3 lc rgb 'gray40'\n"
		"set label 'p99' at p99, graph 0.92 offset 0.5,0\n", med, p99);
	fprintf(gp.f, "plot '%s.dat' using ($1*k):2 with steps lw 2 lc rgb '#3465a4'\n", stem);
	return atomic_file_commit(&gp, err, errlen);
}

static int cdf_stem(const struct bench_record *b, char *stem, size_t stemlen, char *err,
		    size_t errlen)
{
	char name[200];

	plot_file_stem(b->name, name, sizeof(name));
	if (snprintf(stem, stemlen, "cdf-%s-cpl%d", name, b->cpl) >= (int)stemlen) {
		snprintf(err, errlen, "cdf %s: name too long", b->name);
		return -1;
	}
	return 0;
}

static int write_cdf(const char *dir, const struct run_record *r, const struct env_record *e,
		     const struct bench_record *b, enum plot_fmt fmt, char *stem, size_t stemlen,
		     char *err, size_t errlen)
{
	size_t n = b->rows[PHASE_TOTAL].samples;
	double *v;
	int ret;

	if (cdf_stem(b, stem, stemlen, err, errlen))
		return -1;
	v = malloc(n * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "cdf %s: out of memory", b->name);
		return -1;
	}
	memcpy(v, b->samples[PHASE_TOTAL], n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	ret = write_cdf_from(dir, r, e, b, v, n, n, fmt, stem, err, errlen);
	free(v);
	return ret;
}

/*
 * Without samples (no samples.csv), an earlier cdf-*.dat still holds the
 * distribution at 2001 ranks: the CDF is restyled from it rather than
 * silently left out. Returns 1 when there is no such file.
 */
static int rewrite_cdf(const char *dir, const struct run_record *r, const struct env_record *e,
		       const struct bench_record *b, enum plot_fmt fmt, char *stem,
		       size_t stemlen, char *err, size_t errlen)
{
	char path[4400];
	size_t nv = 0, cap = 0;
	double *v = NULL, x, y;
	FILE *f;
	int ret;

	if (cdf_stem(b, stem, stemlen, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.dat", dir, stem);
	f = fopen(path, "r");
	if (!f)
		return 1;
	fscanf(f, "%*[^\n]");
	while (fscanf(f, "%lf %lf", &x, &y) == 2) {
		if (nv == cap) {
			double *p = realloc(v, (cap = cap ? 2 * cap : 4096) * sizeof(*v));

			if (!p) {
				free(v);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			v = p;
		}
		v[nv++] = x;
	}
	fclose(f);
	if (!nv) {
		free(v);
		snprintf(err, errlen, "%s: no data", path);
		return -1;
	}
	qsort(v, nv, sizeof(*v), cmp_double);
	ret = write_cdf_from(dir, r, e, b, v, nv, b->rows[PHASE_TOTAL].samples, fmt, stem,
			     err, errlen);
	free(v);
	return ret;
}

/* Reads what gnuplot said on stderr, for a one-line error. */
static void first_line(int fd, char *buf, size_t len)
{
	ssize_t got, used = 0;

	while (used + 1 < (ssize_t)len && (got = read(fd, buf + used, len - 1 - used)) > 0)
		used += got;
	buf[used] = 0;
	/* gnuplot prints the offending script line first; the message follows. */
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

static int run_gnuplot(const char *dir, const char *script, const char *tmpname,
		       const char *fmtname, const char *size, char *err, size_t errlen)
{
	char assign[512], out[512] = "";
	int pipefd[2], status;
	pid_t pid;

	snprintf(assign, sizeof(assign), "outfile='%s'; fmt='%s'; size='%s'", tmpname, fmtname,
		 size);
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(err, errlen, "gnuplot %s: pipe: %s", script, strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "gnuplot %s: fork: %s", script, strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDERR_FILENO);
		dup2(pipefd[1], STDOUT_FILENO);
		if (chdir(dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", "-e", assign, script, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	first_line(pipefd[0], out, sizeof(out));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(err, errlen, "gnuplot not found (install gnuplot-nox); scripts kept in %s",
			 dir);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, "%s/%s: gnuplot failed: %.300s", dir, script,
			 out[0] ? out : "(no message)");
		return -1;
	}
	return 0;
}

/*
 * One image: <stem>.<fmt> at page width, <stem>-column.<fmt> at column width.
 * gnuplot writes it into a file we made with mkstemp (O_EXCL: a link or a
 * file someone planted there is never opened), through /dev/fd/N, so that it
 * writes that file whatever happens to the name meanwhile; the file is
 * renamed into place only if the name still is that file.
 */
static int render_size(const char *dir, const char *stem, enum plot_fmt fmt, const char *size,
		       char *err, size_t errlen)
{
	char script[300], tmppath[4400], path[4400], devfd[32];
	bool column = !strcmp(size, "column");
	struct stat st, now;
	int fd, ret = -1;

	snprintf(script, sizeof(script), "%s.gp", stem);
	snprintf(tmppath, sizeof(tmppath), "%s/.%s%s.%s.tmp.XXXXXX", dir, stem,
		 column ? "-column" : "", plot_fmt_name(fmt));
	snprintf(path, sizeof(path), "%s/%s%s.%s", dir, stem, column ? "-column" : "",
		 plot_fmt_name(fmt));
	fd = mkstemp(tmppath);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmppath, strerror(errno));
		return -1;
	}
	fchmod(fd, 0644);	/* mkstemp makes 0600; results are meant to be shared */
	snprintf(devfd, sizeof(devfd), "/dev/fd/%d", fd);
	if (run_gnuplot(dir, script, devfd, plot_fmt_name(fmt), size, err, errlen))
		goto out;
	if (fstat(fd, &st) || st.st_size == 0) {
		snprintf(err, errlen, "%s/%s: gnuplot wrote no image", dir, script);
		goto out;
	}
	if (lstat(tmppath, &now) || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
		snprintf(err, errlen, "%s: replaced while gnuplot wrote it: not renamed", tmppath);
		goto out;
	}
	if (rename(tmppath, path)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmppath, path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	close(fd);
	if (ret)
		unlink(tmppath);
	return ret;
}

int plot_render(const char *dir, const char *stem, enum plot_fmt fmt,
		char *err, size_t errlen)
{
	if (fmt == PLOT_NONE)
		return 0;
	if (render_size(dir, stem, fmt, "page", err, errlen))
		return -1;
	/* A PDF is for a paper: one for a column too. */
	return fmt == PLOT_PDF ? render_size(dir, stem, fmt, "column", err, errlen) : 0;
}

static int render_all(const char *dir, char (*stems)[200], size_t n, enum plot_fmt fmt,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (plot_render(dir, stems[i], fmt, err, errlen))
			return -1;
	return 0;
}

int plot_write_run(const char *dir, const struct run_record *r, const struct env_record *e,
		   enum plot_fmt fmt, char *err, size_t errlen)
{
	char (*stems)[200] = calloc(r->nbench + 3, sizeof(*stems));
	size_t n = 0;
	int made = 0, ret = -1, rc;

	if (!stems) {
		snprintf(err, errlen, "plots: out of memory");
		return -1;
	}
	/* Exit costs and latencies on separate axes; the floor (nop) is in neither. */
	if (write_bars(dir, r, e, fmt, BENCH_KIND_EXIT, "medians",
		       "Median VM-exit cost (95% CI)", &made, err, errlen))
		goto out;
	if (made)
		snprintf(stems[n++], sizeof(stems[0]), "medians");
	made = 0;
	if (write_bars(dir, r, e, fmt, BENCH_KIND_LATENCY, "latencies",
		       "Latencies and bursts, not single exits (median, 95% CI)", &made, err,
		       errlen))
		goto out;
	if (made)
		snprintf(stems[n++], sizeof(stems[0]), "latencies");
	made = 0;
	if (write_phases(dir, r, e, fmt, &made, err, errlen))
		goto out;
	if (made)
		snprintf(stems[n++], sizeof(stems[0]), "phases");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		if (b->status != BENCH_OK || !b->rows[PHASE_TOTAL].samples)
			continue;
		if (b->samples[PHASE_TOTAL]) {
			if (write_cdf(dir, r, e, b, fmt, stems[n], sizeof(stems[0]), err, errlen))
				goto out;
			n++;
			continue;
		}
		rc = rewrite_cdf(dir, r, e, b, fmt, stems[n], sizeof(stems[0]), err, errlen);
		if (rc < 0)
			goto out;
		if (rc == 0)
			n++;
		else
			fprintf(stderr, "vmexit-bench: note: no CDF of %s (CPL%d): neither "
				"samples.csv nor plots/%s.dat is there\n", b->name, b->cpl, stems[n]);
	}
	ret = render_all(dir, stems, n, fmt, err, errlen);
out:
	free(stems);
	return ret;
}
