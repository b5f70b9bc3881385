/* SPDX-License-Identifier: MIT */
/*
 * The vmexit-bench binary end to end: exit statuses, one-line errors, the
 * CSV it leaves behind. argv[1] is the binary. Cases that need /dev/kvm
 * are in their own test case and skipped, and counted so, without it.
 */
#define _GNU_SOURCE
#include "check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <limits.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_test.h"
#include "vm.h"

static const char *binary;
static char out[65536], errbuf[65536];
static char dir[] = "/tmp/vmexit-bin-XXXXXX";

static void read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
}

/*
 * Runs the binary with @args (NULL-terminated); env "K=V" (several joined
 * by newlines) or NULL; as @uid if >= 0.
 */
static int run(const char *env, int uid, const char *const *args)
{
	int po[2], pe[2], status;
	pid_t pid;
	char *argv[32];
	int n = 0;

	argv[n++] = (char *)binary;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	ck_assert_int_eq(pipe(po), 0);
	ck_assert_int_eq(pipe(pe), 0);
	pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		for (char *e = env ? strdup(env) : NULL, *nl; e; e = nl) {
			nl = strchr(e, '\n');
			if (nl)
				*nl++ = 0;
			putenv(e);
		}
		if (uid >= 0 && (setgid(uid) || setuid(uid)))
			_exit(125);
		execv(binary, argv);
		fprintf(stderr, "cannot run %s: %s\n", binary, strerror(errno));
		_exit(126);
	}
	close(po[1]);
	close(pe[1]);
	read_all(pe[0], errbuf, sizeof(errbuf));
	read_all(po[0], out, sizeof(out));
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
		printf("%s", errbuf);	/* in the log, beside the failed assertion */
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define RUN(env, ...) run(env, -1, (const char *const[]){ __VA_ARGS__, NULL })

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(usage_errors_exit_2)
{
	/* Subcommands' errors start like the run's: "vmexit-bench: <command>: ". */
	const char *const cases[][5] = {
		{ "--iterations", "zero", NULL }, { "--cpl", "7", NULL }, { "--bogus", NULL },
		{ "nosuchbench", NULL }, { "list", "extra", NULL }, { "--csv", NULL },
		{ "--iterations", " 7", NULL }, { "compare", "onlyone", NULL },
		{ "plot", NULL }, { "env", "--bogus", NULL }, { "vmx", "--iters", " 7", NULL },
		{ "vmx", "--bochs-cpu", "x\nlog: /etc/passwd", NULL },
		{ "compare", "--resamples", "1", "a", NULL },
		{ "--preset", "nosuch", NULL }, { "--preset", "paper", "cpuid" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(run(NULL, -1, cases[i]), 2);
		ck_assert_msg(lines(errbuf) == 1, "not one line: %s", errbuf);
		ck_assert_msg(strncmp(errbuf, "vmexit-bench: ", 14) == 0, "%s", errbuf);
		ck_assert_str_eq(out, "");
	}
}
END_TEST

/* vmexit-bench lane: bad usage before any work; a lane that cannot run says why. */
START_TEST(lane_refusals)
{
	const char *const cases[][10] = {
		{ "lane", NULL }, { "lane", "--vendor", "sparc", NULL },
		{ "lane", "--vendor", "intel", "nosuchbench", NULL },
		{ "lane", "--vendor", "intel", "--iterations", "0", NULL },
		{ "lane", "--vendor", "amd", "--kernel", "/nonexistent", "--modules", "/", NULL },
		{ "lane", "--vendor", "amd", "--kernel", "/etc/hostname", NULL },
		{ "lane", "--vendor", "intel", "--kernel-package", "x", "--kernel", "/etc/hostname",
		  "--modules", "/", NULL },
	};
	char script[512], outdir[512], env[600];
	FILE *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(run(NULL, -1, cases[i]), 2);
		ck_assert_msg(lines(errbuf) == 1, "not one line: %s", errbuf);
		ck_assert_msg(strncmp(errbuf, "vmexit-bench lane: ", 19) == 0, "%s", errbuf);
	}
	ck_assert_int_eq(RUN("VMEXIT_LANE_DIR=/nonexistent", "lane", "--vendor", "amd"), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "no lane script"));
	/* A lane script that finds no emulator (exit 77): the lane cannot run, exit 1. */
	snprintf(script, sizeof(script), "%s/lane.sh", dir);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	fputs("echo 'lane: SKIP: bochs is not installed' >&2\nexit 77\n", f);
	fclose(f);
	snprintf(env, sizeof(env), "VMEXIT_LANE_DIR=%s", dir);
	snprintf(outdir, sizeof(outdir), "%s/lane-out", dir);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "intel", "--output", outdir), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, "bochs is not installed"));
	ck_assert_ptr_nonnull(strstr(errbuf, "vmexit-bench lane: the lane cannot run here"));
	ck_assert_int_ne(access(outdir, F_OK), 0);	/* nothing left behind */
	unlink(script);
}
END_TEST

START_TEST(help_and_version)
{
	ck_assert_int_eq(RUN(NULL, "--help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "--iterations"));
	ck_assert_int_eq(RUN(NULL, "--version"), 0);
	ck_assert_int_eq(strncmp(out, "vmexit-bench ", 13), 0);
	/* 'help' was "unknown benchmark 'help'". */
	ck_assert_int_eq(RUN(NULL, "help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "vmexit-bench vmx"));
	ck_assert_ptr_nonnull(strstr(out, "--runs"));
}
END_TEST

/*
 * 'list' says what 'run' then does: every benchmark's verdict (runs,
 * unsupported, refused) matches the status of its row in summary.csv.
 * Its lines fit 100 columns.
 */
START_TEST(list_agrees_with_run)
{
	char csv[300], res[300], line[2048];
	json_t *list;
	json_error_t jerr;
	size_t checked = 0;
	FILE *f;

	ck_assert_int_eq(RUN(NULL, "list"), 0);
	for (const char *l = out; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
		ck_assert_msg(strcspn(l, "\n") <= 100, "%.120s", l);
	ck_assert_int_eq(RUN(NULL, "list", "--json"), 0);
	list = json_loads(out, 0, &jerr);
	ck_assert_msg(list && json_is_array(list), "%s", jerr.text);
	snprintf(csv, sizeof(csv), "%s/all.csv", dir);
	snprintf(res, sizeof(res), "%s/r-all", dir);
	RUN(NULL, "--iterations", "200", "--warmup", "20", "--runs", "1", "--no-trace", "--quiet",
	    "--plot", "none", "--csv", csv, "--output", res);
	f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		const char *want = strstr(line, ",ok,") ? "runs" :
				   strstr(line, ",failed,") ? "failed" :
				   strstr(line, ",refused,") ? "refused" :
				   strstr(line, ",no_exit,") ? "no_exit" : "unsupported";
		size_t i;
		json_t *b;

		if (!strstr(line, ",total,"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(line, ","), line);
		json_array_foreach(list, i, b) {
			const char *got;

			if (strcmp(json_string_value(json_object_get(b, "name")), name))
				continue;
			got = json_string_value(json_object_get(json_object_get(b, "here"),
								"status"));
			ck_assert_msg(!strcmp(got, want), "%s: list says %s, run says %s", name,
				      got, want);
			checked++;
		}
	}
	fclose(f);
	ck_assert_uint_ge(checked, 30);
	json_decref(list);
}
END_TEST

START_TEST(missing_kvm_device)
{
	/* --backend kvm: what a script that must never fall back gets. */
	ck_assert_int_eq(RUN("VMEXIT_KVM_DEVICE=/nonexistent/kvm", "cpuid", "--backend", "kvm"), 1);
	ck_assert_msg(strstr(errbuf, "no /nonexistent/kvm: KVM is not available"), "%s", errbuf);
	ck_assert_int_eq(lines(errbuf), 1);
	/* list still works, and says why nothing can run */
	ck_assert_int_eq(RUN("VMEXIT_KVM_DEVICE=/nonexistent/kvm", "list"), 0);
	ck_assert_ptr_nonnull(strstr(out, "pio_out_user"));
	ck_assert_ptr_nonnull(strstr(out, "unsupported here: no /nonexistent/kvm"));
	ck_assert_ptr_null(strstr(out, "_hang"));
}
END_TEST

START_TEST(not_a_kvm_device)
{
	ck_assert_int_eq(RUN("VMEXIT_KVM_DEVICE=/dev/null", "cpuid", "--backend", "kvm"), 1);
	ck_assert_msg(strstr(errbuf, "/dev/null is not KVM"), "%s", errbuf);
}
END_TEST

START_TEST(permission_denied)
{
	char path[300], env[340];
	int fd;

	/* A device node nobody but root may open; run as 'nobody' when we are root. */
	snprintf(path, sizeof(path), "%s/kvm", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(env, sizeof(env), "VMEXIT_KVM_DEVICE=%s", path);
	if (geteuid() == 0) {
		chmod(dir, 0755);
		char res[64];

		/* Somewhere 'nobody' may write results, so that the device is what fails. */
		snprintf(res, sizeof(res), "/tmp/vmexit-nobody-%d/run", (int)getpid());
		ck_assert_int_eq(run(env, 65534, (const char *const[]){ "cpuid", "--output", res,
					"--backend", "kvm", NULL }), 1);
	} else {
		ck_assert_int_eq(RUN(env, "cpuid", "--backend", "kvm"), 1);
	}
	ck_assert_msg(strstr(errbuf, "permission denied opening"), "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "group 'kvm'"));
	unlink(path);
}
END_TEST

/*
 * Bad outputs fail at once, with one line and status 2, before the run
 * even opens KVM: the device given here does not exist, so an error about
 * it would mean the outputs were checked too late.
 */
START_TEST(bad_outputs_fail_before_measuring)
{
	char full[300], file[300], under[300], csvdir[300], csvlink[300], csvmissing[300];
	const char *nokvm = "VMEXIT_KVM_DEVICE=/nonexistent/kvm";
	struct stat st;
	int fd;

	snprintf(full, sizeof(full), "%s/full", dir);
	snprintf(file, sizeof(file), "%s/full/run.json", dir);
	snprintf(under, sizeof(under), "%s/full/run.json/sub", dir);
	snprintf(csvdir, sizeof(csvdir), "%s/full", dir);
	snprintf(csvlink, sizeof(csvlink), "%s/link.csv", dir);
	snprintf(csvmissing, sizeof(csvmissing), "%s/missing/out.csv", dir);
	ck_assert_int_eq(mkdir(full, 0755), 0);
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(symlink(file, csvlink), 0);
	const char *const cases[][5] = {
		{ "--output", full, "exists and is not empty" },
		{ "--output", file, "not a directory" },
		{ "--output", under, "ot a directory" },
		{ "--csv", csvmissing, "No such file" },
		{ "--csv", csvdir, "not a regular file" },
		{ "--csv", csvlink, "not a regular file" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(run(nokvm, -1, (const char *const[]){ "cpuid", cases[i][0],
								       cases[i][1], NULL }), 2);
		ck_assert_msg(lines(errbuf) == 1, "not one line: %s", errbuf);
		ck_assert_msg(!strncmp(errbuf, "vmexit-bench: ", 14) && strstr(errbuf, cases[i][2]),
			      "%s %s: %s", cases[i][0], cases[i][1], errbuf);
		ck_assert_ptr_null(strstr(errbuf, "KVM"));
		ck_assert_str_eq(out, "");
	}
	/* The link is still a link to the untouched file. */
	ck_assert(!lstat(csvlink, &st) && S_ISLNK(st.st_mode));
	ck_assert(!stat(file, &st) && st.st_size == 0);
	/* A good output passes the check: the error is about KVM now. */
	snprintf(under, sizeof(under), "%s/fresh/run", dir);
	ck_assert_int_eq(RUN(nokvm, "cpuid", "--csv", "-", "--output", under, "--backend", "kvm"), 1);
	ck_assert_msg(strstr(errbuf, "/nonexistent/kvm"), "%s", errbuf);
}
END_TEST

static bool file_starts_with(const char *path, const void *magic, size_t n);

/* --- backends: /dev/kvm, or a Debian kernel's KVM under an emulator --- */

static const char *nokvm_env = "VMEXIT_KVM_DEVICE=/nonexistent/kvm";

/* A stand-in lane.sh in @dir that runs @body; VMEXIT_LANE_DIR and no /dev/kvm in @env. */
static void stub_lane(const char *body, char *env, size_t len)
{
	char script[512];
	FILE *f;

	snprintf(script, sizeof(script), "%s/lane.sh", dir);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	fputs(body, f);
	fclose(f);
	/* HOME: the default lane cache is the test's own, so always cold. */
	snprintf(env, len, "%s\nVMEXIT_LANE_DIR=%s\nHOME=%s", nokvm_env, dir, dir);
}

/* The stand-in's arguments, one a line, from its --out (see stub_args). */
static const char stub_args[] =
	"out=; while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; printf '%s\\n' \"$1\"; shift; "
	"done >\"${0%/*}/args.txt\"\nexit 3\n";

static const char *args_seen(void)
{
	static char text[8192];
	char p[512];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/args.txt", dir);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	fclose(f);
	unlink(p);
	return text;
}

/* Bad input is one line and status 2, before anything boots. */
START_TEST(backend_refusals)
{
	const char *const cases[][8] = {
		{ "--backend", "qemu", "cpuid", NULL, "--backend must be kvm, lane-amd or lane-intel" },
		{ "--backend", NULL, "needs a value" },
		{ "--backend", "kvm", "--cache", "/tmp", NULL, "--cache" },
		{ "--backend", "lane-amd", "--cpu", "1", "cpuid", NULL, "--cpu does not apply" },
		{ "--backend", "lane-intel", "nosuchbench", NULL, "unknown benchmark" },
		{ "lane", "--vendor", "amd", "--backend", "kvm", NULL, "unknown option '--backend'" },
		{ "lane", "--vendor", "amd", "--cpu", "1", NULL, "--cpu does not apply" },
		{ "lane", "cpuid", "--vendor", "amd", "--output", "/proc/x", NULL, "/proc" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = NULL;

		for (size_t k = 0; !want; k++)
			if (!cases[i][k])
				want = cases[i][k + 1];
		ck_assert_int_eq(run(nokvm_env, -1, cases[i]), 2);
		ck_assert_msg(lines(errbuf) == 1, "not one line: %s", errbuf);
		ck_assert_msg(!strncmp(errbuf, "vmexit-bench", 12) && strstr(errbuf, want),
			      "case %zu: %s", i, errbuf);
		ck_assert_str_eq(out, "");
	}
	/* Without /dev/kvm, a run falls back: --cpu cannot apply there either. */
	ck_assert_int_eq(RUN(nokvm_env, "cpuid", "--cpu", "1"), 2);
	ck_assert_msg(strstr(errbuf, "--cpu does not apply in the kvm_amd lane"), "%s", errbuf);
	ck_assert_int_eq(lines(errbuf), 1);
}
END_TEST

/* list names the backend a run would use, where it is not /dev/kvm. */
START_TEST(list_names_the_backend)
{
	ck_assert_int_eq(RUN(nokvm_env, "list"), 0);
	ck_assert_msg(!strncmp(out, "# backend: a run here uses lane-amd", 35), "%.300s", out);
	ck_assert_msg(strstr(out, "no /nonexistent/kvm"), "%.300s", out);
	ck_assert_ptr_nonnull(strstr(out, "unsupported here: no /nonexistent/kvm"));
	ck_assert_int_eq(RUN(nokvm_env, "list", "--backend", "lane-intel"), 0);
	ck_assert_msg(!strncmp(out, "# backend: a run here uses lane-intel", 37), "%.300s", out);
	ck_assert_msg(strstr(out, "--backend lane-intel"), "%.300s", out);
	/* --json stays JSON; the line goes to stderr */
	ck_assert_int_eq(RUN(nokvm_env, "list", "--json"), 0);
	ck_assert_int_eq(out[0], '[');
	ck_assert_msg(strstr(errbuf, "uses lane-amd"), "%s", errbuf);
	ck_assert_int_eq(RUN(nokvm_env, "list", "--backend", "kvm"), 0);
	ck_assert_msg(!strncmp(out, "benchmark ", 10), "%.300s", out);
}
END_TEST

/*
 * Where neither /dev/kvm nor the lane can run: one line naming both and
 * what to install, status 1, nothing left behind.
 */
START_TEST(fallback_cannot_run)
{
	char env[1200], res[400];
	const char *second, *third;

	snprintf(res, sizeof(res), "%s/r-cannot", dir);
	/* lane.sh finds what it needs missing only once it runs: after the first line. */
	stub_lane("echo 'lane: SKIP: apt-get download linux-image-x failed: 404' >&2\n"
		  "exit 77\n", env, sizeof(env));
	ck_assert_int_eq(RUN(env, "cpuid", "--output", res), 1);
	/* Why the lane; that its kernel is fetched (the cache is cold); why neither runs. */
	ck_assert_msg(lines(errbuf) == 3, "%s", errbuf);
	second = strchr(errbuf, '\n') + 1;
	third = strchr(second, '\n') + 1;
	ck_assert_msg(!strncmp(second, "vmexit-bench: first lane run: fetching ", 39) &&
		      strstr(third, "no /nonexistent/kvm: ") &&
		      strstr(third, "and the kvm_amd lane cannot run either: apt-get download "
				    "linux-image-x failed: 404\n"), "%s", errbuf);
	ck_assert_int_ne(access(res, F_OK), 0);
	/* No kernel package known: found before anything runs (apt-* are stand-ins here). */
	{
		char bin[400], cmd[3000], env2[1700];

		snprintf(bin, sizeof(bin), "%s/bin", dir);
		snprintf(cmd, sizeof(cmd), "mkdir -p %s && for t in qemu-system-x86_64 cpio; do "
			 "ln -sf \"$(command -v $t)\" %s/$t; done && printf '#!/bin/sh\\nexit 0\\n' "
			 ">%s/apt-cache && cp %s/apt-cache %s/apt-get && chmod +x %s/apt-*",
			 bin, bin, bin, bin, bin, bin);
		ck_assert_int_eq(system(cmd), 0);
		snprintf(env2, sizeof(env2), "%s\nPATH=%s", env, bin);
		ck_assert_int_eq(RUN(env2, "cpuid", "--output", res), 1);
		ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "no /nonexistent/kvm: ") &&
			      strstr(errbuf, "the kvm_amd lane cannot run either: apt-cache knows "
					     "no linux-image-amd64 (run apt-get update"), "%s", errbuf);
	}
	/* No QEMU (an empty PATH): said before anything is set up, with the packages. */
	strcat(env, "\nPATH=/nonexistent");
	ck_assert_int_eq(RUN(env, "cpuid", "--output", res), 1);
	ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "no /nonexistent/kvm: ") &&
		      strstr(errbuf, "kvm_amd lane cannot run either: qemu-system-x86_64 is not "
				     "installed (apt-get install qemu-system-x86;") &&
		      strstr(errbuf, "./build.sh"), "%s", errbuf);
	/* No lane script. */
	snprintf(env, sizeof(env), "%s\nVMEXIT_LANE_DIR=/nonexistent", nokvm_env);
	ck_assert_int_eq(RUN(env, "cpuid"), 1);
	ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "cannot run either: no lane script"),
		      "%s", errbuf);
	ck_assert_ptr_null(strstr(errbuf, "running in"));
}
END_TEST

/*
 * The fallback says so first, in one line, and hands the run's options
 * (in any order) to the guest's run; the lane command takes them too.
 */
START_TEST(fallback_first_line_and_options)
{
	char env[1200], res[400];
	const char *a;

	snprintf(res, sizeof(res), "%s/r-first", dir);
	stub_lane(stub_args, env, sizeof(env));
	ck_assert_int_eq(RUN(env, "--iterations", "7", "cpuid", "--output", res, "--no-trace",
			     "--runs", "2", "pio_*", "--cpl", "0"), 1);
	ck_assert_msg(!strncmp(errbuf, "vmexit-bench: no /nonexistent/kvm: KVM is not available",
			       55), "%s", errbuf);
	ck_assert_msg(strstr(strtok(errbuf, "\n"), "; running in the kvm_amd lane instead: ") &&
		      strstr(errbuf, "QEMU's TCG, an emulated CPU, so the numbers prove behaviour, "
				     "not hardware cost (7 iterations, 10 warm-up, 2 runs;") &&
		      strstr(errbuf, "--backend kvm never falls back"), "%s", errbuf);
	a = args_seen();
	ck_assert_msg(strstr(a, "--vendor\namd\n") && strstr(a, "\n--\n--backend\nkvm\n"
		      "--iterations\n7\n--warmup\n10\n--runs\n2\n--plot\nnone\n--raw\n--cpl\n0\n"
		      "--no-trace\ncpuid\npio_*\n"), "%s", a);
	ck_assert_msg(strstr(a, "\n--timeout\n900\n"), "%s", a);
	/* Ten times the lane's work: ten times its bound on the guest's wall time. */
	ck_assert_int_eq(RUN(env, "cpuid", "--output", res, "-n", "1090"), 1);
	a = args_seen();
	ck_assert_msg(strstr(a, "\n--timeout\n9000\n"), "%s", a);
	/* An explicit lane says what it is, too; its defaults are the lane's. */
	ck_assert_int_eq(RUN(env, "--backend", "lane-amd", "cpuid", "--output", res), 1);
	ck_assert_msg(strstr(errbuf, "vmexit-bench: --backend lane-amd: Debian's kernel and its "
				     "own kvm_amd under QEMU's TCG"), "%s", errbuf);
	ck_assert_msg(strstr(args_seen(), "--iterations\n100\n--warmup\n10\n--runs\n5\n"), "%s", a);
	/* lane: the run's options among the names, in any order (was "unknown benchmark"). */
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "cpuid", "--output", res,
			     "--warmup", "3", "--allow-dangerous", "--cache", "/c"), 1);
	a = args_seen();
	ck_assert_msg(strstr(a, "--cache\n/c\n") && strstr(a, "--warmup\n3\n") &&
		      strstr(a, "--allow-dangerous\ncpuid\n"), "%s", a);
	ck_assert_msg(!strstr(errbuf, "unknown"), "%s", errbuf);
	ck_assert_msg(!strstr(errbuf, "running in"), "%s", errbuf);
	/* One --append is one combination, as before: the guest's command line, tsc=reliable kept. */
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "cpuid", "--output", res,
			     "--append", "mitigations=auto"), 1);
	a = args_seen();
	ck_assert_msg(strstr(a, "--append\ntsc=reliable mitigations=auto\n--\n"), "%s", a);
	ck_assert_msg(!strstr(errbuf, "combination"), "%s", errbuf);
}
END_TEST


static bool have_qemu(void)
{
	return system("command -v qemu-system-x86_64 >/dev/null 2>&1") == 0;
}

/* A stand-in lane.sh that notes it was reached: it must not be, for bad arguments. */
static const char stub_reached[] = "touch \"${0%/*}/reached\"\nexit 3\n";

static bool stub_was_reached(void)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/reached", dir);
	return unlink(p) == 0;
}

/*
 * The kernel, cache and output arguments are checked before the lane
 * boots: one line, exit 2, lane.sh never started, nothing removed.
 */
START_TEST(lane_checks_before_boot)
{
	char env[1200], victim[400], cache[400], other[400], open_dir[400], mods[400], p[1000];
	char link[400], pkgdir[1100];
	const char *const bad_pkg[] = { "../victim", "../../../../etc/X", "a/b", "x" };

	stub_lane(stub_reached, env, sizeof(env));
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	snprintf(p, sizeof(p), "%s/sub", victim);
	ck_assert_int_eq(mkdir(victim, 0755), 0);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	for (size_t i = 0; i < sizeof(bad_pkg) / sizeof(bad_pkg[0]); i++) {
		ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--cache", cache,
				     "--kernel-package", bad_pkg[i], "cpuid"), 2);
		ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "not a Debian package name"),
			      "%s", errbuf);
		ck_assert(!stub_was_reached());
	}
	ck_assert_int_eq(access(p, F_OK), 0);	/* victim/sub is still there */
	/* A package apt does not know. */
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--cache", cache, "--kernel-package",
			     "linux-image-0.0.0-0-nosuch", "cpuid"), 2);
	ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "apt knows no such package"), "%s",
		      errbuf);
	/* The cache the lane made is private. */
	{
		struct stat st;

		ck_assert_int_eq(stat(cache, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0700);
	}
	/* A cache of another user's (planted), one others can write, one that cannot be made. */
	snprintf(other, sizeof(other), "%s/other", dir);
	ck_assert_int_eq(mkdir(other, 0755), 0);
	ck_assert_int_eq(chown(other, 65534, 65534), 0);
	snprintf(open_dir, sizeof(open_dir), "%s/open", dir);
	ck_assert_int_eq(mkdir(open_dir, 0700), 0);
	ck_assert_int_eq(chmod(open_dir, 0777), 0);
	snprintf(pkgdir, sizeof(pkgdir), "%s/other-pkg", dir);
	ck_assert_int_eq(mkdir(pkgdir, 0700), 0);
	{
		char sub[1200];

		snprintf(sub, sizeof(sub), "%s/linux-image-9-amd64", pkgdir);
		ck_assert_int_eq(mkdir(sub, 0755), 0);
		ck_assert_int_eq(chown(sub, 65534, 65534), 0);
	}
	{
		const char *const caches[][2] = { { other, "belongs to uid 65534" },
						  { open_dir, "writable by others" },
						  { "/proc/vmexit-cache", "cannot create" },
						  { pkgdir, "is not a directory of this user's" } };

		for (size_t i = 0; i < 4; i++) {
			ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--cache", caches[i][0],
					     "--kernel-package", "linux-image-9-amd64", "cpuid"), 2);
			ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, caches[i][1]), "%s",
				      errbuf);
			ck_assert(!stub_was_reached());
		}
	}
	/* A module tree without KVM. */
	snprintf(mods, sizeof(mods), "%s/modules", dir);
	ck_assert_int_eq(mkdir(mods, 0755), 0);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--cache", cache, "--kernel",
			     "/etc/hostname", "--modules", mods, "cpuid"), 2);
	ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "has no kvm-amd.ko"), "%s", errbuf);
	ck_assert(!stub_was_reached());
	/* Outputs: empty, a link, unwritable. */
	snprintf(link, sizeof(link), "%s/outlink", dir);
	ck_assert_int_eq(symlink(victim, link), 0);
	{
		const char *const outs[] = { "", link, "/proc/vmexit-out" };

		for (size_t i = 0; i < 3; i++) {
			ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--cache", cache,
					     "--kernel", "/etc/hostname", "--modules", mods,
					     "--output", outs[i], "cpuid"), 2);
			ck_assert_msg(lines(errbuf) == 1, "%s", errbuf);
			ck_assert(!stub_was_reached());
		}
	}
	/* No HOME: the cache is the user's own home's, never a shared /tmp path. */
	ck_assert_int_eq(chmod(dir, 0711), 0);
	snprintf(p, sizeof(p), "%s/pub", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(pkgdir, sizeof(pkgdir), "%s/lane.sh", p);
	{
		FILE *f = fopen(pkgdir, "w");

		ck_assert_ptr_nonnull(f);
		fputs(stub_reached, f);
		fclose(f);
	}
	snprintf(env, sizeof(env), "HOME=\nVMEXIT_KVM_DEVICE=/nonexistent/kvm\nVMEXIT_LANE_DIR=%s",
		 p);
	ck_assert_int_eq(run(env, 65534, (const char *const[]){ "lane", "--vendor", "amd",
		"--kernel-package", "linux-image-9-amd64", "cpuid", "--output", "/tmp/x", NULL }), 2);
	ck_assert_msg(lines(errbuf) == 1 && !strstr(errbuf, "/tmp/.cache"), "%s", errbuf);
	snprintf(pkgdir, sizeof(pkgdir), "%s/reached", p);
	ck_assert_int_ne(access(pkgdir, F_OK), 0);
	chmod(dir, 0700);
}
END_TEST


/* results/reference (argv[2]): real lane results the stand-in lane.sh hands back. */
static const char *reference_dir;

static bool have_bochs_lane(void)
{
	return system("command -v bochs >/dev/null 2>&1 && command -v genisoimage >/dev/null "
		      "2>&1 && [ -r /usr/share/bochs/BIOS-bochs-latest ] && "
		      "[ -r /usr/lib/ISOLINUX/isolinux.bin ] && "
		      "[ -r /usr/lib/syslinux/modules/bios/ldlinux.c32 ] && "
		      "[ -r /bin/busybox ] && command -v cpio >/dev/null 2>&1") == 0;
}

/*
 * A stand-in lane.sh for the kernel matrix: its guest "ran" the Bochs
 * reference run of the kernel package it was given (6.1.0-47 or -57);
 * linux-image-9-fail crashes; each boot's arguments are appended to
 * boots.txt. A package's second boot (--repeat-boot) gets hlt_user's
 * median 5 ticks longer, as a row that mixes host-side waits can.
 */
static const char stub_matrix[] =
	"out='' pkg='' app=''; for a in \"$@\"; do printf '%s|' \"$a\" >>\"${0%/*}/boots.txt\"; "
	"done; echo >>\"${0%/*}/boots.txt\"\n"
	"while [ $# -gt 0 ]; do case $1 in --out) out=$2;; --kernel-package) pkg=$2;; "
	"--append) app=$2;; --) break;; esac; shift; done\n"
	"case $pkg in *-9-fail) echo \"lane: the guest's kernel crashed, stopped 3s into the "
	"boot: 'Kernel panic'\" >&2; exit 1;; esac\n"
	"v=${pkg#linux-image-}; v=${v%-amd64}\n"
	"mkdir -p \"$out\" && cp -r \"$REF/bochs-skylake-kvm_intel-$v\" \"$out/run\" && "
	"rm -rf \"$out/run/lane\" && echo 0 >\"$out/lane.rc\" && "
	"printf 'kernel=%s\\nkernel_cmdline=%s\\n' \"$v\" \"$app\" >\"$out/lane.env\" || exit 1\n"
	"mark=\"${0%/*}/booted-$pkg-$app\"\n"
	"if [ -e \"$mark\" ]; then awk -F, -v OFS=, '$1 == \"hlt_user\" && $2 == \"total\" "
	"{ $7 = $7 + 5 } { print }' \"$out/run/summary.csv\" >\"$out/s\" && "
	"mv \"$out/s\" \"$out/run/summary.csv\"; else : >\"$mark\"; fi\n";

/* A cache that holds the kernel packages @pkgs (as unpacked), in @cache. */
static void matrix_cache(char *cache, size_t len, const char *const *pkgs)
{
	char p[1200];

	snprintf(cache, len, "%s/cache-m", dir);
	mkdir(cache, 0700);
	for (; *pkgs; pkgs++) {
		snprintf(p, sizeof(p), "%s/%s", cache, *pkgs);
		mkdir(p, 0700);
		snprintf(p, sizeof(p), "%s/%s/.unpacked", cache, *pkgs);
		close(open(p, O_CREAT | O_WRONLY, 0600));
	}
}

static void matrix_env(char *env, size_t len)
{
	stub_lane(stub_matrix, env, len);
	snprintf(env + strlen(env), len - strlen(env), "\nREF=%s", reference_dir);
}

/* The matrix's arguments: bad ones are one line, exit 2, before any boot. */
START_TEST(lane_matrix_refusals)
{
	const char *const pkgs[] = { "linux-image-6.1.0-47-amd64", "linux-image-6.1.0-57-amd64",
				     NULL };
	char env[1400], cache[400], res[400], p[600];
	struct {
		const char *args[8];
		const char *says;
	} cases[] = {
		{ { "--kernel-package", pkgs[0], "--kernel-package", pkgs[0] }, "given twice" },
		{ { "--kernel-package", pkgs[0], "--append", "a b", "--append", "a+b" },
		  "would both be named" },
		{ { "--append", "x\ny", "--append", "z" }, "control character" },
		{ { "--append", "x", "--append", "x" }, "given twice" },
		{ { "--kernel-package", pkgs[0], "--kernel-package", "linux-image-0.0.0-0-nosuch" },
		  "apt knows no such package" },
		{ { "--kernel-package", pkgs[0], "--kernel-package", "../x" },
		  "not a Debian package name" },
		{ { "--kernel-package", pkgs[0], "--kernel-package", pkgs[1], "--csv", "/tmp/x.csv" },
		  "for one combination" },
	};

	matrix_env(env, sizeof(env));
	matrix_cache(cache, sizeof(cache), pkgs);
	snprintf(res, sizeof(res), "%s/m-refused", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[20] = { "lane", "--vendor", "intel", "--cache", cache, "--output",
					 res };
		int n = 7;

		for (int j = 0; cases[i].args[j]; j++)
			argv[n++] = cases[i].args[j];
		argv[n++] = "cpuid";
		argv[n] = NULL;
		ck_assert_int_eq(run(env, -1, argv), 2);
		ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, cases[i].says) &&
			      !strncmp(errbuf, "vmexit-bench lane: ", 19), "case %zu: %s", i, errbuf);
		snprintf(p, sizeof(p), "%s/boots.txt", dir);
		ck_assert_msg(access(p, F_OK), "case %zu booted", i);
		ck_assert_msg(access(res, F_OK), "case %zu made %s", i, res);
	}
}
END_TEST

static bool file_has(const char *path, const char *text)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strstr(buf, text) != NULL;
}

/*
 * Two kernels (and one that crashes) times two command lines: one boot
 * each, one results directory each named after kernel and command line,
 * the failed combination reported while the others' results are kept,
 * and the comparison of those printed and written.
 */
START_TEST(lane_matrix_runs_each_combination)
{
	const char *const pkgs[] = { "linux-image-6.1.0-47-amd64", "linux-image-6.1.0-57-amd64",
				     "linux-image-9-fail", NULL };
	const char *const names[] = { "6.1.0-47-amd64_mitigations=off",
				      "6.1.0-47-amd64_mitigations=auto",
				      "6.1.0-57-amd64_mitigations=off",
				      "6.1.0-57-amd64_mitigations=auto" };
	char env[1400], cache[400], res[400], p[1200];

	matrix_env(env, sizeof(env));
	matrix_cache(cache, sizeof(cache), pkgs);
	snprintf(res, sizeof(res), "%s/m-runs", dir);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "intel", "--cache", cache,
			     "--kernel-package", pkgs[0], "--kernel-package", pkgs[2],
			     "--kernel-package", pkgs[1], "--append", "mitigations=off",
			     "--append", "mitigations=auto", "--plot", "none", "--output", res,
			     "cpuid", "hlt_user"), 1);
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s/run.json", res, names[i]);
		ck_assert_msg(!access(p, F_OK), "no %s: %s", p, errbuf);
		ck_assert_msg(strstr(out, names[i]), "%s not in the table: %s", names[i], out);
	}
	/* One boot per combination, each with its command line. */
	snprintf(p, sizeof(p), "%s/boots.txt", dir);
	ck_assert(file_has(p, "--kernel-package|linux-image-6.1.0-57-amd64|--append|"
			      "mitigations=auto|"));
	/* Bochs's defaults: its ticks repeat, so one run of 30 (docs/real-kvm.md). */
	ck_assert(file_has(p, "|--iterations|30|--warmup|5|--runs|1|"));
	{
		char cmd[1300];

		snprintf(cmd, sizeof(cmd), "test $(wc -l <'%s') = 6", p);
		ck_assert_msg(system(cmd) == 0, "not six boots");
	}
	unlink(p);
	/* The crashed kernel: said, with its reason, and no directory of its own. */
	ck_assert_msg(strstr(errbuf, "combination 9-fail_mitigations=off failed (exit 1") &&
		      strstr(errbuf, "Kernel panic") &&
		      strstr(errbuf, "2 of 6 combinations failed: 9-fail_mitigations=off "
				     "9-fail_mitigations=auto"), "%s", errbuf);
	snprintf(p, sizeof(p), "%s/9-fail_mitigations=off", res);
	ck_assert_int_ne(access(p, F_OK), 0);
	/* The comparison: the table with its phases, the files. */
	ck_assert_msg(strstr(out, "exit") && strstr(out, "handler") && strstr(out, "cpuid") &&
		      strstr(out, "emulated_ticks"), "%s", out);
	snprintf(p, sizeof(p), "%s/compare.csv", res);
	ck_assert(file_has(p, "6.1.0-57-amd64_mitigations=auto"));
	snprintf(p, sizeof(p), "%s/compare.md", res);
	ck_assert_int_eq(access(p, F_OK), 0);
	ck_assert_msg(strstr(out, "# results: "), "%s", out);
}
END_TEST

/*
 * --repeat-boot: each combination twice; the rows whose median repeated
 * are exact, the others named, with why.
 */
START_TEST(lane_matrix_repeat_boot)
{
	const char *const pkgs[] = { "linux-image-6.1.0-47-amd64", "linux-image-6.1.0-57-amd64",
				     NULL };
	char env[1400], cache[400], res[400], p[1200];

	matrix_env(env, sizeof(env));
	matrix_cache(cache, sizeof(cache), pkgs);
	snprintf(res, sizeof(res), "%s/m-repeat", dir);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "intel", "--cache", cache,
			     "--kernel-package", pkgs[0], "--kernel-package", pkgs[1],
			     "--repeat-boot", "--plot", "none", "--output", res, "cpuid",
			     "hlt_user"), 0);
	snprintf(p, sizeof(p), "%s/6.1.0-57-amd64.boot2/run.json", res);
	ck_assert_int_eq(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/exact.csv", res);
	ck_assert_msg(file_has(p, "6.1.0-57-amd64,cpuid,0,total,emulated_ticks,962,962,yes,"),
		      "cpuid");
	ck_assert(file_has(p, "6.1.0-57-amd64,hlt_user,0,total,emulated_ticks,2619,2624,no,"));
	ck_assert_msg(strstr(out, "not exact: 6.1.0-57-amd64 hlt_user cpl") &&
		      strstr(out, "moved by +5 between boots"), "%s", out);
	ck_assert_msg(strstr(out, "# exactness of 6.1.0-57-amd64: 15 of 16 rows"), "%s", out);
	/*
	 * The comparison: cpuid's total (its median at its minimum, despite a
	 * timer interrupt's sample) is exact, hlt_user's, which did not
	 * repeat, is not, though its samples would pass.
	 */
	snprintf(p, sizeof(p), "%s/compare.csv", res);
	ck_assert(file_has(p, "cpuid,total,0,emulated_ticks,2,\"6.1.0-57-amd64\",962,962,962,"
			      "0.998962,0.998962,0.998962,yes,exact\n"));
	ck_assert(file_has(p, "hlt_user,exit,0,emulated_ticks,2,\"6.1.0-57-amd64\",1001,1001,"
			      "1001,1.00301,1.00301,1.00301,yes,exact\n"));
	ck_assert(file_has(p, "hlt_user,total,0,emulated_ticks,2,\"6.1.0-57-amd64\",2619,"));
	ck_assert(!file_has(p, "hlt_user,total,0,emulated_ticks,2,\"6.1.0-57-amd64\",2619,2619,"
			       "2619,1.00422,1.00422,1.00422,yes,exact"));
	snprintf(p, sizeof(p), "%s/boots.txt", dir);
	unlink(p);
}
END_TEST

/*
 * --exact: the amd lane under QEMU's -icount with one guest CPU (lane.sh's
 * LANE_QEMU_ICOUNT and LANE_QEMU_SMP); refused for intel, whose Bochs is
 * exact already.
 */
START_TEST(lane_exact_amd)
{
	static const char stub_env[] =
		"printf '%s %s\\n' \"$LANE_QEMU_ICOUNT\" \"$LANE_QEMU_SMP\" >\"${0%/*}/env.txt\"\n"
		"exit 3\n";
	char env[1200], res[400], p[600];

	stub_lane(stub_env, env, sizeof(env));
	snprintf(res, sizeof(res), "%s/r-exact", dir);
	snprintf(p, sizeof(p), "%s/env.txt", dir);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "intel", "--exact", "cpuid"), 2);
	ck_assert_msg(lines(errbuf) == 1 && strstr(errbuf, "--exact is for --vendor amd"), "%s",
		      errbuf);
	ck_assert_int_ne(access(p, F_OK), 0);
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "--exact", "cpuid", "--output", res),
			 1);
	ck_assert_msg(file_has(p, "shift=0,sleep=off 1\n"), "%s", errbuf);
	unlink(p);
	/* Without it, neither. */
	ck_assert_int_eq(RUN(env, "lane", "--vendor", "amd", "cpuid", "--output", res), 1);
	ck_assert_msg(file_has(p, " \n") && !file_has(p, "shift"), "%s", errbuf);
	unlink(p);
}
END_TEST

/* A stand-in lane.sh whose guest leaves results at once. */
static const char stub_results[] =
	"out=; while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\n"
	"mkdir -p \"$out/run\" && echo '{}' >\"$out/run/run.json\" && echo 0 >\"$out/lane.rc\" &&\n"
	"echo kernel=x >\"$out/lane.env\" && sleep 1\n";

/* Two lanes with the default output in the same second: both keep their results. */
START_TEST(concurrent_lanes_default_names)
{
	char env[1200], cache[400], cmd[3000];
	int collided = 0;

	stub_lane(stub_results, env, sizeof(env));
	snprintf(cache, sizeof(cache), "%s/cache-c", dir);
	for (int trial = 0; trial < 5 && !collided; trial++) {
		snprintf(cmd, sizeof(cmd), "cd %s && rm -rf conc && mkdir conc && cd conc && "
			 "mkdir -p %s/linux-image-9-amd64 && chmod 700 %s && "
			 "touch %s/linux-image-9-amd64/.unpacked && "
			 "export VMEXIT_LANE_DIR=%s && B='%s lane --vendor amd --cache %s "
			 "--kernel-package linux-image-9-amd64 --plot none --quiet cpuid' && "
			 "{ $B 2>e1 & $B 2>e2 & wait $!; r2=$?; wait %%1; r1=$?; } && "
			 "[ $r1 = 0 ] && [ $r2 = 0 ] && [ $(ls results | wc -l) = 2 ] && "
			 "ls results | grep -q -- '-2$'", dir, cache, cache, cache, dir, binary,
			 cache);
		int rc = system(cmd);

		snprintf(cmd, sizeof(cmd), "cd %s/conc && ls results | grep -q -- '-2$'", dir);
		if (system(cmd) == 0) {
			collided = 1;
			ck_assert_msg(rc == 0, "a lane failed when both had the same name");
		} else {
			snprintf(cmd, sizeof(cmd), "cd %s/conc && cat e1 e2 && ls results", dir);
			ck_assert_msg(system(cmd) == 0, "listing failed");
		}
	}
	ck_assert_msg(collided, "no two lanes started in the same second in 5 tries");
}
END_TEST

/*
 * The fallback for real: no /dev/kvm, one benchmark in the kvm_amd lane
 * (about 15 s once the kernel package is in build/lane-cache), and a
 * results directory like any run's, labelled as emulated.
 */
START_TEST(fallback_runs_in_the_lane)
{
	char res[400], cache[600], p[700], env[700], md[400];
	char *bin = strdup(binary), *slash = strrchr(bin, '/');
	FILE *f;

	*slash = 0;
	snprintf(cache, sizeof(cache), "%s/lane-cache", bin);	/* the lane tests' cache */
	free(bin);
	snprintf(res, sizeof(res), "%s/r-lane", dir);
	snprintf(env, sizeof(env), "%s", nokvm_env);
	snprintf(md, sizeof(md), "%s/lane.md", dir);
	ck_assert_int_eq(RUN(env, "cpuid", "--iterations", "50", "--warmup", "5", "--runs", "1",
			     "--output", res, "--cache", cache, "--export-markdown", md), 0);
	ck_assert_msg(strstr(errbuf, "running in the kvm_amd lane instead"), "%s", errbuf);
	ck_assert_msg(strstr(out, "# this host's CPU is emulated by QEMU's TCG"), "%s", out);
	ck_assert_msg(strstr(out, "\ncpuid "), "%s", out);
	snprintf(p, sizeof(p), "# results: %s\n", res);
	ck_assert_msg(strstr(out, p), "%s", out);
	const char *pngs[] = { "plots/medians.png", "plots/cdf-cpuid-cpl0.png" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", res, pngs[i]);
		ck_assert_msg(file_starts_with(p, "\x89PNG", 4), "%s is not a PNG", p);
	}
	snprintf(p, sizeof(p), "%s/plots/medians.gp", res);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_msg(strstr(errbuf, "CPU emulated by QEMU's TCG"), "%s", errbuf);
	snprintf(p, sizeof(p), "%s/summary.csv", res);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_msg(strstr(errbuf, "cpuid,total,0,") && strstr(errbuf, ",tcg_tsc_ticks,"), "%s",
		      errbuf);
	snprintf(p, sizeof(p), "%s/run.json", res);
	{
		/* Whole: run.json can be longer than errbuf. */
		json_t *run = json_load_file(p, 0, NULL);

		ck_assert_ptr_nonnull(run);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(run, "settings"),
								   "emulator")), "tcg");
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(run, "lane"),
								   "kvm_module")), "kvm-amd");
		json_decref(run);
	}
	/* table.tex and the Markdown table say it too. */
	snprintf(p, sizeof(p), "%s/table.tex", res);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_msg(strstr(errbuf, "of a CPU emulated by QEMU's TCG"), "%s", errbuf);
	f = fopen(md, "r");
	ck_assert_ptr_nonnull(f);
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_msg(!strncmp(errbuf, "**Emulated CPU** (QEMU's TCG)", 29), "%s", errbuf);
}
END_TEST

/* --- needs /dev/kvm --- */

START_TEST(csv_written)
{
	char csv[300], line[1024];
	FILE *f;
	int rows = 0;

	snprintf(csv, sizeof(csv), "%s/out.csv", dir);
	char res[300];

	snprintf(res, sizeof(res), "%s/r-csv", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "mmio_*_user", "--iterations", "200", "--warmup",
			     "20", "--runs", "2", "--csv", csv, "--quiet", "--plot", "none",
			     "--output", res), 0);
	ck_assert_str_eq(out, "");	/* --quiet */
	f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(strncmp(line, "benchmark,phase,cpl,samples,min,p25,median", 42), 0);
	int phases = 0;

	while (fgets(line, sizeof(line), f)) {
		/* Two runs of 200 pooled; the row says how many runs are behind it. */
		ck_assert_msg(strstr(line, ",400,") || !strstr(line, ",total,"), "%s", line);
		ck_assert_msg(strstr(line, ",ok,,0,") && strstr(line, ",2,exit\n"), "%s", line);
		rows += strstr(line, ",total,") != NULL;
		phases += strstr(line, ",exit,") || strstr(line, ",handler,") ||
			  strstr(line, ",entry,");
	}
	fclose(f);
	ck_assert_int_eq(rows, 3);
	/* Userspace exits are split into exit, handler and entry where the TSCs agree. */
	ck_assert_int_eq(phases % 3, 0);
	unlink(csv);
}
END_TEST

START_TEST(failures_keep_what_was_measured)
{
	char csv[300], line[1024];
	FILE *f;
	bool pio = false, bad = false;

	snprintf(csv, sizeof(csv), "%s/partial.csv", dir);
	char res[300];

	snprintf(res, sizeof(res), "%s/r-partial", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "_fault_ud2", "_hang", "--iterations", "100",
			     "--timeout", "0.3", "--csv", csv, "--plot", "none", "--output", res), 1);
	/* CPL3 where this host emulates CPL0, CPL0 where it runs it natively. */
	ck_assert_msg(strstr(errbuf, "_fault_ud2 (CPL3): guest exception #UD") ||
		      strstr(errbuf, "_fault_ud2 (CPL0): guest exception #UD"), "%.400s", errbuf);
	ck_assert_msg(strstr(errbuf, "_hang (CPL3): guest made no progress") ||
		      strstr(errbuf, "_hang (CPL0): guest made no progress"), "%.400s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "code at RIP"));	/* the dump */
	ck_assert_ptr_nonnull(strstr(out, "FAILED"));
	f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		pio |= strncmp(line, "pio_out_user,", 13) == 0;
		/* A failed benchmark has a row with its status and reason, and no number. */
		if (line[0] == '_')
			bad |= !strstr(line, ",,,,,,,tsc_ticks,,,,,,,0,failed,") &&
			       !strstr(line, ",,,,,,,tcg_tsc_ticks,,,,,,,0,failed,") &&
			       !strstr(line, ",,,,,,,emulated_ticks,,,,,,,0,failed,");
	}
	fclose(f);
	ck_assert(pio);		/* measured before the failures, still written */
	ck_assert(!bad);	/* no number for what did not happen */
	unlink(csv);
}
END_TEST

START_TEST(unwritable_csv_is_an_error)
{
	char res[300];

	snprintf(res, sizeof(res), "%s/r-unwritable", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "--iterations", "50", "--csv",
			     "/nonexistent/dir/out.csv", "--plot", "none", "--output", res), 2);
	ck_assert_msg(strstr(errbuf, "/nonexistent/dir/out.csv"), "%s", errbuf);
	/* Found before measuring: no table, no results directory. */
	ck_assert_int_eq(lines(errbuf), 1);
	ck_assert_str_eq(out, "");
	ck_assert(access(res, F_OK));
}
END_TEST

/* Starts the binary with stdout and stderr into files of @dir; returns its pid. */
static pid_t start(const char *outfile, const char *errfile, const char *const *args)
{
	char *argv[32];
	int n = 0;
	pid_t pid;

	argv[n++] = (char *)binary;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fo = open(outfile, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		int fe = open(errfile, O_CREAT | O_TRUNC | O_WRONLY, 0644);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(125);
		execv(binary, argv);
		_exit(126);
	}
	return pid;
}

static void slurp_into(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	read_all(fd, buf, len);
	close(fd);
}

/*
 * Ctrl-C during a run: the benchmark being measured finishes, the rest do
 * not start, and what was measured is written and marked incomplete.
 * Three benchmarks of 100,000 userspace exits each take seconds apiece
 * here. How long the set-up takes depends on the host's load, so a signal
 * that came before the first benchmark (nothing recorded) is sent again
 * later in a new run, and one that came during the last (all recorded, as
 * under Bochs, where a guest second is far longer) earlier in a new run.
 */
START_TEST(sigint_keeps_what_was_measured)
{
	static const char *const names[] = { "pio_out_user", "pio_in_user", "mmio_write_user" };
	char res[300], o[300], e[300], json[400], want[128];
	int status, recorded = 0;
	pid_t pid;

	snprintf(o, sizeof(o), "%s/sigint.out", dir);
	snprintf(e, sizeof(e), "%s/sigint.err", dir);
	for (int delay_ms = 1000, tries = 0; (!recorded || recorded == 3) && tries < 8 &&
	     delay_ms >= 125 && delay_ms <= 16000; tries++) {
		delay_ms = !tries ? delay_ms : recorded ? delay_ms / 2 : delay_ms * 2;
		recorded = 0;
		snprintf(res, sizeof(res), "%s/r-sigint-%d", dir, delay_ms);
		pid = start(o, e, (const char *const[]){ names[0], names[1], names[2],
			"--iterations", "100000", "--plot", "none", "--output", res, NULL });
		usleep(delay_ms * 1000);
		ck_assert_int_eq(kill(pid, SIGINT), 0);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		slurp_into(o, out, sizeof(out));
		slurp_into(e, errbuf, sizeof(errbuf));
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %#x: %s",
			      status, errbuf);
		ck_assert_msg(strstr(out, "# INCOMPLETE: stopped by SIGINT; "), "%s", out);
		for (int k = 0; k < 3; k++) {
			snprintf(want, sizeof(want), "\n%s ", names[k]);
			if (strstr(out, want))
				recorded = k + 1;
		}
	}
	/* Stopped after the benchmark it was in: at least one measured, never all. */
	ck_assert_msg(recorded >= 1 && recorded < 3, "%d recorded: %s", recorded, out);
	snprintf(want, sizeof(want), "; %d of 3 benchmarks recorded", recorded);
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(json, sizeof(json), "%s/run.json", res);
	slurp_into(json, errbuf, sizeof(errbuf));
	ck_assert_msg(strstr(errbuf, "\"incomplete\": true"), "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "\"signal\": \"SIGINT\""));
	/* What is recorded was measured in full. */
	ck_assert_ptr_nonnull(strstr(errbuf, "\"samples\": 100000"));

	/* Twice: the second one ends the process at once, and nothing is written. */
	snprintf(res, sizeof(res), "%s/r-sigint2", dir);
	pid = start(o, e, (const char *const[]){ "pio_out_user", "pio_in_user", "mmio_write_user",
		"--iterations", "100000", "--plot", "none", "--output", res, NULL });
	sleep(1);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	usleep(100000);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "status %#x", status);
	ck_assert(access(res, F_OK));
}
END_TEST

/* '-' is stdout, and /dev/stdout is written through, never replaced. */
START_TEST(csv_to_stdout)
{
	char res[300], link[300];
	struct stat st;

	snprintf(res, sizeof(res), "%s/r-stdout", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "--iterations", "50", "--csv", "-",
			     "--plot", "none", "--output", res), 0);
	ck_assert_msg(!strncmp(out, "benchmark,phase,cpl,samples,", 28), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "\npio_out_user,total,"));
	ck_assert_ptr_null(strstr(out, "# results"));	/* CSV only */
	ck_assert_int_eq(lstat("/dev/stdout", &st), 0);
	snprintf(link, sizeof(link), "%s/r-stdout2", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "--iterations", "50", "--csv", "/dev/stdout",
			     "--quiet", "--plot", "none", "--output", link), 0);
	ck_assert_msg(!strncmp(out, "benchmark,phase,cpl,samples,", 28), "%s", out);
	ck_assert_msg(!lstat("/dev/stdout", &st) && S_ISLNK(st.st_mode),
		      "/dev/stdout is no longer a link");
}
END_TEST

static bool file_starts_with(const char *path, const void *magic, size_t n)
{
	unsigned char buf[16] = { 0 };
	FILE *f = fopen(path, "rb");
	bool ok;

	if (!f)
		return false;
	ok = fread(buf, 1, n, f) == n && memcmp(buf, magic, n) == 0;
	fclose(f);
	return ok;
}

/* Whether @prog is an executable in one of $PATH's directories. */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];
	size_t len;

	for (const char *p = path ? path : ""; *p; p += len + (p[len] != 0)) {
		len = strcspn(p, ":");
		if (len >= sizeof(buf) - 256)
			continue;
		memcpy(buf, p, len);
		snprintf(buf + len, sizeof(buf) - len, "/%s", prog);
		if (access(buf, X_OK) == 0)
			return true;
	}
	return false;
}

/* A run's self-describing directory, then compare of two runs. */
START_TEST(results_directory_and_compare)
{
	char a[300], b[300], p[400], cmp[300];

	snprintf(a, sizeof(a), "%s/run-a", dir);
	snprintf(b, sizeof(b), "%s/run-b", dir);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	ck_assert_int_eq(RUN(NULL, "nop", "pio_out_user", "--iterations", "300", "--output", a,
			     "--raw"), 0);
	ck_assert_msg(strstr(out, "# results: "), "%s", out);
	const char *files[] = { "summary.csv", "run.json", "table.tex", "samples.csv",
				"plots/medians.gp", "plots/medians.dat" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", a, files[i]);
		ck_assert_msg(access(p, R_OK) == 0, "missing %s", p);
	}
	snprintf(p, sizeof(p), "%s/plots/medians.png", a);
	if (on_path("gnuplot"))
		ck_assert_msg(file_starts_with(p, "\x89PNG", 4), "%s is not a PNG", p);
	else	/* a host without gnuplot (the lane's guest): no image, and the run says why */
		ck_assert_msg(access(p, F_OK) != 0 && strstr(errbuf, "gnuplot not found"),
			      "no gnuplot here, yet: %s", errbuf);
	snprintf(p, sizeof(p), "%s/run.json", a);
	FILE *f = fopen(p, "r");
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_ptr_nonnull(strstr(errbuf, "\"brand\""));
	ck_assert_ptr_nonnull(strstr(errbuf, "pio_out_user"));
	/* An existing --output directory is never overwritten. */
	ck_assert_int_eq(RUN(NULL, "nop", "--iterations", "50", "--output", a, "--plot", "none"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, a));
	ck_assert_int_eq(RUN(NULL, "nop", "pio_out_user", "--iterations", "300", "--output", b,
			     "--raw", "--plot", "none"), 0);
	ck_assert_int_eq(RUN(NULL, "compare", a, b, "--output", cmp, "--plot", "none"), 0);
	ck_assert_msg(strstr(out, "pio_out_user"), "%s", out);
	ck_assert_int_eq(RUN(NULL, "compare", a, "/nonexistent/run"), 2);
	ck_assert_msg(strstr(errbuf, "/nonexistent/run"), "%s", errbuf);
	if (!on_path("gnuplot")) {
		ck_assert_int_eq(RUN(NULL, "plot", "--plot", "svg", a), 1);
		ck_assert_msg(strstr(errbuf, "gnuplot not found"), "%s", errbuf);
		return;
	}
	ck_assert_int_eq(RUN(NULL, "plot", "--plot", "svg", a), 0);
	snprintf(p, sizeof(p), "%s/plots/medians.svg", a);
	ck_assert_msg(file_starts_with(p, "<?xml", 5) || file_starts_with(p, "<svg", 4),
		      "%s is not SVG", p);
}
END_TEST

/*
 * --preset paper: the seven microbenchmarks, one table under the papers'
 * row names, and paper.tex in the results directory, which compiles in a
 * minimal article where pdflatex is installed.
 */
START_TEST(preset_paper)
{
	const char *titles[] = { "Hypercall", "Interrupt Controller Trap", "Virtual IPI",
				 "Virtual IRQ Completion", "VM Switch", "I/O Latency Out",
				 "I/O Latency In" };
	char d[300], p[400], cmd[1200];
	FILE *f;

	snprintf(d, sizeof(d), "%s/paper", dir);
	ck_assert_int_eq(RUN(NULL, "--preset", "paper", "--iterations", "100", "--warmup", "10",
			     "--plot", "none", "--output", d), 0);
	ck_assert_msg(strstr(out, "# preset paper"), "%s", out);
	for (size_t i = 0; i < 7; i++)
		ck_assert_msg(strstr(strstr(out, "# preset paper"), titles[i]), "%s missing", titles[i]);
	/* Only the preset's benchmarks ran. */
	ck_assert_ptr_null(strstr(out, "pio_out_user"));
	snprintf(p, sizeof(p), "%s/paper.tex", d);
	ck_assert_msg(access(p, R_OK) == 0, "missing %s", p);
	if (system("command -v pdflatex >/dev/null 2>&1"))
		return;
	snprintf(p, sizeof(p), "%s/doc.tex", d);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("\\documentclass{article}\n\\begin{document}\n\\input{paper.tex}\n\\end{document}\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd '%s' && pdflatex -interaction=nonstopmode -halt-on-error "
		 "doc.tex >doc.out 2>&1 && ! grep -q 'Overfull' doc.log", d);
	ck_assert_msg(system(cmd) == 0, "paper.tex does not compile cleanly (see %s/doc.log)", d);
}
END_TEST

START_TEST(env_command)
{
	ck_assert_int_eq(RUN(NULL, "env"), 0);
	ck_assert_msg(strstr(out, "kernel") || strstr(out, "Kernel"), "%s", out);
	ck_assert_int_eq(RUN(NULL, "env", "--json"), 0);
	ck_assert_int_eq(out[0], '{');
	ck_assert_int_eq(RUN(NULL, "env", "--bogus"), 2);
}
END_TEST

/*
 * Whether the fallback's end-to-end case can run here; if not, says why
 * (where untagged cases were asked for at all).
 */
static bool lane_case_runs_here(void)
{
	const char *why = NULL;

#ifdef __SANITIZE_ADDRESS__
	/* The guest would run this binary without tests/meson.build's sanitizer options. */
	why = "the lane runs the plain build's binary only (this one is sanitized)";
#endif
	if (!why && !have_qemu())
		why = "qemu-system-x86_64 is not installed (the kvm_amd lane)";
	if (why && untagged_cases_run())
		printf("SKIP: 1 test: %s\n", why);
	return !why;
}

int main(int argc, char **argv)
{
	Suite *s = suite_create("binary");
	TCase *tc = tcase_create("no_kvm_needed");
	TCase *kvm, *lane;
	static char abs_binary[PATH_MAX];
	int failed;

	if (argc < 2) {
		fprintf(stderr, "usage: test_binary PATH-TO-vmexit-bench\n");
		return 2;
	}
	/* Absolute: some cases run it from another directory (meson gives ./vmexit-bench). */
	binary = realpath(argv[1], abs_binary) ? abs_binary : argv[1];
	reference_dir = argc > 2 ? argv[2] : NULL;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/*
	 * A bound on a hang, not a speed target: the fallback cases ask
	 * apt-cache for the lane's kernel package in every run, which took
	 * over 30 s for one case on a machine busy with two emulators.
	 */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, lane_refusals);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, missing_kvm_device);
	tcase_add_test(tc, not_a_kvm_device);
	tcase_add_test(tc, permission_denied);
	tcase_add_test(tc, env_command);
	tcase_add_test(tc, bad_outputs_fail_before_measuring);
	tcase_add_test(tc, backend_refusals);
	tcase_add_test(tc, list_names_the_backend);
	tcase_add_test(tc, fallback_cannot_run);
	tcase_add_test(tc, fallback_first_line_and_options);
	suite_add_tcase(s, tc);
	tcase_add_test(tc, concurrent_lanes_default_names);
	if (have_qemu()) {	/* checked after the lane's needs, which QEMU is one of */
		tcase_add_test(tc, lane_checks_before_boot);
		tcase_add_test(tc, lane_exact_amd);
	} else if (untagged_cases_run()) {
		printf("SKIP: 2 tests: qemu-system-x86_64 is not installed (the lane's checks, "
		       "--exact)\n");
	}
	/* Untagged cases: said skipped only where untagged cases run (not in the lane). */
	if (!reference_dir) {
		if (untagged_cases_run())
			printf("SKIP: 3 tests: no results/reference directory given (argv[2]): the "
			       "lane matrix's\n");
	} else if (!have_bochs_lane()) {
		if (untagged_cases_run())
			printf("SKIP: 3 tests: Bochs, isolinux, genisoimage, busybox-static or cpio "
			       "is not installed (the lane matrix's)\n");
	} else {
		tcase_add_test(tc, lane_matrix_refusals);
		tcase_add_test(tc, lane_matrix_runs_each_combination);
		tcase_add_test(tc, lane_matrix_repeat_boot);
	}
	/* Boots Debian's kernel under QEMU: needs QEMU, and fetches the kernel once. */
	if (lane_case_runs_here()) {
		lane = tcase_create("lane");	/* made only when added: Check frees what it runs */
		tcase_set_timeout(lane, 280);
		tcase_add_test(lane, fallback_runs_in_the_lane);
		suite_add_tcase(s, lane);
	}
	if (kvm_cases_run_here(8)) {
		kvm = tcase_create("kvm");
		tcase_set_timeout(kvm, 120);
		tcase_add_test(kvm, csv_written);
		tcase_add_test(kvm, list_agrees_with_run);
		tcase_add_test(kvm, failures_keep_what_was_measured);
		tcase_add_test(kvm, unwritable_csv_is_an_error);
		tcase_add_test(kvm, csv_to_stdout);
		tcase_add_test(kvm, sigint_keeps_what_was_measured);
		tcase_add_test(kvm, results_directory_and_compare);
		tcase_add_test(kvm, preset_paper);
		kvm_tcase_add(s, kvm);
	}
	failed = check_run(s, false);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return failed ? 1 : 0;
}
