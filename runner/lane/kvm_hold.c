// SPDX-License-Identifier: MIT
/*
 * lane-kvm-hold: the lane guest's /init starts it once KVM is loaded. It
 * makes one empty VM and holds it until it is killed (poweroff).
 *
 * Why: KVM turns the kernel's preempt_notifier_key on when it makes a VM
 * and off when it frees the last one, and that static branch sits in
 * __schedule. Each flip patches the scheduler's code (int3, IPIs, new
 * bytes) while the other CPU runs it; vmexit-bench makes and frees a VM
 * per benchmark. Under QEMU's multi-threaded TCG on a loaded host such a
 * patch left a CPU taking the patch's int3 forever inside __schedule with
 * its runqueue locked, and the guest hung (docs/real-kvm.md). With one VM
 * always alive the key never turns off again, so making and freeing VMs
 * no longer patches __schedule. (Its other branches, e.g. the sched_switch
 * tracepoint that tracing toggles, still are: docs/real-kvm.md.)
 *
 * Built static by lane.sh (the initramfs has no C library of its own).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, 0);

	if (vm < 0) {
		perror("lane-kvm-hold: KVM_CREATE_VM");
		return 1;
	}
	printf("LANE-NOTE: a VM is held open for the whole run (lane-kvm-hold)\n");
	fflush(stdout);
	for (;;)
		pause();
}
