/* SPDX-License-Identifier: MIT */
/* CPUID always exits under VMX and SVM; KVM answers it in the kernel. */
#include "guest.h"
#include "payloads.h"

void payload_cpuid(struct ctl_block *ctl)
{
	uint32_t leaf = (uint32_t)ctl->arg0, sub = (uint32_t)ctl->arg1;
	uint32_t a = 0, b = 0, c = 0, d = 0;

	TIMED_LOOP(ctl, (a = leaf, c = sub),
		   __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory"));
	ctl->arg1 = (uint64_t)b << 32 | d;
	/* Who answers CPUID at this CPL: KVM only if the marker comes back. */
	a = CPUID_MARKER_LEAF;
	c = 0;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
	ctl->cpuid_probe[0] = a;
	ctl->cpuid_probe[1] = b;
	ctl->cpuid_probe[2] = c;
	ctl->cpuid_probe[3] = d;
}
