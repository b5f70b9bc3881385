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

#endif
