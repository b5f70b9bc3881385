/* SPDX-License-Identifier: MIT */
/*
 * Guest image header, entry and exception stubs. The host reads the header
 * at GPA_IMAGE to find the entry point and the 32 exception stubs (16 bytes
 * apart) for the IDT it builds. It enters at guest_start with RSP on a stack
 * for the chosen CPL and RDI pointing at the control block; GDT, IDT, TSS and
 * paging are already set up, so the guest runs no set-up code of its own.
 */
#include "control.h"

	.code64
	.section .header, "a"
	.quad	GUEST_IMAGE_MAGIC
	.quad	guest_start
	.quad	exc_stubs
	.quad	__image_end

	.text
	.globl guest_start
guest_start:
	call	guest_main
1:	jmp	1b

/* Vectors that push an error code: 8, 10-14, 17, 21, 29, 30. */
.macro EXC_STUB vec
	.align 16
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

	.align 16
exc_stubs:
	EXC_STUB 0
	EXC_STUB 1
	EXC_STUB 2
	EXC_STUB 3
	EXC_STUB 4
	EXC_STUB 5
	EXC_STUB 6
	EXC_STUB 7
	EXC_STUB 8
	EXC_STUB 9
	EXC_STUB 10
	EXC_STUB 11
	EXC_STUB 12
	EXC_STUB 13
	EXC_STUB 14
	EXC_STUB 15
	EXC_STUB 16
	EXC_STUB 17
	EXC_STUB 18
	EXC_STUB 19
	EXC_STUB 20
	EXC_STUB 21
	EXC_STUB 22
	EXC_STUB 23
	EXC_STUB 24
	EXC_STUB 25
	EXC_STUB 26
	EXC_STUB 27
	EXC_STUB 28
	EXC_STUB 29
	EXC_STUB 30
	EXC_STUB 31

exc_common:
	/* Frame on the ring-0 stack: vector, error, rip, cs, rflags, rsp, ss. */
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	guest_exception
2:	hlt
	jmp	2b

	.section .note.GNU-stack, "", @progbits
