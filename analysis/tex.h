/* SPDX-License-Identifier: MIT */
/* table.tex: a booktabs table of medians with their 95% CIs, for \input. */
#ifndef VMEXIT_TEX_H
#define VMEXIT_TEX_H

#include <stddef.h>
#include <stdio.h>

#include "env.h"
#include "run_record.h"

/*
 * Escapes LaTeX specials (\ { } $ & # ^ _ % ~) in @in. Returns 0, or -1
 * if @out is too small (it then holds a truncated, still valid prefix).
 */
int tex_escape(const char *in, char *out, size_t outlen);
/*
 * A benchmark name in typewriter type that may break after each underscore,
 * and inside a long run of letters, so that the name column of a table can
 * be narrow in a two-column paper without an overfull box.
 */
void tex_name(FILE *f, const char *name);

void tex_write_table(FILE *f, const struct run_record *r, const struct env_record *e);
/* Writes table.tex atomically. */
int tex_write(const char *path, const struct run_record *r, const struct env_record *e,
	      char *err, size_t errlen);

#endif
