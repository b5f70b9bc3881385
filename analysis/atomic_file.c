/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"

int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen)
{
	int fd;

	af->f = NULL;
	if (snprintf(af->path, sizeof(af->path), "%s", path) >= (int)sizeof(af->path) ||
	    snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(af->tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", af->tmp, strerror(errno));
		return -1;
	}
	/* mkstemp makes 0600; results are meant to be shared. */
	fchmod(fd, 0644);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		snprintf(err, errlen, "cannot open %s: %s", af->tmp, strerror(errno));
		close(fd);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
	int bad = ferror(af->f);

	bad |= fflush(af->f) != 0;
	bad |= fsync(fileno(af->f)) != 0;
	bad |= fclose(af->f) != 0;
	af->f = NULL;
	if (bad) {
		snprintf(err, errlen, "cannot write %s: %s", af->path, strerror(errno));
		unlink(af->tmp);
		return -1;
	}
	if (rename(af->tmp, af->path) != 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", af->tmp, af->path,
			 strerror(errno));
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	unlink(af->tmp);
}
