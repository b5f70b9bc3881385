/* SPDX-License-Identifier: MIT */
/*
 * A file a reader takes in (run.json, summary.csv, samples.csv, a plot's
 * .dat): only a regular file, opened without blocking, and read within
 * bounds on its size and on every line, so that a FIFO, a device such as
 * /dev/zero, a directory or a huge sparse file is one line of refusal, not
 * a hang or gigabytes of memory.
 */
#ifndef VMEXIT_INPUT_FILE_H
#define VMEXIT_INPUT_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct input_file {
	char path[PATH_MAX];
	FILE *f;
	unsigned long long max_bytes;	/* read no more than this */
	unsigned long long nread;
	unsigned long long size;	/* what fstat said when it was opened */
	size_t max_line;		/* bytes of one line, its '\n' included */
	char *line;			/* the current line, NUL-terminated, '\n' kept */
	size_t len;			/* its length */
	size_t lineno;
	char *err;
	size_t errlen;
};

/*
 * Opens @path (O_NONBLOCK, so a FIFO cannot block the open; then fstat on
 * the descriptor, so nothing can be swapped in between check and open).
 * Refuses what is not a regular file, and a file larger than @max_bytes.
 * Returns 0; 1 when @optional and there is no such file; -1 with
 * "<path>: <why>" in @err.
 */
int input_file_open(struct input_file *in, const char *path, unsigned long long max_bytes,
		    size_t max_line, bool optional, char *err, size_t errlen);

/*
 * The next line into in->line: 1; 0 at the end of the file; -1 with
 * "<path>: line N: <why>" in @err for a line longer than max_line, a NUL
 * byte, a last line without '\n' (a truncated write), more than max_bytes
 * read or a read error.
 */
int input_file_line(struct input_file *in);

/*
 * The whole file into a buffer of its own (NUL-terminated; *@len bytes):
 * 0, or -1 with "<path>: <why>" in @err. The caller frees *@buf.
 */
int input_file_slurp(struct input_file *in, char **buf, size_t *len);

void input_file_close(struct input_file *in);

/* "a FIFO", "a directory", "a character device", ... for a mode that is not a regular file. */
const char *input_file_kind(unsigned mode);

#endif
