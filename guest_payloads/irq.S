/* SPDX-License-Identifier: MIT */
/*
 * Interrupt handlers of the irqchip payloads (apic.c installs them in the
 * IDT). They count the interrupt, so the payload can check that every
 * self-IPI or timer it caused arrived, and signal EOI unless the apic_eoi
 * payload wants to time the EOI itself.
 */
#include "control.h"

	.code64
	.text
	.globl	irq_handler
	.align	16
irq_handler:
	push	%rax
	push	%rcx
	push	%rdx
	incq	irq_count(%rip)
	cmpl	$0, irq_no_eoi(%rip)
	jne	1f
	mov	$0x80b, %ecx		/* x2APIC EOI */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
1:	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

/* A spurious interrupt takes no EOI. */
	.globl	irq_spurious
	.align	16
irq_spurious:
	iretq

	.section .note.GNU-stack, "", @progbits
