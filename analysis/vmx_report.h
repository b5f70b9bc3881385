/* SPDX-License-Identifier: MIT */
/*
 * What `vmexit-bench vmx` writes from a checked log (vmx_parse.h): the
 * summary CSV (csv.h), the MSR-area sweep CSV (area, phase, count,
 * samples, median_total_raw, median_phase, slope and its CI, verified,
 * unit) and the table, and the copy of a Bochs run's serial log.
 */
#ifndef VMEXIT_VMX_REPORT_H
#define VMEXIT_VMX_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "vmx_parse.h"

/*
 * Writes the summary CSV to @csv, then the sweep CSV to @sweep_csv, then
 * prints the table to @table. Returns 0, or -1 with @err set (and no
 * table) when a summary cannot be made or a file cannot be written.
 */
int vmx_report_write(const struct vmx_log *log, const char *csv, const char *sweep_csv,
		     FILE *table, char *err, size_t errlen);

/* Copies the serial log at @from to @to, replaced as atomic_file.h says. */
int vmx_report_copy_log(const char *from, const char *to, char *err, size_t errlen);

#endif
