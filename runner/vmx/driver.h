/* SPDX-License-Identifier: MIT */
/*
 * The raw VMX harness under Bochs, from the host: a work directory with a
 * floppy (boot sector, the harness's option string, the image) and a
 * bochsrc; Bochs runs there until the image prints its whole done line,
 * Bochs stops, or time runs out. The serial log stays in the work
 * directory for the caller to read.
 */
#ifndef VMEXIT_VMX_DRIVER_H
#define VMEXIT_VMX_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

struct vmx_bochs_opts {
	const char *image_dir;	/* where vmxboot.bin and vmxbench.bin are */
	const char *cpu;	/* Bochs CPU model, see vmx_bochs_model_ok() */
	unsigned timeout;	/* wall-clock seconds */
	/* The harness's options (runner/vmx/README.md); NULL lists: all. */
	unsigned iters, warmup;
	const char *msr_area, *benches, *areas;
};

struct vmx_bochs_dir {
	char path[3072];	/* "" until the work directory exists */
	char serial[4096];	/* the serial log in it */
};

/*
 * Boots the harness under Bochs in a new work directory under $TMPDIR
 * (default /tmp). Returns 0 once the log holds the done line, or -1 with
 * @err set; @d->path names the work directory whenever it was created,
 * after a failure too.
 */
int vmx_bochs_run(const struct vmx_bochs_opts *o, struct vmx_bochs_dir *d, char *err,
		  size_t errlen);

/* Removes the work directory and what Bochs left in it. */
void vmx_bochs_remove(const struct vmx_bochs_dir *d);

/* A model name can go into bochsrc: 1-63 of a-z, 0-9, _ (no newline, no option). */
bool vmx_bochs_model_ok(const char *cpu);

/* Whether the serial log at @path holds a whole "VMXB 1 done ..." line yet. */
bool vmx_serial_done(const char *path);

#endif
