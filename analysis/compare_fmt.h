/* SPDX-License-Identifier: MIT */
/* What the comparison's writers (text, Markdown, LaTeX, plots) share. */
#ifndef VMEXIT_COMPARE_FMT_H
#define VMEXIT_COMPARE_FMT_H

#include "compare.h"

/* The row of @row's benchmark and CPL for phase @p, or NULL. */
const struct compare_row *compare_find(const struct compare_table *t,
				       const struct compare_row *row, enum phase p);
/* Shown rows at more than one CPL: CPL0 rows are marked. */
bool compare_mixed_cpl(const struct compare_table *t);
/* Every sample of both rows equal: a difference in ticks, no ratio test. */
bool compare_exact_cell(const struct compare_cell *c);
/* The runs other than the baseline, in order, into @out; returns how many. */
size_t compare_others(const struct compare_table *t, size_t *out);
/* A ratio in five characters ("1.234", "12.34"); "-" when undefined. */
void compare_fmt_ratio(double r, char *buf, size_t len);
/* '*' significant, ' ' not, '?' not tested. */
char compare_mark(const struct compare_cell *c);

#endif
