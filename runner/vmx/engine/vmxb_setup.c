// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * Capabilities, memory and the VMCS. Every control is adjusted from the
 * IA32_VMX_* capability MSRs (the TRUE_* ones when IA32_VMX_BASIC bit 55
 * says they exist); a control the engine cannot work without is an error.
 */
#include "vmxb.h"
#include "vmxb_defs.h"
#include "vmxb_hw.h"
#include "vmxb_setup.h"

/* MSRs whose values nothing depends on while a batch runs: see README. */
static const u32 msr_set[VMXB_MSR_SET_SIZE] = {
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_STAR,
	MSR_LSTAR, MSR_CSTAR, MSR_FMASK, MSR_KERNEL_GS_BASE,
};

u32 vmxb_msr_of_entry(u32 j)
{
	return msr_set[j % VMXB_MSR_SET_SIZE];
}

static int alloc_mem(struct vmxb *e, struct vmxb_mem *m, u64 bytes, const char *what)
{
	m->va = e->plat->alloc(e->plat->ctx, bytes, &m->pa);
	if (!m->va) {
		vmxb_error(e, "out of memory for %s (%lu bytes)", what, (unsigned long)bytes);
		return -1;
	}
	/* the guest touches these through EPT, which maps only up to the limit */
	if (m->pa + bytes > e->plat->phys_limit) {
		vmxb_error(e, "%s at 0x%lx lies above the EPT map", what, (unsigned long)m->pa);
		return -1;
	}
	return 0;
}

static int adjust(struct vmxb *e, u32 msr, u32 want, u32 need, u32 *out, const char *what)
{
	u64 cap = vmxb_rdmsr(msr);
	u32 v = (want | (u32)cap) & (u32)(cap >> 32);

	if ((v & need) != need) {
		vmxb_error(e, "%s controls: required bits 0x%x not allowed (cap 0x%lx)",
			   what, need & ~v, (unsigned long)cap);
		return -1;
	}
	*out = v;
	return 0;
}

static int read_controls(struct vmxb *e)
{
	int tru = !!(e->basic & VMX_BASIC_TRUE_CTLS);
	u32 proc_want = PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY |
			PROC_HLT_EXITING;
	u32 proc_need = PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY;

	if (adjust(e, tru ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
		   PIN_NMI_EXITING, 0, &e->pin, "pin-based"))
		return -1;
	/* CR3 exiting is only clearable with the TRUE MSR; the guest never moves CR3. */
	if (adjust(e, tru ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
		   proc_want, proc_need, &e->proc, "processor-based"))
		return -1;
	e->proc &= ~((PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING) &
		     ~(u32)vmxb_rdmsr(tru ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED));
	if (adjust(e, MSR_VMX_PROCBASED2, PROC2_EPT | PROC2_RDTSCP,
		   PROC2_EPT | PROC2_RDTSCP, &e->proc2, "secondary"))
		return -1;
	if (adjust(e, tru ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
		   EXIT_HOST_64 | EXIT_LOAD_EFER | EXIT_LOAD_PAT, EXIT_HOST_64,
		   &e->exit_ctl, "VM-exit"))
		return -1;
	return adjust(e, tru ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
		      ENTRY_IA32E_GUEST | ENTRY_LOAD_EFER | ENTRY_LOAD_PAT,
		      ENTRY_IA32E_GUEST, &e->entry_ctl, "VM-entry");
}

static int check_cpu(struct vmxb *e)
{
	u32 r[4];
	u64 fc;

	vmxb_cpuid(1, 0, r);
	if (!(r[2] & (1u << 5))) {
		vmxb_error(e, "CPU has no VMX (CPUID.1:ECX.VMX=0)");
		return -1;
	}
	fc = vmxb_rdmsr(MSR_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		if (!e->plat->may_lock_feature_control) {
			vmxb_error(e, "IA32_FEATURE_CONTROL is not locked; refusing to lock it");
			return -1;
		}
		vmxb_wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK |
			   FEATURE_CONTROL_VMXON);
		fc = vmxb_rdmsr(MSR_FEATURE_CONTROL);
	}
	if (!(fc & FEATURE_CONTROL_VMXON)) {
		vmxb_error(e, "VMX disabled by firmware (IA32_FEATURE_CONTROL=0x%lx)",
			   (unsigned long)fc);
		return -1;
	}
	return 0;
}

static int read_caps(struct vmxb *e)
{
	if (check_cpu(e))
		return -1;
	e->basic = vmxb_rdmsr(MSR_VMX_BASIC);
	e->misc = vmxb_rdmsr(MSR_VMX_MISC);
	e->cr0_fixed0 = vmxb_rdmsr(MSR_VMX_CR0_FIXED0);
	e->cr0_fixed1 = vmxb_rdmsr(MSR_VMX_CR0_FIXED1);
	e->cr4_fixed0 = vmxb_rdmsr(MSR_VMX_CR4_FIXED0);
	e->cr4_fixed1 = vmxb_rdmsr(MSR_VMX_CR4_FIXED1);
	/* SDM A.6: recommended maximum is 512 * (N + 1), N = bits 27:25. */
	e->msr_max = 512 * (((e->misc >> 25) & 7) + 1);
	if (read_controls(e))
		return -1;
	e->ept_cap = vmxb_rdmsr(MSR_VMX_EPT_VPID_CAP);
	if ((e->ept_cap & (EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_2M)) !=
	    (EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_2M)) {
		vmxb_error(e, "EPT lacks 4-level walks, WB or 2 MiB pages (cap 0x%lx)",
			   (unsigned long)e->ept_cap);
		return -1;
	}
	return 0;
}

/* Identity map of [0, phys_limit) in 2 MiB pages, but 4 KiB around the hole. */
static int build_ept(struct vmxb *e)
{
	u64 limit = (e->plat->phys_limit + (1ull << 30) - 1) & ~((1ull << 30) - 1);
	u64 *pml4, *pdpt = 0, *pt;
	u64 hole_2m = e->hole.pa & ~((1ull << 21) - 1);
	struct vmxb_mem m, ptm;

	if (limit > (1ull << 39) * 512 || !limit) {
		vmxb_error(e, "physical limit 0x%lx out of range", (unsigned long)limit);
		return -1;
	}
	if (alloc_mem(e, &e->ept_pml4, 4096, "EPT PML4") ||
	    alloc_mem(e, &ptm, 4096, "EPT PT"))
		return -1;
	pml4 = e->ept_pml4.va;
	pt = ptm.va;
	for (u64 i = 0; i < 512; i++)
		pt[i] = (hole_2m + (i << 12)) | EPT_MT_WB | EPT_RWX;
	pt[(e->hole.pa >> 12) & 511] = 0;
	for (u64 gb = 0; gb < (limit >> 30); gb++) {
		u64 *pd;

		if (!(gb & 511)) {
			if (alloc_mem(e, &m, 4096, "EPT PDPT"))
				return -1;
			pdpt = m.va;
			pml4[gb >> 9] = m.pa | EPT_RWX;
		}
		if (alloc_mem(e, &m, 4096, "EPT PD"))
			return -1;
		pd = m.va;
		pdpt[gb & 511] = m.pa | EPT_RWX;
		for (u64 i = 0; i < 512; i++) {
			u64 pa = (gb << 30) + (i << 21);

			if (pa == hole_2m)
				pd[i] = ptm.pa | EPT_RWX;
			else
				pd[i] = pa | EPT_MT_WB | EPT_LARGE | EPT_RWX;
		}
	}
	if (e->hole.pa >= limit) {
		vmxb_error(e, "hole page above the EPT limit");
		return -1;
	}
	/* EPTP: WB paging structures, 4-level walk. */
	e->eptp = e->ept_pml4.pa | 6 | (3 << 3);
	return 0;
}

static void msr_bitmap_clear(u8 *bm, u32 msr)
{
	u32 base = msr >= 0xc0000000 ? 1024 : 0;
	u32 bit = msr & 0x1fff;

	/* read-low, read-high, write-low, write-high quarters of the page */
	bm[base + bit / 8] &= (u8)~(1u << (bit % 8));
	bm[2048 + base + bit / 8] &= (u8)~(1u << (bit % 8));
}

static void fill_bitmaps(struct vmxb *e)
{
	u8 *bm = e->msr_bitmap.va, *a = e->io_a.va, *b = e->io_b.va;

	/* Intercept every port and MSR, then let only the sweep's set through. */
	for (u32 i = 0; i < 4096; i++) {
		bm[i] = 0xff;
		a[i] = 0xff;
		b[i] = 0xff;
	}
	for (u32 m = 0; m < VMXB_MSR_SET_SIZE; m++)
		msr_bitmap_clear(bm, msr_set[m]);
}

static int alloc_all(struct vmxb *e)
{
	u64 vmcs_size = (e->basic >> 32) & 0x1fff;
	u64 area_bytes = (u64)e->msr_max * sizeof(struct vmxb_msr_entry);
	u64 samples = (u64)e->cap * sizeof(u64);
	struct vmxb_mem s;

	if (!vmcs_size || vmcs_size > 4096) {
		vmxb_error(e, "bad VMCS size %lu", (unsigned long)vmcs_size);
		return -1;
	}
	if (alloc_mem(e, &e->vmxon, 4096, "VMXON region") ||
	    alloc_mem(e, &e->vmcs, 4096, "VMCS") ||
	    alloc_mem(e, &e->msr_bitmap, 4096, "MSR bitmap") ||
	    alloc_mem(e, &e->io_a, 4096, "I/O bitmap A") ||
	    alloc_mem(e, &e->io_b, 4096, "I/O bitmap B") ||
	    alloc_mem(e, &e->hole, 4096, "EPT hole") ||
	    alloc_mem(e, &e->guest_stack, 16384, "guest stack") ||
	    alloc_mem(e, &e->host_stack, 16384, "host stack") ||
	    alloc_mem(e, &e->gctl_mem, 4096, "guest control") ||
	    alloc_mem(e, &e->area[0], area_bytes, "MSR-store area") ||
	    alloc_mem(e, &e->area[1], area_bytes, "exit MSR-load area") ||
	    alloc_mem(e, &e->area[2], area_bytes, "entry MSR-load area") ||
	    alloc_mem(e, &s, 4 * samples, "samples"))
		return -1;
	e->t_before = s.va;
	e->t_after = e->t_before + e->cap;
	e->t_in = e->t_after + e->cap;
	e->t_out = e->t_in + e->cap;
	e->g = e->gctl_mem.va;
	e->frame = (struct vmxb_frame *)((u8 *)e->host_stack.va + 16384 -
					 sizeof(struct vmxb_frame) - 64);
	return 0;
}

int vmxb_init(struct vmxb *e, const struct vmxb_platform *plat,
	      const struct vmxb_config *cfg)
{
	e->plat = plat;
	e->cfg = *cfg;
	e->cap = cfg->iters + cfg->warmup;
	if (!cfg->iters || e->cap > 10000000) {
		vmxb_error(e, "iterations must be 1..10000000");
		return -1;
	}
	if (read_caps(e))
		return -1;
	for (u32 i = 0; i < cfg->ncounts; i++)
		if (cfg->counts[i] > e->msr_max) {
			vmxb_error(e, "msr-area count %u exceeds the IA32_VMX_MISC maximum %u",
				   cfg->counts[i], e->msr_max);
			return -1;
		}
	if (alloc_all(e) || build_ept(e))
		return -1;
	fill_bitmaps(e);
	return 0;
}

/* Satisfies the CR0/CR4 fixed bits and enters VMX root operation. */
int vmxb_vmx_on(struct vmxb *e)
{
	u64 cr0 = vmxb_read_cr0(), cr4 = vmxb_read_cr4();

	if (cr4 & CR4_VMXE) {
		vmxb_error(e, "CR4.VMXE already set: another hypervisor owns VMX on this CPU");
		return -1;
	}
	e->saved_cr0 = cr0;
	e->saved_cr4 = cr4;
	cr0 = (cr0 | e->cr0_fixed0) & e->cr0_fixed1;
	cr4 = (cr4 | e->cr4_fixed0 | CR4_VMXE) & e->cr4_fixed1;
	if (cr0 != e->saved_cr0)
		vmxb_write_cr0(cr0);
	vmxb_write_cr4(cr4);
	*(u32 *)e->vmxon.va = (u32)e->basic & 0x7fffffff;
	if (vmxb_vmxon(e->vmxon.pa)) {
		vmxb_write_cr4(e->saved_cr4);
		vmxb_write_cr0(e->saved_cr0);
		vmxb_error(e, "VMXON failed");
		return -1;
	}
	e->in_vmx = 1;
	return 0;
}

void vmxb_vmx_off(struct vmxb *e)
{
	if (!e->in_vmx)
		return;
	vmxb_vmclear(e->vmcs.pa);
	vmxb_vmxoff();
	vmxb_write_cr4(e->saved_cr4);
	if (vmxb_read_cr0() != e->saved_cr0)
		vmxb_write_cr0(e->saved_cr0);
	e->in_vmx = 0;
}

static void vw(struct vmxb *e, u64 field, u64 v)
{
	if (vmxb_vmwrite(field, v) && !e->vmwrite_failed) {
		e->vmwrite_failed = 1;
		e->bad_field = field;
	}
}

static u64 tss_base(const struct vmxb_dtr *gdt, u16 tr)
{
	const u8 *d = (const u8 *)(gdt->base + (tr & ~7u));
	u64 base = d[2] | (d[3] << 8) | ((u64)d[4] << 16) | ((u64)d[7] << 24);

	return base | ((u64)*(const u32 *)(d + 8) << 32);
}

static void setup_host(struct vmxb *e, const struct vmxb_dtr *gdt, const struct vmxb_dtr *idt)
{
	u16 cs = vmxb_read_cs(), tr = vmxb_read_tr();

	vw(e, HOST_CR0, vmxb_read_cr0());
	vw(e, HOST_CR3, vmxb_read_cr3());
	vw(e, HOST_CR4, vmxb_read_cr4());
	vw(e, HOST_CS_SEL, cs);
	/* The data selector follows the code selector in both platforms' GDTs. */
	vw(e, HOST_SS_SEL, cs + 8);
	vw(e, HOST_DS_SEL, 0);
	vw(e, HOST_ES_SEL, 0);
	vw(e, HOST_FS_SEL, 0);
	vw(e, HOST_GS_SEL, 0);
	vw(e, HOST_TR_SEL, tr);
	vw(e, HOST_FS_BASE, vmxb_rdmsr(MSR_FS_BASE));
	vw(e, HOST_GS_BASE, vmxb_rdmsr(MSR_GS_BASE));
	vw(e, HOST_TR_BASE, tss_base(gdt, tr));
	vw(e, HOST_GDTR_BASE, gdt->base);
	vw(e, HOST_IDTR_BASE, idt->base);
	vw(e, HOST_SYSENTER_CS, vmxb_rdmsr(MSR_SYSENTER_CS));
	vw(e, HOST_SYSENTER_ESP, vmxb_rdmsr(MSR_SYSENTER_ESP));
	vw(e, HOST_SYSENTER_EIP, vmxb_rdmsr(MSR_SYSENTER_EIP));
	if (e->exit_ctl & EXIT_LOAD_EFER)
		vw(e, HOST_EFER, vmxb_rdmsr(MSR_EFER));
	if (e->exit_ctl & EXIT_LOAD_PAT)
		vw(e, HOST_PAT, vmxb_rdmsr(MSR_PAT));
	vw(e, HOST_RSP, (u64)(unsigned long)e->frame);
	vw(e, HOST_RIP, (u64)(unsigned long)vmxb_exit_stub);
}

static void guest_seg(struct vmxb *e, u32 n, u16 sel, u32 ar)
{
	/* ES, CS, SS, DS, FS, GS fields are 2 apart in every width. */
	vw(e, GUEST_ES_SEL + 2 * n, sel);
	vw(e, GUEST_ES_LIMIT + 2 * n, 0xffffffff);
	vw(e, GUEST_ES_AR + 2 * n, ar);
	vw(e, GUEST_ES_BASE + 2 * n, 0);
}

static void setup_guest(struct vmxb *e, const struct vmxb_dtr *gdt, const struct vmxb_dtr *idt)
{
	u16 cs = vmxb_read_cs(), tr = vmxb_read_tr();

	vw(e, GUEST_CR0, vmxb_read_cr0());
	vw(e, GUEST_CR3, vmxb_read_cr3());
	vw(e, GUEST_CR4, vmxb_read_cr4());
	vw(e, CR0_MASK, 0);
	vw(e, CR4_MASK, 0);
	vw(e, CR0_SHADOW, vmxb_read_cr0());
	vw(e, CR4_SHADOW, vmxb_read_cr4());
	/* 64-bit code: type 0xb, S, P, L, G; data: type 3, S, P, D/B, G. */
	for (u32 n = 0; n < 6; n++)
		guest_seg(e, n, n == 1 ? cs : cs + 8, n == 1 ? 0xa09b : 0xc093);
	vw(e, GUEST_FS_BASE, vmxb_rdmsr(MSR_FS_BASE));
	vw(e, GUEST_GS_BASE, vmxb_rdmsr(MSR_GS_BASE));
	vw(e, GUEST_LDTR_SEL, 0);
	vw(e, GUEST_LDTR_AR, 1u << 16);
	vw(e, GUEST_LDTR_LIMIT, 0);
	vw(e, GUEST_LDTR_BASE, 0);
	vw(e, GUEST_TR_SEL, tr);
	vw(e, GUEST_TR_BASE, tss_base(gdt, tr));
	vw(e, GUEST_TR_LIMIT, 0x67);
	vw(e, GUEST_TR_AR, 0x8b);
	vw(e, GUEST_GDTR_BASE, gdt->base);
	vw(e, GUEST_GDTR_LIMIT, gdt->limit);
	vw(e, GUEST_IDTR_BASE, idt->base);
	vw(e, GUEST_IDTR_LIMIT, idt->limit);
	vw(e, GUEST_DR7, 0x400);
	vw(e, GUEST_DEBUGCTL, 0);
	vw(e, GUEST_RFLAGS, 0x2);	/* IF=0: nothing may interrupt the loop */
	vw(e, GUEST_RSP, (u64)(unsigned long)e->guest_stack.va + 16384 - 64 - 8);
	vw(e, GUEST_RIP, (u64)(unsigned long)vmxb_guest_main);
	vw(e, GUEST_SYSENTER_CS, vmxb_rdmsr(MSR_SYSENTER_CS));
	vw(e, GUEST_SYSENTER_ESP, vmxb_rdmsr(MSR_SYSENTER_ESP));
	vw(e, GUEST_SYSENTER_EIP, vmxb_rdmsr(MSR_SYSENTER_EIP));
	if (e->entry_ctl & ENTRY_LOAD_EFER)
		vw(e, GUEST_EFER, vmxb_rdmsr(MSR_EFER));
	if (e->entry_ctl & ENTRY_LOAD_PAT)
		vw(e, GUEST_PAT, vmxb_rdmsr(MSR_PAT));
	vw(e, GUEST_INTERRUPTIBILITY, 0);
	vw(e, GUEST_ACTIVITY, 0);
	vw(e, GUEST_PENDING_DBG, 0);
	vw(e, VMCS_LINK_PTR, ~0ull);
}

static void setup_controls(struct vmxb *e)
{
	vw(e, PIN_CONTROLS, e->pin);
	vw(e, PROC_CONTROLS, e->proc);
	vw(e, PROC2_CONTROLS, e->proc2);
	vw(e, EXIT_CONTROLS, e->exit_ctl);
	vw(e, ENTRY_CONTROLS, e->entry_ctl);
	/* Every guest exception exits, so a broken payload is reported, not run. */
	vw(e, EXCEPTION_BITMAP, 0xffffffff);
	vw(e, CR3_TARGET_COUNT, 0);
	vw(e, ENTRY_INTR_INFO, 0);
	vw(e, IO_BITMAP_A, e->io_a.pa);
	vw(e, IO_BITMAP_B, e->io_b.pa);
	vw(e, MSR_BITMAP, e->msr_bitmap.pa);
	vw(e, EPT_POINTER, e->eptp);
	vw(e, EXIT_MSR_STORE_ADDR, e->area[VMXB_A_EXIT_STORE].pa);
	vw(e, EXIT_MSR_LOAD_ADDR, e->area[VMXB_A_EXIT_LOAD].pa);
	vw(e, ENTRY_MSR_LOAD_ADDR, e->area[VMXB_A_ENTRY_LOAD].pa);
	vw(e, EXIT_MSR_STORE_COUNT, e->area_kind == VMXB_A_EXIT_STORE ? e->area_count : 0);
	vw(e, EXIT_MSR_LOAD_COUNT, e->area_kind == VMXB_A_EXIT_LOAD ? e->area_count : 0);
	vw(e, ENTRY_MSR_LOAD_COUNT, e->area_kind == VMXB_A_ENTRY_LOAD ? e->area_count : 0);
}

int vmxb_setup_vmcs(struct vmxb *e)
{
	struct vmxb_dtr gdt, idt;

	*(u32 *)e->vmcs.va = (u32)e->basic & 0x7fffffff;
	if (vmxb_vmclear(e->vmcs.pa) || vmxb_vmptrld(e->vmcs.pa)) {
		vmxb_error(e, "VMCLEAR/VMPTRLD failed");
		return -1;
	}
	vmxb_sgdt(&gdt);
	vmxb_sidt(&idt);
	e->vmwrite_failed = 0;
	setup_controls(e);
	setup_host(e, &gdt, &idt);
	setup_guest(e, &gdt, &idt);
	if (e->vmwrite_failed) {
		vmxb_error(e, "VMWRITE of field 0x%lx failed (VM-instruction error %lu)",
			   (unsigned long)e->bad_field,
			   (unsigned long)vmxb_vmread(VM_INSTR_ERROR));
		return -1;
	}
	return 0;
}
