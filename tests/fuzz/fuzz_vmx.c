/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the raw VMX harness's serial log ('vmx --serial'):
 * parse, check, summarize and fit, as the command does.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "vmx_stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct summary_row *rows;
	struct vmx_log log;
	struct vmx_fit fit;
	char err[512];
	double floor;
	size_t n;
	FILE *f;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	vmx_log_init(&log);
	if (!vmx_parse_stream(f, &log, err, sizeof(err)) &&
	    !vmx_log_check(&log, err, sizeof(err))) {
		if (!vmx_log_summaries(&log, &rows, &n, &floor, err, sizeof(err)))
			free(rows);
		for (int a = 0; a < VMX_AREA_COUNT; a++)
			vmx_log_fit(&log, a, vmx_area_phase(a), &fit);
	}
	fclose(f);
	vmx_log_free(&log);
	return 0;
}
