// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * Kernel platform layer of the raw VMX engine. Writing an option string to
 * /dev/vmxbench runs the whole measurement on one CPU (cpu=N, default 0)
 * in a worker bound to that CPU; each point is one batch with interrupts
 * off, bracketed by VMXON/VMXOFF, and everything the engine or VM exits
 * clobber is restored before interrupts come back. Reading the device
 * returns the same line format the boot image prints on its serial port.
 *
 * The module refuses to run while anything else has CR4.VMXE set on the
 * CPU (e.g. kvm_intel), and never leaves VMX operation enabled.
 */
#include <linux/cpu.h>
#include <linux/dmi.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/debugreg.h>
#include <asm/io.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/tlbflush.h>

#include "vmxb.h"
#include "vmxb_setup.h"

#define OUT_MAX		(64u << 20)
#define CMD_MAX		512
#define MAX_ALLOCS	64
/* Per point, so that one batch keeps interrupts off for milliseconds, not seconds. */
#define MAX_SAMPLES	20000

struct mod_alloc {
	void *va;
	size_t size;
};

struct mod_run {
	struct vmxb engine;
	struct vmxb_platform plat;
	struct vmxb_config cfg;
	struct mod_alloc allocs[MAX_ALLOCS];
	int nallocs;
	int cpu;
	/* saved around one batch */
	unsigned long irqflags;
	u64 msrs[VMXB_MSR_SET_SIZE];
	u64 debugctl;
	unsigned long dr7;
	struct desc_ptr gdt, idt;
	u16 ds, es;
	/* output */
	char *out;
	size_t len, cap;
	bool truncated;
};

static DEFINE_MUTEX(vmxb_lock);
static char *result;
static size_t result_len;

static void mod_puts(void *ctx, const char *s)
{
	struct mod_run *r = ctx;
	size_t n = strlen(s);

	if (r->truncated)
		return;
	if (r->len + n > r->cap) {
		size_t cap = max(r->cap * 2, r->len + n + 4096);
		char *p;

		if (cap > OUT_MAX) {
			r->truncated = true;
			return;
		}
		/* called with interrupts off during a batch */
		p = kvrealloc(r->out, r->cap, cap, GFP_ATOMIC);
		if (!p) {
			r->truncated = true;
			return;
		}
		r->out = p;
		r->cap = cap;
	}
	memcpy(r->out + r->len, s, n);
	r->len += n;
}

static void *mod_alloc(void *ctx, u64 bytes, u64 *pa)
{
	struct mod_run *r = ctx;
	void *va;

	if (r->nallocs == MAX_ALLOCS || bytes > (4u << 20))
		return NULL;
	va = alloc_pages_exact(bytes, GFP_KERNEL | __GFP_ZERO);
	if (!va)
		return NULL;
	r->allocs[r->nallocs].va = va;
	r->allocs[r->nallocs++].size = bytes;
	*pa = virt_to_phys(va);
	return va;
}

static int mod_batch_begin(void *ctx)
{
	struct mod_run *r = ctx;
	u16 fs, gs;

	local_irq_save(r->irqflags);
	savesegment(fs, fs);
	savesegment(gs, gs);
	/* VM exits load null FS/GS selectors; reloading others is not worth it. */
	if (fs || gs) {
		local_irq_restore(r->irqflags);
		return -1;
	}
	savesegment(ds, r->ds);
	savesegment(es, r->es);
	for (int i = 0; i < VMXB_MSR_SET_SIZE; i++)
		rdmsrl(vmxb_msr_of_entry(i), r->msrs[i]);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, r->debugctl);
	get_debugreg(r->dr7, 7);
	native_store_gdt(&r->gdt);
	store_idt(&r->idt);
	return 0;
}

/* VM exits set GDTR/IDTR limits to 0xffff, TR's to 0x67, DEBUGCTL to 0. */
static void mod_batch_end(void *ctx)
{
	struct mod_run *r = ctx;

	native_load_gdt(&r->gdt);
	native_load_idt(&r->idt);
	invalidate_tss_limit();
	for (int i = 0; i < VMXB_MSR_SET_SIZE; i++)
		wrmsrl(vmxb_msr_of_entry(i), r->msrs[i]);
	wrmsrl(MSR_IA32_DEBUGCTLMSR, r->debugctl);
	set_debugreg(r->dr7, 7);
	loadsegment(ds, r->ds);
	loadsegment(es, r->es);
	local_irq_restore(r->irqflags);
	cond_resched();
}

static void mod_nmi(void *ctx)
{
	/* Deliver the NMI that exited the guest through the host's IDT. */
	asm volatile("int $2");
}

static int mod_option(void *ctx, const char *k, u32 kn, const char *v, u32 vn)
{
	struct mod_run *r = ctx;
	char num[12];
	int cpu;

	if (kn != 3 || memcmp(k, "cpu", 3))
		return 1;
	if (!vn || vn >= sizeof(num))
		return -1;
	memcpy(num, v, vn);
	num[vn] = 0;
	if (kstrtoint(num, 10, &cpu) || cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -1;
	r->cpu = cpu;
	return 0;
}

static long run_on_cpu(void *arg)
{
	struct mod_run *r = arg;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		mod_puts(r, "VMXB 1 error CR4.VMXE already set: another hypervisor (kvm_intel?) owns VMX on this CPU\n");
		mod_puts(r, "VMXB 1 done fail\n");
		return -EBUSY;
	}
	mod_puts(r, "VMXB 1 hello engine=1 platform=module\n");
	if (vmxb_init(&r->engine, &r->plat, &r->cfg) || vmxb_run(&r->engine)) {
		mod_puts(r, "VMXB 1 done fail\n");
		return -EIO;
	}
	mod_puts(r, "VMXB 1 done ok\n");
	return 0;
}

static void free_run(struct mod_run *r)
{
	for (int i = 0; i < r->nallocs; i++)
		free_pages_exact(r->allocs[i].va, r->allocs[i].size);
	kvfree(r->out);
	kfree(r);
}


/*
 * How far the ticks are real. Bochs sets no hypervisor bit, but its BIOS
 * names itself in DMI, and its TSC counts emulated instructions.
 */
static enum vmxb_timing mod_timing(void)
{
	const char *bios = dmi_get_system_info(DMI_BIOS_VENDOR);

	if (bios && strstr(bios, "Bochs"))
		return VMXB_TIMING_EMULATED;
	return boot_cpu_has(X86_FEATURE_HYPERVISOR) ? VMXB_TIMING_VIRTUALIZED :
						       VMXB_TIMING_NATIVE;
}

static int setup_run(struct mod_run *r, const char *cmd)
{
	char bad[64];

	r->plat = (struct vmxb_platform) {
		.name = "module",
		.puts = mod_puts,
		.alloc = mod_alloc,
		.batch_begin = mod_batch_begin,
		.batch_end = mod_batch_end,
		.nmi = mod_nmi,
		/* the direct map's end: all RAM the page allocator hands out */
		.phys_limit = (u64)virt_to_phys(high_memory - 1) + 1,
		.may_lock_feature_control = 0,
		.timing = mod_timing(),
		.ctx = r,
	};
	vmxb_default_config(&r->cfg);
	if (vmxb_parse_options(&r->cfg, cmd, mod_option, r, bad, sizeof(bad))) {
		pr_err("vmxbench: bad option '%s'\n", bad);
		return -EINVAL;
	}
	if (r->cfg.iters + r->cfg.warmup > MAX_SAMPLES) {
		pr_err("vmxbench: iters + warmup must stay below %u per point\n", MAX_SAMPLES);
		return -EINVAL;
	}
	return 0;
}

static ssize_t vmxb_write(struct file *file, const char __user *ubuf, size_t n, loff_t *pos)
{
	struct mod_run *r;
	char cmd[CMD_MAX];
	long rc;

	if (n >= sizeof(cmd))
		return -E2BIG;
	if (copy_from_user(cmd, ubuf, n))
		return -EFAULT;
	cmd[n] = 0;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	rc = setup_run(r, cmd);
	if (rc)
		goto out;
	if (mutex_lock_interruptible(&vmxb_lock)) {
		rc = -EINTR;
		goto out;
	}
	cpus_read_lock();
	rc = cpu_online(r->cpu) ? work_on_cpu(r->cpu, run_on_cpu, r) : -ENODEV;
	cpus_read_unlock();
	if (rc == -EBUSY)
		pr_err("vmxbench: CPU %d is in VMX operation already (unload kvm_intel first)\n",
		       r->cpu);
	kvfree(result);
	result = r->out;
	result_len = r->len;
	r->out = NULL;
	mutex_unlock(&vmxb_lock);
	if (rc == 0 || rc == -EIO)
		rc = n;		/* the log says what failed */
out:
	free_run(r);
	return rc;
}

static ssize_t vmxb_read(struct file *file, char __user *ubuf, size_t n, loff_t *pos)
{
	ssize_t rc;

	mutex_lock(&vmxb_lock);
	rc = simple_read_from_buffer(ubuf, n, pos, result, result_len);
	mutex_unlock(&vmxb_lock);
	return rc;
}

static const struct file_operations vmxb_fops = {
	.owner = THIS_MODULE,
	.read = vmxb_read,
	.write = vmxb_write,
	.llseek = default_llseek,
};

static struct miscdevice vmxb_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vmxbench",
	.fops = &vmxb_fops,
	.mode = 0600,
};

static int __init vmxb_mod_init(void)
{
	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_err("vmxbench: this CPU has no VMX\n");
		return -ENODEV;
	}
	return misc_register(&vmxb_dev);
}

static void __exit vmxb_mod_exit(void)
{
	misc_deregister(&vmxb_dev);
	kvfree(result);
}

module_init(vmxb_mod_init);
module_exit(vmxb_mod_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("Raw VMX exit-cost benchmark engine");
