/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * The raw VMX benchmark engine: one object, struct vmxb, driven by a thin
 * platform layer (the boot image or the kernel module). The engine owns
 * VMX operation only for the duration of one measurement point: VMXON,
 * VMCS set-up, the guest's timed loop, VMXOFF, all between the platform's
 * batch_begin() and batch_end().
 */
#ifndef VMXB_H
#define VMXB_H

#include "vmxb_types.h"
#include "vmxb_frame.h"

#define VMXB_LINE_VERSION	1
#define VMXB_ENGINE_VERSION	1

#define VMXB_MAX_COUNTS		32
#define VMXB_MSR_SET_SIZE	8
#define VMXB_BENCH_PORT		0x0511
#define VMXB_PIO_IN_VALUE	0x5eed1234u
#define VMXB_MSR_VIRTUAL	0xc0000103u	/* IA32_TSC_AUX, emulated */

enum vmxb_bench {
	VMXB_B_FLOOR,
	VMXB_B_NULL,
	VMXB_B_CPUID,
	VMXB_B_RDMSR,
	VMXB_B_WRMSR,
	VMXB_B_PIO_OUT,
	VMXB_B_PIO_IN,
	VMXB_B_EPT,
	VMXB_B_VMCALL,
	VMXB_B_COUNT,
};

enum vmxb_area {
	VMXB_A_NONE = -1,
	VMXB_A_EXIT_STORE,
	VMXB_A_EXIT_LOAD,
	VMXB_A_ENTRY_LOAD,
	VMXB_A_COUNT,
};

/* Guest hypercalls (RAX of VMCALL); 0 is the benchmark's own VMCALL. */
#define VMXB_HC_BENCH	0
#define VMXB_HC_VERIFY	1
#define VMXB_HC_DONE	2

enum vmxb_timing {
	VMXB_TIMING_NATIVE,
	VMXB_TIMING_VIRTUALIZED,	/* nested: L0 adds its own work */
	VMXB_TIMING_EMULATED,		/* e.g. Bochs: ticks are not cycles */
};

struct vmxb_platform {
	const char *name;
	void (*puts)(void *ctx, const char *line);
	/* Zeroed, page-aligned, physically contiguous; NULL on failure. */
	void *(*alloc)(void *ctx, u64 bytes, u64 *pa);
	/* Interrupts off and host state saved; nonzero refuses the batch. */
	int (*batch_begin)(void *ctx);
	void (*batch_end)(void *ctx);
	/* Hands an NMI that exited the guest to the host's handler (may be NULL). */
	void (*nmi)(void *ctx);
	/* The EPT identity map covers [0, phys_limit). */
	u64 phys_limit;
	/* The image may set IA32_FEATURE_CONTROL; a kernel must not. */
	int may_lock_feature_control;
	enum vmxb_timing timing;
	void *ctx;
};

struct vmxb_config {
	u32 iters;
	u32 warmup;
	u32 counts[VMXB_MAX_COUNTS];
	u32 ncounts;
	u32 benches;	/* bit mask of enum vmxb_bench */
	u32 areas;	/* bit mask of enum vmxb_area */
	u32 quiet_samples;	/* print only summaries */
};

/* Shared with the guest: its orders and what it reports back. */
struct vmxb_gctl {
	u32 bench;
	u32 n;
	u64 *before;
	u64 *after;
	volatile u32 *hole;
	u32 verify;		/* 1: run the MSR-area verification round */
	u32 nmsr;
	u32 msr[VMXB_MSR_SET_SIZE];
	u64 sentinel[VMXB_MSR_SET_SIZE];	/* guest writes these */
	u64 readback[VMXB_MSR_SET_SIZE];	/* guest reads after entry */
	u64 result[4];
	u32 check_fail;
};

struct vmxb_mem {
	void *va;
	u64 pa;
};

struct vmxb_msr_entry {
	u32 index;
	u32 reserved;
	u64 data;
};

struct vmxb {
	const struct vmxb_platform *plat;
	struct vmxb_config cfg;

	/* capabilities */
	u64 basic, misc, ept_cap;
	u32 pin, proc, proc2, exit_ctl, entry_ctl;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u32 msr_max;

	struct vmxb_mem vmxon, vmcs, msr_bitmap, io_a, io_b;
	struct vmxb_mem ept_pml4, hole, guest_stack, host_stack;
	struct vmxb_mem area[VMXB_A_COUNT];
	struct vmxb_mem gctl_mem;
	u64 *t_in, *t_out, *t_before, *t_after;
	u32 cap;		/* samples per array */
	u64 eptp;

	struct vmxb_gctl *g;
	struct vmxb_frame *frame;

	/* saved around one batch */
	u64 saved_cr0, saved_cr4;
	int in_vmx;

	/* the current point */
	int bench;
	int area_kind;
	u32 area_count;
	u32 expect_reason;
	u32 idx;
	u32 exits;
	u32 last_reason;
	u32 nmis;
	u32 nonce;
	u64 vmsr_shadow;
	int stopped_ok;
	int point_failed;
	int verify_failed;
	char verify_msg[96];

	unsigned errors;
	int vmwrite_failed;
	u64 bad_field;
};

/* Reads capabilities and allocates everything; prints an error on failure. */
int vmxb_init(struct vmxb *e, const struct vmxb_platform *plat,
	      const struct vmxb_config *cfg);
/* Runs every configured benchmark and sweep point; prints all lines. */
int vmxb_run(struct vmxb *e);

/* Output helpers, shared with the platforms. */
void vmxb_out(struct vmxb *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vmxb_error(struct vmxb *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vmxb_vsnprintf(char *buf, u32 size, const char *fmt, vmxb_va_list ap);
int vmxb_snprintf(char *buf, u32 size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *vmxb_bench_name(int b);
const char *vmxb_area_name(int a);
/* Parses "0,1,2,4" into cfg->counts; returns -1 on a malformed list. */
int vmxb_parse_counts(struct vmxb_config *cfg, const char *s, u32 len);
void vmxb_default_config(struct vmxb_config *cfg);
/* Whether the @n bytes at @w (not NUL-terminated) are the whole of @s. */
int vmxb_word_is(const char *w, u32 n, const char *s);
/* Platform options: 0 taken, 1 not mine, -1 malformed. */
typedef int (*vmxb_option_fn)(void *ctx, const char *k, u32 kn, const char *v, u32 vn);
/* Parses "key=value ..." into @c; on error copies the bad word to @bad. */
int vmxb_parse_options(struct vmxb_config *c, const char *s, vmxb_option_fn extra,
		       void *ctx, char *bad, u32 badlen);

/* Guest side, runs in VMX non-root operation. */
void vmxb_guest_main(struct vmxb_gctl *g);

#endif
