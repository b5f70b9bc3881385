/* SPDX-License-Identifier: MIT */
/* Bounded, non-blocking reading of the files a results directory holds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "input_file.h"

const char *input_file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFREG:
		return "a regular file";
	default:
		return "not a file";
	}
}

static int fail(struct input_file *in, bool with_line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct input_file *in, bool with_line, const char *fmt, ...)
{
	int n = with_line ? snprintf(in->err, in->errlen, "%s: line %zu: ", in->path, in->lineno)
			  : snprintf(in->err, in->errlen, "%s: ", in->path);
	va_list ap;

	if (n >= 0 && (size_t)n < in->errlen) {
		va_start(ap, fmt);
		vsnprintf(in->err + n, in->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int input_file_open(struct input_file *in, const char *path, unsigned long long max_bytes,
		    size_t max_line, bool optional, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	memset(in, 0, sizeof(*in));
	in->err = err;
	in->errlen = errlen;
	in->max_bytes = max_bytes;
	in->max_line = max_line;
	snprintf(in->path, sizeof(in->path), "%s", path);
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (optional && errno == ENOENT)
			return 1;
		/* A socket cannot be opened at all; say what it is, not ENXIO. */
		if (errno == ENXIO && !stat(path, &st))
			return fail(in, false, "%s, not a regular file", input_file_kind(st.st_mode));
		return fail(in, false, "%s", strerror(errno));
	}
	if (fstat(fd, &st)) {
		close(fd);
		return fail(in, false, "%s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(in, false, "%s, not a regular file", input_file_kind(st.st_mode));
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		close(fd);
		return fail(in, false, "%lld bytes, larger than the %llu this file can hold",
			    (long long)st.st_size, max_bytes);
	}
	in->size = st.st_size;
	in->f = fdopen(fd, "r");
	if (!in->f) {
		close(fd);
		return fail(in, false, "%s", strerror(errno));
	}
	in->line = malloc(max_line + 1);
	if (!in->line) {
		input_file_close(in);
		return fail(in, false, "out of memory");
	}
	return 0;
}

int input_file_line(struct input_file *in)
{
	size_t n = 0;
	int c = EOF;

	in->len = 0;
	in->line[0] = 0;
	while (n < in->max_line && (c = getc_unlocked(in->f)) != EOF) {
		in->line[n++] = c;
		if (c == '\n' || !c)
			break;
	}
	in->line[n] = 0;
	in->len = n;
	if (ferror(in->f))
		return fail(in, false, "read error: %s", strerror(errno));
	if (!n)
		return 0;
	in->lineno++;
	/* A file that grows, or one whose size says nothing (/proc): the count holds. */
	in->nread += n;
	if (in->nread > in->max_bytes)
		return fail(in, true, "more than the %llu bytes this file can hold",
			    in->max_bytes);
	if (!c)
		return fail(in, true, "a NUL byte (not a text file)");
	if (c == '\n')
		return 1;
	if (c == EOF)
		return fail(in, true, "truncated (no newline at end of file)");
	return fail(in, true, "longer than %zu bytes", in->max_line);
}

int input_file_slurp(struct input_file *in, char **buf, size_t *len)
{
	/* Up to one byte more than allowed: a file that grew past its size is caught. */
	size_t limit = in->max_bytes + 1, cap = in->size < limit ? in->size + 1 : limit, n = 0;
	char *b = malloc(cap + 1);

	if (!b)
		return fail(in, false, "out of memory");
	for (;;) {
		size_t got = fread(b + n, 1, cap - n, in->f);
		char *p;

		n += got;
		if (n < cap || cap == limit)
			break;
		/* Larger than its size said (/proc, or growing): more room, within the bound. */
		cap = 2 * cap < limit ? 2 * cap : limit;
		p = realloc(b, cap + 1);
		if (!p) {
			free(b);
			return fail(in, false, "out of memory");
		}
		b = p;
	}
	if (ferror(in->f)) {
		free(b);
		return fail(in, false, "read error: %s", strerror(errno));
	}
	if (n > in->max_bytes) {
		free(b);
		return fail(in, false, "larger than the %llu bytes this file can hold",
			    in->max_bytes);
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

void input_file_close(struct input_file *in)
{
	free(in->line);
	in->line = NULL;
	if (in->f)
		fclose(in->f);
	in->f = NULL;
}
