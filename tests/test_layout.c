/* SPDX-License-Identifier: MIT */
/* Guest page tables, GDT, IDT and TSS as the host builds them. */
#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "layout.h"

#define MEM_SIZE (GPA_PD + 4 * 0x1000 + 0x1000)

static uint8_t *mem;

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
}

static void teardown(void)
{
	free(mem);
}

START_TEST(identity_map_4g)
{
	const uint64_t probes[] = { 0, GPA_CTL, GPA_IMAGE + 0x123, GPA_SAMPLES,
				    GPA_MMIO, GPA_MMIO + 0xabc, GPA_MAPPED_END - 1 };
	struct walk w;

	ck_assert_int_eq(layout_page_tables(mem, MEM_SIZE), 0);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, probes[i], &w), 0);
		ck_assert_uint_eq(w.pa, probes[i]);
		ck_assert_int_eq(w.level, 2);	/* 2 MiB pages */
		ck_assert(w.user);		/* CPL3 payloads reach everything */
		ck_assert(w.write);
	}
}
END_TEST

/* The LAPIC's and IOAPIC's registers are mapped uncacheable; guest RAM stays write-back. */
START_TEST(lapic_page_uncacheable)
{
	struct walk w;

	ck_assert_int_eq(layout_page_tables(mem, MEM_SIZE), 0);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, GPA_LAPIC + LAPIC_REG_VERSION, &w), 0);
	ck_assert_uint_eq(w.pa, GPA_LAPIC + LAPIC_REG_VERSION);
	ck_assert_uint_eq(w.entries[2] & (PTE_PCD | PTE_PWT), PTE_PCD | PTE_PWT);
	ck_assert(w.user);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, GPA_IOAPIC + 0x10, &w), 0);
	ck_assert_uint_eq(w.entries[2] & (PTE_PCD | PTE_PWT), PTE_PCD | PTE_PWT);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, GPA_MMIO, &w), 0);
	ck_assert_uint_eq(w.entries[2] & (PTE_PCD | PTE_PWT), 0);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, GPA_SAMPLES, &w), 0);
	ck_assert_uint_eq(w.entries[2] & (PTE_PCD | PTE_PWT), 0);
	/* No memslot may cover it, or the accesses would be RAM, not the LAPIC. */
	ck_assert_uint_ge(GPA_LAPIC, GPA_DIRTY + GPA_DIRTY_SIZE);
	ck_assert_uint_ge(GPA_IOAPIC, GPA_DIRTY + GPA_DIRTY_SIZE);
}
END_TEST

START_TEST(nothing_above_4g)
{
	struct walk w;

	layout_page_tables(mem, MEM_SIZE);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, GPA_MAPPED_END, &w), -1);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, 1ull << 39, &w), -1);
}
END_TEST

START_TEST(page_tables_need_room)
{
	ck_assert_int_eq(layout_page_tables(mem, GPA_PD), -1);
}
END_TEST

START_TEST(walk_rejects_tables_outside_memory)
{
	struct walk w;
	uint64_t *pml4 = (uint64_t *)(mem + GPA_PML4);

	layout_page_tables(mem, MEM_SIZE);
	pml4[0] = (1ull << 40) | PTE_P | PTE_RW;	/* PDPT far outside */
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, 0, &w), -1);
}
END_TEST

START_TEST(walk_4k_and_supervisor)
{
	struct walk w;
	uint64_t *pd = (uint64_t *)(mem + GPA_PD);
	uint64_t pt_gpa = GPA_PD + 4 * 0x1000;
	uint64_t *pt = (uint64_t *)(mem + pt_gpa);

	layout_page_tables(mem, MEM_SIZE);
	pd[0] = pt_gpa | PTE_P | PTE_RW | PTE_US;
	pt[5] = 0x77000 | PTE_P;			/* read-only, supervisor */
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, 0x5123, &w), 0);
	ck_assert_uint_eq(w.pa, 0x77123);
	ck_assert_int_eq(w.level, 1);
	ck_assert(!w.user);
	ck_assert(!w.write);
	ck_assert_int_eq(layout_walk(mem, MEM_SIZE, GPA_PML4, 0x6000, &w), -1);
}
END_TEST

START_TEST(gdt_descriptors)
{
	uint64_t *gdt = (uint64_t *)(mem + GPA_GDT);

	layout_gdt(mem);
	ck_assert_uint_eq(gdt[0], 0);
	/* The well-known flat long-mode descriptors. */
	ck_assert_uint_eq(gdt[SEL_CODE0 >> 3], 0x00af9b000000ffffull);
	ck_assert_uint_eq(gdt[SEL_DATA0 >> 3], 0x00cf93000000ffffull);
	ck_assert_uint_eq(gdt[SEL_CODE3 >> 3], 0x00affb000000ffffull);
	ck_assert_uint_eq(gdt[SEL_DATA3 >> 3], 0x00cff3000000ffffull);
	/* TSS: base split over bytes 2-4, 7 and the upper slot; type 9, present. */
	ck_assert_uint_eq((gdt[SEL_TSS >> 3] >> 40) & 0xff, 0x89);
	ck_assert_uint_eq((gdt[SEL_TSS >> 3] >> 16) & 0xffffff, GPA_TSS & 0xffffff);
	ck_assert_uint_eq(gdt[SEL_TSS >> 3] & 0xffff, TSS_LIMIT & 0xffff);
	ck_assert_uint_eq(gdt[(SEL_TSS >> 3) + 1], GPA_TSS >> 32);
}
END_TEST

START_TEST(idt_gates)
{
	uint64_t *idt = (uint64_t *)(mem + GPA_IDT);
	const uint64_t stubs = 0x123456789abcull;

	layout_idt(mem, stubs, EXC_STUB_SIZE);
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t lo = idt[2 * v], hi = idt[2 * v + 1];
		uint64_t off = (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | hi << 32;

		ck_assert_uint_eq(off, stubs + v * EXC_STUB_SIZE);
		ck_assert_uint_eq((lo >> 16) & 0xffff, SEL_CODE0);
		ck_assert_uint_eq((lo >> 40) & 0xff, 0x8e);
	}
}
END_TEST

START_TEST(tss_stack_and_io_bitmap)
{
	uint8_t *tss = mem + GPA_TSS;
	uint64_t rsp0;
	uint16_t iomap;

	memset(tss, 0xaa, TSS_LIMIT + 1);
	layout_tss(mem);
	memcpy(&rsp0, tss + 4, 8);
	memcpy(&iomap, tss + 0x66, 2);
	ck_assert_uint_eq(rsp0, GPA_STACK0_TOP);
	ck_assert_uint_eq(iomap, TSS_IOMAP_OFFSET);
	/* Every port allowed (bit clear), then the 0xff end byte. */
	for (unsigned i = TSS_IOMAP_OFFSET; i < TSS_LIMIT; i++)
		ck_assert_uint_eq(tss[i], 0);
	ck_assert_uint_eq(tss[TSS_LIMIT], 0xff);
	/* The TSS and its bitmap must not overlap the control block or page tables. */
	ck_assert(GPA_TSS + TSS_LIMIT < GPA_PML4);
	ck_assert(GPA_TSS > GPA_CTL || GPA_TSS + TSS_LIMIT < GPA_CTL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, identity_map_4g);
	tcase_add_test(tc, lapic_page_uncacheable);
	tcase_add_test(tc, nothing_above_4g);
	tcase_add_test(tc, page_tables_need_room);
	tcase_add_test(tc, walk_rejects_tables_outside_memory);
	tcase_add_test(tc, walk_4k_and_supervisor);
	tcase_add_test(tc, gdt_descriptors);
	tcase_add_test(tc, idt_gates);
	tcase_add_test(tc, tss_stack_and_io_bitmap);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
