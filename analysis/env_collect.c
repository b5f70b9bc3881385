/* SPDX-License-Identifier: MIT */
/*
 * The environment record's collectors: what is read from the host (CPU,
 * microcode, hypervisor, TSC, kernel, KVM module and parameters,
 * mitigations, SMT and frequency policy, load), once per run.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <x86intrin.h>

#include <libcpuid/libcpuid.h>

#include "env.h"

#define SYS_CPU "/sys/devices/system/cpu"

/* Reads the first line of @path into @buf without the newline; -1 if unreadable. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ret = -1;

	if (!f)
		return -1;
	if (fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = 0;
		ret = 0;
	}
	fclose(f);
	return ret;
}

static void read_or(const char *path, char *buf, size_t len, const char *fallback)
{
	if (read_line(path, buf, len))
		snprintf(buf, len, "%s", fallback);
}

/* Newest family each vendor's entries in the libcpuid database cover. */
#define LIBCPUID_MAX_AMD_FAMILY 0x19
#define LIBCPUID_MAX_INTEL_FAMILY 0x6

static bool codename_untrusted(const struct env_record *e)
{
	if (!strcmp(e->cpu_vendor, "AuthenticAMD"))
		return e->cpu_family > LIBCPUID_MAX_AMD_FAMILY;
	if (!strcmp(e->cpu_vendor, "GenuineIntel"))
		return e->cpu_family > LIBCPUID_MAX_INTEL_FAMILY;
	return false;
}

static void collect_cpu(struct env_record *e)
{
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;

	if (!cpuid_present() || cpuid_get_raw_data(&raw) || cpu_identify(&raw, &id))
		return;
	e->cpu_ok = true;
	snprintf(e->cpu_vendor, sizeof(e->cpu_vendor), "%s", id.vendor_str);
	snprintf(e->cpu_brand, sizeof(e->cpu_brand), "%s", id.brand_str);
	snprintf(e->cpu_codename, sizeof(e->cpu_codename), "%s", id.cpu_codename);
	e->cpu_family = id.ext_family;
	e->cpu_model = id.ext_model;
	e->cpu_stepping = id.stepping;
	e->cpu_cores = id.num_cores;
	e->cpu_logical = id.num_logical_cpus;
	e->vmx = id.flags[CPU_FEATURE_VMX];
	e->svm = id.flags[CPU_FEATURE_SVM];
	e->constant_tsc = id.flags[CPU_FEATURE_CONSTANT_TSC];
	/*
	 * This libcpuid has no invariant-TSC flag; CPUID.80000007H:EDX[8] is
	 * the architectural bit on both vendors.
	 */
	e->invariant_tsc = (raw.ext_cpuid[7][EDX] >> 8) & 1;
	/*
	 * libcpuid matches unknown models to the nearest database entry, which
	 * names a Zen 5 EPYC (family 1Ah) "Athlon X2 (Kuma)" in 0.6.2. A
	 * wrong codename in a paper is worse than a plain family/model, so
	 * distrust it for families newer than the database knows.
	 */
	if (codename_untrusted(e))
		snprintf(e->cpu_codename, sizeof(e->cpu_codename), "Unknown");
	if (!e->cpu_codename[0] || !strcmp(e->cpu_codename, "Unknown"))
		snprintf(e->cpu_codename, sizeof(e->cpu_codename), "%s family %d model %d",
			 !strcmp(e->cpu_vendor, "AuthenticAMD") ? "AMD" :
			 !strcmp(e->cpu_vendor, "GenuineIntel") ? "Intel" : e->cpu_vendor,
			 e->cpu_family, e->cpu_model);
}

static void collect_microcode(struct env_record *e)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(e->microcode, sizeof(e->microcode), "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "microcode", 9) || !colon)
			continue;
		colon += strspn(colon + 1, " \t") + 1;
		colon[strcspn(colon, "\n")] = 0;
		snprintf(e->microcode, sizeof(e->microcode), "%s", colon);
		break;
	}
	fclose(f);
}

bool env_hypervisor(char *vendor, size_t len)
{
	unsigned a, b, c, d;
	union { unsigned r[3]; char s[13]; } sig = { 0 };

	__cpuid(1, a, b, c, d);
	snprintf(vendor, len, "none");
	if (!((c >> 31) & 1))
		return false;
	__cpuid(0x40000000, a, b, c, d);
	sig.r[0] = b;
	sig.r[1] = c;
	sig.r[2] = d;
	for (int i = 0; i < 12; i++)
		if (sig.s[i] && (sig.s[i] < 0x20 || sig.s[i] > 0x7e))
			sig.s[i] = '?';
	snprintf(vendor, len, "%s", sig.s[0] ? sig.s : "unknown");
	return true;
}

static void collect_hypervisor(struct env_record *e)
{
	e->nested = env_hypervisor(e->hypervisor_vendor, sizeof(e->hypervisor_vendor));
}

double env_tsc_khz_cpuid(char *source, size_t len)
{
	unsigned a, b, c, d, max = __get_cpuid_max(0, NULL);

	/* Leaf 0x15: TSC = crystal * EBX / EAX; ECX = crystal Hz when enumerated. */
	if (max >= 0x15) {
		__cpuid_count(0x15, 0, a, b, c, d);
		if (a && b && c) {
			snprintf(source, len, "cpuid 0x15");
			return (double)c * b / a / 1000.0;
		}
	}
	/* The hypervisor timing leaf (VMware convention, also KVM): EAX = TSC kHz. */
	__cpuid(1, a, b, c, d);
	if ((c >> 31) & 1) {
		__cpuid(0x40000000, a, b, c, d);
		if (a >= 0x40000010) {
			__cpuid(0x40000010, a, b, c, d);
			if (a) {
				snprintf(source, len, "cpuid 0x40000010");
				return a;
			}
		}
	}
	return 0;
}

static double now_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double env_tsc_khz_calibrate(unsigned ms)
{
	struct timespec nap = { ms / 1000, (ms % 1000) * 1000000L };
	double t0, t1;
	unsigned long long c0, c1;
	unsigned aux;

	t0 = now_raw_ns();
	c0 = __rdtscp(&aux);
	nanosleep(&nap, NULL);
	c1 = __rdtscp(&aux);
	t1 = now_raw_ns();
	if (t1 <= t0)
		return 0;
	return (c1 - c0) / (t1 - t0) * 1e6;
}

void env_clocksources(char *buf, size_t len)
{
	read_or("/sys/devices/system/clocksource/clocksource0/available_clocksource", buf, len,
		"");
}

/*
 * Preference: what KVM says the guest's TSC runs at, then what the CPU
 * enumerates, then a measurement. /proc/cpuinfo "cpu MHz" is the current
 * core clock, not the TSC rate, so it is not used.
 */
static void collect_tsc(struct env_record *e, double kvm_tsc_khz)
{
	double khz;

	env_clocksources(e->clocksources, sizeof(e->clocksources));
	e->tsc_khz_calibrated = env_tsc_khz_calibrate(50);
	if (kvm_tsc_khz > 0) {
		e->tsc_khz = kvm_tsc_khz;
		snprintf(e->tsc_source, sizeof(e->tsc_source), "KVM_GET_TSC_KHZ");
		return;
	}
	khz = env_tsc_khz_cpuid(e->tsc_source, sizeof(e->tsc_source));
	if (khz > 0) {
		e->tsc_khz = khz;
		return;
	}
	e->tsc_khz = e->tsc_khz_calibrated;
	snprintf(e->tsc_source, sizeof(e->tsc_source), "calibrated vs CLOCK_MONOTONIC_RAW");
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct env_kv *)a)->key, ((const struct env_kv *)b)->key);
}

/* Every readable file of @dir as "<prefix><name>" = first line. */
static void read_dir_kv(const char *dir, const char *prefix, struct env_kv *kv,
			size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t start = *n;
	char path[4096];

	if (!d)
		return;
	while ((de = readdir(d)) && *n < ENV_KV_MAX) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(kv[*n].key, sizeof(kv[*n].key), "%s%.60s", prefix, de->d_name);
		/* Some parameters are write-only (mode 0200): say so, do not drop them. */
		read_or(path, kv[*n].value, sizeof(kv[*n].value), "(unreadable)");
		(*n)++;
	}
	closedir(d);
	qsort(kv + start, *n - start, sizeof(*kv), kv_cmp);
}

static void collect_kvm(struct env_record *e)
{
	static const char *const known[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
	char path[256];

	snprintf(e->kvm_module, sizeof(e->kvm_module), "%s",
		 access("/sys/module/kvm", F_OK) ? "none" : "other");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", known[i]);
		if (access(path, F_OK) == 0) {
			snprintf(e->kvm_module, sizeof(e->kvm_module), "%s", known[i]);
			break;
		}
	}
	read_dir_kv("/sys/module/kvm/parameters", "kvm.", e->kvm_params, &e->nkvm_params);
	if (strcmp(e->kvm_module, "none") && strcmp(e->kvm_module, "other")) {
		char prefix[40];

		snprintf(path, sizeof(path), "/sys/module/%s/parameters", e->kvm_module);
		snprintf(prefix, sizeof(prefix), "%s.", e->kvm_module);
		read_dir_kv(path, prefix, e->kvm_params, &e->nkvm_params);
	}
}

/* busy and total jiffies of one CPU from /proc/stat; -1 if absent. */
static int cpu_jiffies(int cpu, unsigned long long *busy, unsigned long long *total)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512], want[16];
	int ret = -1;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };

		if (strncmp(line, want, strlen(want)))
			continue;
		if (sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
			break;
		*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		*busy = *total - v[3] - v[4];	/* minus idle and iowait */
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

/* Parses a sysfs CPU list ("0-1,4") into @cpus; returns the count. */
static size_t parse_cpu_list(const char *s, int *cpus, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long c = a; c <= b && n < max; c++)
			cpus[n++] = c;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

/*
 * A sibling hyperthread running something else shares the core's pipeline
 * with the vCPU and inflates every number; sample its load over ~50 ms.
 */
static void collect_siblings(struct env_record *e)
{
	unsigned long long b0[64], t0[64], b1, t1, busy = 0, total = 0;
	struct timespec nap = { 0, 50 * 1000000L };
	int cpus[64], ok[64];
	char path[256];
	size_t n;

	e->sibling_busy = -1;
	snprintf(path, sizeof(path), SYS_CPU "/cpu%d/topology/thread_siblings_list",
		 e->probe_cpu);
	read_or(path, e->siblings, sizeof(e->siblings), "unknown");
	n = parse_cpu_list(e->siblings, cpus, 64);
	for (size_t i = 0; i < n; i++)
		ok[i] = cpus[i] != e->probe_cpu && !cpu_jiffies(cpus[i], &b0[i], &t0[i]);
	if (!strcmp(e->siblings, "unknown"))
		return;
	nanosleep(&nap, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!ok[i] || cpu_jiffies(cpus[i], &b1, &t1))
			continue;
		busy += b1 - b0[i];
		total += t1 - t0[i];
	}
	/* No sibling: nobody can disturb us, which is 0 busy, not unknown. */
	e->sibling_busy = total ? (double)busy / total : 0;
}

static void collect_cpu_policy(struct env_record *e)
{
	char path[256], buf[32];

	read_or(SYS_CPU "/smt/control", e->smt_control, sizeof(e->smt_control), "unknown");
	e->smt_active = read_line(SYS_CPU "/smt/active", buf, sizeof(buf)) ? -1 : atoi(buf);
	snprintf(path, sizeof(path), SYS_CPU "/cpu%d/cpufreq/scaling_governor", e->probe_cpu);
	read_or(path, e->governor, sizeof(e->governor), "none");
	if (!read_line(SYS_CPU "/cpufreq/boost", buf, sizeof(buf)))
		snprintf(e->boost, sizeof(e->boost), "%s", atoi(buf) ? "on" : "off");
	else if (!read_line(SYS_CPU "/intel_pstate/no_turbo", buf, sizeof(buf)))
		snprintf(e->boost, sizeof(e->boost), "%s", atoi(buf) ? "off" : "on");
	else
		snprintf(e->boost, sizeof(e->boost), "unknown");
}

static void collect_mitigations(struct env_record *e)
{
	read_dir_kv(SYS_CPU "/vulnerabilities", "", e->mitigations, &e->nmitigations);
}

static void join_args(char *buf, size_t len, int argc, char **argv)
{
	size_t used = 0;

	buf[0] = 0;
	for (int i = 0; i < argc && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "", argv[i]);
}

/*
 * Other work on the host slows exits down for as long as it lasts; the
 * one-minute load average taken right after a run says how much there was.
 */
static void collect_loadavg(struct env_record *e)
{
	FILE *f = fopen("/proc/loadavg", "r");

	e->loadavg1 = -1;
	if (!f)
		return;
	if (fscanf(f, "%lf", &e->loadavg1) != 1)
		e->loadavg1 = -1;
	fclose(f);
}

int env_collect(struct env_record *e, int pinned_cpu, double kvm_tsc_khz,
		int argc, char **argv)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	int cpu;

	memset(e, 0, sizeof(*e));
	if (uname(&u) || now == (time_t)-1 || !gmtime_r(&now, &tm))
		return -1;
	snprintf(e->version, sizeof(e->version), "%s", VMEXIT_VERSION);
	strftime(e->date, sizeof(e->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(e->hostname, sizeof(e->hostname), "%s", u.nodename);
	snprintf(e->kernel, sizeof(e->kernel), "%s", u.release);
	snprintf(e->kernel_version, sizeof(e->kernel_version), "%s", u.version);
	join_args(e->cmdline, sizeof(e->cmdline), argc, argv);
	snprintf(e->cpu_codename, sizeof(e->cpu_codename), "unknown");
	snprintf(e->cpu_brand, sizeof(e->cpu_brand), "unknown");
	snprintf(e->cpu_vendor, sizeof(e->cpu_vendor), "unknown");

	e->pinned_cpu = pinned_cpu;
	cpu = sched_getcpu();
	e->probe_cpu = pinned_cpu >= 0 ? pinned_cpu : (cpu >= 0 ? cpu : 0);

	collect_loadavg(e);
	collect_cpu(e);
	collect_microcode(e);
	collect_hypervisor(e);
	collect_tsc(e, kvm_tsc_khz);
	collect_kvm(e);
	collect_mitigations(e);
	collect_cpu_policy(e);
	collect_siblings(e);
	return 0;
}
