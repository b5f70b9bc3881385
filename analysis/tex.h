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

void tex_write_table(FILE *f, const struct run_record *r, const struct env_record *e);
/* Writes table.tex atomically. */
int tex_write(const char *path, const struct run_record *r, const struct env_record *e,
	      char *err, size_t errlen);

#endif
