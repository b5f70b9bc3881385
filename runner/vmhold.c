/* SPDX-License-Identifier: MIT */
#include "vmhold.h"

int vmhold_make(struct vm_holder *h, bool irqchip, char *err, size_t errlen)
{
	if (h->live)
		vm_destroy(&h->vm);
	h->live = vm_create_flavour(&h->vm, h->sample_bytes, irqchip ? VM_IRQCHIP : 0, err,
				    errlen) == 0;
	return h->live ? 0 : -1;
}

int vmhold_renew(struct vm_holder *h, char *err, size_t errlen)
{
	return vmhold_make(h, h->live && h->vm.irqchip, err, errlen);
}

int vmhold_flavour(struct vm_holder *h, bool irqchip, char *err, size_t errlen)
{
	if (h->live && h->vm.irqchip == irqchip)
		return 0;
	return vmhold_make(h, irqchip, err, errlen);
}

void vmhold_free(struct vm_holder *h)
{
	if (h->live)
		vm_destroy(&h->vm);
	h->live = false;
}

const struct sample *vm_samples(const struct vm *vm)
{
	return (const struct sample *)(vm->mem + vm->samples_gpa);
}

int vm_raw_deltas(const struct vm *vm, uint64_t first, uint64_t n, double *out,
		  size_t *backwards)
{
	const struct sample *smp = vm_samples(vm);

	*backwards = 0;
	for (uint64_t i = 0; i < n; i++) {
		const struct sample *x = &smp[first + i];

		if (x->after < x->before)
			(*backwards)++;
		out[i] = (double)(int64_t)(x->after - x->before);
	}
	return *backwards ? -1 : 0;
}
