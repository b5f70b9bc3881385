/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "hostwatch.h"
#include "run.h"
#include "tsc_stamp.h"

const char *const run_stat_names[] = {
	[STAT_EXITS] = "exits",
	[STAT_IO_EXITS] = "io_exits",
	[STAT_MMIO_EXITS] = "mmio_exits",
	[STAT_HALT_EXITS] = "halt_exits",
	[STAT_HYPERCALLS] = "hypercalls",
	[STAT_INSN_EMULATION] = "insn_emulation",
	[STAT_SIGNAL_EXITS] = "signal_exits",
	[STAT_PF_TAKEN] = "pf_taken",
	[STAT_PF_FIXED] = "pf_fixed",
	[STAT_HALT_WAKEUP] = "halt_wakeup",
};
_Static_assert(sizeof(run_stat_names) / sizeof(run_stat_names[0]) == STAT_COUNT,
	       "run_stat_names: one name per enum run_stat");

#define WATCHDOG_SIGNAL SIGUSR1

/*
 * The kvm_run of the vCPU being run, for the signal handler. Per thread:
 * --parallel runs a vCPU on each, and each thread's watchdog timer signals
 * that thread only.
 */
static __thread struct kvm_run *volatile current_run;
static __thread volatile sig_atomic_t watchdog_ticks;

static void watchdog_handler(int sig)
{
	(void)sig;
	watchdog_ticks++;
	/* Closes the race where the signal lands just before KVM_RUN. */
	if (current_run)
		current_run->immediate_exit = 1;
}

int run_init(char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = watchdog_handler };

	sigemptyset(&sa.sa_mask);
	if (sigaction(WATCHDOG_SIGNAL, &sa, NULL))
		return ERR("sigaction: %s", strerror(errno));
	return 0;
}

/* A periodic timer aimed at this thread only: it interrupts our KVM_RUN. */
static int watchdog_arm(timer_t *t, double period_s)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = WATCHDOG_SIGNAL,
	};
	struct itimerspec its;

	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, t))
		return -1;
	its.it_value.tv_sec = (time_t)period_s;
	its.it_value.tv_nsec = (long)((period_s - (double)(time_t)period_s) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec < 1000000)
		its.it_value.tv_nsec = 1000000;
	its.it_interval = its.it_value;
	return timer_settime(*t, 0, &its, NULL);
}

static void read_stats(struct vm *vm, uint64_t *v, bool *valid)
{
	for (int i = 0; i < STAT_COUNT; i++)
		valid[i] = kvm_stats_get(&vm->stats, run_stat_names[i], &v[i]) == 0;
}

static const char *exception_name(uint64_t v)
{
	static const char *const n[] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
		"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
		"#VE", "#CP",
	};
	return v < sizeof(n) / sizeof(n[0]) ? n[v] : "exception";
}

static void run_fail(struct vm *vm, struct run_res *res, enum run_status st, bool dump,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void run_fail(struct vm *vm, struct run_res *res, enum run_status st, bool dump,
		 const char *fmt, ...)
{
	va_list ap;

	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	if (dump) {
		FILE *f = fmemopen(res->dump, sizeof(res->dump), "w");

		if (f) {
			vm_dump(vm, f);
			fclose(f);
		}
	}
}

static void ucall_failed(struct vm *vm, struct run_res *res, uint32_t what)
{
	struct ctl_block *ctl = vm_ctl(vm);

	if (what == UCALL_FAIL) {
		ctl->msg[sizeof(ctl->msg) - 1] = 0;
		run_fail(vm, res, RUN_GUEST_FAILED, false, "guest reported failure: %s", ctl->msg);
	} else if (what == UCALL_EXCEPTION) {
		run_fail(vm, res, RUN_EXCEPTION, true,
		     "guest exception %s (vector %llu, error code %#llx) at RIP %#llx, CPL %llu%s",
		     exception_name(ctl->exc_vector), (unsigned long long)ctl->exc_vector,
		     (unsigned long long)ctl->exc_error, (unsigned long long)ctl->exc_rip,
		     (unsigned long long)(ctl->exc_cs & 3),
		     ctl->exc_vector == 14 ? " (see CR2 in the dump)" : "");
		if (ctl->exc_vector == 14) {
			size_t l = strlen(res->dump);

			snprintf(res->dump + l, sizeof(res->dump) - l, "  fault address (CR2) %#llx\n",
				 (unsigned long long)ctl->exc_cr2);
		}
	} else {
		run_fail(vm, res, RUN_GUEST_FAILED, true, "guest sent unknown report %u", what);
	}
}

/* The guest finished a round: the host prepares the next one. 1, or -1. */
static int rearm(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	char err[200];

	if (!req->rounds) {
		run_fail(vm, res, RUN_KVM_ERROR, true, "the guest asked to re-arm a round, but this "
		     "run has no rounds");
		return -1;
	}
	if (page_rounds_rearm(req->rounds, err, sizeof(err))) {
		run_fail(vm, res, RUN_HOST_ERROR, false, "re-arming round %llu: %s",
		     (unsigned long long)res->rearms + 2, err);
		return -1;
	}
	res->rearms++;
	return 1;
}

/*
 * The answers to the exits the payloads make on purpose: a count, and for
 * a read the zeros it gets. Inline: bench_exit() runs them between KVM_RUN's
 * return and the next entry, inside every userspace round trip timed.
 */
static inline void answer_bench_io(struct kvm_run *run, struct run_res *res)
{
	if (run->io.direction == KVM_EXIT_IO_IN)
		memset((uint8_t *)run + run->io.data_offset, 0,
		       (size_t)run->io.size * run->io.count);
	res->bench_io++;
	res->bench_io_elems += run->io.count;
	res->bench_widths |= 1u << (run->io.size & 15);
}

static inline void answer_bench_mmio(struct kvm_run *run, struct run_res *res)
{
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
	res->bench_mmio++;
	res->bench_widths |= 1u << (run->mmio.len & 15);
}

/* Only the MSR filter sends MSRs here: a read gets 0, a write is taken (no #GP). */
static inline void answer_filtered_msr(struct kvm_run *run, struct run_res *res)
{
	run->msr.error = 0;
	if (run->exit_reason == KVM_EXIT_X86_RDMSR) {
		run->msr.data = 0;
		res->msr_rd++;
	} else {
		res->msr_wr++;
	}
}

/*
 * What one exit means: one function per KVM_EXIT_* the run loop knows,
 * each returning 1 to go on, 0 when the guest is done, -1 on failure (res
 * says why), and dispatch() picking it by the exit reason.
 */
static int on_io(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	struct kvm_run *run = vm->run;
	uint32_t what;

	if (run->io.port == BENCH_PORT) {
		answer_bench_io(run, res);
		return 1;
	}
	if (run->io.port == UCALL_PORT && run->io.direction == KVM_EXIT_IO_OUT &&
	    run->io.size == 4) {
		memcpy(&what, (uint8_t *)run + run->io.data_offset, 4);
		if (what == UCALL_DONE)
			return 0;
		if (what == UCALL_REARM)
			return rearm(vm, req, res);
		ucall_failed(vm, res, what);
		return -1;
	}
	if (run->io.port == IOEVENT_PORT) {
		run_fail(vm, res, RUN_KVM_ERROR, false, "a write to port %#x reached userspace "
		     "(KVM_EXIT_IO): no ioeventfd completed it in the kernel", run->io.port);
		return -1;
	}
	run_fail(vm, res, RUN_KVM_ERROR, true, "unexpected port %s of port %#x",
	     run->io.direction == KVM_EXIT_IO_IN ? "read" : "write", run->io.port);
	return -1;
}

static int on_mmio(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	struct kvm_run *run = vm->run;

	(void)req;
	if (run->mmio.phys_addr >= GPA_MMIO && run->mmio.phys_addr < GPA_MMIO + 0x1000) {
		answer_bench_mmio(run, res);
		return 1;
	}
	if (run->mmio.phys_addr == GPA_IOEVENT_MMIO) {
		run_fail(vm, res, RUN_KVM_ERROR, false, "a write to GPA %#llx reached "
		     "userspace (KVM_EXIT_MMIO): no ioeventfd completed it in the kernel",
		     run->mmio.phys_addr);
		return -1;
	}
	run_fail(vm, res, RUN_KVM_ERROR, true, "unexpected MMIO %s at %#llx",
	     run->mmio.is_write ? "write" : "read", run->mmio.phys_addr);
	return -1;
}

static int on_hlt(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	(void)vm;
	(void)req;
	res->hlt++;
	return 1;
}

static int on_msr(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	struct kvm_run *run = vm->run;

	(void)req;
	if (run->msr.reason != KVM_MSR_EXIT_REASON_FILTER) {
		run_fail(vm, res, RUN_KVM_ERROR, true, "unexpected MSR %#x exit (reason %#x)",
		     run->msr.index, run->msr.reason);
		return -1;
	}
	answer_filtered_msr(run, res);
	return 1;
}

static int on_shutdown(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	(void)req;
	run_fail(vm, res, RUN_KVM_ERROR, true,
	     "guest shut down (triple fault: an exception it could not report)");
	return -1;
}

static int on_internal_error(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	struct kvm_run *run = vm->run;

	(void)req;
	res->emulation_failed = run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION;
	run_fail(vm, res, RUN_KVM_ERROR, true, "KVM internal error (suberror %u%s)",
	     run->internal.suberror, run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
	     ": KVM could not emulate an instruction" : "");
	return -1;
}

static int on_fail_entry(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	(void)req;
	run_fail(vm, res, RUN_KVM_ERROR, true, "VM entry failed, hardware reason %#llx",
	     (unsigned long long)vm->run->fail_entry.hardware_entry_failure_reason);
	return -1;
}

static int (*const on_exit[])(struct vm *, const struct run_req *, struct run_res *) = {
	[KVM_EXIT_IO] = on_io,
	[KVM_EXIT_MMIO] = on_mmio,
	[KVM_EXIT_HLT] = on_hlt,
	[KVM_EXIT_X86_RDMSR] = on_msr,
	[KVM_EXIT_X86_WRMSR] = on_msr,
	[KVM_EXIT_SHUTDOWN] = on_shutdown,
	[KVM_EXIT_INTERNAL_ERROR] = on_internal_error,
	[KVM_EXIT_FAIL_ENTRY] = on_fail_entry,
};

static int dispatch(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	uint32_t why = vm->run->exit_reason;

	if (why < sizeof(on_exit) / sizeof(on_exit[0]) && on_exit[why])
		return on_exit[why](vm, req, res);
	run_fail(vm, res, RUN_KVM_ERROR, true, "unexpected KVM exit reason %u", why);
	return -1;
}

static void prepare_ctl(struct vm *vm, const struct run_req *req)
{
	struct ctl_block *ctl = vm_ctl(vm);

	memset(ctl, 0, sizeof(*ctl));
	ctl->magic = CTL_MAGIC;
	ctl->version = CTL_VERSION;
	ctl->payload = req->payload;
	ctl->flags = req->flags;
	ctl->iterations = req->iterations;
	ctl->arg0 = req->arg0;
	ctl->arg1 = req->arg1;
	ctl->gate_gpa = req->gate_gpa;
	ctl->gate_count = req->gate_count;
	ctl->samples_gpa = vm->samples_gpa;
}

/* Progress the watchdog can see: stored samples plus exits handled here. */
static uint64_t progress(struct vm *vm, const struct run_res *res)
{
	return vm_ctl(vm)->completed + res->bench_io + res->bench_mmio + res->hlt +
	       res->msr_rd + res->msr_wr;
}

/*
 * The benchmark's own exits, answered in a few instructions: what the host
 * does between KVM_RUN's return and the next entry is part of every
 * userspace round trip it times, so here is only a count and, for a read,
 * the zeros it gets. 1: this request's benchmark exit (@req->bench_exit's
 * KVM_EXIT_*, or 0: port I/O on BENCH_PORT, MMIO in the hole, HLT); 0:
 * anything else, which dispatch() handles.
 */
static inline __attribute__((always_inline)) int
bench_exit(const struct run_req *req, bool msr_bench, struct kvm_run *run, struct run_res *res)
{
	uint32_t why = run->exit_reason;

	if (msr_bench) {
		if (why != req->bench_exit || run->msr.reason != KVM_MSR_EXIT_REASON_FILTER)
			return 0;
		answer_filtered_msr(run, res);
		return 1;
	}
	if (why == KVM_EXIT_IO) {
		if (run->io.port != BENCH_PORT)
			return 0;
		answer_bench_io(run, res);
	} else if (why == KVM_EXIT_MMIO) {
		if (run->mmio.phys_addr - GPA_MMIO >= 0x1000)
			return 0;
		answer_bench_mmio(run, res);
	} else if (why == KVM_EXIT_HLT) {
		res->hlt++;
	} else {
		return 0;
	}
	return 1;
}

/* A KVM_RUN return that was not a benchmark exit: it disturbs the sample it lands in. */
static void note_other(const struct run_req *req, struct run_res *res, uint64_t t_ret)
{
	if (!req->other_ret)
		return;
	if (res->nother < req->other_cap)
		req->other_ret[res->nother++] = t_ret;
	else
		res->other_lost++;
}

/*
 * @msr_bench (req->bench_exit set) is a constant in each of the two copies
 * exit_loop() makes of this loop, so neither tests it per exit.
 */
static inline __attribute__((always_inline)) int
exit_loop_for(struct vm *vm, const struct run_req *req, struct run_res *res, const bool msr_bench)
{
	struct kvm_run *run = vm->run;
	const int fd = vm->vcpu_fd;
	uint64_t last_progress = 0, nbench = 0, *const host_ret = req->host_ret,
		 *const host_enter = req->host_enter;
	const uint64_t nstamps = req->iterations;
	sig_atomic_t last_tick = watchdog_ticks;
	uint64_t t_enter, t_ret;
	int r;

	for (;;) {
		r = ioctl(fd, KVM_RUN, 0);
		t_ret = stamp_end_rdtscp();
		if (__builtin_expect(r == 0 && bench_exit(req, msr_bench, run, res), 1)) {
			/* The round trip's host side: its two stamps and nothing else. */
			nbench++;
			if (host_ret && nbench <= nstamps)
				host_ret[nbench - 1] = t_ret;
			if (req->handler_work)
				req->handler_work(req->handler_arg);
			t_enter = stamp_begin();
			/*
			 * Only the first entry after a benchmark exit: a signal
			 * later in the guest re-enters too, and that entry belongs
			 * to no sample. A signal in the handler makes an immediate
			 * return between this entry and the guest's end stamp,
			 * which marks the sample disturbed.
			 */
			if (host_enter && nbench <= nstamps)
				host_enter[nbench - 1] = t_enter;
			continue;
		}
		/*
		 * The host-side watch sees progress here, off the timed path: the
		 * watchdog's signal brings every KVM_RUN back through here at
		 * least once a period, far within the watch's bound.
		 */
		hostwatch_kick();
		res->bench_exits = nbench;
		if (r < 0 && errno == EINTR) {
			run->immediate_exit = 0;
			res->intr++;
			note_other(req, res, t_ret);
			if (watchdog_ticks == last_tick)
				continue;
			last_tick = watchdog_ticks;
			if (progress(vm, res) == last_progress) {
				run_fail(vm, res, RUN_TIMEOUT, true,
				     "guest made no progress for %.1f s (watchdog): hung after "
				     "%llu of %llu iterations", req->timeout_s,
				     (unsigned long long)vm_ctl(vm)->completed,
				     (unsigned long long)req->iterations);
				return -1;
			}
			last_progress = progress(vm, res);
			continue;
		}
		if (r < 0) {
			run_fail(vm, res, RUN_HOST_ERROR, false, "KVM_RUN failed: %s", strerror(errno));
			return -1;
		}
		/* Any other exit: a report, a re-arm, or a failure. */
		r = dispatch(vm, req, res);
		if (r <= 0)
			return r;
		note_other(req, res, t_ret);
	}
}

static int exit_loop(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	return req->bench_exit ? exit_loop_for(vm, req, res, true) :
				 exit_loop_for(vm, req, res, false);
}

int run_payload(struct vm *vm, const struct run_req *req, struct run_res *res)
{
	uint64_t before[STAT_COUNT], after[STAT_COUNT];
	bool valid_b[STAT_COUNT], valid_a[STAT_COUNT];
	char err[256];
	timer_t timer;
	int r;

	memset(res, 0, sizeof(*res));
	if (req->bench_exit && req->bench_exit != KVM_EXIT_X86_RDMSR &&
	    req->bench_exit != KVM_EXIT_X86_WRMSR) {
		run_fail(vm, res, RUN_HOST_ERROR, false, "a benchmark exit of KVM_EXIT_* %u: the "
			 "run loop answers only the MSR filter's exits by name", req->bench_exit);
		return -1;
	}
	prepare_ctl(vm, req);
	if (vm_reset_vcpu(vm, req->cpl, err, sizeof(err))) {
		run_fail(vm, res, RUN_HOST_ERROR, false, "%s", err);
		return -1;
	}
	if (watchdog_arm(&timer, req->timeout_s)) {
		run_fail(vm, res, RUN_HOST_ERROR, false, "cannot arm the watchdog: %s",
		     strerror(errno));
		return -1;
	}
	current_run = vm->run;
	if (!req->sibling)
		hostwatch_arm("KVM_RUN (a vCPU that no signal brings back)");
	read_stats(vm, before, valid_b);
	r = exit_loop(vm, req, res);
	read_stats(vm, after, valid_a);
	if (!req->sibling)
		hostwatch_disarm();
	current_run = NULL;
	timer_delete(timer);
	vm->run->immediate_exit = 0;
	for (int i = 0; i < STAT_COUNT; i++) {
		res->stat_valid[i] = valid_a[i] && valid_b[i];
		res->stat[i] = res->stat_valid[i] ? after[i] - before[i] : 0;
	}
	res->completed = vm_ctl(vm)->completed;
	res->guest_result = vm_ctl(vm)->arg1;
	res->irq_in_shadow = vm_ctl(vm)->irq_in_shadow;
	res->kvm_answered_cpuid = vm_ctl(vm)->cpuid_probe[0] == CPUID_MARKER_EAX &&
				  vm_ctl(vm)->cpuid_probe[1] == CPUID_MARKER_EBX &&
				  vm_ctl(vm)->cpuid_probe[2] == CPUID_MARKER_ECX &&
				  vm_ctl(vm)->cpuid_probe[3] == CPUID_MARKER_EDX;
	if (r == 0)
		res->status = RUN_OK;
	return r;
}

int run_bench_count(const struct run_res *res, uint32_t kvm_exit, uint64_t *n)
{
	switch (kvm_exit) {
	case KVM_EXIT_IO:
		*n = res->bench_io;
		return 0;
	case KVM_EXIT_MMIO:
		*n = res->bench_mmio;
		return 0;
	case KVM_EXIT_HLT:
		*n = res->hlt;
		return 0;
	case KVM_EXIT_X86_RDMSR:
		*n = res->msr_rd;
		return 0;
	case KVM_EXIT_X86_WRMSR:
		*n = res->msr_wr;
		return 0;
	default:
		return -1;
	}
}

int run_msr_to_user(struct vm *vm, uint32_t msr, char *err, size_t errlen)
{
	/* One bit, cleared: deny, which with the cap below means "exit to userspace". */
	static uint8_t deny_bitmap[1];
	struct kvm_msr_filter filter = { .flags = KVM_MSR_FILTER_DEFAULT_ALLOW };
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		.args[0] = KVM_MSR_EXIT_REASON_FILTER,
	};

	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_USER_SPACE_MSR) <= 0 ||
	    ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_MSR_FILTER) <= 0)
		return ERR("this kernel lacks KVM_CAP_X86_USER_SPACE_MSR or "
			 "KVM_CAP_X86_MSR_FILTER, so no MSR access reaches userspace");
	if (msr != UINT32_MAX) {
		filter.ranges[0] = (struct kvm_msr_filter_range){
			.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
			.nmsrs = 1, .base = msr, .bitmap = deny_bitmap,
		};
		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
			return ERR("KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR) failed: %s",
				 strerror(errno));
	}
	/* No ranges and default allow: back to KVM handling every MSR. */
	if (ioctl(vm->vm_fd, KVM_X86_SET_MSR_FILTER, &filter))
		return ERR("KVM_X86_SET_MSR_FILTER failed: %s", strerror(errno));
	return 0;
}
