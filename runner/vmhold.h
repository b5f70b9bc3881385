/* SPDX-License-Identifier: MIT */
/*
 * The VM a run measures in, and its renewal: a benchmark that breaks the
 * VM (a fault, a hang) or needs the other flavour (an in-kernel irqchip or
 * none) gets a fresh one here, so the code that measures never reaches
 * back up for it.
 */
#ifndef VMEXIT_VMHOLD_H
#define VMEXIT_VMHOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

struct vm_holder {
	struct vm vm;
	bool live;		/* vm exists */
	size_t sample_bytes;	/* guest memory for samples, for every VM made */
};

/* A new VM (@irqchip: with an in-kernel irqchip) in place of the live one. -1 with a message. */
int vmhold_make(struct vm_holder *h, bool irqchip, char *err, size_t errlen);
/* Destroys the VM and makes a new one of the same flavour. -1 with a message. */
int vmhold_renew(struct vm_holder *h, char *err, size_t errlen);
/* Makes sure the live VM has (@irqchip) an in-kernel irqchip or not. */
int vmhold_flavour(struct vm_holder *h, bool irqchip, char *err, size_t errlen);
void vmhold_free(struct vm_holder *h);

/* The guest's sample array. */
const struct sample *vm_samples(const struct vm *vm);
/* Raw per-iteration deltas from sample @first on. -1 if the TSC ran backwards. */
int vm_raw_deltas(const struct vm *vm, uint64_t first, uint64_t n, double *out,
		  size_t *backwards);

#endif
