/* SPDX-License-Identifier: MIT */
/* The environment record: what it reads from this machine, and its warnings. */
#define _GNU_SOURCE
#include <check.h>

#include "check_main.h"
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "env.h"

static struct env_record e;

static void collect(void)
{
	ck_assert_int_eq(env_collect(&e, 0, 0, 0, NULL), 0);
}

START_TEST(test_identity)
{
	struct utsname u;
	char host[256];

	collect();
	ck_assert_int_eq(uname(&u), 0);
	ck_assert_str_eq(e.kernel, u.release);
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert_str_eq(e.hostname, host);
	ck_assert_str_eq(e.version, VMEXIT_VERSION);
	/* ISO 8601 UTC: 2025-01-31T12:00:00Z */
	ck_assert_uint_eq(strlen(e.date), 20);
	ck_assert_int_eq(e.date[4], '-');
	ck_assert_int_eq(e.date[10], 'T');
	ck_assert_int_eq(e.date[19], 'Z');
	ck_assert_int_eq(e.pinned_cpu, 0);
	ck_assert_int_eq(e.probe_cpu, 0);
}
END_TEST

START_TEST(test_cpu)
{
	collect();
	ck_assert(e.cpu_ok);
	ck_assert(!strcmp(e.cpu_vendor, "GenuineIntel") || !strcmp(e.cpu_vendor, "AuthenticAMD") ||
		  e.cpu_vendor[0]);
	ck_assert_str_ne(e.cpu_brand, "");
	ck_assert_str_ne(e.cpu_codename, "");
	ck_assert_str_ne(e.cpu_codename, "Unknown");
	ck_assert_int_gt(e.cpu_family, 0);
	ck_assert_int_gt(e.cpu_logical, 0);
	ck_assert_str_ne(e.microcode, "");
	/* libcpuid's database stops at family 19h: newer AMD parts get no guessed name. */
	if (!strcmp(e.cpu_vendor, "AuthenticAMD") && e.cpu_family > 0x19)
		ck_assert_msg(!strncmp(e.cpu_codename, "AMD family ", 11), "codename '%s'",
			      e.cpu_codename);
}
END_TEST

START_TEST(test_tsc_sources)
{
	collect();
	ck_assert(e.tsc_khz > 100000);		/* > 100 MHz */
	ck_assert_str_ne(e.tsc_source, "");
	ck_assert(e.tsc_khz_calibrated > 0);
	/* Whatever the source, the calibration must agree within 2%. */
	ck_assert_msg(fabs(e.tsc_khz - e.tsc_khz_calibrated) < 0.02 * e.tsc_khz,
		      "%s says %.0f kHz, calibration %.0f kHz", e.tsc_source, e.tsc_khz,
		      e.tsc_khz_calibrated);

	/* The runner's KVM_GET_TSC_KHZ wins over everything else. */
	ck_assert_int_eq(env_collect(&e, -1, 1234567, 0, NULL), 0);
	ck_assert(e.tsc_khz == 1234567);
	ck_assert_str_eq(e.tsc_source, "KVM_GET_TSC_KHZ");
}
END_TEST

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(test_kernel_side)
{
	char path[256];

	collect();
	if (!access("/sys/module/kvm_intel", F_OK))
		ck_assert_str_eq(e.kvm_module, "kvm_intel");
	else if (!access("/sys/module/kvm_amd", F_OK))
		ck_assert_str_eq(e.kvm_module, "kvm_amd");
	else if (!access("/sys/module/kvm_pvm", F_OK))
		ck_assert_str_eq(e.kvm_module, "kvm_pvm");
	else
		ck_assert(!strcmp(e.kvm_module, "other") || !strcmp(e.kvm_module, "none"));
	ck_assert_uint_eq(e.nmitigations, count_files("/sys/devices/system/cpu/vulnerabilities"));
	if (!access("/sys/module/kvm/parameters", F_OK))
		ck_assert_uint_ge(e.nkvm_params, count_files("/sys/module/kvm/parameters"));
	/* sorted, so two runs diff cleanly */
	for (size_t i = 1; i < e.nmitigations; i++)
		ck_assert_int_lt(strcmp(e.mitigations[i - 1].key, e.mitigations[i].key), 0);
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	if (access(path, F_OK))
		ck_assert_str_eq(e.governor, "none");
	else
		ck_assert_str_ne(e.governor, "none");
	ck_assert(e.sibling_busy >= 0 && e.sibling_busy <= 1);
	ck_assert_str_ne(e.siblings, "unknown");
}
END_TEST

START_TEST(test_json)
{
	json_t *j, *cpu;

	collect();
	j = env_to_json(&e);
	ck_assert_ptr_nonnull(j);
	cpu = json_object_get(j, "cpu");
	ck_assert_ptr_nonnull(cpu);
	ck_assert_str_eq(json_string_value(json_object_get(cpu, "brand")), e.cpu_brand);
	ck_assert_str_eq(json_string_value(json_object_get(j, "kernel")), e.kernel);
	ck_assert_uint_eq(json_object_size(json_object_get(j, "mitigations")), e.nmitigations);
	ck_assert(json_is_object(json_object_get(json_object_get(j, "kvm"), "parameters")));
	ck_assert(json_real_value(json_object_get(json_object_get(j, "tsc"), "khz")) == e.tsc_khz);
	json_decref(j);
}
END_TEST

START_TEST(test_print)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	collect();
	env_print(&e, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, e.cpu_brand));
	ck_assert_ptr_nonnull(strstr(buf, e.kernel));
	ck_assert_ptr_nonnull(strstr(buf, e.kvm_module));
	ck_assert_ptr_nonnull(strstr(buf, "kHz"));
	free(buf);
}
END_TEST

/* A setup that spoils nothing. */
static void clean_env(struct env_record *c)
{
	memset(c, 0, sizeof(*c));
	c->invariant_tsc = true;
	c->constant_tsc = true;
	strcpy(c->governor, "performance");
	strcpy(c->siblings, "2,3");
	c->sibling_busy = 0.01;
	c->pinned_cpu = 2;
	c->probe_cpu = 2;
	strcpy(c->hypervisor_vendor, "none");
}

static struct bench_record benches[2];
static struct run_record run;

static void clean_run(void)
{
	memset(benches, 0, sizeof(benches));
	memset(&run, 0, sizeof(run));
	strcpy(benches[0].name, "cpuid");
	strcpy(benches[1].name, "msr_read");
	benches[0].nsamples = benches[1].nsamples = 1000;
	benches[1].status = BENCH_UNSUPPORTED;
	benches[1].nsamples = 0;	/* unsupported: no samples expected */
	run.bench = benches;
	run.nbench = 2;
	run.iterations = 1000;
	run.pinned_cpu = 2;
}

static size_t warnings_with(const struct env_record *c, const struct run_record *r,
			    const char *needle)
{
	char w[16][ENV_WARN_LEN];
	size_t n = env_warnings(c, r, w, 16), hits = 0;

	for (size_t i = 0; i < n && i < 16; i++)
		hits += strstr(w[i], needle) != NULL;
	return hits;
}

START_TEST(test_warnings)
{
	struct env_record c;
	char w[16][ENV_WARN_LEN];

	clean_env(&c);
	clean_run();
	ck_assert_uint_eq(env_warnings(&c, &run, w, 16), 0);
	ck_assert_uint_eq(env_warnings(&c, NULL, w, 16), 0);

	c.invariant_tsc = false;
	ck_assert_uint_eq(warnings_with(&c, &run, "not invariant"), 1);
	clean_env(&c);
	strcpy(c.governor, "powersave");
	ck_assert_uint_eq(warnings_with(&c, &run, "powersave"), 1);
	clean_env(&c);
	c.sibling_busy = 0.5;
	ck_assert_uint_eq(warnings_with(&c, &run, "50% busy"), 1);
	clean_env(&c);
	c.nested = true;
	strcpy(c.hypervisor_vendor, "KVMKVMKVM");
	ck_assert_uint_eq(warnings_with(&c, &run, "nested"), 1);
	clean_env(&c);
	c.pinned_cpu = -1;
	ck_assert_uint_eq(warnings_with(&c, &run, "not pinned"), 1);

	clean_env(&c);
	run.cpl0_emulated = true;
	/* Only CPL3 rows measured: the emulated CPL0 concerns none of them. */
	ck_assert_uint_eq(warnings_with(&c, &run, "emulated"), 0);
	benches[0].emulated = true;
	ck_assert_uint_eq(warnings_with(&c, &run, "CPL0 guest code is emulated"), 1);
	ck_assert_uint_eq(warnings_with(&c, &run, "ran emulated"), 0);
	clean_run();
	benches[0].emulated = true;
	ck_assert_uint_eq(warnings_with(&c, &run, "cpuid ran emulated"), 1);
	clean_run();
	benches[0].nsamples = 900;
	ck_assert_uint_eq(warnings_with(&c, &run, "cpuid: 900 samples kept, 1000 asked"), 1);
}
END_TEST

START_TEST(test_warnings_overflow)
{
	struct env_record c;
	char w[2][ENV_WARN_LEN];

	clean_env(&c);
	clean_run();
	c.invariant_tsc = false;
	c.nested = true;
	strcpy(c.governor, "powersave");
	/* All three are counted though only two fit. */
	ck_assert_uint_eq(env_warnings(&c, &run, w, 2), 3);
	ck_assert_ptr_nonnull(strstr(w[0], "TSC"));
}
END_TEST

START_TEST(test_calibrate)
{
	double a = env_tsc_khz_calibrate(30), b = env_tsc_khz_calibrate(30);

	ck_assert(a > 0 && b > 0);
	ck_assert_msg(fabs(a - b) < 0.02 * a, "%.0f vs %.0f kHz", a, b);
}
END_TEST

/* The CPU named once: "AMD EPYC (EPYC (Milan))" was brand + codename verbatim. */
START_TEST(test_cpu_label)
{
	static struct env_record e;
	char buf[512];

	strcpy(e.cpu_brand, "AMD EPYC");
	strcpy(e.cpu_codename, "EPYC (Milan)");
	env_cpu_label(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "AMD EPYC (Milan)");
	strcpy(e.cpu_brand, "AMD EPYC 7763 64-Core Processor");
	strcpy(e.cpu_codename, "Milan");
	env_cpu_label(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "AMD EPYC 7763 64-Core Processor (Milan)");
	strcpy(e.cpu_brand, "Intel(R) Xeon(R) Platinum 8480+");
	strcpy(e.cpu_codename, "Xeon(R) Platinum 8480+");
	env_cpu_label(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Intel(R) Xeon(R) Platinum 8480+");
	strcpy(e.cpu_codename, "unknown");
	env_cpu_label(&e, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Intel(R) Xeon(R) Platinum 8480+");
}
END_TEST

/* Other work on the host is warned about: it made a whole run 30% slower here. */
START_TEST(test_busy_host_warning)
{
	static struct env_record e;
	struct run_record r = { 0 };
	char warn[16][ENV_WARN_LEN];
	bool busy = false;
	size_t n;

	e.invariant_tsc = true;
	e.pinned_cpu = 1;
	e.loadavg1 = 8.78;
	strcpy(e.governor, "performance");
	n = env_warnings(&e, &r, warn, 16);
	for (size_t i = 0; i < n; i++)
		busy |= strstr(warn[i], "host was busy: load average 8.78") != NULL;
	ck_assert(busy);
	e.loadavg1 = 1.1;
	n = env_warnings(&e, &r, warn, 16);
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_null(strstr(warn[i], "busy: load"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("env");
	TCase *tc = tcase_create("env");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_identity);
	tcase_add_test(tc, test_cpu_label);
	tcase_add_test(tc, test_busy_host_warning);
	tcase_add_test(tc, test_cpu);
	tcase_add_test(tc, test_tsc_sources);
	tcase_add_test(tc, test_kernel_side);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_warnings_overflow);
	tcase_add_test(tc, test_calibrate);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
