/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * Layout of the host frame that HOST_RSP points at. Shared by C and the
 * assembly stubs, so offsets are plain numbers checked by static asserts.
 */
#ifndef VMXB_FRAME_H
#define VMXB_FRAME_H

#define VMXB_F_RAX	0
#define VMXB_F_RBX	8
#define VMXB_F_RCX	16
#define VMXB_F_RDX	24
#define VMXB_F_RSI	32
#define VMXB_F_RDI	40
#define VMXB_F_RBP	48
#define VMXB_F_R8	56
#define VMXB_F_R9	64
#define VMXB_F_R10	72
#define VMXB_F_R11	80
#define VMXB_F_R12	88
#define VMXB_F_R13	96
#define VMXB_F_R14	104
#define VMXB_F_R15	112
#define VMXB_F_TIN	120	/* TSC at handler entry */
#define VMXB_F_OUTSLOT	128	/* where the pre-VMRESUME stamp goes */
#define VMXB_F_SAVEDSP	136	/* host RSP of the launching function */
#define VMXB_F_ENGINE	144
#define VMXB_F_DUMMY	152
#define VMXB_F_SIZE	160

/* vmxb_launch() results */
#define VMXB_LAUNCH_STOPPED	0	/* the handler asked to stop */
#define VMXB_LAUNCH_FAILED	1	/* VMLAUNCH did not enter */
#define VMXB_RESUME_FAILED	2	/* VMRESUME did not enter */

#ifndef __ASSEMBLER__
#include "vmxb_types.h"

struct vmxb;

struct vmxb_frame {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 t_in;
	u64 *out_slot;
	u64 saved_sp;
	struct vmxb *engine;
	u64 dummy;
} __attribute__((aligned(16)));

_Static_assert(__builtin_offsetof(struct vmxb_frame, r15) == VMXB_F_R15, "frame");
_Static_assert(__builtin_offsetof(struct vmxb_frame, t_in) == VMXB_F_TIN, "frame");
_Static_assert(__builtin_offsetof(struct vmxb_frame, out_slot) == VMXB_F_OUTSLOT, "frame");
_Static_assert(__builtin_offsetof(struct vmxb_frame, saved_sp) == VMXB_F_SAVEDSP, "frame");
_Static_assert(__builtin_offsetof(struct vmxb_frame, engine) == VMXB_F_ENGINE, "frame");
_Static_assert(__builtin_offsetof(struct vmxb_frame, dummy) == VMXB_F_DUMMY, "frame");
_Static_assert(sizeof(struct vmxb_frame) == VMXB_F_SIZE, "frame");

/* Enters the guest with the frame's registers; returns a VMXB_LAUNCH_* code. */
int vmxb_launch(struct vmxb_frame *f);
/* HOST_RIP: the first instructions after every VM exit. */
void vmxb_exit_stub(void);
/* Called by the stub with RSP == frame; nonzero return stops the guest. */
int vmxb_handle_exit(struct vmxb_frame *f);
#endif

#endif
