/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_CMD_VMX_H
#define VMEXIT_CMD_VMX_H

/*
 * `vmexit-bench vmx [...]`: runs the raw VMX harness under Bochs, or reads
 * a serial log captured elsewhere, and writes the usual summary CSV.
 * @argv[0] is "vmx". Returns the process exit status: 0 ok, 1 the run or
 * its log failed, 2 bad usage.
 */
int cmd_vmx(int argc, char **argv);

#include <stdbool.h>
/*
 * Whether the serial log at @path holds the image's done line. While its
 * writer (Bochs) is still running only a whole line (newline included)
 * counts: Bochs writes the log as the guest prints.
 */
bool vmx_log_has_done(const char *path, bool writer_running);

#endif
