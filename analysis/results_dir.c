/* SPDX-License-Identifier: MIT */
/* Writing a results directory (results_dir_load.c reads one). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "csv.h"
#include "results_dir.h"
#include "run_json.h"
#include "table.h"
#include "tex.h"

#define MAX_SUFFIX 1000

static int path_join(char *out, size_t len, const char *dir, const char *name,
		     char *err, size_t errlen)
{
	if (snprintf(out, len, "%s/%s", dir, name) >= (int)len)
		return ERR("%s/%s: path too long", dir, name);
	return 0;
}

int samples_csv_write(const char *path, const struct run_record *r, char *err, size_t errlen)
{
	struct atomic_file af;

	if (atomic_file_open(&af, path, err, errlen))
		return -1;
	fprintf(af.f, "%s\n", RESULTS_SAMPLES_HEADER);
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];

		for (int p = 0; b->status == BENCH_OK && p < PHASE_COUNT; p++) {
			if (!b->has_phase[p] || !b->samples[p])
				continue;
			/* A split phase can hold fewer samples than the total (disturbed ones). */
			for (size_t k = 0; k < b->rows[p].samples; k++)
				fprintf(af.f, "%s,%s,%d,%zu,%.17g,%s\n", b->name, phase_name(p),
					b->cpl, k, b->samples[p][k], b->rows[p].unit);
		}
	}
	return atomic_file_commit(&af, err, errlen);
}

/*
 * Removes a temporary tree of ours (two levels: the run, plots/) without
 * following links: a link in it is removed, never what it points to.
 */
static void remove_tree_at(int parent, const char *name, int depth)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (fd >= 0 && !d)
		close(fd);
	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (unlinkat(fd, de->d_name, 0) && errno == EISDIR && depth > 0)
				remove_tree_at(fd, de->d_name, depth - 1);
		}
		closedir(d);
	}
	unlinkat(parent, name, AT_REMOVEDIR);
}

static void remove_tree(const char *dir, int depth)
{
	remove_tree_at(AT_FDCWD, dir, depth);
}

/* In every temporary tree: who is writing it, so a later run knows it is stale. */
#define OWNER_FILE ".vmexit-bench-owner"

/* When @pid started (clock ticks after boot), 0 if it does not run: a pid and this are one process. */
static unsigned long long start_time(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* After "(comm)", which may hold anything: field 3 is the state, 22 the start time. */
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

static int write_owner(const char *tmp, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;

	if (path_join(path, sizeof(path), tmp, OWNER_FILE, err, errlen))
		return -1;
	f = fopen(path, "wx");
	if (!f || fprintf(f, "%d %llu\n", (int)getpid(), start_time(getpid())) < 0 || fclose(f))
		return ERR("cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* The writer of a temporary tree is gone: its pid is not running, or is another process now. */
static bool owner_is_gone(int dirfd)
{
	char buf[64];
	int fd = openat(dirfd, OWNER_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned long long started;
	ssize_t n;
	long pid;

	if (fd < 0)
		return false;	/* not one of ours (or not yet marked): leave it */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	if (sscanf(buf, "%ld %llu", &pid, &started) != 2 || pid <= 0 || pid == getpid())
		return false;
	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return true;
	return started && start_time(pid) && start_time(pid) != started;
}

/*
 * Removes the hidden temporary trees (".NAME.tmp.XXXXXX") that a killed run
 * left in @parent: only directories, owned by us, marked by a vmexit-bench
 * that no longer runs.
 */
static void clean_stale_tmp(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		int fd;

		if (de->d_name[0] != '.' || !strstr(de->d_name, ".tmp."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (owner_is_gone(fd))
			remove_tree_at(dirfd(d), de->d_name, 1);
		close(fd);
	}
	closedir(d);
}

int results_mkdir_p(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return ERR("%s: path too long", path);
	for (char *p = buf + 1; ; p++) {
		char c = *p;

		if (c != '/' && c)
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return ERR("cannot create %s: %s", buf, strerror(errno));
		*p = c;
		if (!c)
			return 0;
	}
}

static void split_path(const char *path, char *parent, size_t plen, char *name, size_t nlen)
{
	char buf[PATH_MAX];
	size_t len;
	char *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = 0;
	slash = strrchr(buf, '/');
	if (!slash) {
		snprintf(parent, plen, ".");
		snprintf(name, nlen, "%s", buf);
	} else {
		snprintf(name, nlen, "%s", slash + 1);
		*slash = 0;
		snprintf(parent, plen, "%s", slash == buf ? "/" : buf);
	}
}

/* "2025-01-31T12:00:00Z" + "host.example" -> "2025-01-31-120000-host.example". */
static void auto_name(const struct env_record *e, char *out, size_t len)
{
	char date[32] = "", host[80];
	size_t j = 0;

	for (size_t i = 0; e->date[i] && j + 1 < sizeof(date); i++) {
		char c = e->date[i];

		if (c == 'T')
			date[j++] = '-';
		else if (c != ':' && c != 'Z')
			date[j++] = c;
	}
	date[j] = 0;
	plot_file_stem(e->hostname[0] ? e->hostname : "host", host, sizeof(host));
	snprintf(out, len, "%s-%s", date[0] ? date : "run", host);
}

static int write_files(const char *tmp, const struct run_record *r,
		       const struct env_record *e, const struct results_opts *o,
		       char *err, size_t errlen)
{
	char path[PATH_MAX];

#define IN(name) (path_join(path, sizeof(path), tmp, name, err, errlen) ? "" : path)
	if (csv_write_run(IN("summary.csv"), r, err, errlen) ||
	    run_json_write(IN("run.json"), r, e, err, errlen) ||
	    tex_write(IN("table.tex"), r, e, err, errlen))
		return -1;
	if (o->raw && samples_csv_write(IN("samples.csv"), r, err, errlen))
		return -1;
	if (path_join(path, sizeof(path), tmp, "plots", err, errlen))
		return -1;
	if (mkdir(path, 0755))
		return ERR("cannot create %s: %s", path, strerror(errno));
#undef IN
	return 0;
}

static void render_plots(const char *tmp, const struct run_record *r,
			 const struct env_record *e, const struct results_opts *o,
			 char *err, size_t errlen, int *failed)
{
	char plots[PATH_MAX];

	*failed = path_join(plots, sizeof(plots), tmp, "plots", err, errlen) ||
		  plot_write_run(plots, r, e, o->plot, err, errlen);
}

/* Moves the finished tree to its final name without replacing anything. */
static int place(const char *tmp, const char *parent, const char *name, bool exact,
		 char *final, size_t flen, char *err, size_t errlen)
{
	for (int k = 1; k <= MAX_SUFFIX; k++) {
		char suffixed[NAME_MAX + 16];

		snprintf(suffixed, sizeof(suffixed), k == 1 ? "%s" : "%s-%d", name, k);
		if (path_join(final, flen, parent, suffixed, err, errlen))
			return -1;
		/* An empty directory made by the user for --output is fine to take. */
		if (exact)
			rmdir(final);
		if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE))
			return 0;
		if (errno != EEXIST && errno != ENOTEMPTY)
			return ERR("cannot rename %s to %s: %s", tmp, final,
				 strerror(errno));
		if (exact)
			return ERR("%s exists and is not empty: will not overwrite "
				 "another run (choose another --output)", final);
	}
	return ERR("%s/%s: %d runs with this name already", parent, name, MAX_SUFFIX);
}

/* The path a run will be written to: its parent directory and its name. */
static void target_of(const char *base, const struct env_record *e,
		      const struct results_opts *o, char *parent, size_t plen,
		      char *name, size_t nlen)
{
	if (o->output) {
		split_path(o->output, parent, plen, name, nlen);
	} else {
		snprintf(parent, plen, "%s", base ? base : "results");
		auto_name(e, name, nlen);
	}
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (!d)
		return false;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

int results_dir_check(const char *base, const struct results_opts *o, char *err, size_t errlen)
{
	static const struct env_record none;
	char parent[PATH_MAX], name[NAME_MAX + 1], final[PATH_MAX], up[PATH_MAX];
	struct stat st;

	target_of(base, &none, o, parent, sizeof(parent), name, sizeof(name));
	if (o->output) {
		if (path_join(final, sizeof(final), parent, name, err, errlen))
			return -1;
		if (!lstat(final, &st) && !(S_ISDIR(st.st_mode) && dir_is_empty(final)))
			return ERR("%s exists and is %s: will not overwrite it "
				 "(choose another --output)", final,
				 S_ISDIR(st.st_mode) ? "not empty" : "not a directory");
	}
	/* The nearest directory that exists is where the missing ones will be made. */
	snprintf(up, sizeof(up), "%s", parent);
	while (stat(up, &st) && errno == ENOENT && strcmp(up, "/") && strcmp(up, "."))
		split_path(up, up, sizeof(up), name, sizeof(name));
	if (stat(up, &st))
		return ERR("cannot write results in %s: %s: %s", parent, up,
			 strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ERR("cannot write results in %s: %s is not a directory", parent, up);
	if (atomic_file_probe_dir(up))
		return ERR("cannot write results in %s: %s: %s", parent, up,
			 strerror(errno));
	return 0;
}

int results_dir_write(const char *base, const struct run_record *r,
		      const struct env_record *e, const struct results_opts *o,
		      char *err, size_t errlen)
{
	char parent[PATH_MAX], name[NAME_MAX + 1], tmp[PATH_MAX], final[PATH_MAX];
	char perr[PATH_MAX + 256], mark[PATH_MAX];
	int plot_failed = 0;

	target_of(base, e, o, parent, sizeof(parent), name, sizeof(name));
	if (results_mkdir_p(parent, err, errlen))
		return -1;
	clean_stale_tmp(parent);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.XXXXXX", parent, name) >= (int)sizeof(tmp) ||
	    !mkdtemp(tmp))
		return ERR("cannot create a temporary directory in %s: %s", parent,
			 strerror(errno));
	if (write_owner(tmp, err, errlen))
		goto fail;
	if (write_files(tmp, r, e, o, err, errlen))
		goto fail;
	render_plots(tmp, r, e, o, perr, sizeof(perr), &plot_failed);
	chmod(tmp, 0755);	/* mkdtemp makes 0700; shared once complete */
	if (place(tmp, parent, name, o->output != NULL, final, sizeof(final), err, errlen))
		goto fail;
	/* In place: the mark has done its job (a kill before this left a tree to clean). */
	if (path_join(mark, sizeof(mark), final, OWNER_FILE, err, errlen) == 0)
		unlink(mark);
	if (plot_failed)
		fprintf(o->warn ? o->warn : stderr, "warning: plots: %s\n", perr);
	if (o->created)
		snprintf(o->created, o->createdlen, "%s", final);
	return 0;
fail:
	remove_tree(tmp, 1);
	return -1;
}
