/* SPDX-License-Identifier: MIT */
/*
 * What the catalog's rows are written with: the constants they pass their
 * payloads, the host predicates that say why a row cannot run here
 * (catalog_host.c), and the row macros of the families with many members.
 * Only the catalog_*.c files include this.
 */
#ifndef VMEXIT_CATALOG_ROWS_H
#define VMEXIT_CATALOG_ROWS_H

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

/* Why a row cannot run on this host, or NULL (catalog_host.c). */
const char *needs_stats(const struct host_caps *c);
const char *needs_irqchip(const struct host_caps *c);
const char *vmcall_ok(const struct host_caps *c);
const char *pause_loop_ok(const struct host_caps *c);
const char *dirty_log_ok(const struct host_caps *c);
const char *xsetbv_ok(const struct host_caps *c);
const char *two_vcpus_ok(const struct host_caps *c);
const char *io_in_ok(const struct host_caps *c);
const char *spec_ctrl_ok(const struct host_caps *c);
const char *pred_cmd_ok(const struct host_caps *c);

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

#endif
