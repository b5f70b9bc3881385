/* SPDX-License-Identifier: MIT */
/*
 * Reader of the raw VMX harness's serial line format, version 1
 * (runner/vmx/README.md). Lines that do not start with "VMXB " are boot
 * noise and skipped; a "VMXB " line that does not parse is an error naming
 * its line number.
 */
#ifndef VMEXIT_VMX_PARSE_H
#define VMEXIT_VMX_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "summary.h"

#define VMX_LINE_VERSION 1

enum vmx_timing {
	VMX_TIMING_UNKNOWN,
	VMX_TIMING_NATIVE,
	VMX_TIMING_VIRTUALIZED,	/* nested: the outer hypervisor adds its work */
	VMX_TIMING_EMULATED,	/* e.g. Bochs: ticks are not CPU cycles */
};

enum vmx_area {
	VMX_AREA_NONE = -1,
	VMX_AREA_EXIT_STORE,
	VMX_AREA_EXIT_LOAD,
	VMX_AREA_ENTRY_LOAD,
	VMX_AREA_COUNT,
};

/* The samples of one benchmark, or of one MSR-area sweep point. */
struct vmx_series {
	char name[32];		/* bench name, or area name for a sweep point */
	int area;		/* enum vmx_area; VMX_AREA_NONE for a bench */
	unsigned count;		/* MSR-area entries of a sweep point */
	size_t n, cap;
	double *v[PHASE_COUNT];	/* raw ticks; exit/handler/entry only if has_phases */
	bool has_phases;
	long reason;		/* from the "exit" line, -1 if none */
	unsigned long exits;
	int verified;		/* sweep: -1 not reported, 0 failed, 1 ok */
	bool summarized;	/* sweep: the "sweep" line was seen */
	double device_median;	/* sweep: the median the image computed */
};

struct vmx_log {
	enum vmx_timing timing;
	bool hello, done, done_ok;
	unsigned errors;
	char first_error[256];
	char cpu[96];
	unsigned iters, warmup, msr_max;
	size_t nseries, cap;
	struct vmx_series *series;
};

void vmx_log_init(struct vmx_log *log);
void vmx_log_free(struct vmx_log *log);

/* Parses one line (with or without newline). Returns 0 or -1 with @err set. */
int vmx_parse_line(struct vmx_log *log, const char *line, unsigned long lineno,
		   char *err, size_t errlen);
/* Parses a whole log; stops at the first malformed line. */
int vmx_parse_stream(FILE *f, struct vmx_log *log, char *err, size_t errlen);

/*
 * A complete, clean run: "done ok", no error lines, every bench's exit
 * reason as expected, every sweep point verified and complete.
 */
int vmx_log_check(const struct vmx_log *log, char *err, size_t errlen);

const char *vmx_area_name(int area);
/* Exit reason a bench must produce; -1 for the floor or an unknown name. */
long vmx_expected_reason(const char *bench);
/* The phase an area's entries are processed in. */
enum phase vmx_area_phase(int area);

/* "tsc_ticks", or "emulated_ticks" when the timing was emulated. */
const char *vmx_log_unit(const struct vmx_log *log);

#endif
