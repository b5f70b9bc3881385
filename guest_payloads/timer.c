/* SPDX-License-Identifier: MIT */
/* The timer floor: the same fenced stamps around a NOP. */
#include "guest.h"
#include "payloads.h"

void payload_nop(struct ctl_block *ctl)
{
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("nop" ::: "memory"));
}
