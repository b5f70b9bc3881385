// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * Guest payloads. They run in VMX non-root operation on the host's own page
 * tables (EPT is an identity map), so they are ordinary functions of the
 * engine; they must not call anything that could itself exit.
 */
#include "vmxb.h"
#include "vmxb_defs.h"

static inline u64 VMXB_NOTRACE g_begin(void)
{
	u32 lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static inline u64 VMXB_NOTRACE g_end(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi) : : "rcx", "memory");
	return ((u64)hi << 32) | lo;
}

static inline u64 VMXB_NOTRACE g_vmcall(u64 nr)
{
	u64 ret = nr;

	__asm__ volatile("vmcall" : "+a"(ret) : : "memory");
	return ret;
}

static inline u64 VMXB_NOTRACE g_rdmsr(u32 idx)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void VMXB_NOTRACE g_wrmsr(u32 idx, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(idx), "a"((u32)v), "d"((u32)(v >> 32))
			 : "memory");
}

/* Each BODY is exactly one exiting instruction (none for the floor). */
#define TIMED(g, BODY)						\
	do {							\
		for (u32 i = 0; i < (g)->n; i++) {		\
			u64 t0 = g_begin();			\
			BODY;					\
			u64 t1 = g_end();			\
			(g)->before[i] = t0;			\
			(g)->after[i] = t1;			\
		}						\
	} while (0)

static void VMXB_NOTRACE g_bench_msr(struct vmxb_gctl *g)
{
	u32 lo = 0, hi = 0;

	if (g->bench == VMXB_B_RDMSR) {
		TIMED(g, __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi)
					  : "c"(VMXB_MSR_VIRTUAL) : "memory"));
		g->result[0] = ((u64)hi << 32) | lo;
		return;
	}
	lo = (u32)g->result[1];
	hi = (u32)(g->result[1] >> 32);
	TIMED(g, __asm__ volatile("wrmsr" : : "c"(VMXB_MSR_VIRTUAL), "a"(lo), "d"(hi)
				  : "memory"));
	/* The emulated MSR must now read back what was written. */
	if (g_rdmsr(VMXB_MSR_VIRTUAL) != g->result[1])
		g->check_fail = 1;
}

static void VMXB_NOTRACE g_bench_io(struct vmxb_gctl *g)
{
	u32 v = 0;

	if (g->bench == VMXB_B_PIO_OUT) {
		TIMED(g, __asm__ volatile("outl %%eax, %%dx" : : "a"(v),
					  "d"(VMXB_BENCH_PORT) : "memory"));
		return;
	}
	TIMED(g, __asm__ volatile("inl %%dx, %%eax" : "=a"(v) : "d"(VMXB_BENCH_PORT)
				  : "memory"));
	if (v != VMXB_PIO_IN_VALUE)
		g->check_fail = 1;
}

static void VMXB_NOTRACE g_bench(struct vmxb_gctl *g)
{
	u32 a = 0, b = 0, c = 0, d = 0;

	switch (g->bench) {
	case VMXB_B_FLOOR:
		TIMED(g, __asm__ volatile("nop" : : : "memory"));
		break;
	case VMXB_B_NULL:
		TIMED(g, __asm__ volatile("invd" : : : "memory"));
		break;
	case VMXB_B_CPUID:
		TIMED(g, __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
					  : "a"(0), "c"(0) : "memory"));
		g->result[0] = a;
		g->result[1] = b;
		g->result[2] = c;
		g->result[3] = d;
		break;
	case VMXB_B_RDMSR:
	case VMXB_B_WRMSR:
		g_bench_msr(g);
		break;
	case VMXB_B_PIO_OUT:
	case VMXB_B_PIO_IN:
		g_bench_io(g);
		break;
	case VMXB_B_EPT:
		/* Fixed encoding 8b 07: the handler skips exactly two bytes. */
		TIMED(g, __asm__ volatile("movl (%%rdi), %%eax" : "=a"(a) : "D"(g->hole)
					  : "memory"));
		break;
	case VMXB_B_VMCALL:
		TIMED(g, __asm__ volatile("vmcall" : "+a"(a) : : "memory"));
		break;
	}
}

/*
 * The sentinels make every MSR value unique to this point, so a value found
 * after the verification exit cannot be left over from an earlier one.
 */
static void VMXB_NOTRACE g_verify(struct vmxb_gctl *g)
{
	for (u32 m = 0; m < g->nmsr; m++)
		g_wrmsr(g->msr[m], g->sentinel[m]);
	g_vmcall(VMXB_HC_VERIFY);
	for (u32 m = 0; m < g->nmsr; m++)
		g->readback[m] = g_rdmsr(g->msr[m]);
}

void VMXB_NOTRACE vmxb_guest_main(struct vmxb_gctl *g)
{
	g_bench(g);
	if (g->verify)
		g_verify(g);
	for (;;)
		g_vmcall(VMXB_HC_DONE);
}
