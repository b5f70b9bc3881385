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

/* gnuplot single-quoted strings only need ' doubled. */
static void gp_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('\'', f);
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
	fprintf(f, "# vmexit-bench: %s\n", what);
	fprintf(f, "# Re-render from this directory: gnuplot %s.gp\n", stem);
	fprintf(f, "# Other format: gnuplot -e \"fmt='svg'\" %s.gp (png, svg, pdf)\n", stem);
	fprintf(f, "if (!exists(\"fmt\")) fmt = '%s'\n",
		fmt == PLOT_NONE ? "png" : plot_fmt_name(fmt));
	fprintf(f, "if (!exists(\"outfile\")) outfile = '%s.' . fmt\n", stem);
	fprintf(f, "if (fmt eq 'png') set terminal pngcairo noenhanced size 1200,700 font ',10'\n");
	fprintf(f, "if (fmt eq 'svg') set terminal svg noenhanced size 1200,700 dynamic font ',10'\n");
	fprintf(f, "if (fmt eq 'pdf') set terminal pdfcairo noenhanced size 8in,4.7in font ',9'\n");
	fprintf(f, "set output outfile\n");
	fprintf(f, "set datafile missing '-'\n");
}

/* Right-hand axis in ns, linked to the TSC-tick axis, when the rate is known. */
static void ns_axis(FILE *f, double tsc_khz, char axis)
{
	if (!(tsc_khz > 0))
		return;
	fprintf(f, "tsc_khz = %.3f\n", tsc_khz);
	if (axis == 'y') {
		fprintf(f, "set link y2 via y * 1e6 / tsc_khz inverse y * tsc_khz / 1e6\n");
		fprintf(f, "set y2tics format '%%.0f'\nset y2label 'ns'\nset ytics nomirror\n");
	} else {
		fprintf(f, "set link x2 via x * 1e6 / tsc_khz inverse x * tsc_khz / 1e6\n");
		fprintf(f, "set x2tics format '%%.0f'\nset x2label 'ns'\nset xtics nomirror\n");
	}
}

static void title_line(FILE *f, const char *what, const struct env_record *e)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s - %s (%s), Linux %s, %s", what, e->cpu_brand,
		 e->cpu_codename, e->kernel, e->kvm_module);
	fprintf(f, "set title ");
	gp_quote(f, buf);
	fputc('\n', f);
}

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
	snprintf(out, len, "%s cpl%d%s", b->name, b->cpl, b->emulated ? " (emulated)" : "");
}

static int write_medians(const char *dir, const struct run_record *r,
			 const struct env_record *e, enum plot_fmt fmt, int *made,
			 char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	char label[160];
	int n = 0;

	if (open_in(&dat, dir, "medians.dat", err, errlen))
		return -1;
	fprintf(dat.f, "# benchmark  median  ci95_lo  ci95_hi   (TSC ticks, timer floor subtracted; phase total)\n");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];
		const struct summary_row *s = &b->rows[PHASE_TOTAL];

		if (b->status != BENCH_OK || !b->has_phase[PHASE_TOTAL])
			continue;
		bench_label(b, label, sizeof(label));
		dat_quote(dat.f, label);
		fprintf(dat.f, " %.17g %.17g %.17g\n", s->median, s->ci95_lo, s->ci95_hi);
		n++;
	}
	if (!n) {
		atomic_file_abort(&dat);
		return 0;
	}
	if (atomic_file_commit(&dat, err, errlen) || open_in(&gp, dir, "medians.gp", err, errlen))
		return -1;
	plot_script_prologue(gp.f, fmt, "medians", "median cost per benchmark, 95% CI error bars");
	title_line(gp.f, "Median VM-exit cost (95% bootstrap CI)", e);
	/* Headroom so the tallest bar's error bar is not clipped. */
	fprintf(gp.f, "set ylabel 'TSC ticks'\nset yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\n"
		"set grid ytics\n");
	ns_axis(gp.f, r->tsc_khz, 'y');
	fprintf(gp.f, "set style data histograms\nset style histogram errorbars gap 1 lw 1\n"
		"set style fill solid 0.6 border -1\nset boxwidth 0.8\n"
		"set xtics rotate by -30\nunset key\n"
		"plot 'medians.dat' using 2:3:4:xtic(1) lc rgb '#3465a4'\n");
	if (atomic_file_commit(&gp, err, errlen))
		return -1;
	*made = 1;
	return 0;
}

static int write_phases(const char *dir, const struct run_record *r,
			const struct env_record *e, enum plot_fmt fmt, int *made,
			char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	char label[160];
	int n = 0;

	for (size_t i = 0; i < r->nbench; i++)
		n += bench_has_split(&r->bench[i]);
	if (!n)
		return 0;
	if (open_in(&dat, dir, "phases.dat", err, errlen))
		return -1;
	fprintf(dat.f, "# benchmark  exit  handler  entry  total   (median TSC ticks per phase)\n");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		if (!bench_has_split(b))
			continue;
		bench_label(b, label, sizeof(label));
		dat_quote(dat.f, label);
		fprintf(dat.f, " %.17g %.17g %.17g", b->rows[PHASE_EXIT].median,
			b->rows[PHASE_HANDLER].median, b->rows[PHASE_ENTRY].median);
		if (b->has_phase[PHASE_TOTAL])
			fprintf(dat.f, " %.17g\n", b->rows[PHASE_TOTAL].median);
		else
			fprintf(dat.f, " -\n");
	}
	if (atomic_file_commit(&dat, err, errlen) || open_in(&gp, dir, "phases.gp", err, errlen))
		return -1;
	plot_script_prologue(gp.f, fmt, "phases", "exit/handler/entry split, stacked medians");
	title_line(gp.f, "Where an exit's time goes (medians per phase)", e);
	/* The median of a sum is not the sum of medians: show the total too. */
	fprintf(gp.f, "set ylabel 'TSC ticks (median per phase; x = median total)'\n"
		"set yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\nset grid ytics\n");
	ns_axis(gp.f, r->tsc_khz, 'y');
	fprintf(gp.f, "set style data histograms\nset style histogram rowstacked\n"
		"set style fill solid 0.7 border -1\nset boxwidth 0.6\n"
		"set xtics rotate by -30\nset key outside right top\n"
		"plot 'phases.dat' using 2:xtic(1) title 'exit', '' using 3 title 'handler', \\\n"
		"     '' using 4 title 'entry', \\\n"
		"     '' using 0:5 with points pt 2 ps 1.5 lc rgb 'black' title 'total'\n");
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

static int write_cdf(const char *dir, const struct run_record *r, const struct env_record *e,
		     const struct bench_record *b, enum plot_fmt fmt, char *stem, size_t stemlen,
		     char *err, size_t errlen)
{
	struct atomic_file dat, gp;
	size_t n = b->rows[PHASE_TOTAL].samples;
	char name[256], label[160];
	double *v;

	v = malloc(n * sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "cdf %s: out of memory", b->name);
		return -1;
	}
	memcpy(v, b->samples[PHASE_TOTAL], n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	plot_file_stem(b->name, name, sizeof(name));
	if (snprintf(stem, stemlen, "cdf-%s-cpl%d", name, b->cpl) >= (int)stemlen) {
		snprintf(err, errlen, "cdf %s: name too long", b->name);
		goto fail;
	}
	snprintf(name, sizeof(name), "%s.dat", stem);
	if (open_in(&dat, dir, name, err, errlen))
		goto fail;
	fprintf(dat.f, "# value (TSC ticks, floor subtracted)  cumulative fraction   %zu samples\n", n);
	cdf_data(dat.f, v, n);
	if (atomic_file_commit(&dat, err, errlen))
		goto fail;
	snprintf(name, sizeof(name), "%s.gp", stem);
	if (open_in(&gp, dir, name, err, errlen))
		goto fail;
	bench_label(b, label, sizeof(label));
	plot_script_prologue(gp.f, fmt, stem, "distribution (CDF) of one benchmark's samples");
	if (snprintf(name, sizeof(name), "CDF of %s, %zu samples", label, n) < 0)
		name[0] = 0;
	title_line(gp.f, name, e);
	fprintf(gp.f, "set xlabel 'TSC ticks (timer floor of %.1f ticks subtracted)'\n"
		"set ylabel 'fraction of samples'\nset yrange [0:1]\nset grid\nunset key\n",
		b->floor);
	ns_axis(gp.f, r->tsc_khz, 'x');
	fprintf(gp.f, "median = %.17g\n"
		"set arrow from median, graph 0 to median, graph 1 nohead dt 2 lc rgb 'gray40'\n"
		"set label 'median' at median, graph 0.05 offset 0.5,0\n",
		b->rows[PHASE_TOTAL].median);
	fprintf(gp.f, "plot '%s.dat' using 1:2 with steps lw 2 lc rgb '#3465a4'\n", stem);
	free(v);
	return atomic_file_commit(&gp, err, errlen);
fail:
	free(v);
	return -1;
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
		       const char *fmtname, char *err, size_t errlen)
{
	char assign[512], out[512] = "";
	int pipefd[2], status;
	pid_t pid;

	snprintf(assign, sizeof(assign), "outfile='%s'; fmt='%s'", tmpname, fmtname);
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
 * gnuplot writes the image into a file we made with mkstemp (O_EXCL: a link
 * or a file someone planted there is never opened), through /dev/fd/N, so
 * that it writes that file whatever happens to the name meanwhile; the
 * file is renamed into place only if the name still is that file.
 */
int plot_render(const char *dir, const char *stem, enum plot_fmt fmt,
		char *err, size_t errlen)
{
	char script[300], tmppath[4400], path[4400], devfd[32];
	struct stat st, now;
	int fd, ret = -1;

	if (fmt == PLOT_NONE)
		return 0;
	snprintf(script, sizeof(script), "%s.gp", stem);
	snprintf(tmppath, sizeof(tmppath), "%s/.%s.%s.tmp.XXXXXX", dir, stem, plot_fmt_name(fmt));
	snprintf(path, sizeof(path), "%s/%s.%s", dir, stem, plot_fmt_name(fmt));
	fd = mkstemp(tmppath);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmppath, strerror(errno));
		return -1;
	}
	fchmod(fd, 0644);	/* mkstemp makes 0600; results are meant to be shared */
	snprintf(devfd, sizeof(devfd), "/dev/fd/%d", fd);
	if (run_gnuplot(dir, script, devfd, plot_fmt_name(fmt), err, errlen))
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
	char (*stems)[200] = calloc(r->nbench + 2, sizeof(*stems));
	size_t n = 0;
	int made = 0, ret = -1;

	if (!stems) {
		snprintf(err, errlen, "plots: out of memory");
		return -1;
	}
	if (write_medians(dir, r, e, fmt, &made, err, errlen))
		goto out;
	if (made)
		snprintf(stems[n++], sizeof(stems[0]), "medians");
	made = 0;
	if (write_phases(dir, r, e, fmt, &made, err, errlen))
		goto out;
	if (made)
		snprintf(stems[n++], sizeof(stems[0]), "phases");
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		if (b->status != BENCH_OK || !b->samples[PHASE_TOTAL] ||
		    !b->rows[PHASE_TOTAL].samples)
			continue;
		if (write_cdf(dir, r, e, b, fmt, stems[n], sizeof(stems[0]), err, errlen))
			goto out;
		n++;
	}
	ret = render_all(dir, stems, n, fmt, err, errlen);
out:
	free(stems);
	return ret;
}
