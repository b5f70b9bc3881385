/* SPDX-License-Identifier: MIT */
/* Runs one payload on a VM: the exit loop, its dispatch and the watchdog. */
#ifndef VMEXIT_RUN_H
#define VMEXIT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "memslot.h"
#include "vm.h"

struct run_req {
	enum payload payload;
	int cpl;
	uint32_t flags;			/* CTL_F_* */
	uint64_t iterations;		/* warm-up included */
	uint64_t arg0, arg1;
	double timeout_s;		/* no progress for this long: hung */
	/* Optional: one host stamp per benchmark exit (iterations entries each). */
	uint64_t *host_ret;		/* right after KVM_RUN returned */
	uint64_t *host_enter;		/* right before KVM_RUN was entered again */
	/* Optional: called from the userspace handler of each benchmark exit. */
	void (*handler_work)(void *arg);
	void *handler_arg;
	/*
	 * Optional: host stamps (right after the return) of every KVM_RUN
	 * return that was not a benchmark exit, up to other_cap of them; a
	 * sample holding one was disturbed.
	 */
	uint64_t *other_ret;
	size_t other_cap;
	/*
	 * The benchmark's exit where it is an MSR filter's: KVM_EXIT_X86_RDMSR
	 * or KVM_EXIT_X86_WRMSR (a payload that makes the other one too:
	 * wrmsr_user reads the MSR first); 0: any of KVM_EXIT_IO on BENCH_PORT,
	 * KVM_EXIT_MMIO in the hole, KVM_EXIT_HLT. Anything else is refused.
	 */
	uint32_t bench_exit;
	/*
	 * Optional: a payload that goes in rounds asks the host to prepare
	 * its next one (UCALL_REARM); the run loop re-arms these pages.
	 */
	struct page_rounds *rounds;
	/*
	 * A --parallel sibling's run on its own thread (runner/parallel.c):
	 * the host-side watch is armed by vCPU 0's thread, around its own run
	 * and then the siblings' join; a sibling's progress keeps it fed, so a
	 * sibling that finishes later than vCPU 0 is not taken for a hang.
	 */
	bool sibling;
	/* --parallel: the start gate every vCPU waits at (ctl_block's gate_*); 0: none. */
	uint64_t gate_gpa, gate_count;
};

/* Names of the vCPU stats whose growth a run reports. */
enum run_stat {
	STAT_EXITS,
	STAT_IO_EXITS,
	STAT_MMIO_EXITS,
	STAT_HALT_EXITS,
	STAT_HYPERCALLS,
	STAT_INSN_EMULATION,
	STAT_SIGNAL_EXITS,
	STAT_PF_TAKEN,		/* guest accesses KVM's MMU had to handle */
	STAT_PF_FIXED,		/* ... and fixed by mapping or unprotecting a page */
	STAT_HALT_WAKEUP,
	STAT_COUNT,
};
extern const char *const run_stat_names[];	/* STAT_COUNT names */

enum run_status {
	RUN_OK,
	RUN_GUEST_FAILED,	/* the guest reported failure */
	RUN_EXCEPTION,		/* the guest took an exception */
	RUN_TIMEOUT,		/* watchdog */
	RUN_KVM_ERROR,		/* shutdown, internal error, entry failure, unexpected exit */
	RUN_HOST_ERROR,		/* an ioctl failed */
};

struct run_res {
	enum run_status status;
	char err[256];			/* one line */
	char dump[2048];		/* registers and code bytes, on failure */
	uint64_t completed;		/* iterations whose sample the guest stored */
	/* Exits the loop saw. */
	uint64_t bench_io;		/* KVM_EXIT_IO on BENCH_PORT */
	uint64_t bench_mmio;		/* KVM_EXIT_MMIO in the MMIO hole */
	uint64_t bench_io_elems;	/* elements those KVM_EXIT_IO moved (io.count, summed) */
	unsigned bench_widths;		/* bit N: a KVM_EXIT_IO/_MMIO of N bytes was seen */
	uint64_t hlt;			/* KVM_EXIT_HLT */
	uint64_t msr_rd;		/* KVM_EXIT_X86_RDMSR */
	uint64_t msr_wr;		/* KVM_EXIT_X86_WRMSR */
	uint64_t intr;			/* KVM_RUN interrupted by a signal */
	uint64_t bench_exits;		/* exits that were the benchmark's (stamped) */
	size_t nother;			/* other_ret entries written */
	uint64_t other_lost;		/* other returns beyond other_cap */
	uint64_t rearms;		/* UCALL_REARM answered */
	/* Growth of KVM's counters; valid[] false where the kernel lacks one. */
	uint64_t stat[STAT_COUNT];
	bool stat_valid[STAT_COUNT];
	uint64_t guest_result;		/* ctl->arg1 after the run */
	uint64_t irq_in_shadow;		/* interrupts taken in STI's shadow (ctl_block) */
	bool kvm_answered_cpuid;	/* the guest read back the CPUID marker */
	bool emulation_failed;		/* KVM's instruction emulator gave up (internal error) */
};

/* Installs the watchdog's signal handler; once per process. */
int run_init(char *err, size_t errlen);

/* Returns 0 when the guest finished (res->status RUN_OK), -1 otherwise. */
int run_payload(struct vm *vm, const struct run_req *req, struct run_res *res);

/*
 * The benchmark exits of KVM_EXIT_* @kvm_exit that the run loop counted in
 * @res (KVM_EXIT_IO on BENCH_PORT, KVM_EXIT_MMIO in the hole, KVM_EXIT_HLT,
 * the MSR filter's RDMSR and WRMSR), in *@n; -1 for an exit it never counts.
 */
int run_bench_count(const struct run_res *res, uint32_t kvm_exit, uint64_t *n);


/*
 * Sends guest RDMSR/WRMSR of @msr to userspace (KVM_CAP_X86_USER_SPACE_MSR
 * with KVM_MSR_EXIT_REASON_FILTER, and a KVM_X86_SET_MSR_FILTER range that
 * denies it); @msr == UINT32_MAX removes the filter. -1 with a message
 * when the kernel cannot.
 */
int run_msr_to_user(struct vm *vm, uint32_t msr, char *err, size_t errlen);

#endif
