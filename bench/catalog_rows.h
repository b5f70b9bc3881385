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

/*
 * IA32_TSX_CTRL (kvm-unit-tests' wr_tsx_ctrl_msr writes 0 to it): kvm_intel
 * keeps it intercepted (a user-return MSR) where the guest has it.
 */
#define MSR_IA32_TSX_CTRL	0x122
/* The x2APIC ICR: a fixed self-IPI of VEC_SELF_IPI, shorthand self, assert. */
#define MSR_X2APIC_ICR		0x830
#define ICR_SELF_FIXED		((1u << 18) | (1u << 14) | VEC_SELF_IPI)
/* kvm-unit-tests' tscdeadline arms its deadline this far ahead. */
#define TSC_DEADLINE_SPIN_TICKS	3000
/* String I/O: REP OUTSB / INSB of one byte and of a burst. */
#define REP_IO_BURST		64
/* An address INVLPG invalidates: mapped, never touched by the guest's loops. */
#define INVLPG_ADDR		GPA_IMAGE_MAX

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
const char *other_cpu_ok(const struct host_caps *c);
const char *io_in_ok(const struct host_caps *c);
const char *io_out_ok(const struct host_caps *c);
const char *spec_ctrl_ok(const struct host_caps *c);
const char *pred_cmd_ok(const struct host_caps *c);
const char *tsx_ctrl_ok(const struct host_caps *c);
const char *rdpmc_ok(const struct host_caps *c);
const char *nested_vmx_ok(const struct host_caps *c);
const char *nested_svm_ok(const struct host_caps *c);
const char *ple_rr_ok(const struct host_caps *c);

/*
 * One of the self-IPI family (PAYLOAD_SELF_IPI, SIPI_* in arg0): every
 * interrupt is counted by the guest, one per iteration, or the run fails.
 * @untimed: exits outside the interval (an untimed STI;HLT takes the
 * interrupt); @latency: what the interval holds where it waits for the
 * delivery (any SIPI_WAIT_* but SIPI_WAIT_NONE), else NULL. APICv/AVIC
 * may virtualize all of it: "no exit".
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
		.interval = ((MODE) & SIPI_WAIT_MASK) == SIPI_WAIT_NONE ?	\
			    INTERVAL_EXIT : INTERVAL_LATENCY,			\
		.latency = LATENCY,						\
	}

/*
 * vCPU 0 sends a fixed IPI through the x2APIC ICR (with IPI_F_XAPIC: the
 * xAPIC ICR, an MMIO write, both vCPUs in xAPIC mode) to vCPU 1, which
 * runs on its own thread (SETUP_VCPU2) and counts and stamps every one.
 * With IPI_F_DELIVERY the sample is the delivery (two vCPUs' stamps:
 * mixed clocks), which @LATENCY names; else the sender's round trip
 * (@LATENCY NULL). "No exit" where the ICR write is virtualized (IPI
 * virtualization, AVIC).
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
		.unsupported = other_cpu_ok,					\
		.setup = SETUP_VCPU2,						\
		.interval = (FLAGS) & IPI_F_DELIVERY ? INTERVAL_MIXED_CLOCKS :	\
			    INTERVAL_EXIT,					\
		.latency = LATENCY,						\
	}

/* A port access of WIDTH bytes to BENCH_PORT, completed in userspace. */
#define IO_WIDTH_ROW(NAME, PAYLOAD, WIDTH, DESC) {					\
		.name = NAME,							\
		.exit_reason = "IO_INSTRUCTION (KVM_EXIT_IO)",			\
		.handled = HANDLED_USER,					\
		.payload = PAYLOAD,						\
		.arg0 = BENCH_PORT,						\
		.arg1 = WIDTH,							\
		.check = CHECK_LOOP_IO,						\
		.description = DESC,						\
		.width = WIDTH,							\
	}

/* A store of WIDTH bytes to GPA_MMIO (no memslot), completed in userspace. */
#define MMIO_WIDTH_ROW(NAME, WIDTH, DESC) {					\
		.name = NAME,							\
		.exit_reason = "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)",		\
		.handled = HANDLED_USER,					\
		.payload = PAYLOAD_MMIO_WRITE,					\
		.arg0 = GPA_MMIO,						\
		.arg1 = WIDTH,							\
		.check = CHECK_LOOP_MMIO,					\
		.description = DESC,						\
		.width = WIDTH,							\
	}

/*
 * A descriptor-table instruction at CPL0, CR4.UMIP set around the loop
 * where the guest's CPUID has UMIP. KVM intercepts these only while it
 * emulates UMIP (kvm_intel on a CPU without it: descriptor-table exiting
 * while the guest's CR4.UMIP is set); elsewhere they do not exit.
 */
#define DESC_ROW(NAME, WHICH, REASON, INSN) {					\
		.name = NAME,							\
		.exit_reason = REASON,						\
		.handled = HANDLED_KERNEL,					\
		.needs = NEED_CPL0,						\
		.payload = PAYLOAD_DESC,					\
		.arg0 = WHICH,							\
		.check = CHECK_PASSTHROUGH,					\
		.stat = STAT_EXITS,						\
		.description = INSN " at CPL0 with CR4.UMIP set where the guest has UMIP: "	\
			       "exits only where KVM emulates UMIP (descriptor-table exiting)", \
		.unsupported = needs_stats,					\
		.guest_count = "CR4.UMIP set around the loop (1; 0: the guest's CPUID " \
			       "has no UMIP)",					\
	}

/*
 * An instruction of a guest hypervisor that KVM emulates under nested
 * virtualization (VMX after VMXON, SVM with EFER.SVME). "No exit" where
 * the CPU does it for KVM (VMCS shadowing, virtual VMLOAD/VMSAVE, vGIF).
 */
#define NESTED_ROW(NAME, PAYLOAD, WHICH, OK, UNTIMED, REASON, DESC) {		\
		.untimed_what = "the STGI before each CLGI",			\
		.name = NAME,							\
		.exit_reason = REASON,						\
		.handled = HANDLED_KERNEL,					\
		.needs = NEED_CPL0,						\
		.payload = PAYLOAD,						\
		.arg0 = WHICH,							\
		.check = CHECK_PASSTHROUGH,					\
		.stat = STAT_EXITS,						\
		.description = DESC,						\
		.unsupported = OK,						\
		.untimed_exits = UNTIMED,					\
	}

#endif
