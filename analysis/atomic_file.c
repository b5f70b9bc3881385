/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "atomic_file.h"

/* What writing to @path would do. */
enum target { TARGET_REPLACE, TARGET_STREAM, TARGET_REFUSE, TARGET_ERROR };

static enum target classify(const char *path, int *errnum)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return TARGET_STREAM;
	if (lstat(path, &st)) {
		*errnum = errno;
		return errno == ENOENT ? TARGET_REPLACE : TARGET_ERROR;
	}
	if (S_ISREG(st.st_mode))
		return TARGET_REPLACE;
	/*
	 * A terminal, a pipe or /dev/stdout (a link to one) is written as it
	 * is; renaming over it would replace the device node or the link.
	 */
	if (!stat(path, &st) && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
		return TARGET_STREAM;
	return TARGET_REFUSE;
}

static int refuse(const char *path, char *err, size_t errlen)
{
	return ERR("%s: not a regular file, a terminal or a pipe: will not replace it",
		 path);
}

int atomic_file_check(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	const char *d;
	struct stat st;
	int errnum = 0;

	switch (classify(path, &errnum)) {
	case TARGET_STREAM:
		if (strcmp(path, "-") && access(path, W_OK))
			return ERR("cannot write %s: %s", path, strerror(errno));
		return 0;
	case TARGET_REFUSE:
		return refuse(path, err, errlen);
	case TARGET_ERROR:
		return ERR("cannot write %s: %s", path, strerror(errnum));
	case TARGET_REPLACE:
		break;
	}
	/* The temporary file and the rename need the directory. */
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return ERR("%s: path too long", path);
	/* dirname() may return a static "." instead of changing dir: use what it returns. */
	d = dirname(dir);
	if (stat(d, &st))
		return ERR("cannot write %s: %s: %s", path, d, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ERR("cannot write %s: %s is not a directory", path, d);
	if (atomic_file_probe_dir(d))
		return ERR("cannot write %s: %s: %s", path, d, strerror(errno));
	return 0;
}

int atomic_file_probe_dir(const char *dir)
{
	char probe[4096];
	int fd, errnum;

	/* access() says yes to root on a read-only file system or /proc: try it. */
	if (snprintf(probe, sizeof(probe), "%s/.vmexit-bench-probe.XXXXXX", dir) >=
	    (int)sizeof(probe)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkstemp(probe);
	if (fd < 0)
		return -1;
	errnum = unlink(probe) ? errno : 0;
	close(fd);
	errno = errnum;
	return errnum ? -1 : 0;
}

static int open_stream(struct atomic_file *af, const char *path, char *err, size_t errlen)
{
	af->stream = true;
	af->tmp[0] = 0;
	af->f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!af->f)
		return ERR("cannot open %s: %s", path, strerror(errno));
	return 0;
}

int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen)
{
	int fd, errnum = 0;

	af->f = NULL;
	af->stream = false;
	if (snprintf(af->path, sizeof(af->path), "%s", path) >= (int)sizeof(af->path) ||
	    snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(af->tmp))
		return ERR("%s: path too long", path);
	switch (classify(path, &errnum)) {
	case TARGET_STREAM:
		return open_stream(af, path, err, errlen);
	case TARGET_REFUSE:
		return refuse(path, err, errlen);
	default:
		break;
	}
	fd = mkstemp(af->tmp);
	if (fd < 0)
		return ERR("cannot create %s: %s", af->tmp, strerror(errno));
	/* mkstemp makes 0600; results are meant to be shared. */
	fchmod(fd, 0644);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		ERR("cannot open %s: %s", af->tmp, strerror(errno));
		close(fd);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

static int commit_stream(struct atomic_file *af, char *err, size_t errlen)
{
	int bad = ferror(af->f);

	bad |= fflush(af->f) != 0;
	if (af->f != stdout)
		bad |= fclose(af->f) != 0;
	af->f = NULL;
	if (bad)
		return ERR("cannot write %s: %s", af->path, strerror(errno));
	return 0;
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
	int bad;

	if (af->stream)
		return commit_stream(af, err, errlen);
	bad = ferror(af->f);
	bad |= fflush(af->f) != 0;
	bad |= fsync(fileno(af->f)) != 0;
	bad |= fclose(af->f) != 0;
	af->f = NULL;
	if (bad) {
		ERR("cannot write %s: %s", af->path, strerror(errno));
		unlink(af->tmp);
		return -1;
	}
	if (rename(af->tmp, af->path) != 0) {
		ERR("cannot rename %s to %s: %s", af->tmp, af->path,
			 strerror(errno));
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f && af->f != stdout)
		fclose(af->f);
	af->f = NULL;
	if (!af->stream)
		unlink(af->tmp);
}
