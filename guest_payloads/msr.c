/* SPDX-License-Identifier: MIT */
/* RDMSR/WRMSR of an MSR KVM intercepts; needs CPL0. */
#include "guest.h"
#include "payloads.h"

static inline uint64_t rdmsr(uint32_t idx)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

void payload_rdmsr(struct ctl_block *ctl)
{
	uint32_t idx = (uint32_t)ctl->arg0, lo = 0, hi = 0;

	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory"));
	ctl->arg1 = ((uint64_t)hi << 32) | lo;
}

/* Writes back the value read once before the loop, so the write changes nothing. */
void payload_wrmsr(struct ctl_block *ctl)
{
	uint32_t idx = (uint32_t)ctl->arg0;
	uint64_t v = rdmsr(idx);
	uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);

	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(idx) : "memory"));
	ctl->arg1 = v;
}
