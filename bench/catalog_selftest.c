/* SPDX-License-Identifier: MIT */
/* The catalog, part 4: self-tests of the failure paths; never in the default set or in 'list'. */
#include "catalog_rows.h"

const struct bench_def catalog_selftest[] = {
	{
		.name = "_no_exit",
		.exit_reason = "none (a store to guest RAM)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_MMIO_WRITE_VAL,
		.arg0 = GPA_IMAGE_MAX,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "self-test: an access that does not exit is reported as 'no exit'",
		.unsupported = needs_stats,
	},
	{
		.name = "_fault_ud2",
		.exit_reason = "none (raises #UD)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_PROBE_UD2,
		.check = CHECK_NONE,
		.description = "self-test: a guest that faults",
	},
	{
		.name = "_hang",
		.exit_reason = "none (spins forever)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_PROBE_SPIN,
		.check = CHECK_NONE,
		.description = "self-test: a guest that never reports",
	},
};

const size_t catalog_selftest_n = sizeof(catalog_selftest) / sizeof(catalog_selftest[0]);
