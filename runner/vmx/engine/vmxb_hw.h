/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/* Thin wrappers around privileged instructions the engine needs. */
#ifndef VMXB_HW_H
#define VMXB_HW_H

#include "vmxb_types.h"

struct vmxb_dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static inline u64 vmxb_rdmsr(u32 idx)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
	return ((u64)hi << 32) | lo;
}

static inline void vmxb_wrmsr(u32 idx, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(idx), "a"((u32)v), "d"((u32)(v >> 32))
			 : "memory");
}

static inline void vmxb_cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline u64 vmxb_read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 vmxb_read_cr3(void)
{
	u64 v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline u64 vmxb_read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void vmxb_write_cr0(u64 v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void vmxb_write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline u16 vmxb_read_cs(void)
{
	u16 v;

	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

static inline u16 vmxb_read_tr(void)
{
	u16 v;

	__asm__ volatile("str %0" : "=r"(v));
	return v;
}

static inline void vmxb_sgdt(struct vmxb_dtr *d)
{
	__asm__ volatile("sgdt %0" : "=m"(*d));
}

static inline void vmxb_sidt(struct vmxb_dtr *d)
{
	__asm__ volatile("sidt %0" : "=m"(*d));
}

static inline u64 vmxb_rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

/* The VMX instructions report failure in CF (invalid) or ZF (valid). */
static inline int vmxb_vmxon(u64 pa)
{
	u8 fail;

	__asm__ volatile("vmxon %1\n\tsetna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return fail ? -1 : 0;
}

static inline void vmxb_vmxoff(void)
{
	__asm__ volatile("vmxoff" : : : "cc", "memory");
}

static inline int vmxb_vmclear(u64 pa)
{
	u8 fail;

	__asm__ volatile("vmclear %1\n\tsetna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return fail ? -1 : 0;
}

static inline int vmxb_vmptrld(u64 pa)
{
	u8 fail;

	__asm__ volatile("vmptrld %1\n\tsetna %0" : "=q"(fail) : "m"(pa) : "cc", "memory");
	return fail ? -1 : 0;
}

static inline int vmxb_vmwrite(u64 field, u64 v)
{
	u8 fail;

	__asm__ volatile("vmwrite %2, %1\n\tsetna %0" : "=q"(fail) : "r"(field), "rm"(v)
			 : "cc", "memory");
	return fail ? -1 : 0;
}

static inline u64 vmxb_vmread(u64 field)
{
	u64 v = 0;

	__asm__ volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

#endif
