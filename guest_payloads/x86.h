/* SPDX-License-Identifier: MIT */
/* Privileged-instruction helpers for the CPL0 payloads, and a failure report. */
#ifndef VMEXIT_GUEST_X86_H
#define VMEXIT_GUEST_X86_H

#include <stdint.h>
#include "guest.h"

#define MSR_IA32_APICBASE	0x1b
#define MSR_IA32_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_TPR		0x808
#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_LVTT		0x832
#define MSR_X2APIC_SELF_IPI	0x83f

#define APICBASE_EN		(1ull << 11)
#define APICBASE_EXTD		(1ull << 10)
#define LVTT_TSC_DEADLINE	(2u << 17)

#define CR0_WP			(1ull << 16)
#define CR4_PGE			(1ull << 7)
#define CR4_OSXSAVE		(1ull << 18)

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define CPUID1_ECX_XSAVE	(1u << 26)

static inline uint64_t rdmsr64(uint32_t idx)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr64(uint32_t idx, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "a"((uint32_t)v), "d"((uint32_t)(v >> 32)), "c"(idx)
			 : "memory");
}

static inline uint32_t cpuid1_ecx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c;
}

static inline uint64_t rdtsc64(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Reports why the payload cannot run; the host turns it into the row's reason. */
static inline void guest_fail(struct ctl_block *ctl, const char *why)
{
	unsigned i;

	for (i = 0; why[i] && i < sizeof(ctl->msg) - 1; i++)
		ctl->msg[i] = why[i];
	ctl->msg[i] = 0;
	ucall(UCALL_FAIL);
}

#endif
