/* SPDX-License-Identifier: MIT */
/* The catalog: one table of benchmarks, in the style of kvm-unit-tests' x86/vmexit. */
#ifndef VMEXIT_CATALOG_H
#define VMEXIT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_kind.h"
#include "control.h"
#include "run.h"
#include "run_record.h"

enum handled_in {
	HANDLED_NONE,		/* no exit: the timer floor */
	HANDLED_KERNEL,
	HANDLED_USER,
};

/* needs */
#define NEED_CPL0	(1u << 0)	/* privileged instruction: cannot run at CPL3 */
#define NEED_IRQCHIP	(1u << 1)	/* runs on the VM with an in-kernel irqchip */
#define NEED_OPT_IN	(1u << 2)	/* harmful where it reaches hardware: --allow-dangerous */
#define HIDDEN		(1u << 31)	/* self-test of the failure paths: exact name only */

/*
 * What a row's interval is: where its two stamps come from and what lies
 * between them. It decides the row's kind (BENCH_KIND_*: the table, the
 * plots and run.json keep latencies apart from exit costs), the share of
 * the timer floor subtracted, whether its phases can be split, and
 * whether --parallel can run it per vCPU.
 */
enum interval {
	INTERVAL_EXIT,		/* two stamps around one exit's round trip */
	INTERVAL_FLOOR,		/* two stamps around no exit: the timer floor (nop) */
	/*
	 * Two stamps around a burst of instructions, their own time included
	 * (pause_loop's PAUSEs): not an exit cost, but split as one.
	 */
	INTERVAL_BURST,
	/*
	 * Two stamps around several exits or a delivery, which .latency
	 * names: not split, and no vCPU of --parallel makes it alone.
	 */
	INTERVAL_LATENCY,
	/*
	 * From a TSC value the guest computed (a timer deadline) to one
	 * stamp: a wake-up latency. Only the closing stamp's share of the
	 * floor is in it, so half the floor is subtracted; not split.
	 */
	INTERVAL_ONE_STAMP,
	/*
	 * As INTERVAL_LATENCY, its two stamps from two clocks: a host
	 * thread's and the guest's (the I/O latencies), or two vCPUs' (IPI
	 * delivery). Guest TSC must equal host TSC, checked by the
	 * calibration exchange; only the opening stamp's share of the floor
	 * is subtracted.
	 */
	INTERVAL_MIXED_CLOCKS,
	/*
	 * As INTERVAL_LATENCY, the guest storing half of each interval (a
	 * round trip of two equal halves, vcpu_switch): half the floor is
	 * subtracted.
	 */
	INTERVAL_HALVED,
	INTERVAL_COUNT,
};

/* What the host prepares around a run, outside the timed loop. */
enum host_setup {
	SETUP_NONE,
	SETUP_FRESH_PAGES,	/* never-touched pages of VM_SLOT_FRESH, freed after */
	SETUP_DIRTY_LOG,	/* VM_SLOT_DIRTY pre-touched, then write-protected by the log */
	SETUP_IOEVENTFD,	/* an ioeventfd on arg0, any value */
	SETUP_IOEVENTFD_MATCH,	/* ... only for the value arg1 */
	SETUP_XAPIC,		/* the LAPIC put in xAPIC mode at 0xfee00000 (any CPL can load) */
	SETUP_IO_LATENCY_OUT,	/* a host thread blocked on an ioeventfd on port arg0 */
	SETUP_IO_LATENCY_IN,	/* a host thread writing an irqfd on GSI arg0 */
	SETUP_VCPU2,		/* vCPU 1 runs PAYLOAD_IPI_TARGET with arg0 */
	SETUP_VCPU2_SAME_CPU,	/* ... pinned to vCPU 0's host CPU, answering every IPI */
	SETUP_VCPU2_PLE,	/* vCPU 1 runs PAYLOAD_PLE_TARGET on vCPU 0's host CPU */
};

/* SETUP_IOEVENTFD*: the bus the ioeventfd listens on (arg0 is its address). */
enum io_space {
	IO_SPACE_MMIO,
	IO_SPACE_PIO,
};

/* What the host knows when deciding whether a benchmark can run. */
struct host_caps {
	bool kvm;			/* /dev/kvm usable */
	bool cpl0_emulated;		/* CPL0 guest code is emulated (measured) */
	bool stats_fd;			/* KVM_GET_STATS_FD works */
	bool amd;
	bool allow_dangerous;		/* --allow-dangerous */
	bool irqchip;			/* a VM with KVM_CREATE_IRQCHIP could be made */
	bool vmcall_hangs;		/* a probe VMCALL never completed */
	bool tcg;			/* this host is a guest of QEMU's TCG (CPUID signature) */
	bool bochs;			/* this host's CPU is Bochs's (DMI BIOS vendor) */
	unsigned host_cpus;		/* online CPUs of this host */
	/*
	 * KVM's module parameters (-1: module or parameter absent) and the
	 * host kernel's own use of XSAVE, read by probe.c, never by a
	 * predicate: the plan is decided from probed facts alone.
	 */
	long ple_gap;			/* kvm_intel.ple_gap */
	long pause_filter_count;	/* kvm_amd.pause_filter_count */
	int pml;			/* kvm_intel.pml: 1 Y, 0 N */
	int enable_pmu;			/* kvm.enable_pmu: 1 Y, 0 N */
	bool host_xsave;		/* CPUID.1:ECX.OSXSAVE of this host */
	/* The guest's CPUID (KVM_GET_SUPPORTED_CPUID) lets it write these MSRs. */
	bool spec_ctrl;			/* IA32_SPEC_CTRL.IBRS: CPUID.7.0:EDX[26] or 80000008H:EBX[14] */
	bool pred_cmd;			/* IA32_PRED_CMD.IBPB: CPUID.7.0:EDX[26] or 80000008H:EBX[12] */
	/* IA32_TSX_CTRL: CPUID.7.0:EDX[29] and KVM's IA32_ARCH_CAPABILITIES.TSX_CTRL_MSR */
	bool tsx_ctrl;
	bool arch_cap;			/* CPUID.7.0:EDX[29]: the guest has IA32_ARCH_CAPABILITIES */
	unsigned pmu_gp_counters;	/* CPUID.0AH:EAX[15:8] of the guest (Intel's vPMU) */
	bool guest_vmx;			/* CPUID.1:ECX[5]: KVM offers the guest nested VMX */
	bool guest_svm;			/* CPUID.80000001H:ECX[2]: ... nested SVM */
	char irqchip_error[256];
};

struct bench_def {
	const char *name;
	/*
	 * A second name the row answers to (pio_out_user is pio_out_user_4):
	 * selection and look-up accept it; results carry the name.
	 */
	const char *alias;
	const char *exit_reason;	/* as the hardware/KVM calls it */
	enum handled_in handled;
	unsigned needs;
	enum payload payload;
	uint64_t arg0, arg1;
	enum exit_check check;		/* what proves its exit (check_kind.h) */
	enum run_stat stat;		/* the KVM counter of the stat proofs (CHECK_STAT and kin) */
	const char *description;
	/* NULL when it can run here, else the reason it cannot. */
	const char *(*unsupported)(const struct host_caps *caps);
	enum host_setup setup;
	enum io_space io_space;		/* SETUP_IOEVENTFD* */
	/*
	 * CHECK_LOOP_*: the width in bytes every benchmark exit to userspace
	 * must have (KVM_EXIT_IO io.size, KVM_EXIT_MMIO len); 0: not checked.
	 */
	unsigned width;
	/*
	 * Runs only where a probe hypercall completes: some hosts never
	 * return from one (caps.vmcall_hangs, probed once when selected).
	 */
	bool hypercall_probe;
	/*
	 * Where QEMU's TCG, which emulates the CPU this KVM runs on, does not
	 * implement this exit: why no exit is expected there. NULL: it does.
	 */
	const char *tcg_gap;
	enum interval interval;		/* INTERVAL_EXIT unless it says otherwise */
	/*
	 * Exits each iteration makes outside its interval (the APIC payloads
	 * take their interrupt with an untimed STI;HLT): proven on top.
	 */
	unsigned untimed_exits;
	/*
	 * What the guest counted in arg1 (its payload fails the run unless it is
	 * one per iteration): printed with the proof. NULL: nothing.
	 */
	const char *guest_count;
	/* What those untimed exits are; NULL: the STI;HLT that takes an interrupt. */
	const char *untimed_what;
	/*
	 * INTERVAL_LATENCY, _MIXED_CLOCKS and _HALVED: what the interval holds,
	 * in words (phase notes); NULL for every other interval.
	 */
	const char *latency;
};

/*
 * The catalog: one flat table of benchmarks, kept in parts by family
 * (catalog_classic.c, catalog_kernel.c, catalog_irqchip.c) and read as one.
 * catalog_row(i) for i < catalog_size(), in the order of every output.
 */
size_t catalog_size(void);
const struct bench_def *catalog_row(size_t i);

/* The row named @name or aliased so; NULL if none. */
const struct bench_def *catalog_find(const char *name);
/* Whether @b answers to @pattern (fnmatch) by its name or its alias. */
bool catalog_matches(const struct bench_def *b, const char *pattern);
/* The timer floor's row (kind BENCH_KIND_FLOOR): its median is subtracted from every row. */
const struct bench_def *catalog_floor(void);
const char *handled_name(enum handled_in h);
/* The kind of @b's interval: BENCH_KIND_FLOOR for the timer floor. */
enum bench_kind catalog_kind(const struct bench_def *b);
/*
 * The share of the timer floor in @b's samples, which is subtracted: 1, or
 * 1/2 where a sample holds one of the floor's two stamps (one stamp, mixed
 * clocks) or half of both (half a round).
 */
double catalog_floor_share(const struct bench_def *b);
/*
 * Whether @b's interval holds several exits or a delivery, which its
 * .latency names (INTERVAL_LATENCY, _MIXED_CLOCKS, _HALVED): not split into
 * phases, and not run per vCPU.
 */
bool catalog_holds_several(const struct bench_def *b);
/* Whether @b's MSR goes to userspace through KVM's MSR filter (its check kind says). */
bool catalog_filters_msr(const struct bench_def *b);
/*
 * The KVM_EXIT_* @b's iterations make where its payload makes others too
 * (wrmsr_user reads the MSR first): its check kind's exit where that comes
 * through the MSR filter; 0: the run loop's default.
 */
uint32_t catalog_bench_exit(const struct bench_def *b);
/* "cpl0,irqchip,opt-in" or "-"; writes into buf. */
const char *needs_string(unsigned needs, char *buf, size_t len);
/*
 * Why @b cannot run on several vCPUs at once (--parallel), or NULL: what
 * the host prepares for it, or the guest state it uses, is one per VM.
 */
const char *catalog_parallel_why(const struct bench_def *b);
/*
 * Whether @threads busy threads (vCPUs spinning in the guest, a host thread
 * waiting for one) would share a CPU under Bochs, where no host interrupt
 * reaches a guest that makes no exit: the spinning one never gives the CPU
 * back (docs/real-kvm.md, "The Intel lane").
 */
static inline bool caps_spin_starves(const struct host_caps *c, unsigned threads)
{
	return c->bochs && c->host_cpus < threads;
}
/* Why the benchmark is not run although the host could (opt-in), or NULL. */
const char *catalog_refusal(const struct bench_def *b, const struct host_caps *caps);

#endif
