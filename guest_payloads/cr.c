/* SPDX-License-Identifier: MIT */
/*
 * Control and debug registers, XSETBV, PAUSE. Each timed write changes
 * nothing the guest depends on: CR0.WP and CR4.PGE flip (no global pages,
 * nothing read-only), DR7 gets its reset value, XCR0 its own value.
 */
#include "guest.h"
#include "payloads.h"
#include "x86.h"

void payload_cr0_toggle(struct ctl_block *ctl)
{
	uint64_t cr0, v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	v = cr0;
	TIMED_LOOP(ctl, v ^= CR0_WP, __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

void payload_cr4_toggle(struct ctl_block *ctl)
{
	uint64_t cr4, v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	v = cr4;
	TIMED_LOOP(ctl, v ^= CR4_PGE, __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

void payload_mov_dr7(struct ctl_block *ctl)
{
	uint64_t v = 0x400;	/* DR7 reset value: no breakpoint enabled */

	TIMED_LOOP(ctl, (void)0, __asm__ volatile("mov %0, %%dr7" : : "r"(v) : "memory"));
}

/* XSETBV #UDs unless CR4.OSXSAVE is set, which needs XSAVE in CPUID. */
void payload_xsetbv(struct ctl_block *ctl)
{
	uint64_t cr4;
	uint32_t lo, hi;

	if (!(cpuid1_ecx() & CPUID1_ECX_XSAVE)) {
		guest_fail(ctl, "CPUID.1:ECX.XSAVE is clear in the guest: no XSETBV");
		return;
	}
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSXSAVE;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("xsetbv" : : "a"(lo), "d"(hi), "c"(0) : "memory"));
	ctl->arg1 = (uint64_t)hi << 32 | lo;
}

/*
 * A burst of PAUSEs per iteration: long enough to cross a pause-loop
 * window (Intel ple_window, AMD pause_filter_count) where the host has one.
 */
void payload_pause(struct ctl_block *ctl)
{
	uint64_t n = ctl->arg0 ? ctl->arg0 : 1, k = 0;

	TIMED_LOOP(ctl, k = n,
		   __asm__ volatile("1: pause\n\tdec %0\n\tjnz 1b" : "+r"(k) : : "memory"));
}
