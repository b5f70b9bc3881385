/* SPDX-License-Identifier: MIT */
/*
 * The gnuplot machinery every plot shares: the files of one plot (data,
 * then a script that starts with the common prologue), its axes, and
 * rendering it with gnuplot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "plot.h"

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

/*
 * The head of every script (struct plot says what it sets). Sizes for a paper: 'page' is 7 in wide (one column of text in a
 * one-column paper, both columns in a two-column one), 'column' 3.5 in.
 * @rows > 0 makes the plot taller by a fixed amount per row (horizontal bars).
 */
static void script_prologue(FILE *f, enum plot_fmt fmt, const char *stem, const char *what,
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

/* Opens "<dir>/<name>" for atomic writing. */
static int open_in(struct atomic_file *af, const char *dir, const char *name,
		   char *err, size_t errlen)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return ERR("%s/%s: path too long", dir, name);
	return atomic_file_open(af, path, err, errlen);
}

int plot_write(const char *dir, enum plot_fmt fmt, const struct plot *p, char *err,
	       size_t errlen)
{
	struct atomic_file dat, gp;
	char name[256];

	snprintf(name, sizeof(name), "%s.dat", p->stem);
	if (open_in(&dat, dir, name, err, errlen))
		return -1;
	p->data(dat.f, p);
	if (atomic_file_commit(&dat, err, errlen))
		return -1;
	snprintf(name, sizeof(name), "%s.gp", p->stem);
	if (open_in(&gp, dir, name, err, errlen))
		return -1;
	script_prologue(gp.f, fmt, p->stem, p->what, p->rows);
	p->script(gp.f, p);
	return atomic_file_commit(&gp, err, errlen);
}

void plot_axis_add(struct plot_axis *a, double median, double ci_hi)
{
	a->lo = fmin(a->lo, median);
	a->hi = fmax(a->hi, fmax(ci_hi, median));
}

void plot_axis_decide(struct plot_axis *a)
{
	a->log = a->lo > 0 && a->hi / a->lo > PLOT_LOG_RANGE;
	a->base = a->log ? pow(10, floor(log10(a->lo))) : 0;
}

void plot_log_axis(FILE *f, char axis, double lo, double hi)
{
	/* 1, 10, 100, 1k, 10k: round ticks, minor ticks at 2..9. */
	fprintf(f, "set logscale %c 10\nset format %c '%%.0s%%c'\nset m%ctics 10\n"
		"set %crange [%.6g:%.6g]\n", axis, axis, axis, axis, lo, hi);
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
	if (pipe2(pipefd, O_CLOEXEC))
		return ERR("gnuplot %s: pipe: %s", script, strerror(errno));
	pid = fork();
	if (pid < 0) {
		ERR("gnuplot %s: fork: %s", script, strerror(errno));
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
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return ERR("gnuplot not found (install gnuplot-nox); scripts kept in %s",
			 dir);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return ERR("%s/%s: gnuplot failed: %.300s", dir, script,
			 out[0] ? out : "(no message)");
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
	if (fd < 0)
		return ERR("cannot create %s: %s", tmppath, strerror(errno));
	fchmod(fd, 0644);	/* mkstemp makes 0600; results are meant to be shared */
	snprintf(devfd, sizeof(devfd), "/dev/fd/%d", fd);
	if (run_gnuplot(dir, script, devfd, plot_fmt_name(fmt), size, err, errlen))
		goto out;
	if (fstat(fd, &st) || st.st_size == 0) {
		ERR("%s/%s: gnuplot wrote no image", dir, script);
		goto out;
	}
	if (lstat(tmppath, &now) || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
		ERR("%s: replaced while gnuplot wrote it: not renamed", tmppath);
		goto out;
	}
	if (rename(tmppath, path)) {
		ERR("cannot rename %s to %s: %s", tmppath, path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	close(fd);
	if (ret)
		unlink(tmppath);
	return ret;
}

int plot_render_sizes(const char *dir, const char *stem, enum plot_fmt fmt, bool column,
		      char *err, size_t errlen)
{
	if (fmt == PLOT_NONE)
		return 0;
	if (render_size(dir, stem, fmt, "page", err, errlen))
		return -1;
	return column ? render_size(dir, stem, fmt, "column", err, errlen) : 0;
}

int plot_render(const char *dir, const char *stem, enum plot_fmt fmt,
		char *err, size_t errlen)
{
	/* A PDF is for a paper: one for a column too. */
	return plot_render_sizes(dir, stem, fmt, fmt == PLOT_PDF, err, errlen);
}
