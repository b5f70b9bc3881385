/* SPDX-License-Identifier: MIT */
/* The catalog's host predicates: why a row cannot run here, read off the host. */

#include "catalog_rows.h"

const char *needs_stats(const struct host_caps *c)
{
	return c->stats_fd ? NULL :
	       "KVM_GET_STATS_FD is missing, so an in-kernel exit cannot be verified";
}

const char *needs_irqchip(const struct host_caps *c)
{
	if (!c->irqchip)
		return c->irqchip_error[0] ? c->irqchip_error :
		       "no VM with an in-kernel irqchip could be created";
	return needs_stats(c);
}

const char *vmcall_ok(const struct host_caps *c)
{
	if (c->vmcall_hangs)
		return "a probe VMCALL/VMMCALL never completed (the watchdog stopped it): this "
		       "host does not hand hypercalls to KVM";
	return needs_stats(c);
}

/*
 * Pause-loop exiting is a VMX/SVM feature KVM enables through module
 * parameters; other backends (kvm_pvm) have none, so PAUSE never exits.
 */
const char *pause_loop_ok(const struct host_caps *c)
{
	long gap = c->ple_gap, cnt = c->pause_filter_count;

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
const char *dirty_log_ok(const struct host_caps *c)
{
	if (c->pml == 1)
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
const char *xsetbv_ok(const struct host_caps *c)
{
	if (!c->host_xsave)
		return "the host kernel does not use XSAVE (CPUID.1:ECX.OSXSAVE clear), so KVM "
		       "gives the guest no XSAVE and no XSETBV to run";
	return needs_stats(c);
}


/*
 * Between two vCPUs the stat proof rests on the waits not exiting: on
 * hardware a vCPU spinning on shared memory stays in the guest. At
 * emulated CPL0 the waits exit too (measured on kvm_pvm: 3.1 exits per
 * iteration for ipi, 0.5 for ipi_halt), so the ICR write's own exit cannot
 * be told from theirs.
 */
const char *two_vcpus_ok(const struct host_caps *c)
{
	if (c->cpl0_emulated)
		return "CPL0 is emulated by this host, and vCPUs waiting for each other at "
		       "emulated CPL0 exit too, so the ICR write's own exit cannot be proven";
	return needs_irqchip(c);
}

/*
 * The IPI rows time a delivery to vCPU 1 running on another host CPU:
 * with one CPU there is none, and vCPU 1's thread, spinning in the guest
 * for the IPI, gives the CPU back only when the host preempts it (a
 * scheduler time slice, not an IPI; under Bochs never, since no host
 * interrupt reaches a guest that makes no exit: the whole default catalog
 * stalled in `ipi` as in io_latency_out).
 */
const char *other_cpu_ok(const struct host_caps *c)
{
	if (c->host_cpus == 1)
		return "vCPU 1 must run on another host CPU than vCPU 0, and this host has one "
		       "CPU: the delivery would wait for the host to preempt vCPU 1's spin";
	return two_vcpus_ok(c);
}

/*
 * The irqfd's interrupt reaches a guest waiting at emulated CPL0 only when
 * the emulator next leaves it (measured on kvm_pvm: a median of ~8 ms over
 * 11,000 interrupts): not an I/O latency, and 11,000 of them take minutes.
 */
const char *io_in_ok(const struct host_caps *c)
{
	if (c->cpl0_emulated)
		return "CPL0 is emulated by this host, and the irqfd's interrupt reaches a guest "
		       "waiting at emulated CPL0 only when the emulator next leaves it (~8 ms "
		       "measured), which is no I/O latency";
	return needs_irqchip(c);
}

/*
 * The guest spins until the host thread has stamped; with one CPU that
 * thread runs only when the host preempts the vCPU. Under Bochs it never
 * does: no host interrupt reaches a guest that runs without exiting (its
 * timer's and the tool's watchdog's included), and this spin makes no exit
 * (Bochs 2.7, kvm_intel of Linux 6.1, one CPU: the log shows no VM entry
 * after the first OUT, in every boot; a PAUSE loop at CPL3 is not stopped
 * by the watchdog either, while at CPL0, where its PAUSEs exit, it is).
 */
const char *io_out_ok(const struct host_caps *c)
{
	if (caps_spin_starves(c, 2))
		return "the host thread would share the vCPU's only CPU, and under Bochs the "
		       "guest's spin on its acknowledgement then never ends: no host interrupt "
		       "reaches a guest that makes no exit (docs/real-kvm.md, \"The Intel lane\")";
	return NULL;
}

const char *spec_ctrl_ok(const struct host_caps *c)
{
	if (!c->spec_ctrl)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has neither SPEC_CTRL "
		       "(7.0:EDX[26]) nor AMD_IBRS (80000008H:EBX[14]): KVM refuses the guest's "
		       "IA32_SPEC_CTRL writes (#GP)";
	return needs_stats(c);
}

const char *pred_cmd_ok(const struct host_caps *c)
{
	if (!c->pred_cmd)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has neither SPEC_CTRL "
		       "(7.0:EDX[26]) nor AMD_IBPB (80000008H:EBX[12]): KVM refuses the guest's "
		       "IA32_PRED_CMD writes (#GP)";
	return needs_stats(c);
}

const char *tsx_ctrl_ok(const struct host_caps *c)
{
	if (!c->arch_cap)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has no ARCH_CAPABILITIES "
		       "(7.0:EDX[29]), so it has no IA32_TSX_CTRL: KVM would answer the write "
		       "with #GP";
	if (!c->tsx_ctrl)
		return "KVM's IA32_ARCH_CAPABILITIES (its feature MSR, the guest's value) does "
		       "not say TSX_CTRL_MSR (bit 7): the host CPU has no IA32_TSX_CTRL to "
		       "give the guest, and KVM would answer the write with #GP";
	return needs_stats(c);
}

/*
 * KVM answers RDPMC from its vPMU; without one (kvm.enable_pmu=N, which
 * KVM also sets itself where the host's perf has no PMU it can use) every
 * counter index is invalid and the guest gets #GP, not a number.
 */
const char *rdpmc_ok(const struct host_caps *c)
{
	if (c->enable_pmu == 0)
		return "KVM's vPMU is off (kvm.enable_pmu=N: KVM turns it off where the host "
		       "kernel's perf has no PMU it can use), so the guest has no counter and "
		       "KVM answers its RDPMC with #GP";
	if (!c->amd && !c->pmu_gp_counters)
		return "the guest's CPUID leaf 0xA (KVM_GET_SUPPORTED_CPUID) lists no "
		       "general-purpose counter, so KVM answers RDPMC of counter 0 with #GP";
	return needs_stats(c);
}

/*
 * KVM puts VMX (SVM) in the guest's supported CPUID only with nested
 * virtualization on: kvm_intel nested=1 (kvm_amd nested=1), the default.
 */
const char *nested_vmx_ok(const struct host_caps *c)
{
	if (c->amd)
		return "VMX instructions need kvm_intel: this host's KVM is kvm_amd (its "
		       "nested guests run SVM's VMLOAD/VMSAVE/STGI/CLGI instead)";
	if (!c->guest_vmx)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has no VMX: KVM offers "
		       "nested VMX only with kvm_intel nested=1";
	return needs_stats(c);
}

const char *nested_svm_ok(const struct host_caps *c)
{
	if (!c->amd)
		return "SVM instructions need kvm_amd: this host's KVM is kvm_intel (its "
		       "nested guests run VMX's VMREAD/VMWRITE/VMPTRLD/VMCLEAR instead)";
	if (!c->guest_svm)
		return "the guest's CPUID (KVM_GET_SUPPORTED_CPUID) has no SVM: KVM offers "
		       "nested SVM only with kvm_amd nested=1";
	return needs_stats(c);
}

/*
 * ple_round_robin needs pause-loop exiting (its point) and two vCPUs whose
 * waits do not exit by themselves (not at emulated CPL0). Unlike
 * pause_loop, its spins last until the other vCPU runs, so Bochs's short
 * PAUSEs do cross ple_window.
 */
const char *ple_rr_ok(const struct host_caps *c)
{
	long gap = c->ple_gap, cnt = c->pause_filter_count;

	if (gap < 0 && cnt < 0)
		return "no pause-loop exiting: neither kvm_intel nor kvm_amd is loaded (the "
		       "KVM backend here has no PAUSE intercept)";
	if (gap == 0 || cnt == 0)
		return gap == 0 ? "pause-loop exiting is off (kvm_intel.ple_gap=0)" :
		       "pause filtering is off (kvm_amd.pause_filter_count=0)";
	return two_vcpus_ok(c);
}
