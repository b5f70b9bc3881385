/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "control.h"
#include "layout.h"

/*
 * 4 GiB identity map with 2 MiB pages, every page user-accessible: CPL3
 * payloads touch the control block, the sample buffer and the MMIO hole
 * directly, and nothing in the guest needs protecting from itself. The
 * 2 MiB pages of the LAPIC's and the IOAPIC's registers are uncacheable
 * (PCD|PWT: PAT entry 3, UC), as the architecture wants for them; nothing
 * else lives there.
 */
int layout_page_tables(uint8_t *mem, size_t size)
{
	uint64_t *pml4 = (uint64_t *)(mem + GPA_PML4);
	uint64_t *pdpt = (uint64_t *)(mem + GPA_PDPT);
	const uint64_t flags = PTE_P | PTE_RW | PTE_US;

	if (size < GPA_PD + 4 * 0x1000)
		return -1;
	memset(pml4, 0, 0x1000);
	memset(pdpt, 0, 0x1000);
	pml4[0] = GPA_PDPT | flags;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t pd_gpa = GPA_PD + i * 0x1000ull;
		uint64_t *pd = (uint64_t *)(mem + pd_gpa);

		pdpt[i] = pd_gpa | flags;
		for (unsigned j = 0; j < 512; j++) {
			uint64_t pa = ((uint64_t)i * 512 + j) << 21;

			pd[j] = pa | flags | PTE_PS;
			if (pa == (GPA_LAPIC & ~((1ull << 21) - 1)) ||
			    pa == (GPA_IOAPIC & ~((1ull << 21) - 1)))
				pd[j] |= PTE_PCD | PTE_PWT;
		}
	}
	return 0;
}

uint64_t layout_seg_desc(uint8_t access, int dpl, bool long_mode)
{
	uint64_t d = 0xffff;				/* limit 15:0 */

	d |= (uint64_t)(access | (dpl & 3) << 5) << 40;
	d |= 0xfull << 48;				/* limit 19:16 */
	d |= long_mode ? 1ull << 53 : 1ull << 54;	/* L for code, D/B for data */
	d |= 1ull << 55;				/* 4 KiB granularity */
	return d;
}

void layout_gdt(uint8_t *mem)
{
	uint64_t *gdt = (uint64_t *)(mem + GPA_GDT);
	uint64_t base = GPA_TSS, limit = TSS_LIMIT;

	memset(gdt, 0, GDT_ENTRIES * 8);
	gdt[SEL_CODE0 >> 3] = layout_seg_desc(DESC_CODE, 0, true);
	gdt[SEL_DATA0 >> 3] = layout_seg_desc(DESC_DATA, 0, false);
	gdt[SEL_CODE3 >> 3] = layout_seg_desc(DESC_CODE, 3, true);
	gdt[SEL_DATA3 >> 3] = layout_seg_desc(DESC_DATA, 3, false);
	/* A 64-bit TSS descriptor takes two slots. */
	gdt[SEL_TSS >> 3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			    (uint64_t)DESC_TSS64 << 40 | ((base >> 24) & 0xff) << 56;
	gdt[(SEL_TSS >> 3) + 1] = base >> 32;
}

void layout_idt(uint8_t *mem, uint64_t stubs_gva, unsigned stub_size)
{
	uint64_t *idt = (uint64_t *)(mem + GPA_IDT);

	memset(idt, 0, IDT_VECTORS * 16);
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t off = stubs_gva + (uint64_t)v * stub_size;

		idt[2 * v] = (off & 0xffff) | (uint64_t)SEL_CODE0 << 16 |
			     (uint64_t)DESC_INTGATE << 40 | ((off >> 16) & 0xffff) << 48;
		idt[2 * v + 1] = off >> 32;
	}
}

/*
 * RSP0 is the stack for exceptions taken at CPL3. The I/O bitmap allows
 * every port: IOPL=3 alone is not enough on hosts (such as kvm_pvm) that
 * run the guest with IOPL forced to 0 and check the bitmap instead.
 */
void layout_tss(uint8_t *mem)
{
	uint8_t *tss = mem + GPA_TSS;
	uint64_t rsp0 = GPA_STACK0_TOP;
	uint16_t iomap = TSS_IOMAP_OFFSET;

	memset(tss, 0, TSS_LIMIT + 1);
	memcpy(tss + 4, &rsp0, 8);
	memcpy(tss + 0x66, &iomap, 2);
	tss[TSS_LIMIT] = 0xff;			/* the bitmap's required end byte */
}

static int read_entry(const uint8_t *mem, size_t size, uint64_t table, unsigned idx,
		      uint64_t *e)
{
	uint64_t off = (table & PTE_ADDR_MASK) + idx * 8ull;

	if (off + 8 > size)
		return -1;
	memcpy(e, mem + off, 8);
	return 0;
}

int layout_walk(const uint8_t *mem, size_t size, uint64_t cr3, uint64_t va, struct walk *w)
{
	uint64_t table = cr3, e = 0;

	memset(w, 0, sizeof(*w));
	w->user = w->write = true;
	for (int lvl = 4; lvl >= 1; lvl--) {
		unsigned idx = (va >> (12 + 9 * (lvl - 1))) & 0x1ff;

		if (read_entry(mem, size, table, idx, &e) || !(e & PTE_P))
			return -1;
		w->entries[4 - lvl] = e;
		w->user &= !!(e & PTE_US);
		w->write &= !!(e & PTE_RW);
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PTE_PS))) {
			uint64_t page = 1ull << (12 + 9 * (lvl - 1));

			w->level = lvl;
			w->pa = (e & PTE_ADDR_MASK & ~(page - 1)) | (va & (page - 1));
			return 0;
		}
		table = e;
	}
	return -1;
}
