/* SPDX-License-Identifier: MIT */
/*
 * Presets: named selections printed with the names other work uses. The
 * one there is, `paper`, is the microbenchmark table virtualization papers
 * print for every platform (Dall et al., "ARM Virtualization: Performance
 * and Architectural Implications", ISCA 2016, and the KVM work after it).
 */
#ifndef VMEXIT_PRESET_H
#define VMEXIT_PRESET_H

#include <stddef.h>
#include <stdio.h>

#include "run_record.h"

#define PRESET_MAX_ROWS 8

struct preset_row {
	const char *title;	/* the papers' row name */
	const char *bench;	/* the catalog benchmark that measures it */
};

struct preset {
	const char *name;
	const char *caption;
	size_t nrows;
	struct preset_row rows[PRESET_MAX_ROWS];
};

/* The preset called @name, or NULL. */
const struct preset *preset_find(const char *name);
/* "paper" (the names, for messages). */
const char *preset_names(void);
/* The preset's table from @rec: its row names, benchmark, CPL, medians, or why none. */
void preset_print(FILE *f, const struct preset *p, const struct run_record *rec);
/* The same as a LaTeX tabular in a table environment (no packages needed). */
void preset_write_tex(FILE *f, const struct preset *p, const struct run_record *rec);
/* Writes it atomically to DIR/paper.tex. 0, or -1 with a one-line message. */
int preset_tex_file(const char *dir, const struct preset *p, const struct run_record *rec,
		    char *err, size_t errlen);

#endif
