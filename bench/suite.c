/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"
#include "suite.h"

/* Short untimed runs: probes and the CPL0 emulation check. */
#define PROBE_ITERATIONS 64
#define PROBE_TIMEOUT_S 2.0
/* CPL0 is "emulated" when a NOP costs this many times more there than at CPL3. */
#define EMULATION_RATIO 10.0
#define EMULATION_MIN_TICKS 1000.0
/* An exiting benchmark must add at least this many exits per iteration over the floor. */
#define MIN_EXTRA_EXITS_PER_ITER 0.99

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
	s->vm_live = vm_create(&s->vm, s->sample_bytes, err, errlen) == 0;
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

int suite_init(struct suite *s, const struct options *opt, char *err, size_t errlen)
{
	unsigned long long total = opt->iterations + opt->warmup;
	double f0, f3;
	int cpu;

	memset(s, 0, sizeof(*s));
	s->opt = opt;
	if (total > VM_MAX_SAMPLES) {
		snprintf(err, errlen, "--iterations + --warmup = %llu exceeds the %llu samples "
			 "guest memory holds", total, (unsigned long long)VM_MAX_SAMPLES);
		return -1;
	}
	s->sample_bytes = total * sizeof(struct sample);
	cpu = suite_pin(opt->cpu, err, errlen);
	if (cpu < 0 || run_init(err, errlen) || vm_renew(s, err, errlen))
		return -1;
	s->rec.pinned_cpu = cpu;
	s->rec.iterations = opt->iterations;
	s->rec.warmup = opt->warmup;
	s->rec.tsc_khz = s->vm.tsc_khz;
	snprintf(s->rec.tsc_source, sizeof(s->rec.tsc_source), "%s",
		 s->vm.tsc_khz ? "KVM_GET_TSC_KHZ" : "unknown");
	snprintf(s->rec.cpl_mode, sizeof(s->rec.cpl_mode), "%s",
		 opt->cpl == CPL_0 ? "0" : opt->cpl == CPL_3 ? "3" : "auto");
	s->caps.kvm = true;
	s->caps.amd = s->vm.amd;
	s->caps.stats_fd = s->vm.stats.fd >= 0;
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
	return r;
}

static double per_iter(uint64_t count, uint64_t iters)
{
	return iters ? (double)count / (double)iters : 0;
}

/* Proves each iteration exited the way the benchmark says. */
static bool verify_exits(const struct suite *s, const struct bench_def *b, int cpl,
			 const struct run_res *res, uint64_t iters, struct bench_record *r)
{
	uint64_t seen;
	double extra;

	switch (b->check) {
	case CHECK_NONE:
		snprintf(r->exit_check, sizeof(r->exit_check), "no exit expected");
		return true;
	case CHECK_LOOP_IO:
	case CHECK_LOOP_MMIO:
	case CHECK_LOOP_HLT:
		seen = b->check == CHECK_LOOP_IO ? res->bench_io :
		       b->check == CHECK_LOOP_MMIO ? res->bench_mmio : res->hlt;
		r->exits_seen = seen;
		snprintf(r->exit_check, sizeof(r->exit_check), "%s exits seen by the run loop: "
			 "%llu for %llu iterations",
			 b->check == CHECK_LOOP_IO ? "KVM_EXIT_IO" :
			 b->check == CHECK_LOOP_MMIO ? "KVM_EXIT_MMIO" : "KVM_EXIT_HLT",
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
		if (!res->stat_valid[b->stat]) {
			snprintf(r->exit_check, sizeof(r->exit_check),
				 "KVM stat '%s' unavailable", run_stat_names[b->stat]);
			return false;
		}
		r->exits_seen = res->stat[b->stat];
		extra = per_iter(res->stat[b->stat], iters) -
			(b->stat == STAT_EXITS ? s->nop_exits_per_iter[cpl] : 0);
		snprintf(r->exit_check, sizeof(r->exit_check),
			 "KVM stat '%s' +%llu over %llu iterations: %.2f per iteration "
			 "beyond the floor's", run_stat_names[b->stat],
			 (unsigned long long)res->stat[b->stat], (unsigned long long)iters, extra);
		return extra >= MIN_EXTRA_EXITS_PER_ITER;
	}
	return false;
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

static void report_failure(const struct bench_record *r, const struct run_res *res)
{
	fprintf(stderr, "vmexit-bench: %s (CPL%d): %s\n", r->name, r->cpl, r->reason);
	if (res && res->dump[0])
		fputs(res->dump, stderr);
}

/* Stores the samples and their statistics; subtracts the floor unless asked not to. */
static int summarize(struct suite *s, struct bench_record *r, double *raw, size_t n,
		     double floor)
{
	double *copy = malloc(n * sizeof(*copy));

	if (!copy)
		return -1;
	r->floor = s->opt->no_subtract ? 0 : floor;
	for (size_t i = 0; i < n; i++)
		raw[i] -= r->floor;
	memcpy(copy, raw, n * sizeof(*copy));
	r->samples[PHASE_TOTAL] = raw;
	r->has_phase[PHASE_TOTAL] = true;
	r->nsamples = n;
	stats_summarize(copy, n, STATS_BOOTSTRAP_RESAMPLES, 0x5eed, &r->rows[PHASE_TOTAL]);
	free(copy);
	snprintf(r->rows[PHASE_TOTAL].benchmark, sizeof(r->rows[0].benchmark), "%s", r->name);
	r->rows[PHASE_TOTAL].phase = PHASE_TOTAL;
	r->rows[PHASE_TOTAL].cpl = r->cpl;
	snprintf(r->rows[PHASE_TOTAL].unit, sizeof(r->rows[0].unit), "tsc_ticks");
	return 0;
}

/*
 * One benchmark at one CPL. Returns the record (status set), or NULL when
 * out of memory. @raw_median gets the median before subtraction.
 */
static struct bench_record *measure(struct suite *s, const struct bench_def *b, int cpl,
				    double *raw_median)
{
	const struct options *o = s->opt;
	uint64_t total = o->iterations + o->warmup;
	struct run_req req = {
		.payload = b->payload, .cpl = cpl, .flags = run_flags(s, cpl),
		.iterations = total, .arg0 = b->arg0, .arg1 = b->arg1,
		.timeout_s = o->timeout_s,
	};
	struct bench_record *r = new_record(s, b, cpl);
	struct run_res res;
	double *raw;
	size_t back;
	char err[256];

	if (!r)
		return NULL;
	if (!s->vm_live && vm_renew(s, err, sizeof(err))) {
		record_failure(r, BENCH_FAILED, "cannot create the VM: %s", err);
		report_failure(r, NULL);
		return r;
	}
	if (run_payload(&s->vm, &req, &res)) {
		record_failure(r, BENCH_FAILED, "%s", res.err);
		report_failure(r, &res);
		/* A failed guest may leave KVM state behind: start the next one clean. */
		vm_renew(s, err, sizeof(err));
		return r;
	}
	if (!verify_exits(s, b, cpl, &res, total, r)) {
		/*
		 * Where the host emulates this CPL, or something other than KVM
		 * answers, no KVM exit can be timed here: that is a property of
		 * the host, not a failure of the run.
		 */
		if (r->emulated || (b->check == CHECK_CPUID && !res.kvm_answered_cpuid)) {
			record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s%s",
				       r->emulated ? "CPL0 is emulated by this host and the "
				       "emulator completed it without a VM exit: " : "",
				       r->exit_check);
			return r;
		}
		record_failure(r, BENCH_FAILED, "the expected exit did not happen (%s)",
			       r->exit_check);
		report_failure(r, NULL);
		return r;
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
	if (summarize(s, r, raw, o->iterations, raw_median ? *raw_median : s->floor[cpl]))
		return NULL;
	r->status = BENCH_OK;
	return r;
}

static void unsupported(struct suite *s, const struct bench_def *b, int cpl, const char *why)
{
	struct bench_record *r = new_record(s, b, cpl);

	if (r)
		record_failure(r, BENCH_UNSUPPORTED, "unsupported here: %s", why);
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
	s->rec.floor[cpl == 3 ? 2 : 0] = median;
	s->rec.floor_valid[cpl == 3 ? 2 : 0] = s->floor_ok[cpl];
	if (!keep && r == &s->rec.bench[s->rec.nbench - 1]) {
		for (int p = 0; p < PHASE_COUNT; p++)
			free(r->samples[p]);
		s->rec.nbench--;
	}
	return s->floor_ok[cpl] ? 0 : -1;
}

int suite_run(struct suite *s, const bool *selected)
{
	const struct options *o = s->opt;
	bool need[4] = { false }, nop_sel = false;
	int failed = 0;
	const char *why;

	for (size_t i = 0; i < bench_catalog_size; i++) {
		int cpl;

		if (!selected[i])
			continue;
		if (bench_catalog[i].payload == PAYLOAD_NOP)
			nop_sel = true;
		cpl = suite_pick_cpl(&bench_catalog[i], o->cpl, s->caps.cpl0_emulated, &why);
		if (cpl >= 0)
			need[cpl] = true;
	}
	for (int cpl = 3; cpl >= 0; cpl -= 3)
		if (need[cpl] && measure_floor(s, cpl, nop_sel))
			failed++;
	for (size_t i = 0; i < bench_catalog_size; i++) {
		const struct bench_def *b = &bench_catalog[i];
		const char *reason;
		struct bench_record *r;
		int cpl;

		if (!selected[i] || b->payload == PAYLOAD_NOP)
			continue;
		cpl = suite_pick_cpl(b, o->cpl, s->caps.cpl0_emulated, &why);
		if (cpl < 0) {
			unsupported(s, b, -1, why);
			continue;
		}
		reason = b->unsupported ? b->unsupported(&s->caps) : NULL;
		if (reason) {
			unsupported(s, b, cpl, reason);
			continue;
		}
		if (!s->floor_ok[cpl]) {
			unsupported(s, b, cpl, "the timer floor at this CPL could not be measured");
			continue;
		}
		r = measure(s, b, cpl, NULL);
		if (!r)
			return -1;
		failed += r->status == BENCH_FAILED;
	}
	return failed;
}
