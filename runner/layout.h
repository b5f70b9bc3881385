/* SPDX-License-Identifier: MIT */
/*
 * Builds the guest's long-mode environment in guest memory: identity page
 * tables, GDT, IDT and TSS. Pure functions on a memory buffer, so they are
 * unit-tested without KVM.
 */
#ifndef VMEXIT_LAYOUT_H
#define VMEXIT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

/* Descriptor access bytes. */
#define DESC_CODE	0x9b	/* present, S, execute/read, accessed */
#define DESC_DATA	0x93	/* present, S, read/write, accessed */
#define DESC_TSS64	0x89	/* present, 64-bit available TSS */
#define DESC_INTGATE	0x8e	/* present, DPL0, 64-bit interrupt gate */

#define GDT_ENTRIES	7	/* null, code0, data0, code3, data3, TSS (2 slots) */
#define IDT_VECTORS	32

/* 64-bit TSS followed by an I/O bitmap for all 65536 ports and its end byte. */
#define TSS_IOMAP_OFFSET	0x68
#define TSS_LIMIT		(TSS_IOMAP_OFFSET + 65536 / 8)

/* @mem is guest memory starting at GPA 0, @size bytes (must cover GPA_PD + 4 pages). */
int layout_page_tables(uint8_t *mem, size_t size);
uint64_t layout_seg_desc(uint8_t access, int dpl, bool long_mode);
void layout_gdt(uint8_t *mem);
void layout_idt(uint8_t *mem, uint64_t stubs_gva, unsigned stub_size);
void layout_tss(uint8_t *mem);

struct walk {
	uint64_t pa;
	bool user;	/* every level has U/S */
	bool write;	/* every level has R/W */
	int level;	/* level of the leaf: 1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB */
	uint64_t entries[4];	/* PML4E, PDPTE, PDE, PTE as read (up to the leaf) */
};

/*
 * Walks the 4-level page tables rooted at @cr3 for @va. Returns 0 with @w
 * filled, or -1 if a level is not present or a table lies outside @mem.
 */
int layout_walk(const uint8_t *mem, size_t size, uint64_t cr3, uint64_t va, struct walk *w);

#endif
