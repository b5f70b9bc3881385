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

/*
 * WRMSR of arg1 and of 0 in turn (kvm-unit-tests' wr_ibrs_msr sets and
 * clears IA32_SPEC_CTRL.IBRS); the MSR is left 0 afterwards, untimed, so
 * the benchmarks after it run without IBRS.
 */
void payload_wrmsr_alt(struct ctl_block *ctl)
{
	uint32_t idx = (uint32_t)ctl->arg0;
	uint64_t k = 0, v = 0;

	TIMED_LOOP(ctl, v = (k++ & 1) ? 0 : ctl->arg1,
		   __asm__ volatile("wrmsr" : : "a"((uint32_t)v), "d"((uint32_t)(v >> 32)),
				    "c"(idx) : "memory"));
	__asm__ volatile("wrmsr" : : "a"(0), "d"(0), "c"(idx) : "memory");
}
