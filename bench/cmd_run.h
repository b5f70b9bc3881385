/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_CMD_RUN_H
#define VMEXIT_CMD_RUN_H

#include <stddef.h>

#include "cli.h"

/*
 * `vmexit-bench [run] [BENCH...]`: measures @o's selection, prints the
 * table and writes the results directory, --csv and --export-markdown.
 * @argc/@argv: the whole command line, for the environment record.
 * @catch_stop installs the handlers that let SIGINT/SIGTERM stop the run
 * between benchmarks; it is called only once measuring on /dev/kvm starts,
 * since signals are main's to set (a lane run and a refused command line
 * keep the default action). Returns the exit status: 0 ok, 1 a benchmark
 * or a write failed, 2 bad usage, 128 + the signal when a signal stopped it.
 */
int cmd_run(const struct options *o, int argc, char **argv, void (*catch_stop)(void));

/*
 * Which backend a run with @o would use, from @o->backend and whether
 * /dev/kvm (VMEXIT_KVM_DEVICE) opens: BACKEND_KVM, or a lane with why
 * /dev/kvm is not used in @why ("" when the lane was asked for).
 */
enum backend run_backend(const struct options *o, char *why, size_t len);

#endif
