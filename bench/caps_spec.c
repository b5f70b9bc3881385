/* SPDX-License-Identifier: MIT */
#include <linux/kvm.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "caps_spec.h"
#include "vm.h"

#define CPUID7_EDX_SPEC_CTRL	(1u << 26)	/* Intel: IBRS and IBPB */
#define CPUID_80000008_EBX_IBPB	(1u << 12)	/* AMD_IBPB */
#define CPUID_80000008_EBX_IBRS	(1u << 14)	/* AMD_IBRS */
#define CPUID7_EDX_ARCH_CAP	(1u << 29)	/* IA32_ARCH_CAPABILITIES */
#define CPUID1_ECX_VMX		(1u << 5)	/* nested VMX offered to the guest */
#define CPUID_80000001_ECX_SVM	(1u << 2)	/* nested SVM offered to the guest */
#define MSR_IA32_ARCH_CAPABILITIES	0x10a
#define ARCH_CAP_TSX_CTRL_MSR	(1ull << 7)	/* IA32_TSX_CTRL exists */
#define CPUID_0A_EAX_GP(eax)	(((eax) >> 8) & 0xff)	/* general-purpose counters */

/*
 * KVM lets a guest write IA32_SPEC_CTRL.IBRS when its CPUID has
 * SPEC_CTRL or AMD_IBRS, and IA32_PRED_CMD.IBPB with SPEC_CTRL or
 * AMD_IBPB (guest_has_spec_ctrl_msr / guest_has_pred_cmd_msr); anything
 * else is a #GP in the guest, not an exit to time.
 */
void caps_spec_from_cpuid(struct host_caps *caps, const struct kvm_cpuid2 *cpuid)
{
	uint32_t edx7 = 0, ebx8 = 0, eax0a = 0, ecx1 = 0, ecx81 = 0;

	for (uint32_t i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 7 && e->index == 0)
			edx7 = e->edx;
		if (e->function == 0x80000008)
			ebx8 = e->ebx;
		if (e->function == 0xa)
			eax0a = e->eax;
		if (e->function == 1)
			ecx1 = e->ecx;
		if (e->function == 0x80000001)
			ecx81 = e->ecx;
	}
	caps->guest_vmx = ecx1 & CPUID1_ECX_VMX;
	caps->guest_svm = ecx81 & CPUID_80000001_ECX_SVM;
	caps->arch_cap = edx7 & CPUID7_EDX_ARCH_CAP;
	caps->pmu_gp_counters = CPUID_0A_EAX_GP(eax0a);
	caps->spec_ctrl = (edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_80000008_EBX_IBRS);
	caps->pred_cmd = (edx7 & CPUID7_EDX_SPEC_CTRL) || (ebx8 & CPUID_80000008_EBX_IBPB);
}

void caps_probe_spec(struct host_caps *caps, int kvm_fd)
{
	int r = -1;
	struct kvm_cpuid2 *cpuid = kvm_supported_cpuid(kvm_fd, &r);

	caps->spec_ctrl = caps->pred_cmd = caps->tsx_ctrl = false;
	if (cpuid && r == 0)
		caps_spec_from_cpuid(caps, cpuid);
	free(cpuid);
	/*
	 * KVM lets the guest at IA32_TSX_CTRL only where the guest's
	 * IA32_ARCH_CAPABILITIES (KVM's feature MSR, which a new vCPU starts
	 * with) says TSX_CTRL_MSR; else the write is a #GP.
	 */
	if (caps->arch_cap) {
		struct {
			struct kvm_msrs hdr;
			struct kvm_msr_entry e;
		} m = { .hdr.nmsrs = 1, .e.index = MSR_IA32_ARCH_CAPABILITIES };

		caps->tsx_ctrl = ioctl(kvm_fd, KVM_GET_MSRS, &m) == 1 &&
				 (m.e.data & ARCH_CAP_TSX_CTRL_MSR);
	}
}
