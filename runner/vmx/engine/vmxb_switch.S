/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * World switch. HOST_RSP points at a struct vmxb_frame that sits on top of
 * the host stack, so after an exit the frame is addressable from RSP
 * without touching any guest register but RAX and RDX, which hold the TSC
 * stamp. The stamp before VMRESUME is taken after all other guest registers
 * are back, leaving only three reloads and VMRESUME in the entry interval.
 */
#include "vmxb_frame.h"

	.text
	.code64

	.globl	vmxb_launch
	.type	vmxb_launch, @function
vmxb_launch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi
	mov	%rsp, VMXB_F_SAVEDSP(%rdi)
	mov	%rdi, %rax
	mov	VMXB_F_RBX(%rax), %rbx
	mov	VMXB_F_RCX(%rax), %rcx
	mov	VMXB_F_RDX(%rax), %rdx
	mov	VMXB_F_RSI(%rax), %rsi
	mov	VMXB_F_RDI(%rax), %rdi
	mov	VMXB_F_RBP(%rax), %rbp
	mov	VMXB_F_R8(%rax), %r8
	mov	VMXB_F_R9(%rax), %r9
	mov	VMXB_F_R10(%rax), %r10
	mov	VMXB_F_R11(%rax), %r11
	mov	VMXB_F_R12(%rax), %r12
	mov	VMXB_F_R13(%rax), %r13
	mov	VMXB_F_R14(%rax), %r14
	mov	VMXB_F_R15(%rax), %r15
	mov	VMXB_F_RAX(%rax), %rax
	vmlaunch
	/* Only reached when VMLAUNCH failed. */
	pop	%rdi
	mov	$VMXB_LAUNCH_FAILED, %eax
	jmp	.Lreturn

	.globl	vmxb_exit_stub
	.type	vmxb_exit_stub, @function
vmxb_exit_stub:
#ifdef __KERNEL__
	/* HOST_RIP's address is taken in C: kernels with IBT expect a landing pad. */
	endbr64
#endif
	mov	%rax, VMXB_F_RAX(%rsp)
	mov	%rdx, VMXB_F_RDX(%rsp)
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, VMXB_F_TIN(%rsp)
	mov	%rbx, VMXB_F_RBX(%rsp)
	mov	%rcx, VMXB_F_RCX(%rsp)
	mov	%rsi, VMXB_F_RSI(%rsp)
	mov	%rdi, VMXB_F_RDI(%rsp)
	mov	%rbp, VMXB_F_RBP(%rsp)
	mov	%r8, VMXB_F_R8(%rsp)
	mov	%r9, VMXB_F_R9(%rsp)
	mov	%r10, VMXB_F_R10(%rsp)
	mov	%r11, VMXB_F_R11(%rsp)
	mov	%r12, VMXB_F_R12(%rsp)
	mov	%r13, VMXB_F_R13(%rsp)
	mov	%r14, VMXB_F_R14(%rsp)
	mov	%r15, VMXB_F_R15(%rsp)
	mov	%rsp, %rdi
	cld
	call	vmxb_handle_exit
	test	%eax, %eax
	jnz	.Lstop
	mov	VMXB_F_RBX(%rsp), %rbx
	mov	VMXB_F_RSI(%rsp), %rsi
	mov	VMXB_F_RDI(%rsp), %rdi
	mov	VMXB_F_RBP(%rsp), %rbp
	mov	VMXB_F_R8(%rsp), %r8
	mov	VMXB_F_R9(%rsp), %r9
	mov	VMXB_F_R10(%rsp), %r10
	mov	VMXB_F_R11(%rsp), %r11
	mov	VMXB_F_R12(%rsp), %r12
	mov	VMXB_F_R13(%rsp), %r13
	mov	VMXB_F_R14(%rsp), %r14
	mov	VMXB_F_R15(%rsp), %r15
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	VMXB_F_OUTSLOT(%rsp), %rcx
	mov	%rax, (%rcx)
	mov	VMXB_F_RCX(%rsp), %rcx
	mov	VMXB_F_RDX(%rsp), %rdx
	mov	VMXB_F_RAX(%rsp), %rax
	vmresume
	/* Only reached when VMRESUME failed. */
	mov	%rsp, %rdi
	mov	VMXB_F_SAVEDSP(%rdi), %rsp
	pop	%rdi
	mov	$VMXB_RESUME_FAILED, %eax
	jmp	.Lreturn
.Lstop:
	mov	%rsp, %rdi
	mov	VMXB_F_SAVEDSP(%rdi), %rsp
	pop	%rdi
	mov	$VMXB_LAUNCH_STOPPED, %eax
.Lreturn:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.section .note.GNU-stack, "", @progbits
