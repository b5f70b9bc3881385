/* SPDX-License-Identifier: MIT */
/*
 * WRMSR of a given value without reading the MSR first: for MSRs KVM
 * accepts and ignores but cannot read back (MSR_IA32_UCODE_WRITE).
 */
#include "guest.h"
#include "payloads.h"

void payload_wrmsr_val(struct ctl_block *ctl)
{
	uint32_t idx = (uint32_t)ctl->arg0;
	uint32_t lo = (uint32_t)ctl->arg1, hi = (uint32_t)(ctl->arg1 >> 32);

	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(idx) : "memory"));
}
