/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_CMD_LIST_H
#define VMEXIT_CMD_LIST_H

#include "cli.h"

/*
 * `vmexit-bench list [--json]`: the catalog, and for each benchmark what a
 * run with @o would do with it here, found by a short run of the catalog.
 * Returns the exit status: 0, or 1 out of memory.
 */
int cmd_list(const struct options *o);

#endif
