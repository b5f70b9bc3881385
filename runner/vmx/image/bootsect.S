/* SPDX-License-Identifier: MIT */
/*
 * A floppy boot sector so that emulators without GRUB can boot the flat
 * image. Disk layout: sector 0 this code, sector 1 the command line,
 * sectors 2.. the image. It loads both to 0x10000 with the BIOS, enters
 * protected mode, copies the image to its link address (1 MiB) and jumps
 * to the multiboot entry with a minimal info block (command line only).
 */
#define LOAD_SEG	0x1000
#define MBI		0x9000
#define IMAGE		0x100000

	.code16
	.text
	.globl	_start
_start:
	ljmp	$0, $go
go:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %sp
	sti
	mov	%dl, drive
	mov	ksectors, %di
	inc	%di			/* plus the command-line sector */
	mov	$LOAD_SEG, %ax
	mov	%ax, %es
	mov	$1, %si
read:
	mov	$3, %bp			/* tries */
retry:
	mov	%si, %ax
	xor	%dx, %dx
	mov	$18, %bx
	div	%bx
	mov	%dl, %cl
	inc	%cl			/* sector, 1-based */
	xor	%dx, %dx
	mov	$2, %bx
	div	%bx
	mov	%al, %ch		/* cylinder */
	mov	%dl, %dh		/* head */
	mov	drive, %dl
	xor	%bx, %bx
	mov	$0x0201, %ax
	int	$0x13
	jnc	ok
	xor	%ah, %ah
	int	$0x13
	dec	%bp
	jnz	retry
	mov	$msg_err, %si
	jmp	fail
ok:
	mov	%es, %ax
	add	$0x20, %ax
	mov	%ax, %es
	inc	%si
	dec	%di
	jnz	read

	cli
	in	$0x92, %al		/* fast A20 */
	or	$2, %al
	and	$0xfe, %al
	out	%al, $0x92
	lgdt	gdt_desc
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmp	$0x08, $pm32

fail:
	lodsb
	test	%al, %al
	jz	halt
	mov	$0x0e, %ah
	int	$0x10
	jmp	fail
halt:
	hlt
	jmp	halt

	.code32
pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %esp
	cld
	movzwl	ksectors, %ecx
	shl	$7, %ecx		/* dwords */
	mov	$(LOAD_SEG * 16 + 512), %esi
	mov	$IMAGE, %edi
	rep movsl
	mov	$MBI, %edi
	mov	$32, %ecx
	xor	%eax, %eax
	rep stosl
	movl	$(1 << 2), MBI		/* flags: cmdline */
	movl	$(LOAD_SEG * 16), MBI + 16
	mov	IMAGE + 28, %ecx	/* multiboot header: entry_addr */
	mov	$0x2badb002, %eax
	mov	$MBI, %ebx
	jmp	*%ecx

	.align	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt
drive:	.byte	0
msg_err:
	.asciz	"vmxb boot: disk read error"

	.org	0x1f0
	.globl	ksectors
ksectors:
	.word	0			/* patched by whoever writes the disk */
	.org	0x1fe
	.byte	0x55, 0xaa
