/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer targets: a private work directory (on /dev/shm
 * when there is one, so each input costs no disk I/O) holding a copy of the
 * seed run in tests/fuzz/base/ that a target overwrites a file of.
 */
#ifndef VMEXIT_FUZZ_H
#define VMEXIT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_BASE
#error "build with -DFUZZ_BASE=\"<source>/tests/fuzz/base\" (tests/fuzz/build.sh does)"
#endif

static inline void fuzz_put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		perror(path);
		abort();
	}
}

static inline void fuzz_copy_base(const char *dir, const char *name)
{
	char path[8192], buf[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FUZZ_BASE, name);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		abort();
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fuzz_put(dir, name, buf, n);
}

static char fuzz_dirs[4][256];
static int fuzz_ndirs;

/* The work directories hold only flat files we wrote. */
static inline void fuzz_cleanup(void)
{
	for (int i = 0; i < fuzz_ndirs; i++) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%.255s'", fuzz_dirs[i]);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", fuzz_dirs[i]);
	}
}

/* A fresh directory with the base run in it, once per process. */
static inline const char *fuzz_dir(const char *tag)
{
	char *dir;

	if (fuzz_ndirs == 4)
		abort();
	dir = fuzz_dirs[fuzz_ndirs++];
	if (fuzz_ndirs == 1)
		atexit(fuzz_cleanup);
	const char *root = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";

	snprintf(dir, sizeof(fuzz_dirs[0]), "%s/vmexit-fuzz-%s-XXXXXX", root, tag);
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	fuzz_copy_base(dir, "run.json");
	fuzz_copy_base(dir, "summary.csv");
	fuzz_copy_base(dir, "samples.csv");
	return dir;
}

#endif
