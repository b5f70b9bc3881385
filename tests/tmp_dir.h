/* SPDX-License-Identifier: MIT */
/*
 * A private directory for each test that writes files (Check forks every
 * test, so each gets its own): tmp_dir_setup/tmp_dir_teardown as a checked
 * fixture, tmp_path() for the names in it, tmp_read() for what was written.
 */
#ifndef VMEXIT_TMP_DIR_H
#define VMEXIT_TMP_DIR_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static char tmp_dir[] = "/tmp/vmexit-test-XXXXXX";

static inline void tmp_dir_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static inline void tmp_dir_teardown(void)
{
	char cmd[128];

	/* by its full path: a test may have emptied PATH */
	snprintf(cmd, sizeof(cmd), "/bin/rm -rf '%s'", tmp_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* @name inside the directory; the last four results stay valid. */
static inline const char *tmp_path(const char *name)
{
	static char p[4][4096];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmp_dir, name);
	return p[k];
}

/* The whole file at @path, NUL-terminated (its length in *@len if asked); caller frees. */
static inline char *tmp_read(const char *path, size_t *len)
{
	char *text = NULL, chunk[4096];
	size_t n, tlen = 0;
	FILE *f = fopen(path, "rb"), *m;

	ck_assert_msg(f != NULL, "%s is missing", path);
	m = open_memstream(&text, &tlen);
	ck_assert_ptr_nonnull(m);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ck_assert_uint_eq(fwrite(chunk, 1, n, m), n);
	fclose(f);
	fclose(m);
	if (len)
		*len = tlen;
	return text;
}

#endif
