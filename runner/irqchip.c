/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "irqchip.h"

int irqchip_create(int kvm_fd, int vm_fd, char *err, size_t errlen)
{
	if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) <= 0) {
		snprintf(err, errlen, "this KVM has no in-kernel irqchip (KVM_CAP_IRQCHIP)");
		return -1;
	}
	if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0)) {
		snprintf(err, errlen, "KVM_CREATE_IRQCHIP failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}
