/* SPDX-License-Identifier: MIT */
/*
 * Interrupt handlers of the irqchip payloads (apic.c installs them in the
 * IDT). They count the interrupt, so the payload can check that every
 * self-IPI or timer it caused arrived, and signal EOI unless the apic_eoi
 * payload wants to time the EOI itself: by WRMSR in x2APIC mode, by a store
 * to the EOI register in xAPIC mode (irq_xapic).
 *
 * STI;HLT takes a pending interrupt only after HLT has begun: STI's
 * interrupt shadow covers the HLT. A host that delivers in the shadow
 * (before the HLT) would leave the HLT waiting for an interrupt that was
 * already taken, and the guest hangs. The handler therefore steps over
 * that HLT and counts it, so the host can report it instead of a hang.
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
	jmp	irq_common

/*
 * io_latency_in's handler: its first instructions stamp the TSC into the
 * sample irq_stamp_slot points at, then it is irq_handler.
 */
	.globl	irq_stamp_handler
	.align	16
irq_stamp_handler:
	push	%rax
	push	%rcx
	push	%rdx
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	irq_stamp_slot(%rip), %rcx
	mov	%rax, (%rcx)
irq_common:
	incq	irq_count(%rip)
	lea	irq_sti_hlt_insn(%rip), %rax
	cmp	%rax, 24(%rsp)		/* the interrupted RIP */
	jne	2f
	incq	24(%rsp)		/* HLT is one byte */
	incq	irq_in_shadow(%rip)
2:	cmpl	$0, irq_no_eoi(%rip)
	jne	1f
	cmpl	$0, irq_xapic(%rip)
	jne	3f
	mov	$0x80b, %ecx		/* x2APIC EOI */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	jmp	1f
3:	mov	$0xfee000b0, %eax	/* xAPIC EOI register (zero-extended) */
	movl	$0, (%rax)
1:	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

/* Takes one interrupt: IF is 0 before and after. */
	.globl	irq_sti_hlt
	.align	16
irq_sti_hlt:
	sti
irq_sti_hlt_insn:
	hlt
	cli
	ret

/*
 * The IPI target's handler (vCPU 1): its first instructions stamp the TSC
 * into ipi_stamp; it counts into ipi_count and signals x2APIC EOI. An
 * interrupt taken in STI's shadow before ipi_sti_hlt's HLT steps over it.
 */
	.globl	ipi_handler
	.align	16
ipi_handler:
	push	%rax
	push	%rcx
	push	%rdx
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, ipi_stamp(%rip)
	lea	ipi_sti_hlt_insn(%rip), %rax
	cmp	%rax, 24(%rsp)
	jne	4f
	incq	24(%rsp)
	incq	ipi_in_shadow(%rip)
4:	incq	ipi_count(%rip)
	mov	$0x80b, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

	.globl	ipi_sti_hlt
	.align	16
ipi_sti_hlt:
	sti
ipi_sti_hlt_insn:
	hlt
	cli
	ret

/* A spurious interrupt takes no EOI. */
	.globl	irq_spurious
	.align	16
irq_spurious:
	iretq

	.section .note.GNU-stack, "", @progbits
