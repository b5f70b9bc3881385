/* SPDX-License-Identifier: MIT */
/*
 * Integration tests on /dev/kvm: every benchmark with a small iteration
 * count, the exits it must cause, and the failure paths (faulting guest,
 * hung guest). Skipped, and reported so, where /dev/kvm is not usable.
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <linux/kvm.h>
#include <math.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hostprep.h"
#include "probe.h"
#include "iolat.h"
#include "irqchip.h"
#include "vcpu2.h"
#include "ioevent.h"
#include "kvm_test.h"
#include "run.h"
#include "suite.h"
#include "suite_fixture.h"

#define ITER 300
#define WARM 50

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static struct vm vm;

static void vm_setup(void)
{
	char err[256];

	ck_assert_msg(run_init(err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(vm_create(&vm, 1 << 20, err, sizeof(err)) == 0, "%s", err);
}

static void vm_teardown(void)
{
	vm_destroy(&vm);
}

/*
 * This host's facts (emulator, CPUs) as the plan sees them: the cases
 * below that run a spinning vCPU beside another thread on the same host
 * CPU take the branch the catalog takes for the rows that would.
 */
static struct host_caps host_facts(void)
{
	struct host_caps c = { 0 };

	probe_host_facts(&c);
	return c;
}

/*
 * Why a vCPU spinning in the guest while another thread of this process
 * waits for the same, only CPU cannot be run here, or NULL: under Bochs
 * no host interrupt reaches a guest that makes no exit, so the host never
 * takes the CPU back (docs/real-kvm.md, "The Intel lane"), which is why
 * io_latency_out is unsupported there.
 */
static const char *spin_beside_waiter_stalls(void)
{
	struct host_caps c = host_facts();

	return catalog_find("io_latency_out")->unsupported(&c);
}

static struct run_req req(enum payload p, int cpl, uint64_t iters, double timeout)
{
	struct run_req r = {
		.payload = p, .cpl = cpl, .iterations = iters, .timeout_s = timeout,
		.arg0 = p == PAYLOAD_PIO_OUT || p == PAYLOAD_PIO_IN ? BENCH_PORT :
			p == PAYLOAD_MMIO_WRITE || p == PAYLOAD_MMIO_READ ? GPA_MMIO : 0,
	};
	return r;
}

START_TEST(guest_stamps_are_ordered)
{
	struct run_req r = req(PAYLOAD_NOP, 3, 1000, 2);
	struct run_res res;
	const struct sample *s = (const struct sample *)(vm.mem + GPA_SAMPLES);

	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_eq(res.completed, 1000);
	for (int i = 0; i < 1000; i++) {
		ck_assert_uint_le(s[i].before, s[i].after);
		if (i)
			ck_assert_uint_ge(s[i].before, s[i - 1].after);
	}
}
END_TEST

START_TEST(each_iteration_exits_once)
{
	const enum payload p[] = { PAYLOAD_PIO_OUT, PAYLOAD_PIO_IN, PAYLOAD_MMIO_WRITE,
				   PAYLOAD_MMIO_READ };
	struct run_res res;

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		struct run_req r = req(p[i], 3, 257, 2);

		ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
		ck_assert_uint_eq(res.bench_io + res.bench_mmio, 257);
		ck_assert_uint_eq(p[i] <= PAYLOAD_PIO_IN ? res.bench_io : res.bench_mmio, 257);
	}
}
END_TEST

/*
 * The run loop records each access's width and a string instruction's
 * elements, which the width rows and the REP rows prove with.
 */
START_TEST(widths_and_string_elements_seen)
{
	const struct { enum payload p; uint64_t arg1; unsigned mask; uint64_t elems; } c[] = {
		{ PAYLOAD_PIO_OUT, 1, 1u << 1, 257 }, { PAYLOAD_PIO_OUT, 2, 1u << 2, 257 },
		{ PAYLOAD_PIO_IN, 2, 1u << 2, 257 }, { PAYLOAD_PIO_IN, 0, 1u << 4, 257 },
		{ PAYLOAD_MMIO_WRITE, 1, 1u << 1, 0 }, { PAYLOAD_MMIO_WRITE, 8, 1u << 8, 0 },
		{ PAYLOAD_REP_OUTSB, 64, 1u << 1, 257 * 64 },
		{ PAYLOAD_REP_INSB, 64, 1u << 1, 257 * 64 },
	};
	struct run_res res;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct run_req r = req(c[i].p, 3, 257, 5);

		if (c[i].p == PAYLOAD_REP_OUTSB || c[i].p == PAYLOAD_REP_INSB)
			r.arg0 = BENCH_PORT;
		r.arg1 = c[i].arg1;
		ck_assert_msg(run_payload(&vm, &r, &res) == 0, "case %zu: %s", i, res.err);
		ck_assert_uint_eq(res.bench_widths, c[i].mask);
		ck_assert_uint_eq(res.bench_io_elems, c[i].elems);
		ck_assert_uint_ge(res.bench_io + res.bench_mmio, 257);
	}
}
END_TEST

START_TEST(faulting_guest_is_reported)
{
	for (int cpl = 3; cpl >= 0; cpl -= 3) {
		struct run_req r = req(PAYLOAD_PROBE_UD2, cpl, 1, 2);
		struct run_res res;

		ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
		ck_assert_int_eq(res.status, RUN_EXCEPTION);
		ck_assert_msg(strstr(res.err, "#UD (vector 6"), "%s", res.err);
		ck_assert_ptr_nonnull(strstr(res.err, "RIP 0x"));
		ck_assert_ptr_null(strchr(res.err, '\n'));
		ck_assert_msg(strstr(res.dump, "code at RIP"), "%s", res.dump);
		ck_assert_ptr_nonnull(strstr(res.dump, "RAX"));
	}
}
END_TEST

START_TEST(hung_guest_is_stopped)
{
	/*
	 * A spin at CPL3 makes no exit at all. Under Bochs no host interrupt
	 * reaches a guest that makes no exit, the watchdog's included, so
	 * there the spin is at CPL0, whose PAUSEs exit (pause-loop exiting):
	 * each exit gives the watchdog's signal its way in, as a busy guest's do.
	 */
	struct run_req r = req(PAYLOAD_PROBE_SPIN, host_facts().bochs ? 0 : 3, 1, 0.3);
	struct run_res res;
	char err[256];
	double t0 = now();

	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_int_eq(res.status, RUN_TIMEOUT);
	ck_assert_msg(strstr(res.err, "watchdog"), "%s", res.err);
	ck_assert_double_lt(now() - t0, 2.0);
	ck_assert_ptr_nonnull(strstr(res.dump, "RIP"));
	/* A fresh VM runs normally afterwards. */
	vm_destroy(&vm);
	ck_assert_msg(vm_create(&vm, 1 << 20, err, sizeof(err)) == 0, "%s", err);
	r = req(PAYLOAD_PIO_OUT, 3, 10, 2);
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
}
END_TEST

START_TEST(unknown_payload_fails_cleanly)
{
	struct run_req r = req(PAYLOAD_MAX, 3, 1, 2);
	struct run_res res;

	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_int_eq(res.status, RUN_GUEST_FAILED);
	ck_assert_msg(strstr(res.err, "unknown payload"), "%s", res.err);
}
END_TEST

/* A datamatch ioeventfd completes only its value; any other write reaches userspace. */
START_TEST(ioeventfd_datamatch_filters)
{
	struct run_req r = req(PAYLOAD_PIO_OUT_VAL, 3, 100, 2);
	struct run_res res;
	struct ioevent io;
	uint64_t n;
	char err[256];

	r.arg0 = IOEVENT_PORT;
	r.arg1 = 0x1234;
	ck_assert_msg(ioevent_assign(&io, vm.vm_fd, true, IOEVENT_PORT, 4, true, 0x5a5a, err,
				     sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_msg(strstr(res.err, "reached userspace"), "%s", res.err);
	ck_assert_int_eq(ioevent_take(&io, &n), 0);
	ck_assert_uint_eq(n, 0);
	r.arg1 = 0x5a5a;
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_eq(res.bench_io, 0);
	ck_assert_int_eq(ioevent_take(&io, &n), 0);
	ck_assert_uint_eq(n, 100);
	ioevent_deassign(&io);
	/* Unclaimed again: the same write now reaches userspace. */
	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_msg(strstr(res.err, "no ioeventfd"), "%s", res.err);
}
END_TEST

/* PAYLOAD_PAGE_WRITE over the fresh slot, every page of it never touched. */
static struct memslot *fresh_slot(struct run_req *r)
{
	char err[256];
	struct memslot *m = vm_memslot(&vm, VM_SLOT_FRESH, err, sizeof(err));

	ck_assert_msg(m, "%s", err);
	r->arg0 = GPA_FRESH;
	ck_assert_int_eq(memslot_discard(m, err, sizeof(err)), 0);
	return m;
}

/* A fresh page faults once; discarding the slot re-arms every page. */
START_TEST(fresh_pages_fault_once)
{
	struct run_req r = req(PAYLOAD_PAGE_WRITE, 3, 200, 2);
	struct run_res res;
	struct memslot *m = fresh_slot(&r);
	char err[256];

	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert(res.stat_valid[STAT_PF_FIXED]);
	ck_assert_uint_ge(res.stat[STAT_PF_FIXED], 200);
	/* Mapped now: writing the same pages again faults far less. */
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_lt(res.stat[STAT_PF_FIXED], 100);
	ck_assert_int_eq(memslot_discard(m, err, sizeof(err)), 0);
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_ge(res.stat[STAT_PF_FIXED], 200);
	ck_assert_int_eq(memslot_discard(m, err, sizeof(err)), 0);
}
END_TEST

/* The write-protect pass dirties exactly its pages. */
START_TEST(dirty_log_counts_writes)
{
	const struct bench_def *b = catalog_find("ept_write_protect");
	struct run_req r = req(PAYLOAD_PAGE_WRITE, 3, 300, 2);
	struct host_proof hp;
	struct run_res res;
	char err[256];

	ck_assert_ptr_nonnull(b);
	r.arg0 = b->arg0;
	ck_assert_msg(hostprep_before(&vm, b, &r, &hp, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	hostprep_after(&vm, b, &hp);
	ck_assert_msg(hp.has_dirty, "%s", hp.err);
	ck_assert_uint_eq(hp.dirty_pages, 300);
	/*
	 * Write-protect faults, one per page, unless kvm_intel logs with PML
	 * (pml=Y), where the CPU records the write without a fault: the
	 * catalog's ept_write_protect is unsupported there, for that reason.
	 */
	if (host_facts().pml == 1)
		ck_assert_ptr_nonnull(strstr(b->unsupported(&(struct host_caps){ .pml = 1 }), "PML"));
	else
		ck_assert_uint_ge(res.stat[STAT_PF_FIXED], 300);
	ck_assert_uint_eq(res.rearms, 0);	/* 300 pages fit in one round */
}
END_TEST

/*
 * A run longer than its slot goes in rounds, each re-armed by the host, and
 * every timed write still faults. The slot holds 131072 pages; rounds of
 * 64 make five rounds of 300 iterations.
 */
static void run_in_rounds(const char *name)
{
	const struct bench_def *b = catalog_find(name);
	struct run_req r = req(PAYLOAD_PAGE_WRITE, 3, 300, 2);
	struct host_proof hp;
	struct run_res res;
	char err[256];

	ck_assert_ptr_nonnull(b);
	ck_assert_msg(hostprep_before(&vm, b, &r, &hp, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(hp.pages.round, 300);	/* one round of all iterations by default */
	ck_assert_uint_eq(r.arg1, 300);
	ck_assert_ptr_eq(r.rounds, &hp.pages);
	r.arg1 = hp.pages.round = 64;
	ck_assert_msg(run_payload(&vm, &r, &res) == 0, "%s", res.err);
	hostprep_after(&vm, b, &hp);
	ck_assert_uint_eq(res.rearms, 4);
	ck_assert_uint_eq(hp.pages.rounds, 5);
	/* Every timed write faults: fresh pages always, dirty-logged ones unless PML logs them. */
	if (b->setup != SETUP_DIRTY_LOG || host_facts().pml != 1)
		ck_assert_uint_ge(res.stat[STAT_PF_FIXED], 300);
	if (b->setup == SETUP_DIRTY_LOG) {
		ck_assert_msg(hp.has_dirty, "%s", hp.err);
		ck_assert_uint_eq(hp.dirty_pages, 300);	/* 4 rounds of 64, then 44 */
	}
}

START_TEST(fresh_pages_in_rounds)
{
	run_in_rounds("ept_fault_in");
}
END_TEST

START_TEST(dirty_pages_in_rounds)
{
	run_in_rounds("ept_write_protect");
}
END_TEST

/* A guest that asks for a round the host did not set up is stopped, clearly. */
START_TEST(rearm_without_rounds_fails)
{
	struct run_req r = req(PAYLOAD_PAGE_WRITE, 3, 100, 2);
	struct run_res res;
	struct memslot *m = fresh_slot(&r);
	char err[256];

	r.arg1 = 64;
	ck_assert_int_eq(run_payload(&vm, &r, &res), -1);
	ck_assert_int_eq(res.status, RUN_KVM_ERROR);
	ck_assert_msg(strstr(res.err, "this run has no rounds"), "%s", res.err);
	ck_assert_uint_eq(res.completed, 64);
	ck_assert_int_eq(memslot_discard(m, err, sizeof(err)), 0);
}
END_TEST

/* On the irqchip VM every self-IPI arrives (the guest counts them). */
START_TEST(irqchip_delivers_self_ipis)
{
	struct run_req r = req(PAYLOAD_X2APIC_SELF_IPI, 0, 50, 2);
	struct vm ivm;
	struct run_res res;
	char err[256];

	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert(ivm.irqchip);
	ck_assert_msg(run_payload(&ivm, &r, &res) == 0, "%s", res.err);
	ck_assert_uint_eq(res.guest_result, 50);
	vm_destroy(&ivm);
}
END_TEST

/*
 * The xAPIC register read is answered by the LAPIC only in xAPIC mode: left
 * in x2APIC mode by an earlier payload, KVM answers the load with all-ones
 * (its LAPIC_MMIO_HOLE quirk), which the guest refuses as no LAPIC's
 * version; the host's switch to xAPIC mode fixes that.
 */
START_TEST(xapic_read_needs_xapic_mode)
{
	struct run_req x2 = req(PAYLOAD_X2APIC_SELF_IPI, 0, 10, 2);
	struct run_req rd = req(PAYLOAD_APIC_MMIO_READ, 3, 50, 2);
	struct vm ivm;
	struct run_res res;
	char err[256];

	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_msg(run_payload(&ivm, &x2, &res) == 0, "%s", res.err);
	ck_assert_int_eq(run_payload(&ivm, &rd, &res), -1);
	ck_assert_msg(strstr(res.err, "did not read as a LAPIC's"), "%s", res.err);
	ck_assert_uint_eq(res.guest_result, 0xffffffff);
	ck_assert_msg(irqchip_xapic_mode(ivm.vcpu_fd, GPA_LAPIC, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(run_payload(&ivm, &rd, &res) == 0, "%s", res.err);
	ck_assert_uint_eq(res.completed, 50);
	/* KVM's LAPIC: version 0x14, integrated. */
	ck_assert_uint_eq(res.guest_result & 0xff, 0x14);
	vm_destroy(&ivm);
}
END_TEST

/*
 * Every self-IPI of the family arrives, in both APIC modes, with and
 * without the TPR holding it back, and one taken with STI;HLT is never
 * late. A mode switch in either direction works on the same VM.
 */
START_TEST(self_ipi_family_delivers)
{
	const uint32_t modes[] = {
		SIPI_WAIT_NONE, SIPI_X2APIC | SIPI_WAIT_STI_HLT, SIPI_WAIT_STI_HLT,
		SIPI_TPR | SIPI_WAIT_STI_HLT, SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_HLT,
		SIPI_TPR | SIPI_WAIT_IF, SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_NOP,
	};
	struct vm ivm;
	struct run_res res;
	char err[256];

	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct run_req r = req(PAYLOAD_SELF_IPI, 0, 40, 2);

		r.arg0 = modes[i];
		ck_assert_msg(run_payload(&ivm, &r, &res) == 0, "mode %#x: %s", modes[i], res.err);
		ck_assert_uint_eq(res.guest_result, 40);
		if ((modes[i] & SIPI_WAIT_MASK) == SIPI_WAIT_STI_HLT ||
		    (modes[i] & SIPI_WAIT_MASK) == SIPI_WAIT_NONE)
			ck_assert_uint_eq(vm_ctl(&ivm)->irq_late, 0);
		ck_assert_uint_le(vm_ctl(&ivm)->irq_late, 40);
	}
	vm_destroy(&ivm);
}
END_TEST

/*
 * The I/O latencies end to end on the raw runner: every OUT is one read of
 * one write by the host thread, every irqfd write one interrupt in the
 * guest, and each host stamp is ordered after (out) or before (in) the
 * guest's, as one clock requires.
 */
START_TEST(io_latency_threads)
{
	const struct sample *smp;
	struct vm ivm;
	struct iolat l;
	struct run_res res;
	char err[256];

	for (int in = 0; in <= 1; in++) {
		struct run_req r = req(in ? PAYLOAD_IO_LATENCY_IN : PAYLOAD_IO_LATENCY_OUT,
				       in ? 0 : 3, 100, 5);

		if (!in && spin_beside_waiter_stalls()) {
			/* This host's branch: the plan does not run it either. */
			printf("NOTE: io_latency_threads: the out half is not run here: %s\n",
			       spin_beside_waiter_stalls());
			continue;
		}

		r.arg0 = in ? IOLAT_GSI : IOEVENT_PORT;
		ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, in ? VM_IRQCHIP : 0, err,
						sizeof(err)) == 0, "%s", err);
		ck_assert_msg(iolat_start(&l, &ivm, in, IOEVENT_PORT, IOLAT_GSI, 100, err,
					  sizeof(err)) == 0, "%s", err);
		ck_assert_msg(run_payload(&ivm, &r, &res) == 0, "%s", res.err);
		iolat_stop(&l);
		ck_assert_msg(!l.err[0], "%s", l.err);
		ck_assert_uint_eq(l.count, 100);
		if (in) {
			ck_assert_uint_eq(res.guest_result, 100);
		} else {
			ck_assert_uint_eq(l.reads, 100);
			ck_assert_uint_eq(l.coalesced, 0);
			ck_assert_uint_eq(res.bench_io, 0);
		}
		smp = (const struct sample *)(ivm.mem + GPA_SAMPLES);
		for (int i = 0; i < 100; i++)
			ck_assert_msg(smp[i].after > smp[i].before, "%s sample %d: %llu .. %llu",
				      in ? "in" : "out", i, (unsigned long long)smp[i].before,
				      (unsigned long long)smp[i].after);
		vm_destroy(&ivm);
	}
}
END_TEST

#define MSR_IA32_APICBASE	0x1b
#define APICBASE_EXTD		(1ull << 10)
#define APICBASE_EN		(1ull << 11)

/* IA32_APIC_BASE of the vCPU @fd: its EN and EXTD bits say the LAPIC's mode. */
static uint64_t apic_base(int fd)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = { .hdr.nmsrs = 1, .e.index = MSR_IA32_APICBASE };

	ck_assert_int_eq(ioctl(fd, KVM_GET_MSRS, &m), 1);
	return m.e.data;
}

/*
 * vCPU 0's IPIs reach vCPU 1 on its own thread, spinning and halted, every
 * one counted there, and the two vCPUs' stamps are causally ordered (one
 * TSC); in x2APIC mode and in xAPIC mode (ICR and EOI through the MMIO
 * page), where both vCPUs' LAPICs must have been, and back. The second
 * vCPU is created once and reused.
 */
START_TEST(ipi_reaches_second_vcpu)
{
	const uint32_t flags[] = { 0, IPI_F_HALT | IPI_F_DELIVERY, IPI_F_XAPIC,
				   IPI_F_XAPIC | IPI_F_HALT | IPI_F_DELIVERY, IPI_F_HALT };
	const struct ctl_block *ap, *bsp;
	struct vm ivm, plain;
	struct vcpu2 c;
	struct run_res res;
	struct host_caps caps;
	const char *why;
	char err[256];

	ck_assert_msg(vm_create(&plain, 1 << 20, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(vcpu2_start(&c, &plain, PAYLOAD_IPI_TARGET, 0, 10, -1, err,
				     sizeof(err)), -1);
	ck_assert_msg(strstr(err, "in-kernel irqchip"), "%s", err);
	vm_destroy(&plain);
	caps = host_facts();
	if (caps.host_cpus == 1) {
		/* This host's branch: the IPI rows need a second host CPU, and say so. */
		why = catalog_find("ipi")->unsupported(&caps);
		ck_assert_msg(why && strstr(why, "another host CPU"), "%s", why ? why : "runs");
		printf("NOTE: ipi_reaches_second_vcpu: not run here: %s\n", why);
		return;
	}
	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		uint64_t want = APICBASE_EN | (flags[i] & IPI_F_XAPIC ? 0 : APICBASE_EXTD);
		struct run_req r = req(PAYLOAD_IPI, 0, 50, 5);

		r.arg0 = flags[i];
		r.arg1 = flags[i] & IPI_F_HALT ? 20000 : 0;
		ck_assert_msg(vcpu2_start(&c, &ivm, PAYLOAD_IPI_TARGET, flags[i], 50, -1, err,
					  sizeof(err)) == 0, "%s", err);
		ck_assert_msg(run_payload(&ivm, &r, &res) == 0, "%s", res.err);
		vcpu2_stop(&c);
		ck_assert_msg(!c.err[0], "%s", c.err);
		ck_assert(c.done);
		ap = (const struct ctl_block *)(ivm.mem + GPA_CTL_AP);
		bsp = vm_ctl(&ivm);
		ck_assert_uint_eq(ap->arg1, 50);
		ck_assert_uint_eq(bsp->tsc_bound_valid, 1);
		ck_assert_msg(bsp->tsc_lo <= 0 && bsp->tsc_hi >= 0, "[%lld, %lld]",
			      (long long)bsp->tsc_lo, (long long)bsp->tsc_hi);
		ck_assert_uint_eq(apic_base(ivm.vcpu_fd) & (APICBASE_EN | APICBASE_EXTD), want);
		ck_assert_uint_eq(apic_base(ivm.ap_fd) & (APICBASE_EN | APICBASE_EXTD), want);
	}
	vm_destroy(&ivm);
}
END_TEST

/*
 * The IPI rows in xAPIC mode are the x2APIC rows with IPI_F_XAPIC: the
 * same proof, setup and refusals (no irqchip, emulated CPL0, no stats).
 */
START_TEST(xapic_ipis_mirror_x2apic)
{
	const char *names[] = { "ipi", "ipi_delivery", "ipi_halt", "ipi_halt_delivery" };
	struct host_caps ok = { .kvm = true, .stats_fd = true, .irqchip = true };
	struct host_caps none = ok, emul = ok, nostats = ok;

	none.irqchip = false;
	emul.cpl0_emulated = true;
	nostats.stats_fd = false;
	for (size_t i = 0; i < 4; i++) {
		char xname[64];
		const struct bench_def *x2 = catalog_find(names[i]), *x;

		snprintf(xname, sizeof(xname), "xapic_%s", names[i]);
		x = catalog_find(xname);
		ck_assert_msg(x2 && x, "%s or %s missing", names[i], xname);
		ck_assert_uint_eq(x->arg0, x2->arg0 | IPI_F_XAPIC);
		ck_assert_uint_eq(x->arg1, x2->arg1);
		ck_assert_int_eq(x->payload, x2->payload);
		ck_assert_int_eq(x->setup, x2->setup);
		ck_assert_int_eq(x->check, x2->check);
		ck_assert_int_eq(x->stat, x2->stat);
		ck_assert_uint_eq(x->needs, x2->needs);
		ck_assert_uint_eq(x->untimed_exits, x2->untimed_exits);
		ck_assert_int_eq(x->interval, x2->interval);
		ck_assert(!x->latency == !x2->latency);
		ck_assert_msg(strstr(x->exit_reason, "xAPIC ICR"), "%s", x->exit_reason);
		ck_assert_ptr_null(x->unsupported(&ok));
		ck_assert_msg(strstr(x->unsupported(&none), "in-kernel irqchip"), "%s",
			      x->unsupported(&none));
		ck_assert_msg(strstr(x->unsupported(&emul), "waiting for each other"), "%s",
			      x->unsupported(&emul));
		ck_assert_msg(strstr(x->unsupported(&nostats), "KVM_GET_STATS_FD"), "%s",
			      x->unsupported(&nostats));
		ck_assert_str_eq(x->unsupported(&emul), x2->unsupported(&emul));
		ck_assert_str_eq(x->unsupported(&none), x2->unsupported(&none));
	}
}
END_TEST

/*
 * vcpu_switch's exchange: two vCPUs pinned to one host CPU hand it back
 * and forth; every IPI is answered, and the two threads give up the CPU
 * at least twice per round.
 */
START_TEST(vcpus_switch_on_one_cpu)
{
	struct run_req r = req(PAYLOAD_VCPU_SWITCH, 0, 60, 5);
	const struct ctl_block *ap;
	struct vm ivm;
	struct vcpu2 c;
	struct run_res res;
	char err[256];
	uint64_t before = vcpu2_ctx_switches(), ctx;
	/* Pinned first: an unpinned test thread may move between the checks. */
	int cpu = probe_pin_cpu(-1, err, sizeof(err));

	ck_assert_msg(cpu >= 0, "%s", err);
	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_msg(vcpu2_start(&c, &ivm, PAYLOAD_IPI_TARGET, IPI_F_HALT | IPI_F_PONG, 60,
				  cpu, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.cpu, cpu);
	ck_assert_msg(run_payload(&ivm, &r, &res) == 0, "%s", res.err);
	ctx = vcpu2_ctx_switches() - before;
	vcpu2_stop(&c);
	ck_assert_msg(c.done && !c.err[0], "%s", c.err);
	ap = (const struct ctl_block *)(ivm.mem + GPA_CTL_AP);
	ck_assert_uint_eq(ap->arg1, 60);
	ck_assert_uint_eq(res.guest_result, 60);	/* vCPU 0 took every answer */
	ck_assert_int_eq(c.ran_on, cpu);
	ck_assert_uint_ge(ctx + c.ctx_after - c.ctx_before, 2 * 60);
	vm_destroy(&ivm);
}
END_TEST

/* A second vCPU that waits forever (no IPI comes) is stopped, not waited for. */
START_TEST(idle_second_vcpu_is_stopped)
{
	struct vm ivm;
	struct vcpu2 c;
	char err[256];
	double t0, late;

	ck_assert_msg(vm_create_flavour(&ivm, 1 << 20, VM_IRQCHIP, err, sizeof(err)) == 0,
		      "%s", err);
	for (int halt = 0; halt <= 1; halt++) {
		if (!halt && spin_beside_waiter_stalls()) {
			/* vCPU 1 would spin on this thread's only CPU: this host's branch. */
			printf("NOTE: idle_second_vcpu_is_stopped: the spinning vCPU 1 is not run "
			       "here: %s\n", spin_beside_waiter_stalls());
			continue;
		}
		ck_assert_msg(vcpu2_start(&c, &ivm, PAYLOAD_IPI_TARGET, halt ? IPI_F_HALT : 0, 5, -1,
					  err, sizeof(err)) == 0, "%s", err);
		t0 = now();
		usleep(200 * 1000);
		/* How late this host's 0.2 s sleep came back: its slowness just now. */
		late = now() - t0 - 0.2;
		t0 = now();
		vcpu2_stop(&c);
		/* Its 1 s grace, then one signal: not the 5 iterations it waits for. */
		ck_assert_msg(now() - t0 < 2.0 + 5 * late, "stopped after %.2f s (sleep late %.2f s)",
			      now() - t0, late);
		ck_assert(!c.done);
	}
	vm_destroy(&ivm);
}
END_TEST

/* The whole catalog through the suite, as `vmexit-bench` runs it. */
static struct options opt;
static struct suite suite;

static const struct bench_record *find(const char *name)
{
	return suite_fixture_find(&suite, name);
}

static void suite_setup(void)
{
	/*
	 * The watchdog at the tool's default: on an emulated host under load
	 * (QEMU's TCG, load 8) a latency row's host thread was starved for
	 * 0.5 s, which is not a hung guest.
	 */
	static const char *const args[] = { "--iterations", "300", "--warmup", "50",
					     "--timeout", "5" };

	suite_fixture_run(&suite, &opt, args, 6);
}

static void suite_teardown(void)
{
	suite_free(&suite);
}

START_TEST(catalog_results_are_honest)
{
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);
		const struct bench_record *r = find(b->name);

		if (b->needs & (HIDDEN | NEED_OPT_IN)) {
			/* Not in the default set. */
			ck_assert_msg(!r, "%s ran without being asked for", b->name);
			continue;
		}
		ck_assert_msg(r, "%s has no result", b->name);
		if (r->status != BENCH_OK) {
			/* No number, and a reason instead. */
			ck_assert_msg(r->reason[0], "%s: no reason", b->name);
			ck_assert(!r->has_phase[PHASE_TOTAL]);
			/* The status is data; the reason says the same in words. */
			if (r->status == BENCH_UNSUPPORTED)
				ck_assert_msg(strncmp(r->reason, "unsupported here: ", 18) == 0,
					      "%s: %s", b->name, r->reason);
			if (r->status == BENCH_NO_EXIT)
				ck_assert_msg(check_kind(b->check)->passthrough &&
					      strncmp(r->reason, "no exit: ", 9) == 0,
					      "%s: %s", b->name, r->reason);
			continue;
		}
		const struct summary_row *t = &r->rows[PHASE_TOTAL];

		ck_assert_uint_eq(r->nsamples, ITER);
		ck_assert_uint_eq(t->samples, ITER);
		ck_assert(t->min <= t->p25 && t->p25 <= t->median && t->median <= t->p75 &&
			  t->p75 <= t->p99 && t->p99 <= t->max);
		/* Under an emulator the unit says so (README "Units"). */
		ck_assert_str_eq(t->unit, suite.caps.bochs ? "emulated_ticks" :
					  suite.caps.tcg ? "tcg_tsc_ticks" : "tsc_ticks");
		if (catalog_kind(b) == BENCH_KIND_FLOOR) {
			ck_assert_double_eq(t->median, 0);	/* the floor subtracts itself */
			continue;
		}
		/*
		 * An exit costs far more than the fenced stamps around a NOP,
		 * unless the row says it is within the floor's own spread: an
		 * emulated CPL0 floor, measured at another moment, moves by
		 * thousands of ticks, so such a row's median may even be
		 * negative. It may be no further from zero than that spread.
		 */
		if (r->within_floor_spread) {
			ck_assert_msg(fabs(t->median) <= r->floor_spread, "%s median %.0f, spread %.0f",
				      b->name, t->median, r->floor_spread);
			continue;
		}
		ck_assert_msg(t->median > 100 && t->median > r->floor_spread,
			      "%s median %.0f (floor spread %.0f)", b->name, t->median,
			      r->floor_spread);
		/* Less only by the HLTs a host's interrupt in STI's shadow skipped (TCG). */
		ck_assert_msg(r->exits_seen + r->stepped_over >= ITER + WARM, "%s: %s", b->name,
			      r->exit_check);
	}
}
END_TEST

START_TEST(user_exits_measured_everywhere)
{
	/* KVM always returns these to userspace, on any backend. */
	const char *must[] = { "nop", "pio_out_user", "pio_in_user", "mmio_write_user",
			       "mmio_read_user", "hlt_user" };

	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		const struct bench_record *r = find(must[i]);

		ck_assert_msg(r && r->status == BENCH_OK, "%s: %s", must[i],
			      r ? r->reason : "missing");
	}
	if (suite.caps.cpl0_emulated) {
		ck_assert_int_eq(find("pio_out_user")->cpl, 3);
		ck_assert(find("hlt_user")->emulated);
	}
}
END_TEST

START_TEST(cpuid_answer_is_checked)
{
	const char *leaves[] = { "cpuid", "cpuid_0", "cpuid_1", "cpuid_7", "cpuid_b", "cpuid_d",
				 "cpuid_hv" };

	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		const struct bench_record *r = find(leaves[i]);

		ck_assert_ptr_nonnull(r);
		/* Measured only when KVM answered; otherwise refused with that reason. */
		if (r->status == BENCH_OK)
			ck_assert_ptr_nonnull(strstr(r->exit_check, "exits"));
		else
			ck_assert_msg(strstr(r->reason, "marker leaf") ||
				      strstr(r->reason, "emulated"), "%s: %s", leaves[i],
				      r->reason);
	}
}
END_TEST

/*
 * ioeventfd completion is KVM's on every backend: always measured, and
 * cheaper than the same access completed in userspace. Not under QEMU's
 * TCG, whose ticks are host time spent emulating: ring changes are cheap
 * to emulate there, and an in-kernel MMIO write (KVM decodes it, then
 * signals the eventfd) came out dearer than the same write to userspace in
 * 1 of 10 runs. There only the proof is asserted.
 */
static bool costs_are_hardware_ordered(void)
{
	return !suite.caps.tcg;
}

START_TEST(ioeventfd_completes_in_kernel)
{
	const char *names[] = { "pio_out_kernel", "pio_out_kernel_datamatch",
				"mmio_write_kernel", "mmio_write_kernel_datamatch" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct bench_record *r = find(names[i]);
		const struct bench_record *user = find(names[i][0] == 'p' ? "pio_out_user" :
						       "mmio_write_user");

		ck_assert_msg(r && r->status == BENCH_OK, "%s: %s", names[i],
			      r ? r->reason : "missing");
		ck_assert_uint_eq(r->exits_seen, ITER + WARM);
		ck_assert_msg(strstr(r->exit_check, "ioeventfd counter 350"), "%s",
			      r->exit_check);
		ck_assert_double_gt(r->rows[PHASE_TOTAL].median, 100);
		if (!costs_are_hardware_ordered())
			continue;
		ck_assert_msg(r->rows[PHASE_TOTAL].median < user->rows[PHASE_TOTAL].median,
			      "%s %.0f ticks vs %s %.0f", names[i], r->rows[PHASE_TOTAL].median,
			      user->name, user->rows[PHASE_TOTAL].median);
	}
}
END_TEST

/*
 * The in-kernel PIC answers its ELCR port: an exit per iteration KVM counts,
 * none that reaches userspace (the run loop fails on an unknown port), and
 * cheaper than a port completed in userspace.
 */
START_TEST(pic_port_completes_in_kernel)
{
	const char *names[] = { "pio_in_kernel", "pio_out_kernel_pic" };
	const struct bench_record *user = find("pio_in_user");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct bench_record *r = find(names[i]);

		ck_assert_msg(r && r->status == BENCH_OK, "%s: %s", names[i],
			      r ? r->reason : "missing");
		/* At a CPL this host runs natively: CPL3 where CPL0 is emulated. */
		ck_assert(!r->emulated);
		if (suite.caps.cpl0_emulated)
			ck_assert_int_eq(r->cpl, 3);
		ck_assert_uint_ge(r->exits_seen, ITER + WARM);
		ck_assert_msg(strstr(r->exit_check, "KVM stat 'exits'"), "%s", r->exit_check);
		if (!costs_are_hardware_ordered())
			continue;
		ck_assert_msg(r->rows[PHASE_TOTAL].median < user->rows[PHASE_TOTAL].median,
			      "%s %.0f ticks vs pio_in_user %.0f", names[i],
			      r->rows[PHASE_TOTAL].median, user->rows[PHASE_TOTAL].median);
	}
}
END_TEST

/* The MMU benchmarks run at CPL3 and count one fixed fault per iteration. */
START_TEST(ept_faults_are_counted)
{
	const struct bench_record *in = find("ept_fault_in"), *wp = find("ept_write_protect");

	ck_assert_msg(in && in->status == BENCH_OK, "%s", in ? in->reason : "missing");
	ck_assert_msg(wp, "ept_write_protect missing");
	if (host_facts().pml == 1) {
		/* kvm_intel's PML logs the writes without a fault: nothing to count. */
		ck_assert_int_eq(wp->status, BENCH_UNSUPPORTED);
		ck_assert_msg(strstr(wp->reason, "PML"), "%s", wp->reason);
		ck_assert_uint_ge(in->exits_seen, ITER + WARM);
		ck_assert_double_gt(in->rows[PHASE_TOTAL].median, 100);
		return;
	}
	ck_assert_msg(wp->status == BENCH_OK, "%s", wp->reason);
	ck_assert_uint_ge(in->exits_seen, ITER + WARM);
	ck_assert_uint_ge(wp->exits_seen, ITER + WARM);
	ck_assert_msg(strstr(wp->exit_check, "KVM_GET_DIRTY_LOG: 350 pages dirtied"), "%s",
		      wp->exit_check);
	ck_assert_double_gt(in->rows[PHASE_TOTAL].median, 100);
	ck_assert_double_gt(wp->rows[PHASE_TOTAL].median, 100);
}
END_TEST

/*
 * Privileged benchmarks: an exit is proven by KVM's counter, or the row
 * says why not; where CPL0 is emulated that reason is the emulation.
 */
START_TEST(cpl0_exits_proven_or_explained)
{
	const char *names[] = { "cr0_toggle", "cr4_toggle", "mov_dr7", "xsetbv", "rdmsr_efer",
				"rdmsr_fs_base", "wrmsr_fs_base", "rdmsr_kernel_gs_base",
				"wrmsr_kernel_gs_base", "wrmsr_ignored", "cr8_read", "cr8_write",
				"x2apic_self_ipi", "apic_eoi", "tsc_deadline_immediate",
				"hlt_wakeup" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct bench_record *r = find(names[i]);

		ck_assert_msg(r, "%s missing", names[i]);
		ck_assert_msg(r->status != BENCH_FAILED, "%s: %s", names[i], r->reason);
		if (r->status == BENCH_OK) {
			ck_assert_msg(strstr(r->exit_check, "KVM stat"), "%s", r->exit_check);
			ck_assert_uint_ge(r->exits_seen + r->stepped_over, ITER + WARM);
			ck_assert_int_eq(r->emulated, suite.caps.cpl0_emulated);
		} else if (suite.caps.cpl0_emulated) {
			ck_assert_msg(strstr(r->reason, "CPL0 is emulated"), "%s: %s", names[i],
				      r->reason);
		}
	}
	/* hlt_wakeup has one stamp (it starts at the deadline): half the floor goes. */
	if (find("hlt_wakeup")->status == BENCH_OK)
		ck_assert_double_eq_tol(find("hlt_wakeup")->floor, suite.rec.floor[0] / 2, 0.5);
	/* The APIC exits are proven beyond the HLT that takes their interrupt. */
	if (find("x2apic_self_ipi")->status != BENCH_OK)
		ck_assert_msg(strstr(find("x2apic_self_ipi")->reason, "untimed"), "%s",
			      find("x2apic_self_ipi")->reason);
}
END_TEST

/*
 * The xAPIC read and the self-IPI family: a proven number, "no exit", or
 * (emulated CPL0) the host's reason; the latencies are never split, and a
 * latency whose interrupt came after its interval has no number.
 */
START_TEST(apic_family_proven_or_explained)
{
	size_t n = 0;

	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);
		const struct bench_record *r;

		if (b->payload != PAYLOAD_SELF_IPI && b->payload != PAYLOAD_APIC_MMIO_READ)
			continue;
		n++;
		r = find(b->name);
		ck_assert_msg(r, "%s missing", b->name);
		ck_assert_msg(r->status != BENCH_FAILED, "%s: %s", b->name, r->reason);
		if (r->status == BENCH_OK) {
			ck_assert_msg(strstr(r->exit_check, "KVM stat 'exits'"), "%s", r->exit_check);
			ck_assert_uint_ge(r->exits_seen, ITER + WARM);
			ck_assert_msg(!strstr(r->exit_check, "came only after"), "%s: %s", b->name,
				      r->exit_check);
			if (catalog_holds_several(b)) {
				ck_assert_msg(strstr(r->phase_note, "not split: a latency"), "%s: %s",
					      b->name, r->phase_note);
				ck_assert(!r->has_phase[PHASE_EXIT]);
			}
		} else if (r->status != BENCH_NO_EXIT) {
			ck_assert_msg(suite.caps.cpl0_emulated && r->cpl == 0, "%s: %s", b->name,
				      r->reason);
			ck_assert_msg(strstr(r->reason, "CPL0 is emulated"), "%s: %s", b->name,
				      r->reason);
		}
	}
	ck_assert_uint_ge(n, 12);
	/* The read needs no CPL0: it is a real exit even where CPL0 is emulated. */
	ck_assert_int_eq(find("apic_mmio_read")->cpl, suite.caps.cpl0_emulated ? 3 : 0);
}
END_TEST

/* The speculation-control MSRs run only where the guest's CPUID has the bits. */
START_TEST(spec_msrs_follow_cpuid)
{
	const struct bench_record *sc = find("wrmsr_spec_ctrl"), *pc = find("wrmsr_pred_cmd");

	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_nonnull(pc);
	ck_assert_msg(sc->status != BENCH_FAILED, "%s", sc->reason);
	ck_assert_msg(pc->status != BENCH_FAILED, "%s", pc->reason);
	if (!suite.caps.spec_ctrl)
		ck_assert_msg(strstr(sc->reason, "AMD_IBRS") && sc->status == BENCH_UNSUPPORTED,
			      "%s", sc->reason);
	if (!suite.caps.pred_cmd)
		ck_assert_msg(strstr(pc->reason, "AMD_IBPB") && pc->status == BENCH_UNSUPPORTED,
			      "%s", pc->reason);
}
END_TEST

START_TEST(pause_loop_needs_ple)
{
	const struct bench_record *r = find("pause_loop");

	ck_assert_ptr_nonnull(r);
	if (r->status != BENCH_OK)
		ck_assert_msg(strstr(r->reason, "pause"), "%s", r->reason);
}
END_TEST

/* A run of exactly @name (plus @extra), for the refusal paths. */
static void run_one(struct suite *su, struct options *o, bool *sel, const char *name,
		    const char *extra)
{
	char err[256];
	char *argv[] = { "vmexit-bench", (char *)name, "--iterations", "300", "--warmup", "50",
			 (char *)extra, NULL };

	ck_assert_int_eq(cli_parse(extra ? 7 : 6, argv, o, err, sizeof(err)), 0);
	ck_assert_int_eq(cli_select(o, sel, err, sizeof(err)), 0);
	ck_assert_msg(suite_init(su, o, err, sizeof(err)) == 0, "%s", err);
	suite_run(su, sel);
}

/* The I/O latencies in the catalog: proven, or refused with the host's reason. */
START_TEST(io_latencies_proven_or_explained)
{
	const char *names[] = { "io_latency_out", "io_latency_in" };

	for (size_t i = 0; i < 2; i++) {
		const struct bench_record *r = find(names[i]);

		ck_assert_msg(r, "%s missing", names[i]);
		ck_assert_msg(r->status != BENCH_FAILED, "%s: %s", names[i], r->reason);
		if (i && suite.caps.cpl0_emulated)
			ck_assert_msg(r->status == BENCH_UNSUPPORTED &&
				      strstr(r->reason, "which is no I/O latency"), "%s", r->reason);
		if (r->status != BENCH_OK) {
			/* Or this host's branch: io_latency_out under Bochs with one CPU. */
			ck_assert_msg(strstr(r->reason, "a guest and a host stamp") ||
				      strstr(r->reason, "CPL0 is emulated") ||
				      (!i && spin_beside_waiter_stalls() &&
				       strstr(r->reason, spin_beside_waiter_stalls())),
				      "%s: %s", names[i], r->reason);
			continue;
		}
		ck_assert_msg(strstr(r->exit_check, i ? "irqfd writes" : "ioeventfd read 350 times"),
			      "%s", r->exit_check);
		ck_assert_msg(strstr(r->exit_check, "guest - host TSC in"), "%s", r->exit_check);
		ck_assert_uint_eq(r->exits_seen, ITER + WARM);
		ck_assert(!r->has_phase[PHASE_EXIT]);
		ck_assert_msg(strstr(r->phase_note, "not split: a latency"), "%s", r->phase_note);
		/* One guest stamp: half the floor of its CPL. */
		ck_assert_double_eq_tol(r->floor, suite.rec.floor[r->cpl] / 2, 0.5);
	}
}
END_TEST

/*
 * Where guest stamps cannot be compared with host stamps, a latency that
 * mixes them has no number: it is refused with the reason.
 */
START_TEST(io_latency_needs_one_clock)
{
	static struct suite su;
	struct options o;
	bool sel[128];
	char err[256];
	char *argv[] = { "vmexit-bench", "io_latency_*", "--iterations", "300", "--warmup", "50",
			 NULL };

	ck_assert_int_eq(cli_parse(6, argv, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	ck_assert_msg(suite_init(&su, &o, err, sizeof(err)) == 0, "%s", err);
	snprintf(su.tsc_untrusted, sizeof(su.tsc_untrusted), "the test marked the TSC untrusted");
	suite_run(&su, sel);
	ck_assert_uint_eq(su.rec.nbench, 2);
	for (int i = 0; i < 2; i++) {
		const struct bench_record *r = &su.rec.bench[i];

		ck_assert_int_eq(r->status, BENCH_UNSUPPORTED);
		/* Where CPL0 is emulated, io_latency_in is refused before any clock check. */
		if (su.caps.cpl0_emulated && !strcmp(r->name, "io_latency_in")) {
			ck_assert_msg(strstr(r->reason, "which is no I/O latency"), "%s", r->reason);
			continue;
		}
		/* Under Bochs with one CPU, io_latency_out is refused before it too. */
		if (spin_beside_waiter_stalls() && !strcmp(r->name, "io_latency_out")) {
			ck_assert_msg(strstr(r->reason, spin_beside_waiter_stalls()), "%s", r->reason);
			continue;
		}
		ck_assert_msg(strstr(r->reason, "a guest and a host stamp, and the test marked"),
			      "%s: %s", r->name, r->reason);
	}
	suite_free(&su);
}
END_TEST

/*
 * IPIs between two vCPUs, x2APIC and xAPIC: proven with vCPU 1's count, or
 * refused with the reason.
 */
START_TEST(ipis_proven_or_explained)
{
	const char *names[] = { "ipi", "ipi_delivery", "ipi_halt", "ipi_halt_delivery",
				"xapic_ipi", "xapic_ipi_delivery", "xapic_ipi_halt",
				"xapic_ipi_halt_delivery" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct bench_record *r = find(names[i]);

		ck_assert_msg(r, "%s missing", names[i]);
		ck_assert_msg(r->status != BENCH_FAILED, "%s: %s", names[i], r->reason);
		if (suite.caps.cpl0_emulated) {
			ck_assert_int_eq(r->status, BENCH_UNSUPPORTED);
			ck_assert_msg(strstr(r->reason, "waiting for each other at emulated CPL0"),
				      "%s: %s", names[i], r->reason);
			continue;
		}
		if (r->status != BENCH_OK)
			continue;
		ck_assert_msg(strstr(r->exit_check, "handled 350 IPIs for 350 iterations"), "%s: %s",
			      names[i], r->exit_check);
		if (strstr(names[i], "delivery"))
			ck_assert_msg(strstr(r->phase_note, "not split: a latency"), "%s", r->phase_note);
	}
}
END_TEST

START_TEST(vcpu_switch_proven)
{
	const struct bench_record *r = find("vcpu_switch");

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(r->status != BENCH_FAILED, "%s", r->reason);
	if (!suite.caps.irqchip)
		return;
	/* Emulated CPL0 or not, the switch is proven by the host's own counts. */
	ck_assert_msg(r->status == BENCH_OK, "%s", r->reason);
	ck_assert_msg(strstr(r->exit_check, "answered 350 IPIs for 350 rounds") &&
		      strstr(r->exit_check, "two needed"), "%s", r->exit_check);
	ck_assert_msg(strstr(r->phase_note, "not split: a latency"), "%s", r->phase_note);
	/* Half a round: half the floor. */
	ck_assert_double_eq_tol(r->floor, suite.rec.floor[0] / 2, 0.5);
}
END_TEST

START_TEST(dangerous_needs_opt_in)
{
	static struct suite su;
	struct options o;
	bool sel[128];

	run_one(&su, &o, sel, "wbinvd", NULL);
	ck_assert_uint_eq(su.rec.nbench, 1);
	ck_assert_int_eq(su.rec.bench[0].status, BENCH_REFUSED);
	ck_assert_msg(strncmp(su.rec.bench[0].reason, "refused: ", 9) == 0 &&
		      strstr(su.rec.bench[0].reason, "--allow-dangerous"), "%s",
		      su.rec.bench[0].reason);
	suite_free(&su);
	/* Allowed, it runs: measured, or refused for a reason of this host. */
	run_one(&su, &o, sel, "wbinvd", "--allow-dangerous");
	ck_assert_uint_eq(su.rec.nbench, 1);
	ck_assert_msg(su.rec.bench[0].status != BENCH_REFUSED &&
		      strncmp(su.rec.bench[0].reason, "refused: ", 9) != 0, "%s",
		      su.rec.bench[0].reason);
	suite_free(&su);
}
END_TEST

START_TEST(no_exit_is_not_timed)
{
	static struct suite su;
	struct options o;
	bool sel[128];

	run_one(&su, &o, sel, "_no_exit", NULL);
	ck_assert_uint_eq(su.rec.nbench, 1);
	ck_assert_int_eq(su.rec.bench[0].status, BENCH_NO_EXIT);
	ck_assert_msg(strncmp(su.rec.bench[0].reason, "no exit: ", 9) == 0, "%s",
		      su.rec.bench[0].reason);
	ck_assert(!su.rec.bench[0].has_phase[PHASE_TOTAL]);
	suite_free(&su);
}
END_TEST

/* tcase_add_test, counting the tests for the skip line. */
#define add_test(tc, t) (tcase_add_test(tc, t), ntests++)

int main(void)
{
	int ntests = 0;
	Suite *s = suite_create("kvm");
	TCase *raw = tcase_create("run_payload");
	TCase *cat = tcase_create("catalog");

	tcase_add_checked_fixture(raw, vm_setup, vm_teardown);
	tcase_set_timeout(raw, 30);
	add_test(raw, guest_stamps_are_ordered);
	add_test(raw, each_iteration_exits_once);
	add_test(raw, widths_and_string_elements_seen);
	add_test(raw, faulting_guest_is_reported);
	add_test(raw, hung_guest_is_stopped);
	add_test(raw, unknown_payload_fails_cleanly);
	add_test(raw, ioeventfd_datamatch_filters);
	add_test(raw, fresh_pages_fault_once);
	add_test(raw, dirty_log_counts_writes);
	add_test(raw, fresh_pages_in_rounds);
	add_test(raw, dirty_pages_in_rounds);
	add_test(raw, rearm_without_rounds_fails);
	add_test(raw, irqchip_delivers_self_ipis);
	add_test(raw, xapic_read_needs_xapic_mode);
	add_test(raw, self_ipi_family_delivers);
	add_test(raw, io_latency_threads);
	add_test(raw, ipi_reaches_second_vcpu);
	add_test(raw, xapic_ipis_mirror_x2apic);
	add_test(raw, idle_second_vcpu_is_stopped);
	add_test(raw, vcpus_switch_on_one_cpu);
	kvm_tcase_add(s, raw);
	tcase_add_unchecked_fixture(cat, suite_setup, suite_teardown);
	tcase_set_timeout(cat, 60);
	add_test(cat, catalog_results_are_honest);
	add_test(cat, user_exits_measured_everywhere);
	add_test(cat, cpuid_answer_is_checked);
	add_test(cat, ioeventfd_completes_in_kernel);
	add_test(cat, pic_port_completes_in_kernel);
	add_test(cat, ept_faults_are_counted);
	add_test(cat, cpl0_exits_proven_or_explained);
	add_test(cat, pause_loop_needs_ple);
	add_test(cat, apic_family_proven_or_explained);
	add_test(cat, spec_msrs_follow_cpuid);
	add_test(cat, io_latencies_proven_or_explained);
	add_test(cat, io_latency_needs_one_clock);
	add_test(cat, ipis_proven_or_explained);
	add_test(cat, vcpu_switch_proven);
	add_test(cat, dangerous_needs_opt_in);
	add_test(cat, no_exit_is_not_timed);
	kvm_tcase_add(s, cat);
	/* Counted as they are added, so a host without KVM accounts for every one. */
	if (!kvm_cases_run_here(ntests))
		return 77;	/* nothing ran here */
	/* One process: the suite fixture runs the catalog once for three tests. */
	return check_run(s, true);
}
