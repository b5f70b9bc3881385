/* SPDX-License-Identifier: MIT */
/*
 * The environment record: what a reader of a result needs to know about the
 * machine to judge or reproduce a number (CPU, microcode, TSC, kernel, KVM
 * module and parameters, mitigations, SMT, frequency policy, pinning).
 */
#ifndef VMEXIT_ENV_H
#define VMEXIT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "run_record.h"

#ifndef VMEXIT_VERSION
#define VMEXIT_VERSION "unknown"
#endif

#define ENV_KV_MAX 96
#define ENV_WARN_LEN 200

struct env_kv {
	char key[96];
	char value[256];
};

struct env_record {
	char version[64];
	char date[32];			/* ISO 8601 UTC, e.g. 2025-01-31T12:00:00Z */
	char hostname[256];
	char cmdline[1024];

	/* CPU (libcpuid; cpu_ok false when CPUID could not be decoded) */
	bool cpu_ok;
	char cpu_vendor[16];
	char cpu_brand[64];
	char cpu_codename[64];
	int cpu_family, cpu_model, cpu_stepping;	/* display (extended) values */
	int cpu_cores, cpu_logical;
	char microcode[32];
	bool vmx, svm;
	bool constant_tsc, invariant_tsc;

	/* Virtualisation around us: CPUID.1:ECX[31] and leaf 0x40000000. */
	bool nested;
	char hypervisor_vendor[16];

	/* TSC: the value used for ns, where it came from, and a cross-check. */
	double tsc_khz;
	char tsc_source[64];
	char clocksources[128];		/* sysfs available_clocksource, "" if unreadable */
	double tsc_khz_calibrated;	/* against CLOCK_MONOTONIC_RAW; 0 if not done */

	char kernel[128];		/* uname -r */
	char kernel_version[256];	/* uname -v */
	char kvm_module[32];		/* kvm_intel, kvm_amd, kvm_pvm, other, none */
	struct env_kv kvm_params[ENV_KV_MAX];	/* "kvm_pvm.force" = "N" */
	size_t nkvm_params;
	struct env_kv mitigations[ENV_KV_MAX];
	size_t nmitigations;

	char smt_control[32];		/* on/off/forceoff/notsupported/unknown */
	int smt_active;			/* 1, 0, -1 unknown */
	int pinned_cpu;			/* -1: not pinned */
	int probe_cpu;			/* CPU whose governor/siblings were read */
	char siblings[64];		/* thread_siblings_list of probe_cpu */
	double sibling_busy;		/* busy fraction of the SMT siblings, -1 unknown */
	/* /proc/loadavg when the record is taken (after a run: the load during it); -1 unknown. */
	double loadavg1;
	char governor[32];		/* scaling_governor, "none" without cpufreq */
	char boost[32];			/* "on", "off" or "unknown" */
};

/* --- collectors (env_collect.c): what is read from the host ------------- */

/*
 * Fills @e. @pinned_cpu is the CPU the vCPU thread is pinned to (-1: none);
 * @kvm_tsc_khz is KVM_GET_TSC_KHZ from the runner (0: unknown), preferred
 * over every other TSC source because it is what the guest counts in.
 * Never fails for a missing sysfs file: such fields read "unknown".
 * Returns 0, or -1 when not even uname/time work.
 */
int env_collect(struct env_record *e, int pinned_cpu, double kvm_tsc_khz,
		int argc, char **argv);

/*
 * Whether this host is itself a guest (CPUID.1:ECX[31]); @vendor gets the
 * hypervisor's CPUID 0x40000000 signature ("TCGTCGTCGTCG" under QEMU's
 * TCG) or "none".
 */
bool env_hypervisor(char *vendor, size_t len);

/* The host's available clocksources (sysfs) into @buf, "" when unreadable. */
void env_clocksources(char *buf, size_t len);

/* TSC frequency from CPUID leaf 0x15 or the hypervisor timing leaf; 0 if absent. */
double env_tsc_khz_cpuid(char *source, size_t len);
/* Measures the TSC against CLOCK_MONOTONIC_RAW for about @ms milliseconds. */
double env_tsc_khz_calibrate(unsigned ms);

/* --- presentation (env_print.c) ------------------------------------------ */

void env_print(const struct env_record *e, FILE *f);
/* "AMD EPYC (Milan)": brand, and the codename where the brand does not already say it. */
void env_cpu_label(const struct env_record *e, char *buf, size_t len);
json_t *env_to_json(const struct env_record *e);

/* --- warnings (env_warn.c): setups that spoil numbers --------------------- */

/*
 * Fills @out with one line per setup problem that spoils numbers; @r may
 * be NULL (environment-only warnings). Returns the number of warnings
 * found, which can exceed @max (only @max are stored).
 */
size_t env_warnings(const struct env_record *e, const struct run_record *r,
		    char (*out)[ENV_WARN_LEN], size_t max);

/*
 * Whether the host kernel still trusts its TSC, from its available
 * clocksources (env_clocksources): Linux drops "tsc" from that list when
 * it marks the TSC unstable, and KVM then re-bases each guest's TSC every
 * time a vCPU is loaded, so guest stamps stop being comparable with host
 * stamps. An empty list (unreadable) counts as trusted.
 */
bool env_tsc_trusted(const char *clocksources);

#endif
