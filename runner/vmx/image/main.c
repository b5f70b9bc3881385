// SPDX-License-Identifier: MIT
/*
 * Platform layer of the boot image: serial console, a bump allocator over
 * the memory after the image, the host IDT/TSS, the command line. Nothing
 * here runs concurrently and nothing is ever freed: the image exists to run
 * one set of measurements and stop.
 */
#include "../engine/vmxb.h"
#include "../engine/vmxb_hw.h"

#define COM1		0x3f8
#define MB_MAGIC	0x2badb002
#define MB_INFO_MEM	(1u << 0)
#define MB_INFO_CMDLINE	(1u << 2)
/* Without a memory map from the loader, assume the documented minimum. */
#define DEFAULT_MEM_END	(32ull << 20)
#define MAX_MEM_END	(1ull << 32)

struct mb_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
} __attribute__((packed));

extern char __bss_end[];
extern u64 boot_gdt[];
extern struct vmxb_dtr boot_gdt_desc;
extern const u64 exc_stub_table[32];

static u64 pool_next, pool_end;
static struct vmxb engine;
static int exit_bochs;
static u8 tss[104] __attribute__((aligned(16)));
static u64 idt[64] __attribute__((aligned(16)));

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO on, cleared */
	outb(COM1 + 4, 0x03);
}

static void serial_putc(char c)
{
	/* bounded wait: a missing UART must not hang the benchmark */
	for (u32 i = 0; i < 1000000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (u8)c);
}

static void plat_puts(void *ctx, const char *s)
{
	(void)ctx;
	for (; *s; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

static void *plat_alloc(void *ctx, u64 bytes, u64 *pa)
{
	u64 p = (pool_next + 4095) & ~4095ull;

	(void)ctx;
	bytes = (bytes + 4095) & ~4095ull;
	if (p + bytes > pool_end || p + bytes < p)
		return 0;
	pool_next = p + bytes;
	for (u64 *q = (u64 *)p; q < (u64 *)(p + bytes); q++)
		*q = 0;
	*pa = p;
	return (void *)p;
}

static int plat_batch_begin(void *ctx)
{
	(void)ctx;
	return 0;
}

static void plat_batch_end(void *ctx)
{
	(void)ctx;
}

static struct vmxb_platform plat = {
	.name = "image",
	.puts = plat_puts,
	.alloc = plat_alloc,
	.batch_begin = plat_batch_begin,
	.batch_end = plat_batch_end,
	.phys_limit = MAX_MEM_END,
	.may_lock_feature_control = 1,
};

static void out_raw(const char *s)
{
	plat_puts(0, s);
}

static void bochs_shutdown(void)
{
	const char *s = "Shutdown";

	/* Bochs' shutdown port; only used when the command line asks for it. */
	while (*s)
		outb(0x8900, (u8)*s++);
}

static void finish(int ok)
{
	out_raw(ok ? "VMXB 1 done ok\n" : "VMXB 1 done fail\n");
	if (exit_bochs)
		bochs_shutdown();
	for (;;)
		__asm__ volatile("cli; hlt");
}

void host_exception(u64 vec, u64 err, u64 rip)
{
	char line[128];

	vmxb_snprintf(line, sizeof(line),
		      "VMXB 1 error host exception vector=%lu error=0x%lx rip=0x%lx\n",
		      (unsigned long)vec, (unsigned long)err, (unsigned long)rip);
	out_raw(line);
	finish(0);
}

static void setup_idt_tss(void)
{
	u64 t = (u64)(unsigned long)tss;
	struct vmxb_dtr d = { sizeof(idt) - 1, (u64)(unsigned long)idt };

	for (int v = 0; v < 32; v++) {
		u64 h = exc_stub_table[v];

		/* interrupt gate, DPL0, selector 0x08 */
		idt[2 * v] = (h & 0xffff) | (0x08ull << 16) | (0x8eull << 40) |
			     ((h >> 16 & 0xffff) << 48);
		idt[2 * v + 1] = h >> 32;
	}
	__asm__ volatile("lidt %0" : : "m"(d));
	*(u16 *)(tss + 102) = sizeof(tss);	/* no I/O permission bitmap */
	boot_gdt[3] = 0x67 | ((t & 0xffffff) << 16) | (0x89ull << 40) |
		      ((t >> 24 & 0xff) << 56);
	boot_gdt[4] = t >> 32;
	__asm__ volatile("ltr %w0" : : "r"(0x18));
}

/* Options only the image knows; the engine parses the rest. */
static int image_option(void *ctx, const char *k, u32 kn, const char *v, u32 vn)
{
	(void)ctx;
	if (vmxb_word_is(k, kn, "timing")) {
		if (vmxb_word_is(v, vn, "emulated"))
			plat.timing = VMXB_TIMING_EMULATED;
		else if (vmxb_word_is(v, vn, "virtualized"))
			plat.timing = VMXB_TIMING_VIRTUALIZED;
		else if (vmxb_word_is(v, vn, "native"))
			plat.timing = VMXB_TIMING_NATIVE;
		else
			return -1;
		return 0;
	}
	if (vmxb_word_is(k, kn, "exit")) {
		exit_bochs = vmxb_word_is(v, vn, "bochs");
		return exit_bochs ? 0 : -1;
	}
	return 1;
}

static int parse_cmdline(struct vmxb_config *c, const char *s)
{
	char bad[64], line[96];

	if (!vmxb_parse_options(c, s, image_option, 0, bad, sizeof(bad)))
		return 0;
	vmxb_snprintf(line, sizeof(line), "VMXB 1 error bad option %s\n", bad);
	out_raw(line);
	return -1;
}

static void detect_timing(void)
{
	u32 r[4];

	vmxb_cpuid(1, 0, r);
	if (r[2] & (1u << 31))
		plat.timing = VMXB_TIMING_VIRTUALIZED;
}

void kmain(u32 magic, u32 info)
{
	const struct mb_info *mb = (const struct mb_info *)(unsigned long)info;
	struct vmxb_config cfg;
	u64 end = DEFAULT_MEM_END;

	serial_init();
	setup_idt_tss();
	out_raw("\nVMXB 1 hello engine=1 platform=image\n");
	if (magic != MB_MAGIC) {
		out_raw("VMXB 1 error not started by a multiboot loader\n");
		finish(0);
	}
	if (mb->flags & MB_INFO_MEM)
		end = (1ull << 20) + (u64)mb->mem_upper * 1024;
	if (end > MAX_MEM_END)
		end = MAX_MEM_END;
	pool_next = (u64)(unsigned long)__bss_end;
	pool_end = end;
	detect_timing();
	vmxb_default_config(&cfg);
	if ((mb->flags & MB_INFO_CMDLINE) &&
	    parse_cmdline(&cfg, (const char *)(unsigned long)mb->cmdline))
		finish(0);
	if (vmxb_init(&engine, &plat, &cfg))
		finish(0);
	finish(vmxb_run(&engine) == 0);
}
