/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <linux/kvm.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "errmsg.h"
#include "caps_spec.h"
#include "env.h"
#include "probe.h"
#include "stats.h"
#include "suite_state.h"

/* Short untimed runs: the CPL0 emulation check. */
#define PROBE_ITERATIONS 64
/* CPL0 is "emulated" when a NOP costs this many times more there than at CPL3. */
#define EMULATION_RATIO 10.0
#define EMULATION_MIN_TICKS 1000.0
/* A hypercall that has not returned after this long never will (the watchdog's period). */
#define HYPERCALL_PROBE_TIMEOUT_S 0.3
/* Exits to userspace made under tracing to see whether kvm_exit is emitted at all. */
#define TRACE_PROBE_ITERATIONS 64

int probe_pin_cpu(int cpu, char *err, size_t errlen)
{
	cpu_set_t set;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return ERR("sched_getaffinity: %s", strerror(errno));
		for (int c = CPU_SETSIZE - 1; c >= 0; c--)
			if (CPU_ISSET(c, &set)) {
				cpu = c;
				break;
			}
	}
	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return ERR("no CPU to pin to");
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return ERR("cannot pin to CPU %d: %s (online CPUs: 0-%ld)", cpu,
			 strerror(errno), sysconf(_SC_NPROCESSORS_ONLN) - 1);
	return cpu;
}

/*
 * A failed probe run may leave KVM state behind: the next one starts on a
 * fresh VM. Only a VM that cannot be made again is an error.
 */
static int probe_run(struct suite *s, const struct run_req *req, struct run_res *res,
		     bool *ok, char *err, size_t errlen)
{
	*ok = run_payload(&s->vmh.vm, req, res) == 0;
	return *ok ? 0 : vmhold_renew(&s->vmh, err, errlen);
}

static int probe_rdtscp(struct suite *s, int cpl, char *err, size_t errlen)
{
	struct run_req req = {
		.payload = PAYLOAD_PROBE_RDTSCP, .cpl = cpl, .iterations = 1,
		.timeout_s = PROBE_TIMEOUT_S,
	};
	struct run_res res;

	if (probe_run(s, &req, &res, &s->rdtscp_ok[cpl], err, errlen))
		return -1;
	snprintf(s->rec.timer[cpl], sizeof(s->rec.timer[0]), "%s",
		 s->rdtscp_ok[cpl] ? "lfence;rdtsc .. rdtscp;lfence" :
		 "lfence;rdtsc .. lfence;rdtsc;lfence (RDTSCP unavailable at this CPL)");
	return 0;
}

/* Median raw NOP interval at @cpl over a short run into @out; -1 there on failure. */
static int quick_floor(struct suite *s, int cpl, double *out, char *err, size_t errlen)
{
	struct run_req req = {
		.payload = PAYLOAD_NOP, .cpl = cpl, .iterations = PROBE_ITERATIONS,
		.flags = suite_run_flags(s, cpl), .timeout_s = PROBE_TIMEOUT_S,
	};
	double v[PROBE_ITERATIONS];
	struct run_res res;
	size_t back;
	bool ok;

	*out = -1;
	if (probe_run(s, &req, &res, &ok, err, errlen))
		return -1;
	if (ok && vm_raw_deltas(&s->vmh.vm, 0, PROBE_ITERATIONS, v, &back) == 0)
		*out = stats_median(v, PROBE_ITERATIONS);
	return 0;
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

/* Reads an integer module parameter; -1 when the module or parameter is absent. */
static long module_param(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* A boolean module parameter: 1 (Y), 0 (N), -1 when absent. */
static int module_flag(const char *path)
{
	FILE *f = fopen(path, "r");
	int ch;

	if (!f)
		return -1;
	ch = fgetc(f);
	fclose(f);
	return ch == 'Y' || ch == '1' ? 1 : ch == 'N' || ch == '0' ? 0 : -1;
}

/* KVM's module parameters and the host's XSAVE: what the catalog's predicates read. */
static void probe_params(struct host_caps *c)
{
	unsigned a, b, cx, d;

	c->ple_gap = module_param("/sys/module/kvm_intel/parameters/ple_gap");
	c->pause_filter_count = module_param("/sys/module/kvm_amd/parameters/pause_filter_count");
	c->pml = module_flag("/sys/module/kvm_intel/parameters/pml");
	c->enable_pmu = module_flag("/sys/module/kvm/parameters/enable_pmu");
	__cpuid(1, a, b, cx, d);
	c->host_xsave = (cx >> 27) & 1;
}

void probe_irqchip(struct host_caps *caps, int kvm_fd)
{
	caps->irqchip = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) > 0;
	if (!caps->irqchip)
		snprintf(caps->irqchip_error, sizeof(caps->irqchip_error),
			 "this KVM has no in-kernel irqchip (KVM_CAP_IRQCHIP)");
}

void probe_host_facts(struct host_caps *c)
{
	char vendor[16];
	bool hv = env_hypervisor(vendor, sizeof(vendor));

	c->tcg = hv && !strcmp(vendor, "TCGTCGTCGTCG");
	c->bochs = !hv && bios_is_bochs();
	c->host_cpus = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	probe_params(c);
}

int probe_host(struct suite *s, char *err, size_t errlen)
{
	char clocks[128];
	double f0, f3;

	s->caps.kvm = true;
	s->caps.amd = s->vmh.vm.amd;
	s->caps.stats_fd = s->vmh.vm.stats.fd >= 0;
	s->caps.allow_dangerous = s->opt->allow_dangerous;
	probe_host_facts(&s->caps);
	if (s->caps.tcg || s->caps.bochs)
		snprintf(s->rec.emulator, sizeof(s->rec.emulator), "%s",
			 s->caps.tcg ? "tcg" : "bochs");
	env_clocksources(clocks, sizeof(clocks));
	if (!env_tsc_trusted(clocks))
		snprintf(s->tsc_untrusted, sizeof(s->tsc_untrusted), "the host kernel marked its "
			 "TSC unstable (clocksources '%.40s', no tsc): KVM re-bases the guest "
			 "TSC whenever the vCPU is loaded, so guest stamps cannot be compared "
			 "with host stamps or trace events", clocks);
	probe_irqchip(&s->caps, s->vmh.vm.kvm_fd);
	caps_probe_spec(&s->caps, s->vmh.vm.kvm_fd);
	if (probe_rdtscp(s, 3, err, errlen) || probe_rdtscp(s, 0, err, errlen) ||
	    quick_floor(s, 3, &f3, err, errlen) || quick_floor(s, 0, &f0, err, errlen))
		return -1;
	s->caps.cpl0_emulated = f0 > 0 && f3 > 0 && f0 > EMULATION_RATIO * f3 &&
				f0 > EMULATION_MIN_TICKS;
	s->rec.cpl0_emulated = s->caps.cpl0_emulated;
	s->rec.cpl0_nop_probe = f0;
	s->rec.cpl3_nop_probe = f3;
	return 0;
}

int probe_hypercall(struct suite *s, const struct bench_def *b, char *err, size_t errlen)
{
	struct run_req req = {
		.payload = b->payload, .cpl = 0, .flags = suite_run_flags(s, 0),
		.iterations = 1, .arg0 = b->arg0, .timeout_s = HYPERCALL_PROBE_TIMEOUT_S,
	};
	struct run_res res;
	bool ok;

	if (vmhold_flavour(&s->vmh, false, err, errlen))
		return -1;
	if (probe_run(s, &req, &res, &ok, err, errlen))
		return -1;
	/* Only a hang is a property of the host; other failures show in the run. */
	s->caps.vmcall_hangs = !ok && res.status == RUN_TIMEOUT;
	return 0;
}

int probe_trace(struct suite *s, char *err, size_t errlen)
{
	struct run_req req = {
		.payload = PAYLOAD_PIO_OUT, .cpl = 3, .flags = suite_run_flags(s, 3),
		.iterations = TRACE_PROBE_ITERATIONS, .arg0 = BENCH_PORT,
		.timeout_s = PROBE_TIMEOUT_S,
	};
	struct trace_session *t;
	struct trace_ev *ev = NULL;
	size_t nexit = 0, nentry = 0;
	struct run_res res = { 0 };
	uint64_t lost;
	long n;

	if (s->opt->no_trace) {
		snprintf(s->trace_why, sizeof(s->trace_why), "--no-trace was given");
		return 0;
	}
	if (vmhold_flavour(&s->vmh, s->vmh.live && s->vmh.vm.irqchip, err, errlen)) {
		snprintf(s->trace_why, sizeof(s->trace_why), "no VM for the tracing probe");
		return -1;
	}
	t = trace_open(gettid(), s->trace_why, sizeof(s->trace_why));
	if (!t)
		return 0;
	if (trace_start(t) || run_payload(&s->vmh.vm, &req, &res) || trace_stop(t)) {
		snprintf(s->trace_why, sizeof(s->trace_why), "the tracing probe run failed%s%.150s",
			 res.err[0] ? ": " : "", res.err);
		trace_close(t);
		return vmhold_renew(&s->vmh, err, errlen);
	}
	n = trace_collect(t, &ev, &lost, s->trace_why, sizeof(s->trace_why));
	for (long i = 0; i < n; i++)
		ev[i].type == TRACE_EV_EXIT ? nexit++ : nentry++;
	free(ev);
	if (n >= 0 && (nexit < res.bench_io || nentry < res.bench_io))
		snprintf(s->trace_why, sizeof(s->trace_why), "this kernel's KVM does not emit "
			 "kvm:kvm_exit/kvm_entry: %zu and %zu events in a tracefs instance over "
			 "%llu exits to userspace", nexit, nentry,
			 (unsigned long long)res.bench_io);
	else if (n >= 0)
		s->trace = t;
	if (!s->trace)
		trace_close(t);
	return 0;
}
