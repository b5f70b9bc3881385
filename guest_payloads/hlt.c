/* SPDX-License-Identifier: MIT */
/* HLT with no in-kernel irqchip goes to userspace as KVM_EXIT_HLT. */
#include "guest.h"
#include "payloads.h"

void payload_hlt(struct ctl_block *ctl)
{
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("hlt" ::: "memory"));
}
