/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_ATOMIC_FILE_H
#define VMEXIT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write-to-temporary-then-rename, so a reader never sees half a file and a
 * failed run never clobbers an earlier result.
 */
struct atomic_file {
	FILE *f;
	char path[4096];
	char tmp[4096];
};

int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen);
/* Flushes, fsyncs and renames into place; closes in every case. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);
/* Drops the temporary file. */
void atomic_file_abort(struct atomic_file *af);

#endif
