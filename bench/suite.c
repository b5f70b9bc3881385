/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <linux/kvm.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "caps_spec.h"
#include "env.h"
#include "hostprep.h"
#include "hostwatch.h"
#include "phases.h"
#include "progress.h"
#include "stats.h"
#include "suite.h"
#include "tsc.h"

/* A host-side call silent this many watchdog periods, at least this long, is hung. */
#define HOSTWATCH_PERIODS 4
#define HOSTWATCH_MIN_S 30.0
/* Short untimed runs: probes and the CPL0 emulation check. */
#define PROBE_ITERATIONS 64
#define PROBE_TIMEOUT_S 2.0
/* CPL0 is "emulated" when a NOP costs this many times more there than at CPL3. */
#define EMULATION_RATIO 10.0
#define EMULATION_MIN_TICKS 1000.0
/* An exiting benchmark must add at least this many exits per iteration over the floor. */
#define MIN_EXTRA_EXITS_PER_ITER 0.99
/* OUT exchanges that check guest TSC == host TSC before each userspace split. */
#define CAL_ITERATIONS 1000
/* Non-benchmark KVM_RUN returns remembered per run (the watchdog's, mostly). */
#define OTHER_RET_CAP 65536
/* A hypercall that has not returned after this long never will (the watchdog's period). */
#define VMCALL_PROBE_TIMEOUT_S 0.3
/* Iterations of the pre-flight run that refuses an exit emulated CPL0 does not make. */
#define PREFLIGHT_ITERATIONS 256
/*
 * A passed-through access makes fewer exits per iteration than this beyond
 * the floor's: "no exit". An intercepted instruction exits every time it
 * runs, so anything well below one per iteration is background (timer
 * interrupts, host preemption), whose rate per iteration grows with the
 * loop's length and is not the floor's: under TCG, cr8_read with SVM's
 * V_TPR shows 0.02. Between this and one per iteration the run failed.
 */
#define MAX_PASSTHROUGH_EXITS_PER_ITER 0.25
/* Exits to userspace made under tracing to see whether kvm_exit is emitted at all. */
#define TRACE_PROBE_ITERATIONS 64

int suite_pin(int cpu, char *err, size_t errlen)
{
	cpu_set_t set;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set)) {
			snprintf(err, errlen, "sched_getaffinity: %s", strerror(errno));
			return -1;
		}
		for (int c = CPU_SETSIZE - 1; c >= 0; c--)
			if (CPU_ISSET(c, &set)) {
				cpu = c;
				break;
			}
	}
	if (cpu < 0 || cpu >= CPU_SETSIZE) {
		snprintf(err, errlen, "no CPU to pin to");
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		snprintf(err, errlen, "cannot pin to CPU %d: %s (online CPUs: 0-%ld)", cpu,
			 strerror(errno), sysconf(_SC_NPROCESSORS_ONLN) - 1);
		return -1;
	}
	return cpu;
}

int suite_pick_cpl(const struct bench_def *b, enum cpl_mode mode, bool cpl0_emulated,
		   const char **why)
{
	bool needs0 = b->needs & NEED_CPL0;

	*why = NULL;
	switch (mode) {
	case CPL_0:
		return 0;
	case CPL_3:
		if (needs0) {
			*why = "needs CPL0 (privileged instruction) and --cpl 3 was given";
			return -1;
		}
		return 3;
	case CPL_AUTO:
	default:
		return (cpl0_emulated && !needs0) ? 3 : 0;
	}
}

static int vm_renew(struct suite *s, char *err, size_t errlen)
{
	if (s->vm_live)
		vm_destroy(&s->vm);
	s->vm_live = vm_create_flavour(&s->vm, s->sample_bytes,
				       s->want_irqchip ? VM_IRQCHIP : 0, err, errlen) == 0;
	return s->vm_live ? 0 : -1;
}

static uint32_t run_flags(const struct suite *s, int cpl)
{
	return (s->rdtscp_ok[cpl] ? CTL_F_RDTSCP : 0) | (s->caps.amd ? CTL_F_VMMCALL : 0);
}

/* Raw per-iteration deltas, warm-up dropped. Returns -1 if the TSC ran backwards. */
static int raw_deltas(const struct vm *vm, uint64_t first, uint64_t n, double *out,
		      size_t *backwards)
{
	const struct sample *smp = (const struct sample *)(vm->mem + GPA_SAMPLES);

	*backwards = 0;
	for (uint64_t i = 0; i < n; i++) {
		const struct sample *x = &smp[first + i];

		if (x->after < x->before)
			(*backwards)++;
		out[i] = (double)(int64_t)(x->after - x->before);
	}
	return *backwards ? -1 : 0;
}

static void probe_rdtscp(struct suite *s, int cpl)
{
	struct run_req req = {
		.payload = PAYLOAD_PROBE_RDTSCP, .cpl = cpl, .iterations = 1,
		.timeout_s = PROBE_TIMEOUT_S,
	};
	struct run_res res;
	char err[256];

	s->rdtscp_ok[cpl] = run_payload(&s->vm, &req, &res) == 0;
	snprintf(s->rec.timer[cpl == 3 ? 2 : 0], sizeof(s->rec.timer[0]), "%s",
		 s->rdtscp_ok[cpl] ? "lfence;rdtsc .. rdtscp;lfence" :
		 "lfence;rdtsc .. lfence;rdtsc;lfence (RDTSCP unavailable at this CPL)");
	if (!s->rdtscp_ok[cpl])
		vm_renew(s, err, sizeof(err));
}

/* Median raw NOP interval at @cpl over a short run; -1 on failure. */
static double quick_floor(struct suite *s, int cpl)
{
	struct run_req req = {
		.payload = PAYLOAD_NOP, .cpl = cpl, .iterations = PROBE_ITERATIONS,
		.flags = run_flags(s, cpl), .timeout_s = PROBE_TIMEOUT_S,
	};
	double v[PROBE_ITERATIONS];
	struct run_res res;
	size_t back;
	char err[256];

	if (run_payload(&s->vm, &req, &res)) {
		vm_renew(s, err, sizeof(err));
		return -1;
	}
	if (raw_deltas(&s->vm, 0, PROBE_ITERATIONS, v, &back))
		return -1;
	return stats_median(v, PROBE_ITERATIONS);
}

/*
 * Bochs sets no CPUID hypervisor bit and has no signature leaf; its BIOS
 * names itself in the DMI tables ("The Bochs Project"), which QEMU's
 * SeaBIOS and OVMF do not.
 */
static bool bios_is_bochs(void)
{
	char v[128] = "";
	FILE *f = fopen("/sys/class/dmi/id/bios_vendor", "r");

	if (!f)
		return false;
	if (!fgets(v, sizeof(v), f))
		v[0] = 0;
	fclose(f);
	return strstr(v, "Bochs") != NULL;
}

int suite_init(struct suite *s, const struct options *opt, char *err, size_t errlen)
{
	unsigned long long total = opt->iterations + opt->warmup;
	char vendor[16], clocks[128];
	bool hv;
	double f0, f3;
	int cpu;

	memset(s, 0, sizeof(*s));
	s->opt = opt;
	if (total > VM_MAX_SAMPLES) {
		snprintf(err, errlen, "--iterations + --warmup = %llu exceeds the %llu samples "
			 "guest memory holds", total, (unsigned long long)VM_MAX_SAMPLES);
		return -1;
	}
	s->sample_bytes = (total > CAL_ITERATIONS ? total : CAL_ITERATIONS) *
			  sizeof(struct sample);
	cpu = suite_pin(opt->cpu, err, errlen);
	if (cpu < 0 || run_init(err, errlen))
		return -1;
	/*
	 * The run loop's watchdog signal returns every KVM_RUN at least once
	 * per --timeout; a call into the kernel silent for several of those
	 * periods will not come back.
	 */
	if (hostwatch_start(opt->timeout_s * HOSTWATCH_PERIODS > HOSTWATCH_MIN_S ?
			    opt->timeout_s * HOSTWATCH_PERIODS : HOSTWATCH_MIN_S)) {
		snprintf(err, errlen, "cannot start the host-side watchdog thread");
		return -1;
	}
	if (vm_renew(s, err, errlen))
		return -1;
	s->rec.pinned_cpu = cpu;
	s->rec.iterations = opt->iterations;
	s->rec.warmup = opt->warmup;
	s->rec.tsc_khz = s->vm.tsc_khz;
	snprintf(s->rec.tsc_source, sizeof(s->rec.tsc_source), "%s",
		 s->vm.tsc_khz ? "KVM_GET_TSC_KHZ" : "unknown");
	snprintf(s->rec.cpl_mode, sizeof(s->rec.cpl_mode), "%s",
		 opt->cpl == CPL_0 ? "0" : opt->cpl == CPL_3 ? "3" : "auto");
	if (opt->handler_work_ns && !s->vm.tsc_khz) {
		snprintf(err, errlen, "--handler-work needs the TSC frequency, and "
			 "KVM_GET_TSC_KHZ did not give it");
		return -1;
	}
	s->handler_ticks = (uint64_t)((double)opt->handler_work_ns * s->vm.tsc_khz / 1e6 + 0.5);
	s->caps.kvm = true;
	s->caps.amd = s->vm.amd;
	s->caps.stats_fd = s->vm.stats.fd >= 0;
	s->caps.allow_dangerous = opt->allow_dangerous;
	hv = env_hypervisor(vendor, sizeof(vendor));
	s->caps.tcg = hv && !strcmp(vendor, "TCGTCGTCGTCG");
	s->caps.bochs = !hv && bios_is_bochs();
	if (s->caps.tcg || s->caps.bochs)
		snprintf(s->rec.emulator, sizeof(s->rec.emulator), "%s",
			 s->caps.tcg ? "tcg" : "bochs");
	env_clocksources(clocks, sizeof(clocks));
	if (!env_tsc_trusted(clocks))
		snprintf(s->tsc_untrusted, sizeof(s->tsc_untrusted), "the host kernel marked its "
			 "TSC unstable (clocksources '%.40s', no tsc): KVM re-bases the guest "
			 "TSC whenever the vCPU is loaded, so guest stamps cannot be compared "
			 "with host stamps or trace events", clocks);
	suite_probe_irqchip(&s->caps, s->vm.kvm_fd);
	caps_probe_spec(&s->caps, s->vm.kvm_fd);
	probe_rdtscp(s, 3);
	probe_rdtscp(s, 0);
	f3 = quick_floor(s, 3);
	f0 = quick_floor(s, 0);
	s->caps.cpl0_emulated = f0 > 0 && f3 > 0 && f0 > EMULATION_RATIO * f3 &&
				f0 > EMULATION_MIN_TICKS;
	s->rec.cpl0_emulated = s->caps.cpl0_emulated;
	s->rec.cpl0_nop_probe = f0;
	s->rec.cpl3_nop_probe = f3;
	return 0;
}

void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->rec.nbench; i++)
		for (int p = 0; p < PHASE_COUNT; p++)
			free(s->rec.bench[i].samples[p]);
	free(s->rec.bench);
	trace_close(s->trace);
	s->trace = NULL;
	if (s->vm_live)
		vm_destroy(&s->vm);
	s->vm_live = false;
}

static struct bench_record *new_record(struct suite *s, const struct bench_def *b, int cpl)
{
	struct bench_record *r;
	void *p = realloc(s->rec.bench, (s->rec.nbench + 1) * sizeof(*r));

	if (!p)
		return NULL;
	s->rec.bench = p;
	r = &s->rec.bench[s->rec.nbench++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", b->name);
	r->cpl = cpl;
	r->emulated = cpl == 0 && s->caps.cpl0_emulated;
	r->tcg = s->caps.tcg;
	r->bochs = s->caps.bochs;
	return r;
}

static double per_iter(uint64_t count, uint64_t iters)
{
	return iters ? (double)count / (double)iters : 0;
}

static const char *loop_exit_name(enum exit_check c)
{
	switch (c) {
	case CHECK_LOOP_IO:
		return "KVM_EXIT_IO";
	case CHECK_LOOP_MMIO:
		return "KVM_EXIT_MMIO";
	case CHECK_LOOP_HLT:
		return "KVM_EXIT_HLT";
	case CHECK_LOOP_MSR_RD:
		return "KVM_EXIT_X86_RDMSR";
	case CHECK_LOOP_MSR_WR:
		return "KVM_EXIT_X86_WRMSR";
	default:
		return "?";
	}
}

/* The KVM_EXIT_* a benchmark's iterations make, where the payload makes others too. */
static uint32_t bench_exit_of(const struct bench_def *b)
{
	return b->check == CHECK_LOOP_MSR_RD ? KVM_EXIT_X86_RDMSR :
	       b->check == CHECK_LOOP_MSR_WR ? KVM_EXIT_X86_WRMSR : 0;
}

static bool filters_msr(const struct bench_def *b)
{
	return b->check == CHECK_LOOP_MSR_RD || b->check == CHECK_LOOP_MSR_WR;
}

void suite_probe_vmcall(struct suite *s)
{
	const struct bench_def *b = catalog_find("vmcall");
	struct run_req req = {
		.payload = PAYLOAD_VMCALL, .cpl = 0, .flags = run_flags(s, 0), .iterations = 1,
		.arg0 = b ? b->arg0 : 0, .timeout_s = VMCALL_PROBE_TIMEOUT_S,
	};
	struct run_res res;
	char err[256];

	if (s->vmcall_probed)
		return;
	s->vmcall_probed = true;
	s->want_irqchip = false;
	if (!s->vm_live && vm_renew(s, err, sizeof(err)))
		return;
	if (run_payload(&s->vm, &req, &res)) {
		/* Only a hang is a property of the host; other failures show in the run. */
		s->caps.vmcall_hangs = res.status == RUN_TIMEOUT;
		vm_renew(s, err, sizeof(err));
	}
}

void suite_probe_irqchip(struct host_caps *caps, int kvm_fd)
{
	caps->irqchip = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) > 0;
	if (!caps->irqchip)
		snprintf(caps->irqchip_error, sizeof(caps->irqchip_error),
			 "this KVM has no in-kernel irqchip (KVM_CAP_IRQCHIP)");
}

/* Exits per iteration the payload makes outside the timed interval (catalog). */
static double untimed_exits(const struct bench_def *b)
{
	return b->untimed_exits;
}

bool suite_no_exit(double extra_per_iter)
{
	return extra_per_iter < MAX_PASSTHROUGH_EXITS_PER_ITER;
}

/* Exits per iteration of KVM counter b->stat, beyond what the floor itself makes. */
static double stat_extra(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, uint64_t iters)
{
	return per_iter(res->stat[b->stat], iters) -
	       (b->stat == STAT_EXITS ? s->nop_exits_per_iter[cpl] : 0);
}

/*
 * One exit per iteration beyond the floor's rate, and beyond the payload's
 * untimed exits. The floor's background exits (timer interrupts) can be
 * absorbed by the benchmark's own: cr0_toggle at emulated CPL0 makes 11002
 * exits for 11000 iterations where the floor alone makes 0.02 per
 * iteration. So the raw rate must reach one per iteration, and the rate
 * beyond the floor may fall short of it by at most ABSORBED_PER_ITER.
 */
#define ABSORBED_PER_ITER 0.1
static bool exits_proven(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, uint64_t iters)
{
	double need = MIN_EXTRA_EXITS_PER_ITER + untimed_exits(b);

	return per_iter(res->stat[b->stat], iters) >= need &&
	       stat_extra(s, b, cpl, res, iters) >= need - ABSORBED_PER_ITER;
}

/* Proves each iteration exited the way the benchmark says. */
static bool verify_exits(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, const struct host_proof *hp, uint64_t iters,
			 struct bench_record *r)
{
	uint64_t seen;
	double extra;
	size_t l;

	switch (b->check) {
	case CHECK_NONE:
		snprintf(r->exit_check, sizeof(r->exit_check), "no exit expected");
		return true;
	case CHECK_LOOP_IO:
	case CHECK_LOOP_MMIO:
	case CHECK_LOOP_HLT:
	case CHECK_LOOP_MSR_RD:
	case CHECK_LOOP_MSR_WR:
		seen = b->check == CHECK_LOOP_IO ? res->bench_io :
		       b->check == CHECK_LOOP_MMIO ? res->bench_mmio :
		       b->check == CHECK_LOOP_HLT ? res->hlt :
		       b->check == CHECK_LOOP_MSR_RD ? res->msr_rd : res->msr_wr;
		r->exits_seen = seen;
		snprintf(r->exit_check, sizeof(r->exit_check), "%s exits seen by the run loop: "
			 "%llu for %llu iterations", loop_exit_name(b->check),
			 (unsigned long long)seen, (unsigned long long)iters);
		return seen == iters;
	case CHECK_CPUID:
		if (!res->kvm_answered_cpuid) {
			snprintf(r->exit_check, sizeof(r->exit_check),
				 "CPUID at CPL%d is not answered by KVM: the guest read the CPU's "
				 "own CPUID instead of KVM's marker leaf %#x (an outer hypervisor "
				 "or the CPU answers it)", cpl, CPUID_MARKER_LEAF);
			return false;
		}
		/* KVM answered; now prove each one was an exit. */
		__attribute__((fallthrough));
	case CHECK_STAT:
	case CHECK_PASSTHROUGH:
	case CHECK_PAGE_FAULT:
		if (!res->stat_valid[b->stat]) {
			snprintf(r->exit_check, sizeof(r->exit_check),
				 "KVM stat '%s' unavailable", run_stat_names[b->stat]);
			return false;
		}
		r->exits_seen = res->stat[b->stat];
		extra = stat_extra(s, b, cpl, res, iters);
		snprintf(r->exit_check, sizeof(r->exit_check),
			 "KVM stat '%s' +%llu over %llu iterations: %.2f per iteration "
			 "beyond the floor's", run_stat_names[b->stat],
			 (unsigned long long)res->stat[b->stat], (unsigned long long)iters, extra);
		if (untimed_exits(b)) {
			l = strlen(r->exit_check);
			snprintf(r->exit_check + l, sizeof(r->exit_check) - l,
				 ", %.0f of them untimed (STI;HLT)", untimed_exits(b));
		}
		if (hp->latency_proof[0]) {
			/* What a second vCPU or a host thread proved on top. */
			l = strlen(r->exit_check);
			snprintf(r->exit_check + l, sizeof(r->exit_check) - l, "; %s",
				 hp->latency_proof);
			if (!hp->latency_ok)
				return false;
		}
		if (b->check == CHECK_PAGE_FAULT && hp->rounds > 1) {
			l = strlen(r->exit_check);
			snprintf(r->exit_check + l, sizeof(r->exit_check) - l,
				 " (%llu rounds of %llu pages)", (unsigned long long)hp->rounds,
				 (unsigned long long)hp->round);
		}
		if (b->setup != SETUP_DIRTY_LOG)
			return exits_proven(s, b, cpl, res, iters);
		/* Each timed write must also have dirtied its page in KVM's log. */
		l = strlen(r->exit_check);
		if (!hp->has_dirty) {
			snprintf(r->exit_check + l, sizeof(r->exit_check) - l, "; dirty log: %.100s",
				 hp->err);
			return false;
		}
		snprintf(r->exit_check + l, sizeof(r->exit_check) - l,
			 "; KVM_GET_DIRTY_LOG: %llu pages dirtied", (unsigned long long)hp->dirty_pages);
		return exits_proven(s, b, cpl, res, iters) && hp->dirty_pages == iters;
	case CHECK_IOEVENTFD:
		if (!hp->has_eventfd) {
			snprintf(r->exit_check, sizeof(r->exit_check), "%.150s", hp->err);
			return false;
		}
		/* Any write that reached userspace instead has already failed the run. */
		r->exits_seen = hp->eventfd_count;
		snprintf(r->exit_check, sizeof(r->exit_check), "ioeventfd counter %llu for %llu "
			 "iterations, no KVM_EXIT_IO/KVM_EXIT_MMIO for them in the run loop",
			 (unsigned long long)hp->eventfd_count, (unsigned long long)iters);
		return hp->eventfd_count == iters;
	case CHECK_LATENCY:
		r->exits_seen = hp->eventfd_count;
		snprintf(r->exit_check, sizeof(r->exit_check), "%s", hp->latency_proof);
		return hp->latency_ok;
	}
	return false;
}

/*
 * The irqchip payloads step over a HLT whose interrupt came in STI's
 * shadow (irq.S), which hardware never does; say how often the host did.
 */
static void note_irq_shadow(struct bench_record *r, const struct run_res *res)
{
	size_t l = strlen(r->exit_check);

	if (!res->irq_in_shadow)
		return;
	snprintf(r->exit_check + l, sizeof(r->exit_check) - l,
		 "; %llu interrupts arrived in STI's interrupt shadow, before the HLT "
		 "(the host does not honour the shadow; the guest stepped over those HLTs)",
		 (unsigned long long)res->irq_in_shadow);
}

/* Interrupts a self-IPI payload expected inside its interval but took after it. */
static void note_irq_late(struct bench_record *r, uint64_t late)
{
	size_t l = strlen(r->exit_check);

	if (!late)
		return;
	snprintf(r->exit_check + l, sizeof(r->exit_check) - l,
		 "; %llu interrupts came only after the interval (taken by an untimed STI;HLT)",
		 (unsigned long long)late);
}

static void record_failure(struct bench_record *r, enum bench_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void record_failure(struct bench_record *r, enum bench_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/*
 * A latency that ends with the interrupt's delivery did not hold it when
 * the interrupt came only after the interval: no number. Emulated CPL0
 * may run STI;NOP;CLI without an interrupt window (a property of the
 * host); elsewhere it is a failure. True when the record is finished.
 */
static bool late_delivery(struct bench_record *r, const struct bench_def *b, uint64_t late,
			  uint64_t iters)
{
	if (!b->latency || !late)
		return false;
	if (r->emulated)
		record_failure(r, BENCH_UNSUPPORTED, "unsupported here: CPL0 is emulated by this "
			       "host and its emulator closed the interrupt window without "
			       "delivering: %llu of %llu interrupts came only after the interval",
			       (unsigned long long)late, (unsigned long long)iters);
	else
		record_failure(r, BENCH_FAILED, "%llu of %llu interrupts came only after the "
			       "interval that should hold their delivery", (unsigned long long)late,
			       (unsigned long long)iters);
	return true;
}

static void report_failure(const struct bench_record *r, const struct run_res *res)
{
	fprintf(stderr, "vmexit-bench: %s (CPL%d): %s\n", r->name, r->cpl, r->reason);
	if (res && res->dump[0])
		fputs(res->dump, stderr);
}

/* Takes ownership of @v (@n values in TSC ticks) as phase @p of @r. */
static int phase_row(struct bench_record *r, enum phase p, double *v, size_t n)
{
	double *copy = malloc(n * sizeof(*copy));

	if (!copy)
		return -1;
	memcpy(copy, v, n * sizeof(*copy));
	r->samples[p] = v;
	r->has_phase[p] = true;
	stats_describe(copy, n, &r->rows[p]);
	free(copy);
	_Static_assert(sizeof(r->rows[0].benchmark) == sizeof(r->name), "name sizes");
	memcpy(r->rows[p].benchmark, r->name, sizeof(r->name));
	r->rows[p].phase = p;
	r->rows[p].cpl = r->cpl;
	snprintf(r->rows[p].unit, sizeof(r->rows[0].unit), "%s",
		 r->bochs ? "emulated_ticks" : r->tcg ? "tcg_tsc_ticks" : "tsc_ticks");
	return 0;
}

/* The exit, handler and entry rows from @k split samples; ph[] is used up. */
static int store_split(struct bench_record *r, double *ph[PHASE_COUNT], size_t k)
{
	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++) {
		if (phase_row(r, p, ph[p], k))
			return -1;
		ph[p] = NULL;
	}
	return 0;
}

/* Stores the samples and their statistics; subtracts the floor unless asked not to. */
static int summarize(struct suite *s, struct bench_record *r, double *raw, size_t n,
		     double floor)
{
	r->floor = s->opt->no_subtract ? 0 : floor;
	for (size_t i = 0; i < n; i++)
		raw[i] -= r->floor;
	r->nsamples = n;
	return phase_row(r, PHASE_TOTAL, raw, n);
}

static void phase_note(struct bench_record *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void phase_note(struct bench_record *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->phase_note, sizeof(r->phase_note), fmt, ap);
	va_end(ap);
}

/* Host-side buffers of a userspace-exit benchmark. */
struct user_stamps {
	uint64_t *ret, *enter, *other;
	struct tsc_bound cal;
	bool cal_ok;
	char cal_why[256];
};

static void handler_spin(void *arg)
{
	uint64_t end = tsc_read_start() + *(const uint64_t *)arg;

	while (tsc_read_start() < end)
		__builtin_ia32_pause();
}

/*
 * Guest and host stamps may only be mixed when both read one clock. The
 * offset was set to 0; this exchange checks that it took: the guest stamps
 * and OUTs, the host stamps when KVM_RUN returns and before re-entering,
 * and causality bounds guest - host (phases_tsc_bound). A bound that
 * excludes 0 or contradicts itself means the clocks differ (TSC scaling,
 * drift, an offset that did not stick).
 */
static void tsc_calibrate(struct suite *s, int cpl, struct user_stamps *u)
{
	struct run_req req = {
		.payload = PAYLOAD_PIO_OUT, .cpl = cpl, .flags = run_flags(s, cpl),
		.iterations = CAL_ITERATIONS, .arg0 = BENCH_PORT, .timeout_s = PROBE_TIMEOUT_S,
		.host_ret = u->ret, .host_enter = u->enter,
	};
	const struct sample *smp = (const struct sample *)(s->vm.mem + GPA_SAMPLES);
	struct host_stamps *h;
	struct run_res res;
	char err[256];

	u->cal_ok = false;
	if (s->tsc_untrusted[0]) {
		snprintf(u->cal_why, sizeof(u->cal_why), "%s", s->tsc_untrusted);
		return;
	}
	if (!s->vm.tsc_offset_zero) {
		snprintf(u->cal_why, sizeof(u->cal_why), "guest TSC offset could not be set "
			 "to 0 (%.140s)", s->vm.tsc_note);
		return;
	}
	if (run_payload(&s->vm, &req, &res) || res.bench_exits != CAL_ITERATIONS) {
		snprintf(u->cal_why, sizeof(u->cal_why), "the TSC calibration run failed: %.150s",
			 res.status != RUN_OK ? res.err : "not one OUT exit per iteration");
		vm_renew(s, err, sizeof(err));
		return;
	}
	h = malloc(CAL_ITERATIONS * sizeof(*h));
	if (!h) {
		snprintf(u->cal_why, sizeof(u->cal_why), "out of memory");
		return;
	}
	for (size_t i = 0; i < CAL_ITERATIONS; i++)
		h[i] = (struct host_stamps){ u->ret[i], u->enter[i] };
	phases_tsc_bound(smp, h, CAL_ITERATIONS, &u->cal);
	free(h);
	u->cal_ok = phases_tsc_agree(&u->cal);
	if (!u->cal_ok)
		snprintf(u->cal_why, sizeof(u->cal_why), "guest and host TSC disagree: %d OUT "
			 "exchanges bound guest - host to [%lld, %lld] ticks, which %s",
			 CAL_ITERATIONS, (long long)u->cal.lo, (long long)u->cal.hi,
			 u->cal.lo > u->cal.hi ? "is empty (different rates or a jump)" :
			 "excludes 0");
}

/* exit/handler/entry of a userspace exit from the host's stamps around KVM_RUN. */
static int split_user(struct suite *s, struct bench_record *r, const struct user_stamps *u,
		      const struct run_res *res)
{
	const struct options *o = s->opt;
	const struct sample *smp = (const struct sample *)(s->vm.mem + GPA_SAMPLES) + o->warmup;
	size_t n = o->iterations, k;
	double *ph[PHASE_COUNT] = { NULL };
	struct phase_split_stats st;
	struct host_stamps *h;
	struct tsc_bound own;
	int ret = -1;

	if (!u->cal_ok) {
		phase_note(r, "unavailable: %s", u->cal_why);
		return 0;
	}
	if (res->other_lost) {
		phase_note(r, "unavailable: more than %d other KVM_RUN returns, so disturbed "
			   "samples cannot be told apart", OTHER_RET_CAP);
		return 0;
	}
	h = malloc(n * sizeof(*h));
	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++)
		ph[p] = malloc(n * sizeof(double));
	if (!h || !ph[PHASE_EXIT] || !ph[PHASE_HANDLER] || !ph[PHASE_ENTRY])
		goto out;
	for (size_t i = 0; i < n; i++)
		h[i] = (struct host_stamps){ u->ret[o->warmup + i], u->enter[o->warmup + i] };
	/* The run's own stamps must obey the same causality as the calibration's. */
	phases_tsc_bound(smp, h, n, &own);
	if (!phases_tsc_agree(&own)) {
		phase_note(r, "unavailable: this run's stamps bound guest - host TSC to "
			   "[%lld, %lld] ticks: the clocks disagree", (long long)own.lo,
			   (long long)own.hi);
		ret = 0;
		goto out;
	}
	k = phases_split(smp, h, n, u->other, res->nother, r->floor, ph[PHASE_EXIT],
			 ph[PHASE_HANDLER], ph[PHASE_ENTRY], &st);
	r->disturbed = st.disturbed;
	if (!k) {
		phase_note(r, "unavailable: all %zu samples were disturbed", n);
		ret = 0;
		goto out;
	}
	if (store_split(r, ph, k))
		goto out;
	phase_note(r, "host stamps around KVM_RUN; guest - host TSC in [%lld, %lld] ticks "
		   "(%d exchanges); %zu disturbed excluded (%zu unbracketed, %zu other "
		   "KVM_RUN return, %zu negative)", (long long)u->cal.lo, (long long)u->cal.hi,
		   CAL_ITERATIONS, st.disturbed, st.unbracketed, st.extra_return, st.negative);
	ret = 0;
out:
	free(h);
	for (int p = 0; p < PHASE_COUNT; p++)
		free(ph[p]);
	return ret;
}

/*
 * Whether kvm:kvm_exit/kvm_entry can split in-kernel exits here: the
 * tracepoints must exist and fire. Exits to userspace are exits too, so a
 * short OUT loop under tracing must produce events.
 */
static void trace_probe(struct suite *s)
{
	struct run_req req = {
		.payload = PAYLOAD_PIO_OUT, .cpl = 3, .flags = run_flags(s, 3),
		.iterations = TRACE_PROBE_ITERATIONS, .arg0 = BENCH_PORT,
		.timeout_s = PROBE_TIMEOUT_S,
	};
	struct trace_session *t;
	struct trace_ev *ev = NULL;
	size_t nexit = 0, nentry = 0;
	struct run_res res = { 0 };
	uint64_t lost;
	char err[256];
	long n;

	s->trace_probed = true;
	if (s->opt->no_trace) {
		snprintf(s->trace_why, sizeof(s->trace_why), "--no-trace was given");
		return;
	}
	t = trace_open(gettid(), s->trace_why, sizeof(s->trace_why));
	if (!t)
		return;
	if (trace_start(t) || run_payload(&s->vm, &req, &res) || trace_stop(t)) {
		snprintf(s->trace_why, sizeof(s->trace_why), "the tracing probe run failed%s%.150s",
			 res.err[0] ? ": " : "", res.err);
		vm_renew(s, err, sizeof(err));
		trace_close(t);
		return;
	}
	n = trace_collect(t, &ev, &lost, s->trace_why, sizeof(s->trace_why));
	for (long i = 0; i < n; i++)
		ev[i].type == TRACE_EV_EXIT ? nexit++ : nentry++;
	free(ev);
	if (n < 0) {
		trace_close(t);
		return;
	}
	if (nexit < res.bench_io || nentry < res.bench_io) {
		snprintf(s->trace_why, sizeof(s->trace_why), "this kernel's KVM does not emit "
			 "kvm:kvm_exit/kvm_entry: %zu and %zu events in a tracefs instance over "
			 "%llu exits to userspace", nexit, nentry,
			 (unsigned long long)res.bench_io);
		trace_close(t);
		return;
	}
	s->trace = t;
}

/*
 * exit/handler/entry of an in-kernel exit from a second, traced run, set
 * up by the host as the first was (fresh or write-protected pages, the
 * ioeventfd), so it times the same exit.
 */
static int split_kernel(struct suite *s, const struct bench_def *b, struct bench_record *r,
			const struct run_req *req)
{
	const struct options *o = s->opt;
	const struct sample *smp = (const struct sample *)(s->vm.mem + GPA_SAMPLES) + o->warmup;
	size_t n = o->iterations, k;
	double *ph[PHASE_COUNT] = { NULL }, *tot = NULL, on;
	struct trace_match_stats st;
	struct trace_match *m = NULL;
	struct trace_ev *ev = NULL;
	struct run_res res = { 0 };
	struct run_req rq = *req;
	struct host_proof hp;
	char why[200], err[256];
	uint64_t lost = 0;
	long nev;
	int ret = -1, rr;

	if (b->latency) {
		phase_note(r, "not split: a latency, not one exit: %s", b->latency);
		return 0;
	}
	if (catalog_one_stamp(b)) {
		phase_note(r, "not split: a wake-up latency (from the timer deadline to the "
			   "first instruction after HLT) holds the halt, the timer and the wake-up, "
			   "not one exit");
		return 0;
	}
	if (s->tsc_untrusted[0]) {
		phase_note(r, "unavailable: %s", s->tsc_untrusted);
		return 0;
	}
	if (!s->trace) {
		phase_note(r, "unavailable: %s", s->trace_why);
		return 0;
	}
	if (hostprep_before(&s->vm, b, &rq, &hp, err, sizeof(err))) {
		hostprep_after(&s->vm, b, &hp);
		phase_note(r, "unavailable: setting up the traced run failed: %.180s", err);
		vm_renew(s, err, sizeof(err));
		return 0;
	}
	rr = trace_start(s->trace) || run_payload(&s->vm, &rq, &res) || trace_stop(s->trace);
	hostprep_after(&s->vm, b, &hp);
	if (rr) {
		trace_stop(s->trace);
		phase_note(r, "unavailable: the traced run failed%s%.150s", res.err[0] ? ": " : "",
			   res.err);
		vm_renew(s, err, sizeof(err));
		return 0;
	}
	nev = trace_collect(s->trace, &ev, &lost, why, sizeof(why));
	if (nev < 0) {
		phase_note(r, "unavailable: %s", why);
		return 0;
	}
	m = malloc(n * sizeof(*m));
	tot = malloc(n * sizeof(*tot));
	for (int p = PHASE_EXIT; p <= PHASE_ENTRY; p++)
		ph[p] = malloc(n * sizeof(double));
	if (!m || !tot || !ph[PHASE_EXIT] || !ph[PHASE_HANDLER] || !ph[PHASE_ENTRY])
		goto out;
	phases_trace_match(smp, n, ev, (size_t)nev, m, &st);
	k = phases_from_trace(smp, m, n, r->floor, ph[PHASE_EXIT], ph[PHASE_HANDLER],
			      ph[PHASE_ENTRY]);
	r->disturbed = st.unmatched;
	for (size_t i = 0; i < n; i++)
		tot[i] = (double)(int64_t)(smp[i].after - smp[i].before) - r->floor;
	on = stats_median(tot, n);
	/* The phases' own total: the traced samples they were split from. */
	for (size_t i = 0, j = 0; i < n; i++)
		if (m[i].status == MATCH_OK)
			tot[j++] = (double)(int64_t)(smp[i].after - smp[i].before) - r->floor;
	r->split_total_median = k ? stats_median(tot, k) : 0;
	if (!k) {
		phase_note(r, "unavailable: no sample matched one kvm_exit and one kvm_entry "
			   "(%zu events lost, %zu extra, %llu dropped by the ring buffer)",
			   st.lost, st.extra, (unsigned long long)lost);
		ret = 0;
		goto out;
	}
	if (store_split(r, ph, k))
		goto out;
	phase_note(r, "kvm_exit/kvm_entry, x86-tsc clock, traced rerun: tracing adds %.0f "
		   "ticks to the total median (%.0f off, %.0f on); %zu unmatched excluded "
		   "(%zu events lost, %zu extra, %llu dropped)",
		   on - r->rows[PHASE_TOTAL].median, r->rows[PHASE_TOTAL].median, on,
		   st.unmatched, st.lost, st.extra, (unsigned long long)lost);
	ret = 0;
out:
	free(ev);
	free(m);
	free(tot);
	for (int p = 0; p < PHASE_COUNT; p++)
		free(ph[p]);
	return ret;
}

/*
 * One benchmark at one CPL. Returns the record (status set), or NULL when
 * out of memory. @raw_median gets the median before subtraction. @u: host
 * stamp buffers for a userspace exit, NULL otherwise.
 */
static struct bench_record *measure_run(struct suite *s, const struct bench_def *b, int cpl,
					double *raw_median, struct user_stamps *u)
{
	const struct options *o = s->opt;
	uint64_t total = o->iterations + o->warmup;
	struct run_req req = {
		.payload = b->payload, .cpl = cpl, .flags = run_flags(s, cpl),
		.iterations = total, .arg0 = b->arg0, .arg1 = b->arg1,
		.timeout_s = o->timeout_s, .bench_exit = bench_exit_of(b),
	};
	struct bench_record *r = new_record(s, b, cpl);
	struct host_proof hp;
	struct run_res res;
	bool preflight, verified;
	double *raw;
	size_t back;
	char err[256];
	int rr;

	if (!r)
		return NULL;
	/* The irqchip VM changes HLT and port semantics: only its benchmarks get it. */
	s->want_irqchip = b->needs & NEED_IRQCHIP;
	if ((!s->vm_live || s->vm.irqchip != s->want_irqchip) &&
	    vm_renew(s, err, sizeof(err))) {
		record_failure(r, BENCH_FAILED, "cannot create the VM: %s", err);
		report_failure(r, NULL);
		return r;
	}
	if (u && b->mixed_clocks) {
		/* Each sample mixes a guest and a host stamp: one clock, or no number. */
		tsc_calibrate(s, cpl, u);
		if (!u->cal_ok) {
			record_failure(r, BENCH_UNSUPPORTED, "unsupported here: each sample mixes a "
				       "guest and a host stamp, and %s", u->cal_why);
			return r;
		}
	} else if (u) {
		/* Before the MSR filter goes on: the exchange is plain port I/O. */
		tsc_calibrate(s, cpl, u);
		req.host_ret = u->ret;
		req.host_enter = u->enter;
		req.other_ret = u->other;
		req.other_cap = OTHER_RET_CAP;
		if (s->handler_ticks) {
			req.handler_work = handler_spin;
			req.handler_arg = &s->handler_ticks;
		}
	}
	if (filters_msr(b) && run_msr_to_user(&s->vm, (uint32_t)b->arg0, err, sizeof(err))) {
		record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s", err);
		return r;
	}
	/*
	 * Emulated CPL0 mostly completes in-kernel exits without one: a short
	 * pre-flight run, verified the same way, refuses those in milliseconds
	 * instead of after a full run. Only where the run needs no host set-up
	 * or MSR filter, which a second run would have to repeat.
	 */
	preflight = r->emulated && b->setup == SETUP_NONE && !filters_msr(b) &&
		    (b->check == CHECK_STAT || b->check == CHECK_CPUID ||
		     b->check == CHECK_PASSTHROUGH) && total > PREFLIGHT_ITERATIONS;
	if (preflight)
		req.iterations = PREFLIGHT_ITERATIONS;
again:
	if (hostprep_before(&s->vm, b, &req, &hp, err, sizeof(err))) {
		hostprep_after(&s->vm, b, &hp);
		record_failure(r, BENCH_FAILED, "%s", err);
		report_failure(r, NULL);
		vm_renew(s, err, sizeof(err));
		return r;
	}
	rr = run_payload(&s->vm, &req, &res);
	hostprep_after(&s->vm, b, &hp);
	/* The other benchmarks on this VM expect KVM to handle every MSR. */
	if (filters_msr(b) && run_msr_to_user(&s->vm, UINT32_MAX, err, sizeof(err)))
		vm_renew(s, err, sizeof(err));
	if (rr && r->emulated && res.emulation_failed) {
		/* The instruction itself is what the emulator cannot run: no exit to time. */
		record_failure(r, BENCH_UNSUPPORTED, "unsupported here: CPL0 is emulated by this "
			       "host and KVM's instruction emulator cannot execute this "
			       "instruction (%.160s)", res.err);
		vm_renew(s, err, sizeof(err));
		return r;
	}
	if (rr) {
		record_failure(r, BENCH_FAILED, "%s", res.err);
		report_failure(r, &res);
		/* A failed guest may leave KVM state behind: start the next one clean. */
		vm_renew(s, err, sizeof(err));
		return r;
	}
	verified = verify_exits(s, b, cpl, &res, &hp, req.iterations, r);
	note_irq_shadow(r, &res);
	note_irq_late(r, vm_ctl(&s->vm)->irq_late);
	if (late_delivery(r, b, vm_ctl(&s->vm)->irq_late, req.iterations))
		return r;
	if (b->mixed_clocks) {
		size_t l = strlen(r->exit_check);

		snprintf(r->exit_check + l, sizeof(r->exit_check) - l, "; guest - host TSC in "
			 "[%lld, %lld] ticks (calibration)", (long long)u->cal.lo,
			 (long long)u->cal.hi);
	}
	if (!verified) {
		/*
		 * Where the host emulates this CPL, or something other than KVM
		 * answers, no KVM exit can be timed here: that is a property of
		 * the host, not a failure of the run.
		 */
		if (s->caps.tcg && b->tcg_gap && res.stat_valid[b->stat] &&
		    suite_no_exit(stat_extra(s, b, cpl, &res, req.iterations))) {
			record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s (%s)",
				       b->tcg_gap, r->exit_check);
			return r;
		}
		if (r->emulated || (b->check == CHECK_CPUID && !res.kvm_answered_cpuid)) {
			record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s%s",
				       r->emulated ? "CPL0 is emulated by this host and the "
				       "emulator completed it without a VM exit: " : "",
				       r->exit_check);
			return r;
		}
		if (b->check == CHECK_PASSTHROUGH && res.stat_valid[b->stat] &&
		    suite_no_exit(stat_extra(s, b, cpl, &res, req.iterations) -
				  untimed_exits(b))) {
			/* Nothing to time: the guest did it without leaving. */
			record_failure(r, BENCH_UNSUPPORTED, "no exit: KVM lets the guest do this "
				       "directly (%s)", r->exit_check);
			return r;
		}
		record_failure(r, BENCH_FAILED, "the expected exit did not happen (%s)",
			       r->exit_check);
		report_failure(r, NULL);
		return r;
	}
	if (preflight) {
		preflight = false;
		req.iterations = total;
		goto again;
	}
	if (b->check == CHECK_NONE && res.stat_valid[STAT_EXITS])
		s->nop_exits_per_iter[cpl] = per_iter(res.stat[STAT_EXITS], total);
	raw = malloc(o->iterations * sizeof(*raw));
	if (!raw)
		return NULL;
	if (raw_deltas(&s->vm, o->warmup, o->iterations, raw, &back)) {
		free(raw);
		record_failure(r, BENCH_FAILED, "guest TSC ran backwards in %zu samples", back);
		report_failure(r, NULL);
		return r;
	}
	if (raw_median) {
		double *tmp = malloc(o->iterations * sizeof(*tmp));

		if (!tmp) {
			free(raw);
			return NULL;
		}
		memcpy(tmp, raw, o->iterations * sizeof(*tmp));
		*raw_median = stats_median(tmp, o->iterations);
		free(tmp);
	}
	if (summarize(s, r, raw, o->iterations, raw_median ? *raw_median :
		      catalog_one_stamp(b) ? s->floor[cpl] / 2 : s->floor[cpl]))
		return NULL;
	r->status = BENCH_OK;
	if (u && !b->mixed_clocks && split_user(s, r, u, &res))
		return NULL;
	if (b->handled == HANDLED_KERNEL && split_kernel(s, b, r, &req))
		return NULL;
	return r;
}

static struct bench_record *measure(struct suite *s, const struct bench_def *b, int cpl,
				    double *raw_median)
{
	uint64_t total = s->opt->iterations + s->opt->warmup;
	size_t n = total > CAL_ITERATIONS ? total : CAL_ITERATIONS;
	struct user_stamps u = { 0 };
	struct bench_record *r;

	if (b->handled != HANDLED_USER && !b->mixed_clocks)
		return measure_run(s, b, cpl, raw_median, NULL);
	u.ret = malloc(n * sizeof(*u.ret));
	u.enter = malloc(n * sizeof(*u.enter));
	u.other = malloc(OTHER_RET_CAP * sizeof(*u.other));
	r = u.ret && u.enter && u.other ? measure_run(s, b, cpl, raw_median, &u) : NULL;
	free(u.ret);
	free(u.enter);
	free(u.other);
	return r;
}

static void unsupported(struct suite *s, const struct bench_def *b, int cpl, const char *why)
{
	struct bench_record *r = new_record(s, b, cpl);

	if (r)
		record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s", why);
}

/* Not run although the host could: opt-in benchmarks without --allow-dangerous. */
static void refused(struct suite *s, const struct bench_def *b, int cpl, const char *why)
{
	struct bench_record *r = new_record(s, b, cpl);

	if (r)
		record_failure(r, BENCH_UNSUPPORTED, "refused: %s", why);
}

/* The floor at @cpl: the nop benchmark. Kept as a row when nop is selected. */
static int measure_floor(struct suite *s, int cpl, bool keep)
{
	const struct bench_def *nop = catalog_find("nop");
	struct bench_record *r;
	double median = 0;

	r = measure(s, nop, cpl, &median);
	if (!r)
		return -1;
	s->floor_ok[cpl] = r->status == BENCH_OK;
	s->floor[cpl] = median;
	s->floor_spread[cpl] = r->rows[PHASE_TOTAL].p95 - r->rows[PHASE_TOTAL].p5;
	s->rec.floor[cpl == 3 ? 2 : 0] = median;
	s->rec.floor_valid[cpl == 3 ? 2 : 0] = s->floor_ok[cpl];
	if (!keep && r == &s->rec.bench[s->rec.nbench - 1]) {
		for (int p = 0; p < PHASE_COUNT; p++)
			free(r->samples[p]);
		s->rec.nbench--;
	}
	return s->floor_ok[cpl] ? 0 : -1;
}

/*
 * An in-kernel benchmark that could not be split still says why the split
 * is unavailable here, so the reason is reported even where the benchmark
 * itself cannot run.
 */
static void kernel_split_note(struct suite *s, const struct bench_def *b)
{
	struct bench_record *r;

	if (!s->rec.nbench)
		return;
	r = &s->rec.bench[s->rec.nbench - 1];
	if (b->handled != HANDLED_KERNEL || strcmp(r->name, b->name) ||
	    r->phase_note[0] || r->has_phase[PHASE_EXIT])
		return;
	phase_note(r, "unavailable: %s", s->trace_probed && !s->trace ? s->trace_why :
		   "the benchmark was not measured");
}

/*
 * A floor-subtracted median no further from zero than the floor's own
 * p5..p95 width is not a cost: the floor, measured at another moment,
 * may have been that much higher or lower (an emulated CPL0 NOP moves
 * between ~8,000 and ~13,000 ticks). The row keeps its numbers and says so.
 */
static void mark_floor_spread(struct suite *s, struct bench_record *r)
{
	if (r->status != BENCH_OK || !r->floor || r->cpl < 0 || !s->floor_ok[r->cpl])
		return;
	r->floor_spread = s->floor_spread[r->cpl];
	r->within_floor_spread = fabs(r->rows[PHASE_TOTAL].median) <= r->floor_spread;
}

volatile sig_atomic_t suite_stop;

/* A signal asked to stop: the record says so, and by which signal. */
static bool stop_requested(struct suite *s, unsigned long long nsel)
{
	int sig = suite_stop;

	if (!sig)
		return false;
	s->rec.incomplete = true;
	s->rec.selected = nsel;
	snprintf(s->rec.stopped_by, sizeof(s->rec.stopped_by), "SIG%s", sigabbrev_np(sig));
	return true;
}

int suite_run(struct suite *s, const bool *selected)
{
	const struct options *o = s->opt;
	bool need[4] = { false }, nop_sel = false;
	int failed = 0;
	unsigned long long nsel = 0, done = 0;
	const char *why;

	for (size_t i = 0; i < bench_catalog_size; i++) {
		int cpl;

		if (!selected[i])
			continue;
		nsel++;
		if (bench_catalog[i].payload == PAYLOAD_NOP)
			nop_sel = true;
		cpl = suite_pick_cpl(&bench_catalog[i], o->cpl, s->caps.cpl0_emulated, &why);
		if (cpl >= 0)
			need[cpl] = true;
	}
	for (int cpl = 3; cpl >= 0; cpl -= 3)
		if (need[cpl] && measure_floor(s, cpl, nop_sel))
			failed++;
	for (size_t i = 0; i < bench_catalog_size && !s->trace_probed; i++)
		if (selected[i] && bench_catalog[i].handled == HANDLED_KERNEL)
			trace_probe(s);
	for (size_t i = 0; i < bench_catalog_size; i++) {
		const struct bench_def *b = &bench_catalog[i];
		const char *reason;
		struct bench_record *r;
		int cpl;

		if (!selected[i] || b->payload == PAYLOAD_NOP)
			continue;
		if (stop_requested(s, nsel))
			break;
		progress_update(b->name, done++, nsel);
		cpl = suite_pick_cpl(b, o->cpl, s->caps.cpl0_emulated, &why);
		if (cpl < 0) {
			unsupported(s, b, -1, why);
			kernel_split_note(s, b);
			continue;
		}
		reason = catalog_refusal(b, &s->caps);
		if (reason) {
			refused(s, b, cpl, reason);
			continue;
		}
		if (b->payload == PAYLOAD_VMCALL)
			suite_probe_vmcall(s);
		reason = b->unsupported ? b->unsupported(&s->caps) : NULL;
		if (reason) {
			unsupported(s, b, cpl, reason);
			kernel_split_note(s, b);
			continue;
		}
		if (!s->floor_ok[cpl]) {
			unsupported(s, b, cpl, "the timer floor at this CPL could not be measured");
			kernel_split_note(s, b);
			continue;
		}
		r = measure(s, b, cpl, NULL);
		if (!r)
			return -1;
		mark_floor_spread(s, r);
		kernel_split_note(s, b);
		failed += r->status == BENCH_FAILED;
	}
	return failed;
}
