/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "catalog.h"

/*
 * IA32_TSC_ADJUST: KVM intercepts it on VMX and SVM and emulates it in the
 * kernel (kvm_get_msr_common/kvm_set_msr_common). wrmsr_kernel writes back
 * the value it read, so the guest TSC does not move.
 */
#define MSR_IA32_TSC_ADJUST 0x3b
/*
 * The *_user MSR benchmarks use the same MSR with a KVM_X86_SET_MSR_FILTER
 * range that denies it, so KVM sends the access to userspace: the pair
 * rdmsr_kernel/rdmsr_user differs only in who handles the exit. The
 * filtered write never reaches KVM, so the guest TSC cannot move, which
 * the phase split (guest TSC == host TSC) relies on.
 */
/* A hypercall number KVM does not implement: answered -KVM_ENOSYS in the kernel. */
#define HC_UNUSED 0xdead

/*
 * MSR classes. EFER: intercepted and emulated in the kernel on VMX and SVM.
 * FS_BASE and KERNEL_GS_BASE: KVM clears their intercepts for a 64-bit
 * guest on VMX and SVM, so the guest reads and writes them with no exit.
 * IA32_UCODE_WRITE: KVM accepts the write and drops it (it cannot be read).
 */
#define MSR_EFER		0xc0000080
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_IA32_UCODE_WRITE	0x79

/* CPUID leaves with something to look up: topology (0xb), XSAVE (0xd), hypervisor. */
#define CPUID_HV_BASE		0x40000000

/* PAUSEs per pause_loop iteration: several ple_window (4096 cycles) on any PAUSE latency. */
#define PAUSE_BURST		1024
/* hlt_wakeup arms the timer this far ahead, so it fires while the vCPU is halted. */
#define HLT_WAKEUP_DELAY_TICKS	50000

static const char *needs_stats(const struct host_caps *c)
{
	return c->stats_fd ? NULL :
	       "KVM_GET_STATS_FD is missing, so an in-kernel exit cannot be verified";
}

static const char *needs_irqchip(const struct host_caps *c)
{
	if (!c->irqchip)
		return c->irqchip_error[0] ? c->irqchip_error :
		       "no VM with an in-kernel irqchip could be created";
	return needs_stats(c);
}

static const char *vmcall_ok(const struct host_caps *c)
{
	if (c->vmcall_hangs)
		return "a probe VMCALL/VMMCALL never completed (the watchdog stopped it): this "
		       "host does not hand hypercalls to KVM";
	return needs_stats(c);
}

/* Reads an integer module parameter; -1 when the module or parameter is absent. */
static long module_param(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Pause-loop exiting is a VMX/SVM feature KVM enables through module
 * parameters; other backends (kvm_pvm) have none, so PAUSE never exits.
 */
static const char *pause_loop_ok(const struct host_caps *c)
{
	long gap = module_param("/sys/module/kvm_intel/parameters/ple_gap");
	long cnt = module_param("/sys/module/kvm_amd/parameters/pause_filter_count");

	if (gap < 0 && cnt < 0)
		return "no pause-loop exiting: neither kvm_intel nor kvm_amd is loaded (the "
		       "KVM backend here has no PAUSE intercept)";
	if (gap == 0 || cnt == 0)
		return gap == 0 ? "pause-loop exiting is off (kvm_intel.ple_gap=0)" :
		       "pause filtering is off (kvm_amd.pause_filter_count=0)";
	return needs_stats(c);
}

const struct bench_def bench_catalog[] = {
	{ "nop", "none (timer floor)", HANDLED_NONE, 0, PAYLOAD_NOP, 0, 0,
	  CHECK_NONE, 0, "fenced TSC stamps around a NOP: the floor subtracted from every row",
	  NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 0, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0, answered by KVM in the kernel", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "pio_out_user", "IO_INSTRUCTION (KVM_EXIT_IO)", HANDLED_USER, 0, PAYLOAD_PIO_OUT,
	  BENCH_PORT, 0, CHECK_LOOP_IO, 0,
	  "OUT to an unclaimed port, completed by vmexit-bench in userspace", NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "pio_in_user", "IO_INSTRUCTION (KVM_EXIT_IO)", HANDLED_USER, 0, PAYLOAD_PIO_IN,
	  BENCH_PORT, 0, CHECK_LOOP_IO, 0,
	  "IN from an unclaimed port, completed by vmexit-bench in userspace", NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "mmio_write_user", "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)", HANDLED_USER, 0,
	  PAYLOAD_MMIO_WRITE, GPA_MMIO, 0, CHECK_LOOP_MMIO, 0,
	  "store to a guest-physical address with no memslot, completed in userspace", NULL,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "mmio_read_user", "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)", HANDLED_USER, 0,
	  PAYLOAD_MMIO_READ, GPA_MMIO, 0, CHECK_LOOP_MMIO, 0,
	  "load from a guest-physical address with no memslot, completed in userspace", NULL,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "hlt_user", "HLT (KVM_EXIT_HLT)", HANDLED_USER, NEED_CPL0, PAYLOAD_HLT, 0, 0,
	  CHECK_LOOP_HLT, 0, "HLT with no in-kernel irqchip: KVM returns to userspace", NULL,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "rdmsr_user", "MSR_READ (KVM_EXIT_X86_RDMSR)", HANDLED_USER, NEED_CPL0, PAYLOAD_RDMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_LOOP_MSR_RD, 0,
	  "RDMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: answered in userspace",
	  NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "wrmsr_user", "MSR_WRITE (KVM_EXIT_X86_WRMSR)", HANDLED_USER, NEED_CPL0, PAYLOAD_WRMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_LOOP_MSR_WR, 0,
	  "WRMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: taken in userspace",
	  NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "vmcall", "VMCALL/VMMCALL", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_VMCALL, HC_UNUSED, 0,
	  CHECK_STAT, STAT_HYPERCALLS,
	  "KVM hypercall with an unused number (VMMCALL on AMD), answered -ENOSYS in the kernel",
	  vmcall_ok, SETUP_NONE, BENCH_KIND_EXIT },
	{ "rdmsr_kernel", "MSR_READ", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_RDMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_STAT, STAT_EXITS,
	  "RDMSR of IA32_TSC_ADJUST (0x3b), emulated by KVM in the kernel", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "wrmsr_kernel", "MSR_WRITE", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_WRMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_STAT, STAT_EXITS,
	  "WRMSR of IA32_TSC_ADJUST (0x3b) with its current value, emulated in the kernel",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid_0", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 0, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0 (vendor, max leaf); the same as cpuid",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid_1", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 1, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 1 (features; KVM fills in the APIC ID)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid_b", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 0xb, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0xb subleaf 0 (x2APIC topology)", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid_d", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 0xd, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0xd subleaf 0 (XSAVE state sizes)", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "cpuid_hv", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, CPUID_HV_BASE, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0x40000000 (hypervisor signature)", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "pio_out_kernel", "IO_INSTRUCTION (ioeventfd)", HANDLED_KERNEL, 0, PAYLOAD_PIO_OUT_VAL,
	  IOEVENT_PORT, 0, CHECK_IOEVENTFD, 0,
	  "OUT to port 0x512, completed in the kernel by an ioeventfd (any value)", NULL,
	  SETUP_IOEVENTFD, BENCH_KIND_EXIT },
	{ "pio_out_kernel_datamatch", "IO_INSTRUCTION (ioeventfd)", HANDLED_KERNEL, 0,
	  PAYLOAD_PIO_OUT_VAL, IOEVENT_PORT, 0x5a5a, CHECK_IOEVENTFD, 0,
	  "OUT of 0x5a5a to port 0x512, an ioeventfd matching that value completes it", NULL,
	  SETUP_IOEVENTFD_MATCH, BENCH_KIND_EXIT },
	{ "mmio_write_kernel", "EPT_MISCONFIG/NPF (ioeventfd)", HANDLED_KERNEL, 0,
	  PAYLOAD_MMIO_WRITE_VAL, GPA_IOEVENT_MMIO, 0, CHECK_IOEVENTFD, 0,
	  "store to GPA 0xd0001000 (no memslot), completed in the kernel by an ioeventfd",
	  NULL, SETUP_IOEVENTFD, BENCH_KIND_EXIT },
	{ "mmio_write_kernel_datamatch", "EPT_MISCONFIG/NPF (ioeventfd)", HANDLED_KERNEL, 0,
	  PAYLOAD_MMIO_WRITE_VAL, GPA_IOEVENT_MMIO, 0x5a5a, CHECK_IOEVENTFD, 0,
	  "store of 0x5a5a to GPA 0xd0001000, an ioeventfd matching that value completes it",
	  NULL, SETUP_IOEVENTFD_MATCH, BENCH_KIND_EXIT },
	{ "ept_fault_in", "EPT_VIOLATION/NPF (shadow: #PF)", HANDLED_KERNEL, 0,
	  PAYLOAD_PAGE_WRITE, GPA_FRESH, 0, CHECK_PAGE_FAULT, STAT_PF_FIXED,
	  "first write to a never-touched 4 KiB page: KVM allocates and maps it", needs_stats,
	  SETUP_FRESH_PAGES, BENCH_KIND_EXIT },
	{ "ept_write_protect", "EPT_VIOLATION/NPF (shadow: #PF)", HANDLED_KERNEL, 0,
	  PAYLOAD_PAGE_WRITE, GPA_DIRTY, 0, CHECK_PAGE_FAULT, STAT_PF_FIXED,
	  "write to a page dirty logging write-protected: KVM logs it and unprotects it",
	  needs_stats, SETUP_DIRTY_LOG, BENCH_KIND_EXIT },
	{ "cr0_toggle", "CR_ACCESS (MOV to CR0)", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_CR0_TOGGLE,
	  0, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "MOV to CR0 flipping CR0.WP (guest-owned on recent KVM with EPT: may not exit)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cr4_toggle", "CR_ACCESS (MOV to CR4)", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_CR4_TOGGLE,
	  0, 0, CHECK_STAT, STAT_EXITS, "MOV to CR4 flipping CR4.PGE (flushes the TLB)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "mov_dr7", "DR_ACCESS (MOV to DR7)", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_MOV_DR7, 0, 0,
	  CHECK_PASSTHROUGH, STAT_EXITS,
	  "MOV of 0x400 to DR7 (KVM may stop intercepting DRs after the first access)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "xsetbv", "XSETBV", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_XSETBV, 0, 0,
	  CHECK_STAT, STAT_EXITS, "XSETBV writing XCR0 its own value (CR4.OSXSAVE set first)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "pause_loop", "PAUSE (pause-loop exiting)", HANDLED_KERNEL, 0, PAYLOAD_PAUSE,
	  PAUSE_BURST, 0, CHECK_STAT, STAT_EXITS,
	  "1024 PAUSEs per iteration, the PAUSEs' own time included: exits only where the "
	  "host enables pause-loop exiting", pause_loop_ok, SETUP_NONE, BENCH_KIND_LATENCY },
	{ "wbinvd", "WBINVD", HANDLED_KERNEL, NEED_CPL0 | NEED_OPT_IN, PAYLOAD_WBINVD, 0, 0,
	  CHECK_STAT, STAT_EXITS,
	  "WBINVD; opt-in: where it reaches the CPU it stalls every core for milliseconds",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "invd", "INVD", HANDLED_KERNEL, NEED_CPL0 | NEED_OPT_IN, PAYLOAD_INVD, 0, 0,
	  CHECK_STAT, STAT_EXITS,
	  "INVD; opt-in: where it reaches the CPU it discards dirty cache lines (corrupts memory)",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "rdmsr_efer", "MSR_READ", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_RDMSR, MSR_EFER, 0,
	  CHECK_STAT, STAT_EXITS, "RDMSR of EFER: intercepted and emulated in the kernel",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "rdmsr_fs_base", "MSR_READ (passed through)", HANDLED_NONE, NEED_CPL0, PAYLOAD_RDMSR,
	  MSR_FS_BASE, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "RDMSR of FS_BASE: VMX and SVM pass it through, so no exit is expected", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "wrmsr_fs_base", "MSR_WRITE (passed through)", HANDLED_NONE, NEED_CPL0, PAYLOAD_WRMSR,
	  MSR_FS_BASE, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "WRMSR of FS_BASE with its value: passed through on VMX and SVM", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "rdmsr_kernel_gs_base", "MSR_READ (passed through)", HANDLED_NONE, NEED_CPL0,
	  PAYLOAD_RDMSR, MSR_KERNEL_GS_BASE, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "RDMSR of KERNEL_GS_BASE: passed through to a 64-bit guest on VMX and SVM",
	  needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	{ "wrmsr_kernel_gs_base", "MSR_WRITE (passed through)", HANDLED_NONE, NEED_CPL0,
	  PAYLOAD_WRMSR, MSR_KERNEL_GS_BASE, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "WRMSR of KERNEL_GS_BASE with its value: passed through on VMX and SVM", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "wrmsr_ignored", "MSR_WRITE", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_WRMSR_VAL,
	  MSR_IA32_UCODE_WRITE, 0, CHECK_STAT, STAT_EXITS,
	  "WRMSR of IA32_UCODE_WRITE (0x79): KVM accepts and drops it", needs_stats, SETUP_NONE, BENCH_KIND_EXIT },
	/* The VM with an in-kernel irqchip: kept together so it is created once. */
	{ "pio_in_kernel", "IO_INSTRUCTION (in-kernel PIC)", HANDLED_KERNEL, NEED_IRQCHIP,
	  PAYLOAD_PIO_IN, PORT_PIC_ELCR, 1, CHECK_STAT, STAT_EXITS,
	  "IN of a byte from the in-kernel PIC's ELCR (port 0x4d0): a device KVM emulates",
	  needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "pio_out_kernel_pic", "IO_INSTRUCTION (in-kernel PIC)", HANDLED_KERNEL, NEED_IRQCHIP,
	  PAYLOAD_PIO_OUT, PORT_PIC_ELCR, 1, CHECK_STAT, STAT_EXITS,
	  "OUT of 0 (its reset value) to the in-kernel PIC's ELCR (port 0x4d0)",
	  needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cr8_read", "CR_ACCESS (MOV from CR8)", HANDLED_KERNEL, NEED_CPL0 | NEED_IRQCHIP,
	  PAYLOAD_CR8_READ, 0, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "MOV from CR8 (TPR) with x2APIC (no exit where the CPU shadows the TPR)",
	  needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "cr8_write", "CR_ACCESS (MOV to CR8)", HANDLED_KERNEL, NEED_CPL0 | NEED_IRQCHIP,
	  PAYLOAD_CR8_WRITE, 0, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "MOV of 0 to CR8 (TPR) with x2APIC", needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "x2apic_self_ipi", "MSR_WRITE (x2APIC SELF_IPI)", HANDLED_KERNEL,
	  NEED_CPL0 | NEED_IRQCHIP, PAYLOAD_X2APIC_SELF_IPI, 0, 0, CHECK_PASSTHROUGH,
	  STAT_EXITS, "WRMSR 0x83f: a self-IPI, taken after the interval; the guest counts "
	  "every one (no exit where APICv virtualizes it)",
	  needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "apic_eoi", "MSR_WRITE (x2APIC EOI)", HANDLED_KERNEL, NEED_CPL0 | NEED_IRQCHIP,
	  PAYLOAD_APIC_EOI, 0, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "WRMSR 0x80b ending a self-IPI that is in service (no exit with APICv's EOI "
	  "virtualization)", needs_irqchip, SETUP_NONE, BENCH_KIND_EXIT },
	{ "tsc_deadline_immediate", "MSR_WRITE (IA32_TSC_DEADLINE)", HANDLED_KERNEL,
	  NEED_CPL0 | NEED_IRQCHIP, PAYLOAD_TSC_DEADLINE_IMMED, 0, 0, CHECK_STAT, STAT_EXITS,
	  "WRMSR of a past TSC deadline: the timer fires from the exit", needs_irqchip,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "hlt_wakeup", "HLT (in-kernel)", HANDLED_KERNEL, NEED_CPL0 | NEED_IRQCHIP,
	  PAYLOAD_HLT_WAKEUP, HLT_WAKEUP_DELAY_TICKS, 0, CHECK_STAT, STAT_HALT_EXITS,
	  "HLT woken by the TSC-deadline timer; timed from the deadline to the guest running "
	  "(one stamp: half the floor subtracted)", needs_irqchip, SETUP_NONE,
	  BENCH_KIND_LATENCY },
	/* Self-tests of the failure paths; never in the default set or in 'list'. */
	{ "_no_exit", "none (a store to guest RAM)", HANDLED_NONE, HIDDEN,
	  PAYLOAD_MMIO_WRITE_VAL, GPA_IMAGE_MAX, 0, CHECK_PASSTHROUGH, STAT_EXITS,
	  "self-test: an access that does not exit is reported as 'no exit'", needs_stats,
	  SETUP_NONE, BENCH_KIND_EXIT },
	{ "_fault_ud2", "none (raises #UD)", HANDLED_NONE, HIDDEN, PAYLOAD_PROBE_UD2, 0, 0,
	  CHECK_NONE, 0, "self-test: a guest that faults", NULL, SETUP_NONE, BENCH_KIND_EXIT },
	{ "_hang", "none (spins forever)", HANDLED_NONE, HIDDEN, PAYLOAD_PROBE_SPIN, 0, 0,
	  CHECK_NONE, 0, "self-test: a guest that never reports", NULL, SETUP_NONE, BENCH_KIND_EXIT },
};

const size_t bench_catalog_size = sizeof(bench_catalog) / sizeof(bench_catalog[0]);

const struct bench_def *catalog_find(const char *name)
{
	for (size_t i = 0; i < bench_catalog_size; i++)
		if (strcmp(bench_catalog[i].name, name) == 0)
			return &bench_catalog[i];
	return NULL;
}

bool catalog_one_stamp(const struct bench_def *b)
{
	return b->payload == PAYLOAD_HLT_WAKEUP;
}

enum bench_kind catalog_kind(const struct bench_def *b)
{
	return b->payload == PAYLOAD_NOP ? BENCH_KIND_FLOOR : b->kind;
}

const char *handled_name(enum handled_in h)
{
	return h == HANDLED_KERNEL ? "kernel" : h == HANDLED_USER ? "user" : "-";
}

const char *needs_string(unsigned needs, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", needs & NEED_CPL0 ? "cpl0" : "",
		 (needs & NEED_CPL0) && (needs & (NEED_IRQCHIP | NEED_OPT_IN)) ? "," : "",
		 needs & NEED_IRQCHIP ? "irqchip" : "",
		 (needs & NEED_IRQCHIP) && (needs & NEED_OPT_IN) ? "," : "",
		 needs & NEED_OPT_IN ? "opt-in" : "");
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

const char *catalog_refusal(const struct bench_def *b, const struct host_caps *caps)
{
	if ((b->needs & NEED_OPT_IN) && !caps->allow_dangerous)
		return "opt-in only: where this instruction reaches the CPU (bare metal, a "
		       "raw VMX engine) it can stall the host or corrupt memory; pass "
		       "--allow-dangerous to run it";
	return NULL;
}
