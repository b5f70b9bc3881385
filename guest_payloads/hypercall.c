/* SPDX-License-Identifier: MIT */
/*
 * A KVM hypercall with a number KVM does not know: the kernel answers
 * -KVM_ENOSYS without leaving for userspace. VMMCALL on AMD, VMCALL on
 * Intel, so KVM need not patch the instruction.
 */
#include "guest.h"
#include "payloads.h"

void payload_vmcall(struct ctl_block *ctl)
{
	uint64_t nr = ctl->arg0, ret = 0;

	if (ctl->flags & CTL_F_VMMCALL)
		TIMED_LOOP(ctl, ret = nr,
			   __asm__ volatile("vmmcall" : "+a"(ret) : : "rbx", "rcx", "rdx", "rsi", "memory"));
	else
		TIMED_LOOP(ctl, ret = nr,
			   __asm__ volatile("vmcall" : "+a"(ret) : : "rbx", "rcx", "rdx", "rsi", "memory"));
	ctl->arg1 = ret;
}
