/* SPDX-License-Identifier: MIT */
/*
 * The result subcommands. Each takes the argument vector starting at the
 * subcommand's own name (argv[0] = "env", "plot" or "compare") and returns
 * the process exit status: 0 done, 1 failed, 2 bad usage or bad input.
 */
#ifndef VMEXIT_CMD_RESULTS_H
#define VMEXIT_CMD_RESULTS_H

int cmd_env(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif
