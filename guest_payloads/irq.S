/* SPDX-License-Identifier: MIT */
/*
 * Interrupt handlers of the irqchip payloads (apic.c installs them in the
 * IDT). They count the interrupt, so the payload can check that every
 * self-IPI or timer it caused arrived, and signal EOI unless the apic_eoi
 * payload wants to time the EOI itself: by WRMSR in x2APIC mode, by a store
 * to the EOI register in xAPIC mode (irq_xapic; ipi_xapic for the IPI
 * target's handler).
 *
 * STI;HLT takes a pending interrupt only after HLT has begun: STI's
 * interrupt shadow covers the HLT. A host that delivers in the shadow
 * (before the HLT) would leave the HLT waiting for an interrupt that was
 * already taken, and the guest hangs. The handler therefore steps over
 * that HLT and counts it, so the host can report it instead of a hang.
 */
#include "control.h"

/* RAX = the TSC, fenced as the guest's start stamps are; clobbers RDX. */
.macro STAMP_RAX
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
.endm

/*
 * An interrupt taken at HLTLABEL (in STI's shadow, before the HLT): step
 * the interrupted RIP (24(%rsp) under three pushes) over the one-byte HLT
 * and count it in COUNTER. Clobbers RAX.
 */
.macro SKIP_SHADOW_HLT hltlabel, counter
	lea	\hltlabel(%rip), %rax
	cmp	%rax, 24(%rsp)
	jne	.Lno_shadow\@
	incq	24(%rsp)
	incq	\counter(%rip)
.Lno_shadow\@:
.endm

/*
 * EOI: a WRMSR of the x2APIC EOI register, or where the 32-bit flag XAPIC
 * is set, a store to the xAPIC EOI register (0xfee000b0, zero-extended).
 * Clobbers RAX, RCX, RDX.
 */
.macro EOI xapic
	cmpl	$0, \xapic(%rip)
	jne	.Lxapic_eoi\@
	mov	$0x80b, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	jmp	.Leoi_done\@
.Lxapic_eoi\@:
	mov	$0xfee000b0, %eax
	movl	$0, (%rax)
.Leoi_done\@:
.endm

/* STI;HLT taking one interrupt, IF 0 before and after; HLTLABEL marks the HLT. */
.macro STI_HLT name, hltlabel
	.globl	\name
	.align	16
\name:
	sti
\hltlabel:
	hlt
	cli
	ret
.endm

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
	STAMP_RAX
	mov	irq_stamp_slot(%rip), %rcx
	mov	%rax, (%rcx)
irq_common:
	incq	irq_count(%rip)
	SKIP_SHADOW_HLT irq_sti_hlt_insn, irq_in_shadow
	cmpl	$0, irq_no_eoi(%rip)
	jne	1f
	EOI	irq_xapic
1:	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

/* Takes one interrupt: IF is 0 before and after. */
	STI_HLT irq_sti_hlt, irq_sti_hlt_insn

/*
 * The IPI target's handler (vCPU 1): its first instructions stamp the TSC
 * into ipi_stamp; it counts into ipi_count and signals EOI in the target's
 * APIC mode (ipi_xapic). An interrupt taken in STI's shadow before
 * ipi_sti_hlt's HLT steps over it.
 */
	.globl	ipi_handler
	.align	16
ipi_handler:
	push	%rax
	push	%rcx
	push	%rdx
	STAMP_RAX
	mov	%rax, ipi_stamp(%rip)
	SKIP_SHADOW_HLT ipi_sti_hlt_insn, ipi_in_shadow
	incq	ipi_count(%rip)
	EOI	ipi_xapic
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

	STI_HLT ipi_sti_hlt, ipi_sti_hlt_insn

/* A spurious interrupt takes no EOI. */
	.globl	irq_spurious
	.align	16
irq_spurious:
	iretq

	.section .note.GNU-stack, "", @progbits
