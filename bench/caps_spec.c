/* SPDX-License-Identifier: MIT */
#include <linux/kvm.h>
#include <stdlib.h>

#include "caps_spec.h"
#include "vm.h"

#define CPUID7_EDX_SPEC_CTRL	(1u << 26)	/* Intel: IBRS and IBPB */
#define CPUID_80000008_EBX_IBPB	(1u << 12)	/* AMD_IBPB */
#define CPUID_80000008_EBX_IBRS	(1u << 14)	/* AMD_IBRS */

/*
 * KVM lets a guest write IA32_SPEC_CTRL.IBRS when its CPUID has
 * SPEC_CTRL or AMD_IBRS, and IA32_PRED_CMD.IBPB with SPEC_CTRL or
 * AMD_IBPB (guest_has_spec_ctrl_msr / guest_has_pred_cmd_msr); anything
 * else is a #GP in the guest, not an exit to time.
 */
void caps_spec_from_cpuid(struct host_caps *caps, const struct kvm_cpuid2 *cpuid)
{
	uint32_t edx7 = 0, ebx8 = 0;

	for (uint32_t i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 7 && e->index == 0)
			edx7 = e->edx;
		if (e->function == 0x80000008)
			ebx8 = e->ebx;
	}
	caps->spec_ctrl = (edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_80000008_EBX_IBRS);
	caps->pred_cmd = (edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_80000008_EBX_IBPB);
}

void caps_probe_spec(struct host_caps *caps, int kvm_fd)
{
	int r = -1;
	struct kvm_cpuid2 *cpuid = kvm_supported_cpuid(kvm_fd, &r);

	caps->spec_ctrl = caps->pred_cmd = false;
	if (cpuid && r == 0)
		caps_spec_from_cpuid(caps, cpuid);
	free(cpuid);
}
