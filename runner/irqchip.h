/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel irqchip (PIC, IOAPIC and a LAPIC per vCPU) for the VM
 * flavour that times APIC accesses, interrupts and timer wake-ups. It
 * changes what HLT and some ports do (HLT blocks in the kernel until an
 * interrupt; ports 0x20/0xa0/0x4d0 belong to the PIC), so the benchmarks
 * that exit to userspace run on a VM without it.
 */
#ifndef VMEXIT_IRQCHIP_H
#define VMEXIT_IRQCHIP_H

#include <stddef.h>
#include <stdint.h>

/* Must run before the first KVM_CREATE_VCPU. -1 with a one-line message. */
int irqchip_create(int kvm_fd, int vm_fd, char *err, size_t errlen);
/* Puts the vCPU's LAPIC in xAPIC mode at @base (from any mode). -1 with a message. */
int irqchip_xapic_mode(int vcpu_fd, uint64_t base, char *err, size_t errlen);

#endif
