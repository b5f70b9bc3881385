/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "summary.h"

static const char *const phase_names[PHASE_COUNT] = {
	[PHASE_TOTAL] = "total",
	[PHASE_EXIT] = "exit",
	[PHASE_HANDLER] = "handler",
	[PHASE_ENTRY] = "entry",
};

const char *phase_name(enum phase p)
{
	return (unsigned)p < PHASE_COUNT ? phase_names[p] : "?";
}

int phase_from_name(const char *name)
{
	for (int p = 0; p < PHASE_COUNT; p++)
		if (strcmp(name, phase_names[p]) == 0)
			return p;
	return -1;
}
