/* SPDX-License-Identifier: MIT */
/*
 * Multiboot (v1) entry. The header carries load addresses (flag 16) so the
 * flat binary boots from GRUB's `multiboot`, QEMU's -kernel and our own
 * boot sector alike. We enter in 32-bit protected mode with paging off and
 * switch to long mode ourselves with an identity map of the low 4 GiB.
 */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	((1 << 1) | (1 << 16))

	.section .multiboot, "a"
	.align	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	mb_header
	.long	__load_start
	.long	__load_end
	.long	__bss_end
	.long	_start32

	.section .text.boot, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	cld
	mov	%eax, %esi
	mov	%ebx, %ebp
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	%esi, boot_magic
	mov	%ebp, boot_info
	mov	$boot_stack_top, %esp

	mov	$boot_pdpt, %eax
	or	$3, %eax
	mov	%eax, boot_pml4
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$12, %eax
	add	$boot_pd, %eax
	or	$3, %eax
	mov	%eax, boot_pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$4, %ecx
	jne	1b
	/* 2048 large pages cover 4 GiB; the high halves stay zero from BSS. */
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax
	mov	%eax, boot_pd(, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	2b

	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$(1 << 8), %eax		/* LME */
	wrmsr
	mov	%cr0, %eax
	and	$0x9fffffff, %eax	/* caches on: clear CD, NW */
	or	$0x80010021, %eax	/* PG, WP, NE, PE */
	mov	%eax, %cr0
	lgdt	boot_gdt_desc
	ljmp	$0x08, $start64

	.code64
start64:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%ax, %ax
	mov	%ax, %fs
	mov	%ax, %gs
	mov	$boot_stack_top, %rsp
	mov	boot_magic(%rip), %edi
	mov	boot_info(%rip), %esi
	call	kmain
3:	cli
	hlt
	jmp	3b

/* Host exception stubs: push a dummy error code where the CPU does not. */
	.macro	EXC vec
	.globl	exc_stub_\vec
exc_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	push	$0
	.endif
	push	$\vec
	jmp	exc_common
	.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	EXC	\v
	.endr

exc_common:
	mov	(%rsp), %rdi		/* vector */
	mov	8(%rsp), %rsi		/* error code */
	mov	16(%rsp), %rdx		/* RIP */
	and	$~15, %rsp
	call	host_exception
4:	cli
	hlt
	jmp	4b

	.section .rodata
	.align	8
	.globl	exc_stub_table
exc_stub_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_stub_\v
	.endr

	.data
	.align	16
	.globl	boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00209a0000000000	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0, 0			/* 0x18: TSS, filled in by C */
boot_gdt_end:
	.globl	boot_gdt_desc
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.bss
	.align	4096
boot_pml4:	.skip	4096
boot_pdpt:	.skip	4096
boot_pd:	.skip	4 * 4096
	.align	16
boot_stack:	.skip	32768
boot_stack_top:
	.globl	boot_magic, boot_info
boot_magic:	.skip	4
boot_info:	.skip	4

	.section .note.GNU-stack, "", @progbits
