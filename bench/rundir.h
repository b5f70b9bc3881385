/* SPDX-License-Identifier: MIT */
/*
 * Where the files that vmexit-bench reads at run time are: the lane's
 * scripts and helper (lane.sh, its guest's /init, lane-kvm-hold) and the
 * raw VMX harness's boot image. Never the source tree: an installed
 * binary finds them relative to itself (BINDIR/../libexec/vmexit-bench),
 * one in its build directory finds the copies the build made next to it
 * (runner/lane, runner/vmx), and an environment variable overrides both.
 */
#ifndef VMEXIT_RUNDIR_H
#define VMEXIT_RUNDIR_H

#include <stddef.h>

enum rundir_kind {
	RUNDIR_LANE,	/* lane.sh and what it runs; VMEXIT_LANE_DIR */
	RUNDIR_VMX,	/* vmxbench.bin, vmxboot.bin; VMXB_IMAGE_DIR */
};

/*
 * The directory of @kind for the binary at @exe: the environment
 * variable's value when it is set and not empty (taken as it is, checked
 * where it is used), else the first of the installed place, the build
 * directory's and the configured install path that holds the kind's
 * marker file. 0 with the directory in @out, or -1 with one line in @err
 * naming the places looked at.
 */
int rundir_find_from(const char *exe, enum rundir_kind kind, char *out, size_t len,
		     char *err, size_t errlen);

/* rundir_find_from() for this process (/proc/self/exe). */
int rundir_find(enum rundir_kind kind, char *out, size_t len, char *err, size_t errlen);

#endif
