/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_ATOMIC_FILE_H
#define VMEXIT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

#include <stdbool.h>

/*
 * Write-to-temporary-then-rename, so a reader never sees half a file and a
 * failed run never clobbers an earlier result. Only a regular file (or a
 * name not yet taken) is replaced: "-" is stdout, a terminal or a pipe
 * (also through a link such as /dev/stdout) is written as it is, and
 * anything else is refused.
 */
struct atomic_file {
	FILE *f;
	bool stream;		/* written in place: stdout, a terminal, a pipe */
	char path[4096];
	char tmp[4096];
};

/*
 * Whether atomic_file_open(@path) and the commit would succeed as far as
 * can be known before writing: checked before a run measures anything.
 */
int atomic_file_check(const char *path, char *err, size_t errlen);
/* Creates and removes a file in @dir: 0 if that worked, else -1 with errno. */
int atomic_file_probe_dir(const char *dir);
int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen);
/* Flushes, fsyncs and renames into place; closes in every case. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);
/* Drops the temporary file. */
void atomic_file_abort(struct atomic_file *af);

#endif
