/* SPDX-License-Identifier: MIT */
#include <cpuid.h>
#include <linux/kvm.h>
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
/*
 * Speculation control. KVM intercepts IA32_SPEC_CTRL until the guest first
 * writes it non-zero and then passes it through (VMX and SVM); it passes
 * IA32_PRED_CMD through once the guest's CPUID has IBPB.
 */
#define MSR_IA32_SPEC_CTRL	0x48
#define MSR_IA32_PRED_CMD	0x49
#define SPEC_CTRL_IBRS		1
#define PRED_CMD_IBPB		1

/* CPUID leaves with something to look up: topology (0xb), XSAVE (0xd), hypervisor. */
#define CPUID_HV_BASE		0x40000000

/* PAUSEs per pause_loop iteration: several ple_window (4096 cycles) on any PAUSE latency. */
#define PAUSE_BURST		1024
/* hlt_wakeup arms the timer this far ahead, so it fires while the vCPU is halted. */
#define HLT_WAKEUP_DELAY_TICKS	50000
/* ipi_halt waits this long after vCPU 1 says it waits, so it has reached its HLT. */
#define IPI_HALT_DELAY_TICKS	100000

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

/* A boolean module parameter: 1 (Y), 0 (N), -1 when absent. */
static int module_flag(const char *path)
{
	FILE *f = fopen(path, "r");
	int ch;

	if (!f)
		return -1;
	ch = fgetc(f);
	fclose(f);
	return ch == 'Y' || ch == '1' ? 1 : ch == 'N' || ch == '0' ? 0 : -1;
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
	if (c->bochs && gap > 0)
		return "under Bochs a PAUSE is one emulated tick, so a burst of 1024 PAUSEs "
		       "(about 3,100 ticks with its loop) is shorter than kvm_intel's "
		       "ple_window (4096 by default): pause-loop exits happen only where bursts "
		       "run together, not once per iteration";
	return needs_stats(c);
}

/*
 * With PML (Page Modification Logging, kvm_intel.pml=Y) KVM dirty-logs 4 KiB
 * pages by clearing their EPT dirty bits instead of write-protecting them:
 * the CPU logs the guest's write in the PML buffer and does not exit.
 */
static const char *dirty_log_ok(const struct host_caps *c)
{
	if (module_flag("/sys/module/kvm_intel/parameters/pml") == 1)
		return "kvm_intel logs dirty pages with PML (pml=Y): the CPU records a write "
		       "to a dirty-logged page without a VM exit (kvm_intel pml=0 write-protects "
		       "instead)";
	return needs_stats(c);
}

/*
 * KVM offers the guest XSAVE only when the host kernel uses it; a kernel
 * that found the CPU's XSAVE layout inconsistent (as under Bochs's
 * AVX-512 models) turns it off, and CPUID.1:ECX.OSXSAVE tells.
 */
static const char *xsetbv_ok(const struct host_caps *c)
{
	unsigned a, b, cx, d;

	__cpuid(1, a, b, cx, d);
	if (!((cx >> 27) & 1))
		return "the host kernel does not use XSAVE (CPUID.1:ECX.OSXSAVE clear), so KVM "
		       "gives the guest no XSAVE and no XSETBV to run";
	return needs_stats(c);
}

/*
 * One of the self-IPI family (PAYLOAD_SELF_IPI, SIPI_* in arg0): every
 * interrupt is counted by the guest, one per iteration, or the run fails.
 * @untimed: exits outside the interval (an untimed STI;HLT takes the
 * interrupt); @latency: what the interval holds where it is more than one
 * exit. APICv/AVIC may virtualize all of it: "no exit".
 */
#define SELF_IPI_ROW(NAME, REASON, MODE, UNTIMED, LATENCY, DESC) {		\
		.name = NAME,							\
		.exit_reason = REASON,						\
		.handled = HANDLED_KERNEL,					\
		.needs = NEED_CPL0 | NEED_IRQCHIP,				\
		.payload = PAYLOAD_SELF_IPI,					\
		.arg0 = MODE,							\
		.check = CHECK_PASSTHROUGH,					\
		.stat = STAT_EXITS,						\
		.description = DESC,						\
		.unsupported = needs_irqchip,					\
		.untimed_exits = UNTIMED,					\
		.latency = LATENCY,						\
	}

/*
 * Between two vCPUs the stat proof rests on the waits not exiting: on
 * hardware a vCPU spinning on shared memory stays in the guest. At
 * emulated CPL0 the waits exit too (measured on kvm_pvm: 3.1 exits per
 * iteration for ipi, 0.5 for ipi_halt), so the ICR write's own exit cannot
 * be told from theirs.
 */
static const char *two_vcpus_ok(const struct host_caps *c)
{
	if (c->cpl0_emulated)
		return "CPL0 is emulated by this host, and vCPUs waiting for each other at "
		       "emulated CPL0 exit too, so the ICR write's own exit cannot be proven";
	return needs_irqchip(c);
}

/*
 * The irqfd's interrupt reaches a guest waiting at emulated CPL0 only when
 * the emulator next leaves it (measured on kvm_pvm: a median of ~8 ms over
 * 11,000 interrupts): not an I/O latency, and 11,000 of them take minutes.
 */
static const char *io_in_ok(const struct host_caps *c)
{
	if (c->cpl0_emulated)
		return "CPL0 is emulated by this host, and the irqfd's interrupt reaches a guest "
		       "waiting at emulated CPL0 only when the emulator next leaves it (~8 ms "
		       "measured), which is no I/O latency";
	return needs_irqchip(c);
}

static const char *spec_ctrl_ok(const struct host_caps *c)
{
	if (!c->spec_ctrl)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has neither SPEC_CTRL "
		       "(7.0:EDX[26]) nor AMD_IBRS (80000008H:EBX[14]): KVM refuses the guest's "
		       "IA32_SPEC_CTRL writes (#GP)";
	return needs_stats(c);
}

static const char *pred_cmd_ok(const struct host_caps *c)
{
	if (!c->pred_cmd)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has neither SPEC_CTRL "
		       "(7.0:EDX[26]) nor AMD_IBPB (80000008H:EBX[12]): KVM refuses the guest's "
		       "IA32_PRED_CMD writes (#GP)";
	return needs_stats(c);
}

/*
 * vCPU 0 sends a fixed IPI through the x2APIC ICR (with IPI_F_XAPIC: the
 * xAPIC ICR, an MMIO write, both vCPUs in xAPIC mode) to vCPU 1, which
 * runs on its own thread (SETUP_VCPU2) and counts and stamps every one.
 * Without @LATENCY the sample is the sender's round trip, else the
 * delivery (two vCPUs' stamps: mixed clocks). "No exit" where the ICR
 * write is virtualized (IPI virtualization, AVIC).
 */
#define IPI_ROW(NAME, FLAGS, DELAY, LATENCY, DESC) {				\
		.name = NAME,							\
		.exit_reason = (FLAGS) & IPI_F_XAPIC ?				\
			       "MMIO write (xAPIC ICR, to vCPU1)" :		\
			       "MSR_WRITE (x2APIC ICR, to vCPU1)",		\
		.handled = HANDLED_KERNEL,					\
		.needs = NEED_CPL0 | NEED_IRQCHIP,				\
		.payload = PAYLOAD_IPI,						\
		.arg0 = FLAGS,							\
		.arg1 = DELAY,							\
		.check = CHECK_PASSTHROUGH,					\
		.stat = STAT_EXITS,						\
		.description = DESC,						\
		.unsupported = two_vcpus_ok,					\
		.setup = SETUP_VCPU2,						\
		.latency = LATENCY,						\
		.mixed_clocks = (FLAGS) & IPI_F_DELIVERY,			\
	}

const struct bench_def bench_catalog[] = {
	{
		.name = "nop",
		.exit_reason = "none (timer floor)",
		.handled = HANDLED_NONE,
		.payload = PAYLOAD_NOP,
		.check = CHECK_NONE,
		.description = "fenced TSC stamps around a NOP: the floor subtracted from every row",
		.kind = BENCH_KIND_FLOOR,
	},
	{
		.name = "cpuid",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 0, answered by KVM in the kernel",
		.unsupported = needs_stats,
	},
	{
		.name = "pio_out_user",
		.exit_reason = "IO_INSTRUCTION (KVM_EXIT_IO)",
		.handled = HANDLED_USER,
		.payload = PAYLOAD_PIO_OUT,
		.arg0 = BENCH_PORT,
		.check = CHECK_LOOP_IO,
		.description = "OUT to an unclaimed port, completed by vmexit-bench in userspace",
	},
	{
		.name = "pio_in_user",
		.exit_reason = "IO_INSTRUCTION (KVM_EXIT_IO)",
		.handled = HANDLED_USER,
		.payload = PAYLOAD_PIO_IN,
		.arg0 = BENCH_PORT,
		.check = CHECK_LOOP_IO,
		.description = "IN from an unclaimed port, completed by vmexit-bench in userspace",
	},
	{
		.name = "mmio_write_user",
		.exit_reason = "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)",
		.handled = HANDLED_USER,
		.payload = PAYLOAD_MMIO_WRITE,
		.arg0 = GPA_MMIO,
		.check = CHECK_LOOP_MMIO,
		.description = "store to a guest-physical address with no memslot, completed in userspace",
	},
	{
		.name = "mmio_read_user",
		.exit_reason = "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)",
		.handled = HANDLED_USER,
		.payload = PAYLOAD_MMIO_READ,
		.arg0 = GPA_MMIO,
		.check = CHECK_LOOP_MMIO,
		.description = "load from a guest-physical address with no memslot, completed in userspace",
	},
	{
		.name = "hlt_user",
		.exit_reason = "HLT (KVM_EXIT_HLT)",
		.handled = HANDLED_USER,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_HLT,
		.check = CHECK_LOOP_HLT,
		.description = "HLT with no in-kernel irqchip: KVM returns to userspace",
	},
	{
		.name = "rdmsr_user",
		.exit_reason = "MSR_READ (KVM_EXIT_X86_RDMSR)",
		.handled = HANDLED_USER,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_RDMSR,
		.arg0 = MSR_IA32_TSC_ADJUST,
		.check = CHECK_LOOP_MSR_RD,
		.description = "RDMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: answered in userspace",
	},
	{
		.name = "wrmsr_user",
		.exit_reason = "MSR_WRITE (KVM_EXIT_X86_WRMSR)",
		.handled = HANDLED_USER,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR,
		.arg0 = MSR_IA32_TSC_ADJUST,
		.check = CHECK_LOOP_MSR_WR,
		.description = "WRMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: taken in userspace",
	},
	{
		.name = "vmcall",
		.exit_reason = "VMCALL/VMMCALL",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_VMCALL,
		.hypercall_probe = true,
		.arg0 = HC_UNUSED,
		.check = CHECK_STAT,
		.stat = STAT_HYPERCALLS,
		.description = "KVM hypercall with an unused number (VMMCALL on AMD), answered -ENOSYS in the kernel",
		.unsupported = vmcall_ok,
	},
	{
		.name = "rdmsr_kernel",
		.exit_reason = "MSR_READ",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_RDMSR,
		.arg0 = MSR_IA32_TSC_ADJUST,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "RDMSR of IA32_TSC_ADJUST (0x3b), emulated by KVM in the kernel",
		.unsupported = needs_stats,
	},
	{
		.name = "wrmsr_kernel",
		.exit_reason = "MSR_WRITE",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR,
		.arg0 = MSR_IA32_TSC_ADJUST,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "WRMSR of IA32_TSC_ADJUST (0x3b) with its current value, emulated in the kernel",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_0",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 0 (vendor, max leaf); the same as cpuid",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_1",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.arg0 = 1,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 1 (features; KVM fills in the APIC ID)",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_7",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.arg0 = 0x7,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 7 subleaf 0 (structured extended features)",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_b",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.arg0 = 0xb,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 0xb subleaf 0 (x2APIC topology)",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_d",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.arg0 = 0xd,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 0xd subleaf 0 (XSAVE state sizes)",
		.unsupported = needs_stats,
	},
	{
		.name = "cpuid_hv",
		.exit_reason = "CPUID",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_CPUID,
		.arg0 = CPUID_HV_BASE,
		.check = CHECK_CPUID,
		.stat = STAT_EXITS,
		.description = "CPUID leaf 0x40000000 (hypervisor signature)",
		.unsupported = needs_stats,
	},
	{
		.name = "pio_out_kernel",
		.exit_reason = "IO_INSTRUCTION (ioeventfd)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_PIO_OUT_VAL,
		.arg0 = IOEVENT_PORT,
		.check = CHECK_IOEVENTFD,
		.description = "OUT to port 0x512, completed in the kernel by an ioeventfd (any value)",
		.setup = SETUP_IOEVENTFD,
		.io_space = IO_SPACE_PIO,
	},
	{
		.name = "pio_out_kernel_datamatch",
		.exit_reason = "IO_INSTRUCTION (ioeventfd)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_PIO_OUT_VAL,
		.arg0 = IOEVENT_PORT,
		.arg1 = 0x5a5a,
		.check = CHECK_IOEVENTFD,
		.description = "OUT of 0x5a5a to port 0x512, an ioeventfd matching that value completes it",
		.setup = SETUP_IOEVENTFD_MATCH,
		.io_space = IO_SPACE_PIO,
	},
	{
		.name = "mmio_write_kernel",
		.exit_reason = "EPT_MISCONFIG/NPF (ioeventfd)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_MMIO_WRITE_VAL,
		.arg0 = GPA_IOEVENT_MMIO,
		.check = CHECK_IOEVENTFD,
		.description = "store to GPA 0xd0001000 (no memslot), completed in the kernel by an ioeventfd",
		.setup = SETUP_IOEVENTFD,
	},
	{
		.name = "mmio_write_kernel_datamatch",
		.exit_reason = "EPT_MISCONFIG/NPF (ioeventfd)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_MMIO_WRITE_VAL,
		.arg0 = GPA_IOEVENT_MMIO,
		.arg1 = 0x5a5a,
		.check = CHECK_IOEVENTFD,
		.description = "store of 0x5a5a to GPA 0xd0001000, an ioeventfd matching that value completes it",
		.setup = SETUP_IOEVENTFD_MATCH,
	},
	{
		.name = "ept_fault_in",
		.exit_reason = "EPT_VIOLATION/NPF (shadow: #PF)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_PAGE_WRITE,
		.arg0 = GPA_FRESH,
		.check = CHECK_PAGE_FAULT,
		.stat = STAT_PF_FIXED,
		.description = "first write to a never-touched 4 KiB page: KVM allocates and maps it",
		.unsupported = needs_stats,
		.setup = SETUP_FRESH_PAGES,
	},
	{
		.name = "ept_write_protect",
		.exit_reason = "EPT_VIOLATION/NPF (shadow: #PF)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_PAGE_WRITE,
		.arg0 = GPA_DIRTY,
		.check = CHECK_PAGE_FAULT,
		.stat = STAT_PF_FIXED,
		.description = "write to a page dirty logging write-protected: KVM logs it and unprotects it",
		.unsupported = dirty_log_ok,
		.setup = SETUP_DIRTY_LOG,
	},
	{
		.name = "cr0_toggle",
		.exit_reason = "CR_ACCESS (MOV to CR0)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_CR0_TOGGLE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV to CR0 flipping CR0.WP (guest-owned on recent KVM with EPT: may not exit)",
		.unsupported = needs_stats,
	},
	{
		.name = "cr4_toggle",
		.exit_reason = "CR_ACCESS (MOV to CR4)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_CR4_TOGGLE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV to CR4 flipping CR4.PGE (flushes the TLB; guest-owned on kvm_intel "
			       "with EPT: does not exit)",
		.unsupported = needs_stats,
	},
	{
		.name = "mov_dr7",
		.exit_reason = "DR_ACCESS (MOV to DR7)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_MOV_DR7,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV of 0x400 to DR7 (KVM may stop intercepting DRs after the first access)",
		.unsupported = needs_stats,
	},
	{
		.name = "xsetbv",
		.exit_reason = "XSETBV",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_XSETBV,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "XSETBV writing XCR0 its own value (CR4.OSXSAVE set first)",
		.unsupported = xsetbv_ok,
		.tcg_gap = "QEMU's TCG does not implement SVM's XSETBV intercept (its target/i386/svm.h "
			   "defines no SVM_EXIT_XSETBV and helper_xsetbv checks no intercept), so KVM never "
			   "sees the guest's XSETBV",
	},
	{
		.name = "pause_loop",
		.exit_reason = "PAUSE (pause-loop exiting)",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_PAUSE,
		.arg0 = PAUSE_BURST,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "1024 PAUSEs per iteration, the PAUSEs' own time included: exits only where the "
			   "host enables pause-loop exiting",
		.unsupported = pause_loop_ok,
		.kind = BENCH_KIND_LATENCY,
	},
	{
		.name = "wbinvd",
		.exit_reason = "WBINVD",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_OPT_IN,
		.payload = PAYLOAD_WBINVD,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "WBINVD; opt-in: where it reaches the CPU it stalls every core for milliseconds",
		.unsupported = needs_stats,
	},
	{
		.name = "invd",
		.exit_reason = "INVD",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_OPT_IN,
		.payload = PAYLOAD_INVD,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "INVD; opt-in: where it reaches the CPU it discards dirty cache lines (corrupts memory)",
		.unsupported = needs_stats,
	},
	{
		.name = "rdmsr_efer",
		.exit_reason = "MSR_READ",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_RDMSR,
		.arg0 = MSR_EFER,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "RDMSR of EFER: intercepted and emulated in the kernel",
		.unsupported = needs_stats,
	},
	{
		.name = "rdmsr_fs_base",
		.exit_reason = "MSR_READ (passed through)",
		.handled = HANDLED_NONE,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_RDMSR,
		.arg0 = MSR_FS_BASE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "RDMSR of FS_BASE: VMX and SVM pass it through, so no exit is expected",
		.unsupported = needs_stats,
	},
	{
		.name = "wrmsr_fs_base",
		.exit_reason = "MSR_WRITE (passed through)",
		.handled = HANDLED_NONE,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR,
		.arg0 = MSR_FS_BASE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR of FS_BASE with its value: passed through on VMX and SVM",
		.unsupported = needs_stats,
	},
	{
		.name = "rdmsr_kernel_gs_base",
		.exit_reason = "MSR_READ (passed through)",
		.handled = HANDLED_NONE,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_RDMSR,
		.arg0 = MSR_KERNEL_GS_BASE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "RDMSR of KERNEL_GS_BASE: passed through to a 64-bit guest on VMX and SVM",
		.unsupported = needs_stats,
	},
	{
		.name = "wrmsr_kernel_gs_base",
		.exit_reason = "MSR_WRITE (passed through)",
		.handled = HANDLED_NONE,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR,
		.arg0 = MSR_KERNEL_GS_BASE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR of KERNEL_GS_BASE with its value: passed through on VMX and SVM",
		.unsupported = needs_stats,
	},
	{
		.name = "wrmsr_ignored",
		.exit_reason = "MSR_WRITE",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR_VAL,
		.arg0 = MSR_IA32_UCODE_WRITE,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "WRMSR of IA32_UCODE_WRITE (0x79): KVM accepts and drops it",
		.unsupported = needs_stats,
	},
	{
		.name = "wrmsr_spec_ctrl",
		.exit_reason = "MSR_WRITE (IA32_SPEC_CTRL)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR_ALT,
		.arg0 = MSR_IA32_SPEC_CTRL,
		.arg1 = SPEC_CTRL_IBRS,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR of IA32_SPEC_CTRL (0x48) setting and clearing IBRS in turn "
			   "(kvm-unit-tests' wr_ibrs_msr); no exit once KVM passes it through",
		.unsupported = spec_ctrl_ok,
	},
	{
		.name = "wrmsr_pred_cmd",
		.exit_reason = "MSR_WRITE (IA32_PRED_CMD)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0,
		.payload = PAYLOAD_WRMSR_VAL,
		.arg0 = MSR_IA32_PRED_CMD,
		.arg1 = PRED_CMD_IBPB,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR of IBPB to IA32_PRED_CMD (0x49), an indirect-branch barrier "
			   "(kvm-unit-tests' wr_ibpb_msr); no exit where KVM passes it through",
		.unsupported = pred_cmd_ok,
	},
	/* The VM with an in-kernel irqchip: kept together so it is created once. */
	{
		.name = "pio_in_kernel",
		.exit_reason = "IO_INSTRUCTION (in-kernel PIC)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_PIO_IN,
		.arg0 = PORT_PIC_ELCR,
		.arg1 = 1,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "IN of a byte from the in-kernel PIC's ELCR (port 0x4d0): a device KVM emulates",
		.unsupported = needs_irqchip,
	},
	{
		.name = "pio_out_kernel_pic",
		.exit_reason = "IO_INSTRUCTION (in-kernel PIC)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_PIO_OUT,
		.arg0 = PORT_PIC_ELCR,
		.arg1 = 1,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "OUT of 0 (its reset value) to the in-kernel PIC's ELCR (port 0x4d0)",
		.unsupported = needs_irqchip,
	},
	{
		.name = "cr8_read",
		.exit_reason = "CR_ACCESS (MOV from CR8)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_CR8_READ,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV from CR8 (TPR) with x2APIC (no exit where the CPU shadows the TPR)",
		.unsupported = needs_irqchip,
	},
	{
		.name = "cr8_write",
		.exit_reason = "CR_ACCESS (MOV to CR8)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_CR8_WRITE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV of 0 to CR8 (TPR) with x2APIC",
		.unsupported = needs_irqchip,
	},
	{
		.name = "x2apic_self_ipi",
		.exit_reason = "MSR_WRITE (x2APIC SELF_IPI)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_X2APIC_SELF_IPI,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR 0x83f: a self-IPI, taken after the interval; the guest counts "
			   "every one (no exit where APICv virtualizes it)",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "apic_eoi",
		.exit_reason = "MSR_WRITE (x2APIC EOI)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_APIC_EOI,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR 0x80b ending a self-IPI that is in service (no exit with APICv's EOI "
			   "virtualization)",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "tsc_deadline_immediate",
		.exit_reason = "MSR_WRITE (IA32_TSC_DEADLINE)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_TSC_DEADLINE_IMMED,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "WRMSR of a past TSC deadline: the timer fires from the exit",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "hlt_wakeup",
		.exit_reason = "HLT (in-kernel)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_HLT_WAKEUP,
		.arg0 = HLT_WAKEUP_DELAY_TICKS,
		.check = CHECK_STAT,
		.stat = STAT_HALT_EXITS,
		.description = "HLT woken by the TSC-deadline timer; timed from the deadline to the guest running "
			   "(one stamp: half the floor subtracted)",
		.unsupported = needs_irqchip,
		.one_stamp = true,
		.kind = BENCH_KIND_LATENCY,
	},
	/* The xAPIC register read and the self-IPI family of kvm-unit-tests' x86/vmexit. */
	{
		.name = "apic_mmio_read",
		.exit_reason = "NPF/EPT (xAPIC MMIO read)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_APIC_MMIO_READ,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "load of the xAPIC version register (0xfee00030), answered by KVM's "
			   "in-kernel LAPIC: the interrupt-controller trap (no exit where APICv/AVIC "
			   "virtualizes it)",
		.unsupported = needs_irqchip,
		.setup = SETUP_XAPIC,
	},
	SELF_IPI_ROW("xapic_self_ipi", "MMIO write (xAPIC ICR)", SIPI_WAIT_NONE, 1, NULL,
		     "xAPIC ICR write of a fixed self-IPI (shorthand self); the interrupt is taken "
		     "after the interval and counted"),
	SELF_IPI_ROW("self_ipi_sti_nop", "xAPIC ICR write + delivery", SIPI_WAIT_STI_NOP, 0,
		     "the ICR write and the interrupt's delivery in a STI;NOP window (its xAPIC EOI "
		     "included)",
		     "xAPIC self-IPI, then STI;NOP takes it: kvm-unit-tests' self_ipi_sti_nop"),
	SELF_IPI_ROW("self_ipi_sti_hlt", "xAPIC ICR write, HLT, delivery",
		     SIPI_WAIT_STI_HLT, 0,
		     "the ICR write, STI;HLT and the interrupt's delivery (its xAPIC EOI included)",
		     "xAPIC self-IPI, then STI;HLT takes it"),
	SELF_IPI_ROW("self_ipi_tpr", "xAPIC TPR/ICR/TPR + delivery",
		     SIPI_TPR | SIPI_WAIT_IF, 0,
		     "TPR raised over the vector, the ICR write, the TPR drop that unmasks it and "
		     "the delivery that follows with IF=1 (its xAPIC EOI included)",
		     "xAPIC self-IPI held back by the TPR (0x40 over vector 0x41), released by "
		     "dropping it with interrupts on"),
	SELF_IPI_ROW("self_ipi_tpr_sti_nop", "xAPIC TPR/ICR/TPR + delivery",
		     SIPI_TPR | SIPI_WAIT_STI_NOP, 0,
		     "TPR raise, ICR write, TPR drop, then the delivery in a STI;NOP window",
		     "as self_ipi_tpr with IF=0, taken by STI;NOP"),
	SELF_IPI_ROW("self_ipi_tpr_sti_hlt", "xAPIC TPR/ICR/TPR, HLT, delivery",
		     SIPI_TPR | SIPI_WAIT_STI_HLT, 0,
		     "TPR raise, ICR write, TPR drop, then STI;HLT and the delivery",
		     "as self_ipi_tpr with IF=0, taken by STI;HLT"),
	SELF_IPI_ROW("x2apic_self_ipi_sti_nop", "x2APIC SELF_IPI write + delivery",
		     SIPI_X2APIC | SIPI_WAIT_STI_NOP, 0,
		     "the SELF_IPI write and the delivery in a STI;NOP window (its x2APIC EOI "
		     "included)",
		     "x2APIC self-IPI, then STI;NOP takes it"),
	SELF_IPI_ROW("x2apic_self_ipi_sti_hlt", "x2APIC SELF_IPI, HLT, delivery",
		     SIPI_X2APIC | SIPI_WAIT_STI_HLT, 0,
		     "the SELF_IPI write, STI;HLT and the delivery (its x2APIC EOI included)",
		     "x2APIC self-IPI, then STI;HLT takes it"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr", "x2APIC TPR/SELF_IPI/TPR+delivery",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_IF, 0,
		     "TPR raise, SELF_IPI write, TPR drop and the delivery with IF=1",
		     "x2APIC self-IPI held back by the TPR, released with interrupts on"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr_sti_nop", "x2APIC TPR/SELF_IPI/TPR+delivery",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_NOP, 0,
		     "TPR raise, SELF_IPI write, TPR drop, then the delivery in a STI;NOP window",
		     "as x2apic_self_ipi_tpr with IF=0, taken by STI;NOP"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr_sti_hlt", "x2APIC TPR/SELF_IPI/TPR + HLT",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_HLT, 0,
		     "TPR raise, SELF_IPI write, TPR drop, then STI;HLT and the delivery",
		     "as x2apic_self_ipi_tpr with IF=0, taken by STI;HLT"),
	/* The papers' I/O Latency Out and In: a host thread at the other end of an eventfd. */
	{
		.name = "io_latency_out",
		.exit_reason = "OUT (ioeventfd) -> host thread",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_IO_LATENCY_OUT,
		.arg0 = IOEVENT_PORT,
		.check = CHECK_LATENCY,
		.description = "guest stamp, OUT to an ioeventfd port, until the host thread blocked "
			   "on that eventfd runs (its stamp after read() returns): I/O Latency Out",
		.setup = SETUP_IO_LATENCY_OUT,
		.latency = "the OUT's exit, KVM signalling the ioeventfd and the wake-up of the host "
			   "thread blocked on it, up to its stamp after read() returns",
		.mixed_clocks = true,
	},
	{
		.name = "io_latency_in",
		.exit_reason = "irqfd -> IOAPIC -> guest handler",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_IO_LATENCY_IN,
		.arg0 = IOLAT_GSI,
		.check = CHECK_LATENCY,
		.description = "host stamp, then a write to an irqfd (KVM_IRQFD, GSI 20), until the "
			   "running guest's interrupt handler stamps: I/O Latency In",
		.unsupported = io_in_ok,
		.setup = SETUP_IO_LATENCY_IN,
		.latency = "the host thread's irqfd write, KVM routing it through the IOAPIC to the "
			   "LAPIC, the kick of the running vCPU and the injection, up to the first "
			   "instructions of the guest's handler",
		.mixed_clocks = true,
	},
	/* Two vCPUs: the papers' Virtual IPI, the sender's exit and the delivery. */
	IPI_ROW("ipi", 0, 0, NULL,
		"x2APIC ICR write of a fixed IPI from vCPU 0 to vCPU 1, which spins with IF=1: "
		"the sender's round trip"),
	IPI_ROW("ipi_delivery", IPI_F_DELIVERY, 0,
		"the sender's ICR write exit, KVM's delivery to the other vCPU (a kick out of "
		"guest mode on another host CPU) and the injection, up to the first instructions "
		"of the target's handler",
		"as ipi, timed from the sender's stamp before the write to the target's handler: "
		"Virtual IPI"),
	IPI_ROW("ipi_halt", IPI_F_HALT, IPI_HALT_DELAY_TICKS, NULL,
		"as ipi with vCPU 1 waiting in HLT: the sender's round trip, the wake-up included"),
	IPI_ROW("ipi_halt_delivery", IPI_F_HALT | IPI_F_DELIVERY, IPI_HALT_DELAY_TICKS,
		"the sender's exit, the wake-up of the halted vCPU's thread on another host CPU "
		"and the injection, up to the first instructions of the target's handler",
		"as ipi_halt, timed from the sender's stamp to the halted target's handler"),
	/* The same four in xAPIC mode: the ICR is MMIO at 0xfee00300, EOI at 0xfee000b0. */
	IPI_ROW("xapic_ipi", IPI_F_XAPIC, 0, NULL,
		"xAPIC ICR write (MMIO, destination in ICR2) of a fixed IPI from vCPU 0 to vCPU 1, "
		"which spins with IF=1: the sender's round trip"),
	IPI_ROW("xapic_ipi_delivery", IPI_F_XAPIC | IPI_F_DELIVERY, 0,
		"the sender's xAPIC ICR write exit, KVM's delivery to the other vCPU (a kick out "
		"of guest mode on another host CPU) and the injection, up to the first "
		"instructions of the target's handler",
		"as xapic_ipi, timed from the sender's stamp before the write to the target's "
		"handler"),
	IPI_ROW("xapic_ipi_halt", IPI_F_XAPIC | IPI_F_HALT, IPI_HALT_DELAY_TICKS, NULL,
		"as xapic_ipi with vCPU 1 waiting in HLT: the sender's round trip, the wake-up "
		"included"),
	IPI_ROW("xapic_ipi_halt_delivery", IPI_F_XAPIC | IPI_F_HALT | IPI_F_DELIVERY,
		IPI_HALT_DELAY_TICKS,
		"the sender's xAPIC ICR write exit, the wake-up of the halted vCPU's thread on "
		"another host CPU and the injection, up to the first instructions of the target's "
		"handler",
		"as xapic_ipi_halt, timed from the sender's stamp to the halted target's handler"),
	{
		.name = "vcpu_switch",
		.exit_reason = "IPI + HLT, 2 vCPUs on 1 host CPU",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_VCPU_SWITCH,
		.arg0 = IPI_F_HALT | IPI_F_PONG,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "two vCPUs on one host CPU hand it back and forth (IPI, then HLT): "
			   "half a round trip, one switch (VM Switch)",
		.unsupported = needs_irqchip,
		.setup = SETUP_VCPU2_SAME_CPU,
		.latency = "one switch between two vCPUs sharing a host CPU: half of a round of an "
			   "IPI, a HLT, the host scheduler's switch to the other vCPU's thread and "
			   "the injection, twice",
		.halved = true,
	},
	/* Self-tests of the failure paths; never in the default set or in 'list'. */
	{
		.name = "_no_exit",
		.exit_reason = "none (a store to guest RAM)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_MMIO_WRITE_VAL,
		.arg0 = GPA_IMAGE_MAX,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "self-test: an access that does not exit is reported as 'no exit'",
		.unsupported = needs_stats,
	},
	{
		.name = "_fault_ud2",
		.exit_reason = "none (raises #UD)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_PROBE_UD2,
		.check = CHECK_NONE,
		.description = "self-test: a guest that faults",
	},
	{
		.name = "_hang",
		.exit_reason = "none (spins forever)",
		.handled = HANDLED_NONE,
		.needs = HIDDEN,
		.payload = PAYLOAD_PROBE_SPIN,
		.check = CHECK_NONE,
		.description = "self-test: a guest that never reports",
	},
};

const size_t bench_catalog_size = sizeof(bench_catalog) / sizeof(bench_catalog[0]);

const struct bench_def *catalog_find(const char *name)
{
	for (size_t i = 0; i < bench_catalog_size; i++)
		if (strcmp(bench_catalog[i].name, name) == 0)
			return &bench_catalog[i];
	return NULL;
}

const struct bench_def *catalog_floor(void)
{
	for (size_t i = 0; i < bench_catalog_size; i++)
		if (catalog_kind(&bench_catalog[i]) == BENCH_KIND_FLOOR)
			return &bench_catalog[i];
	return NULL;
}

bool catalog_one_stamp(const struct bench_def *b)
{
	return b->one_stamp || b->mixed_clocks || b->halved;
}

enum bench_kind catalog_kind(const struct bench_def *b)
{
	/* A row that says what its latency holds is a latency, whatever .kind says. */
	return b->latency ? BENCH_KIND_LATENCY : b->kind;
}

bool catalog_filters_msr(const struct bench_def *b)
{
	return b->check == CHECK_LOOP_MSR_RD || b->check == CHECK_LOOP_MSR_WR;
}

uint32_t catalog_bench_exit(const struct bench_def *b)
{
	return b->check == CHECK_LOOP_MSR_RD ? KVM_EXIT_X86_RDMSR :
	       b->check == CHECK_LOOP_MSR_WR ? KVM_EXIT_X86_WRMSR : 0;
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
