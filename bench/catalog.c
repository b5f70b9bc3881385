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

static const char *needs_stats(const struct host_caps *c)
{
	return c->stats_fd ? NULL :
	       "KVM_GET_STATS_FD is missing, so an in-kernel exit cannot be verified";
}

const struct bench_def bench_catalog[] = {
	{ "nop", "none (timer floor)", HANDLED_NONE, 0, PAYLOAD_NOP, 0, 0,
	  CHECK_NONE, 0, "fenced TSC stamps around a NOP: the floor subtracted from every row", NULL },
	{ "cpuid", "CPUID", HANDLED_KERNEL, 0, PAYLOAD_CPUID, 0, 0,
	  CHECK_CPUID, STAT_EXITS, "CPUID leaf 0, answered by KVM in the kernel", needs_stats },
	{ "pio_out_user", "IO_INSTRUCTION (KVM_EXIT_IO)", HANDLED_USER, 0, PAYLOAD_PIO_OUT,
	  BENCH_PORT, 0, CHECK_LOOP_IO, 0,
	  "OUT to an unclaimed port, completed by vmexit-bench in userspace", NULL },
	{ "pio_in_user", "IO_INSTRUCTION (KVM_EXIT_IO)", HANDLED_USER, 0, PAYLOAD_PIO_IN,
	  BENCH_PORT, 0, CHECK_LOOP_IO, 0,
	  "IN from an unclaimed port, completed by vmexit-bench in userspace", NULL },
	{ "mmio_write_user", "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)", HANDLED_USER, 0,
	  PAYLOAD_MMIO_WRITE, GPA_MMIO, 0, CHECK_LOOP_MMIO, 0,
	  "store to a guest-physical address with no memslot, completed in userspace", NULL },
	{ "mmio_read_user", "EPT_MISCONFIG/NPF (KVM_EXIT_MMIO)", HANDLED_USER, 0,
	  PAYLOAD_MMIO_READ, GPA_MMIO, 0, CHECK_LOOP_MMIO, 0,
	  "load from a guest-physical address with no memslot, completed in userspace", NULL },
	{ "hlt_user", "HLT (KVM_EXIT_HLT)", HANDLED_USER, NEED_CPL0, PAYLOAD_HLT, 0, 0,
	  CHECK_LOOP_HLT, 0, "HLT with no in-kernel irqchip: KVM returns to userspace", NULL },
	{ "rdmsr_user", "MSR_READ (KVM_EXIT_X86_RDMSR)", HANDLED_USER, NEED_CPL0, PAYLOAD_RDMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_LOOP_MSR_RD, 0,
	  "RDMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: answered in userspace",
	  NULL },
	{ "wrmsr_user", "MSR_WRITE (KVM_EXIT_X86_WRMSR)", HANDLED_USER, NEED_CPL0, PAYLOAD_WRMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_LOOP_MSR_WR, 0,
	  "WRMSR of IA32_TSC_ADJUST (0x3b) denied by an MSR filter: taken in userspace",
	  NULL },
	{ "vmcall", "VMCALL/VMMCALL", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_VMCALL, HC_UNUSED, 0,
	  CHECK_STAT, STAT_HYPERCALLS,
	  "KVM hypercall with an unused number (VMMCALL on AMD), answered -ENOSYS in the kernel",
	  needs_stats },
	{ "rdmsr_kernel", "MSR_READ", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_RDMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_STAT, STAT_EXITS,
	  "RDMSR of IA32_TSC_ADJUST (0x3b), emulated by KVM in the kernel", needs_stats },
	{ "wrmsr_kernel", "MSR_WRITE", HANDLED_KERNEL, NEED_CPL0, PAYLOAD_WRMSR,
	  MSR_IA32_TSC_ADJUST, 0, CHECK_STAT, STAT_EXITS,
	  "WRMSR of IA32_TSC_ADJUST (0x3b) with its current value, emulated in the kernel",
	  needs_stats },
	/* Self-tests of the failure paths; never in the default set or in 'list'. */
	{ "_fault_ud2", "none (raises #UD)", HANDLED_NONE, HIDDEN, PAYLOAD_PROBE_UD2, 0, 0,
	  CHECK_NONE, 0, "self-test: a guest that faults", NULL },
	{ "_hang", "none (spins forever)", HANDLED_NONE, HIDDEN, PAYLOAD_PROBE_SPIN, 0, 0,
	  CHECK_NONE, 0, "self-test: a guest that never reports", NULL },
};

const size_t bench_catalog_size = sizeof(bench_catalog) / sizeof(bench_catalog[0]);

const struct bench_def *catalog_find(const char *name)
{
	for (size_t i = 0; i < bench_catalog_size; i++)
		if (strcmp(bench_catalog[i].name, name) == 0)
			return &bench_catalog[i];
	return NULL;
}

const char *handled_name(enum handled_in h)
{
	return h == HANDLED_KERNEL ? "kernel" : h == HANDLED_USER ? "user" : "-";
}

const char *needs_string(unsigned needs, char *buf, size_t len)
{
	snprintf(buf, len, "%s", needs & NEED_CPL0 ? "cpl0" : "-");
	return buf;
}
