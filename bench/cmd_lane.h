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

#endif
