// SPDX-License-Identifier: MIT
/*
 * lane-kvm-hold: the lane guest's /init starts it once KVM is loaded. It
 * makes VMs that hold every static key KVM flips on and holds them until
 * it is killed (poweroff).
 *
 * Why: KVM turns static keys on and off as VMs and vCPUs come and go:
 * preempt_notifier_key (in __schedule) with the first and last VM,
 * kvm_has_noapic_vcpu with vCPUs that have no in-kernel local APIC, and
 * apic_hw_disabled / apic_sw_disabled with local APICs that are disabled
 * (each starts software-disabled). Each flip patches kernel code (int3,
 * IPIs, new bytes) while the other CPU runs it, and vmexit-bench and its
 * tests make and free VMs of every kind. Under QEMU's multi-threaded TCG on
 * a loaded host such a patch left a CPU taking the patch's int3 forever
 * with interrupts off, and the guest hung (docs/real-kvm.md). With one
 * holder of each kind always alive, no key ever returns to zero, so none
 * is patched again during the run.
 *
 * Built by meson (runner/lane/meson.build) and put into the initramfs with
 * its shared libraries by lane.sh; from a source tree alone, lane.sh builds
 * it static itself.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#define MSR_IA32_APICBASE	0x1b

static int fail(const char *what)
{
	perror(what);
	return 1;
}

/* An x86 vCPU's local APIC turned off in hardware: IA32_APIC_BASE without EN. */
static int apic_hw_disable(int vcpu)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 1;
	m.e.index = MSR_IA32_APICBASE;
	m.e.data = 0xfee00000;	/* BSP bit and EN clear */
	return ioctl(vcpu, KVM_SET_MSRS, &m) == 1 ? 0 : -1;
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int plain, apic, v;

	if (kvm < 0)
		return fail("lane-kvm-hold: /dev/kvm");
	/* preempt_notifier_key, and kvm_has_noapic_vcpu: a vCPU without a local APIC. */
	plain = ioctl(kvm, KVM_CREATE_VM, 0);
	if (plain < 0 || ioctl(plain, KVM_CREATE_VCPU, 0) < 0)
		return fail("lane-kvm-hold: a VM without an irqchip");
	/*
	 * apic_sw_disabled: an in-kernel local APIC that is never enabled;
	 * apic_hw_disabled: a second one, turned off in hardware.
	 */
	apic = ioctl(kvm, KVM_CREATE_VM, 0);
	if (apic < 0 || ioctl(apic, KVM_CREATE_IRQCHIP, 0) < 0 ||
	    ioctl(apic, KVM_CREATE_VCPU, 0) < 0)
		return fail("lane-kvm-hold: a VM with an irqchip");
	v = ioctl(apic, KVM_CREATE_VCPU, 1);
	if (v < 0 || apic_hw_disable(v))
		return fail("lane-kvm-hold: a vCPU whose local APIC is off");
	printf("LANE-NOTE: VMs that hold KVM's static keys are open for the whole run "
	       "(lane-kvm-hold)\n");
	fflush(stdout);
	for (;;)
		pause();
}
