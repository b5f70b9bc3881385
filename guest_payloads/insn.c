/* SPDX-License-Identifier: MIT */
/*
 * Instructions KVM intercepts that no other payload runs: UD2 (the #UD
 * intercept), RDPMC, MONITOR and MWAIT, the descriptor-table instructions
 * (intercepted only where KVM emulates UMIP), and INVLPG and MOV to CR3
 * (intercepted under shadow paging). All at CPL0. Each leaves the state it
 * touches as it found it: the loads load what the stores read, CR3 gets
 * its own value, CR4 and the IDT entry are restored after the loop.
 */
#include "guest.h"
#include "payloads.h"
#include "x86.h"

#define UD_VECTOR		6
#define CR4_UMIP		(1ull << 11)
#define CPUID7_ECX_UMIP		(1u << 2)

/* #UD handler of payload_ud2: counts, steps over the 2-byte UD2, returns. */
void ud_skip_handler(void);
volatile uint64_t ud_count;
__asm__(".text\n"
	".globl ud_skip_handler\n"
	".align 16\n"
	"ud_skip_handler:\n"
	"	addq $2, (%rsp)\n"	/* #UD pushes no error code: RIP on top */
	"	lock incq ud_count(%rip)\n"
	"	iretq\n");

/*
 * KVM intercepts #UD on VMX and SVM (to emulate instructions the guest's
 * CPU lacks); its emulator cannot decode UD2 and injects the #UD back. The
 * interval holds that exit, the injection and this handler's IRET.
 */
void payload_ud2(struct ctl_block *ctl)
{
	volatile uint64_t *idt = (volatile uint64_t *)(uintptr_t)GPA_IDT;
	uint64_t off = (uintptr_t)ud_skip_handler, saved0, saved1;

	saved0 = idt[2 * UD_VECTOR];
	saved1 = idt[2 * UD_VECTOR + 1];
	idt[2 * UD_VECTOR] = (off & 0xffff) | (uint64_t)SEL_CODE0 << 16 | 0x8eull << 40 |
			     ((off >> 16) & 0xffff) << 48;
	idt[2 * UD_VECTOR + 1] = off >> 32;
	ud_count = 0;
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("ud2" ::: "memory"));
	idt[2 * UD_VECTOR] = saved0;
	idt[2 * UD_VECTOR + 1] = saved1;
	ctl->arg1 = ud_count;
	if (ud_count != ctl->iterations)
		guest_fail(ctl, "#UD handled != iterations (count in arg1)");
}

void payload_rdpmc(struct ctl_block *ctl)
{
	uint32_t idx = (uint32_t)ctl->arg0, lo = 0, hi = 0;

	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory"));
	ctl->arg1 = (uint64_t)hi << 32 | lo;
}

/* The line MONITOR arms: nothing writes it. */
static volatile uint64_t monitor_line[8] __attribute__((aligned(64)));

void payload_monitor(struct ctl_block *ctl)
{
	const volatile void *p = monitor_line;

	/* MONITOR (0f 01 c8): RAX = address, ECX = extensions, EDX = hints. */
	TIMED_LOOP(ctl, (void)0, __asm__ volatile(".byte 0x0f, 0x01, 0xc8"
						  : : "a"(p), "c"(0), "d"(0) : "memory"));
}

/*
 * MWAIT (0f 01 c9) with no MONITOR armed: where it reaches the CPU it
 * does not wait; where KVM intercepts it, KVM treats it as a NOP.
 */
void payload_mwait(struct ctl_block *ctl)
{
	TIMED_LOOP(ctl, (void)0, __asm__ volatile(".byte 0x0f, 0x01, 0xc9"
						  : : "a"(0), "c"(0) : "memory"));
}

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

static uint32_t cpuid7_ecx(void)
{
	uint32_t a = 7, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c;
}

/*
 * Descriptor-table instructions. Where the guest's CPUID has UMIP, CR4.UMIP
 * is set around the loop: on VMX without hardware UMIP, that is what makes
 * KVM turn on descriptor-table exiting (it emulates UMIP); at CPL0 UMIP
 * itself faults nothing. arg1 returns whether it was set.
 */
void payload_desc(struct ctl_block *ctl)
{
	struct dtr gdtr, idtr;
	uint64_t cr4, umip = cpuid7_ecx() & CPUID7_ECX_UMIP;
	uint16_t sel = 0;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (umip)
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_UMIP) : "memory");
	switch (ctl->arg0) {
	case DESC_SGDT:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("sgdt %0" : "=m"(gdtr) : : "memory"));
		break;
	case DESC_SIDT:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("sidt %0" : "=m"(idtr) : : "memory"));
		break;
	case DESC_SLDT:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("sldt %0" : "=r"(sel) : : "memory"));
		break;
	case DESC_STR:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("str %0" : "=r"(sel) : : "memory"));
		break;
	case DESC_LGDT:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory"));
		break;
	case DESC_LIDT:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile("lidt %0" : : "m"(idtr) : "memory"));
		break;
	default:
		guest_fail(ctl, "unknown descriptor-table instruction");
	}
	/* Whatever ran, the tables and CR4 are what they were. */
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	ctl->arg1 = umip ? 1 : 0;
	(void)sel;
}

void payload_invlpg(struct ctl_block *ctl)
{
	const volatile void *p = (const volatile void *)(uintptr_t)ctl->arg0;

	TIMED_LOOP(ctl, (void)0, __asm__ volatile("invlpg (%0)" : : "r"(p) : "memory"));
}

void payload_mov_cr3(struct ctl_block *ctl)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory"));
}
