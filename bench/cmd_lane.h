/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_CMD_LANE_H
#define VMEXIT_CMD_LANE_H

/*
 * `vmexit-bench lane --vendor intel|amd [...] [BENCH...]`: runs the
 * benchmarks on a Debian kernel's own KVM inside an emulator (lane.sh) and
 * writes an ordinary results directory. @argv[0] is "lane". Returns the
 * exit status: 0 ok, 1 the lane could not run or the guest's run failed,
 * 2 bad usage.
 */
int cmd_lane(int argc, char **argv);

#include <stddef.h>

#include "cli.h"

/*
 * `vmexit-bench run` on a lane (@b is BACKEND_LANE_AMD or _INTEL): the
 * run's options passed on to the guest's run, its results directory
 * finished here (plots, --csv). @no_kvm: why /dev/kvm is not used when the
 * run fell back to the lane (said first), NULL when the lane was chosen.
 * The selection and outputs are checked by the caller. Returns the exit
 * status.
 */
int lane_backend_run(const struct options *o, enum backend b, const char *no_kvm);

/* -1 with one line in @err for an option of @o that cannot apply in @lane. */
int lane_refusal(const struct options *o, const char *lane, char *err, size_t errlen);

#endif
