/* SPDX-License-Identifier: MIT */
/* The checks of the environment record (and of a run) that warn of spoilt numbers. */
#include <string.h>

#include "env.h"

bool env_tsc_trusted(const char *clocksources)
{
	const char *p = clocksources;
	size_t n;

	if (!p[strspn(p, " \t\n")])
		return true;
	while (*p) {
		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n == 3 && !strncmp(p, "tsc", 3))
			return true;
		p += n;
	}
	return false;
}

#define SIBLING_BUSY_LIMIT 0.05
#define BUSY_LOADAVG 2.0

static size_t fewer_samples(const struct run_record *r, char (*out)[ENV_WARN_LEN],
			    size_t n, size_t max)
{
	for (size_t i = 0; r && i < r->nbench; i++) {
		const struct bench_record *b = &r->bench[i];
		/* --parallel: NAME pools every vCPU's samples, NAME@vcpuK has one vCPU's. */
		bool pooled = r->parallel > 1 && b->kind != BENCH_KIND_FLOOR && !strchr(b->name, '@');
		unsigned long long asked = r->iterations * (pooled ? r->parallel : 1);

		if (b->status != BENCH_OK || b->nsamples >= asked)
			continue;
		if (n < max)
			snprintf(out[n], ENV_WARN_LEN, "%s: %zu samples kept, %llu asked%s", b->name,
				 b->nsamples, asked, r->parallel > 1 ? " (the others fell outside "
				 "the window in which every vCPU ran at once)" : "");
		n++;
	}
	return n;
}

size_t env_warnings(const struct env_record *e, const struct run_record *r,
		    char (*out)[ENV_WARN_LEN], size_t max)
{
	size_t n = 0;

#define WARN(...) do {						\
		if (n < max)					\
			snprintf(out[n], ENV_WARN_LEN, __VA_ARGS__);	\
		n++;						\
	} while (0)

	if (r && r->cpl0_emulated && run_record_any_emulated(r))
		WARN("CPL0 guest code is emulated by KVM here: CPL0 numbers include emulation, not just the exit");
	for (size_t i = 0; r && i < r->nbench; i++)
		if (r->bench[i].emulated && r->bench[i].status == BENCH_OK && !r->cpl0_emulated)
			WARN("%s ran emulated: its numbers include instruction emulation",
			     r->bench[i].name);
	if (!env_tsc_trusted(e->clocksources))
		WARN("the host kernel marked its TSC unstable (clocksources: %.40s): KVM re-bases the guest TSC at each vCPU load; no phase split",
		     e->clocksources);
	if (!e->invariant_tsc)
		WARN("TSC is not invariant (CPUID.80000007H:EDX[8] clear): ticks may not be comparable over time or across CPUs");
	if (!strcmp(e->governor, "powersave") || !strcmp(e->governor, "conservative") ||
	    !strcmp(e->governor, "ondemand") || !strcmp(e->governor, "schedutil"))
		WARN("cpufreq governor of cpu %d is '%s': the core clock varies while TSC does not; use 'performance'",
		     e->probe_cpu, e->governor);
	if (e->sibling_busy > SIBLING_BUSY_LIMIT)
		WARN("SMT sibling(s) %s of cpu %d were %.0f%% busy: they share the core with the vCPU",
		     e->siblings, e->probe_cpu, e->sibling_busy * 100);
	if (e->pinned_cpu < 0 && r)
		WARN("vCPU thread not pinned: migrations add noise");
	if (e->nested)
		WARN("running nested under '%s': exits go through an outer hypervisor and cost more than on bare metal",
		     e->hypervisor_vendor);
	/* The run's own vCPU thread is about 1 of it. */
	if (r && e->loadavg1 > BUSY_LOADAVG)
		WARN("the host was busy: load average %.2f after the run (the benchmark is about 1 of it); other work makes exits slower while it runs",
		     e->loadavg1);
	n = fewer_samples(r, out, n, max);
#undef WARN
	return n;
}
