/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "errmsg.h"
#include "irqchip.h"

int irqchip_create(int kvm_fd, int vm_fd, char *err, size_t errlen)
{
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) <= 0)
		return ERR("this KVM has no in-kernel irqchip (KVM_CAP_IRQCHIP)");
	if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0))
		return ERR("KVM_CREATE_IRQCHIP failed: %s", strerror(errno));
	return 0;
}

#define MSR_IA32_APICBASE	0x1b
#define APICBASE_BSP		(1ull << 8)
#define APICBASE_EN		(1ull << 11)

int irqchip_xapic_mode(int vcpu_fd, uint64_t base, char *err, size_t errlen)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e = { .index = MSR_IA32_APICBASE,
				       .data = base | APICBASE_BSP | APICBASE_EN } };

	/*
	 * A host-initiated write may go from x2APIC straight to xAPIC, which
	 * the guest itself cannot (it must pass through "disabled").
	 */
	if (ioctl(vcpu_fd, KVM_SET_MSRS, &m) != 1)
		return ERR("KVM_SET_MSRS(IA32_APIC_BASE = %#llx) failed: the LAPIC "
			 "cannot be put in xAPIC mode", (unsigned long long)m.e.data);
	return 0;
}
