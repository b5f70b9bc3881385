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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Runs the binary with @args (NULL-terminated); env "K=V" or NULL; as @uid if >= 0. */
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
		if (env)
			putenv((char *)env);
		if (uid >= 0 && (setgid(uid) || setuid(uid)))
			_exit(125);
		execv(binary, argv);
		_exit(126);
	}
	close(po[1]);
	close(pe[1]);
	read_all(pe[0], errbuf, sizeof(errbuf));
	read_all(po[0], out, sizeof(out));
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
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
	const char *const cases[][3] = {
		{ "--iterations", "zero", NULL }, { "--cpl", "7", NULL }, { "--bogus", NULL },
		{ "nosuchbench", NULL }, { "list", "extra", NULL }, { "--csv", NULL },
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

START_TEST(help_and_version)
{
	ck_assert_int_eq(RUN(NULL, "--help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "--iterations"));
	ck_assert_int_eq(RUN(NULL, "--version"), 0);
	ck_assert_int_eq(strncmp(out, "vmexit-bench ", 13), 0);
}
END_TEST

START_TEST(missing_kvm_device)
{
	ck_assert_int_eq(RUN("VMEXIT_KVM_DEVICE=/nonexistent/kvm", "cpuid"), 1);
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
	ck_assert_int_eq(RUN("VMEXIT_KVM_DEVICE=/dev/null", "cpuid"), 1);
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
		ck_assert_int_eq(run(env, 65534, (const char *const[]){ "cpuid", NULL }), 1);
	} else {
		ck_assert_int_eq(RUN(env, "cpuid"), 1);
	}
	ck_assert_msg(strstr(errbuf, "permission denied opening"), "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "group 'kvm'"));
	unlink(path);
}
END_TEST

/* --- needs /dev/kvm --- */

static bool have_kvm(void)
{
	char err[256];
	int fd = kvm_open(err, sizeof(err));

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

START_TEST(csv_written)
{
	char csv[300], line[1024];
	FILE *f;
	int rows = 0;

	snprintf(csv, sizeof(csv), "%s/out.csv", dir);
	char res[300];

	snprintf(res, sizeof(res), "%s/r-csv", dir);
	ck_assert_int_eq(RUN(NULL, "pio_out_user", "mmio_*_user", "--iterations", "200", "--warmup",
			     "20", "--csv", csv, "--quiet", "--plot", "none", "--output", res), 0);
	ck_assert_str_eq(out, "");	/* --quiet */
	f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_int_eq(strncmp(line, "benchmark,phase,cpl,samples,min,p25,median", 42), 0);
	int phases = 0;

	while (fgets(line, sizeof(line), f)) {
		ck_assert_msg(strstr(line, ",200,") || !strstr(line, ",total,"), "%s", line);
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
	ck_assert_msg(strstr(errbuf, "_fault_ud2 (CPL3): guest exception #UD"), "%s", errbuf);
	ck_assert_msg(strstr(errbuf, "_hang (CPL3): guest made no progress"), "%s", errbuf);
	ck_assert_ptr_nonnull(strstr(errbuf, "code at RIP"));	/* the dump */
	ck_assert_ptr_nonnull(strstr(out, "FAILED"));
	f = fopen(csv, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		pio |= strncmp(line, "pio_out_user,", 13) == 0;
		bad |= line[0] == '_';
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
			     "/nonexistent/dir/out.csv", "--quiet", "--plot", "none", "--output", res), 1);
	ck_assert_msg(strstr(errbuf, "/nonexistent/dir/out.csv"), "%s", errbuf);
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
	ck_assert_msg(file_starts_with(p, "\x89PNG", 4), "%s is not a PNG", p);
	snprintf(p, sizeof(p), "%s/run.json", a);
	FILE *f = fopen(p, "r");
	read_all(fileno(f), errbuf, sizeof(errbuf));
	fclose(f);
	ck_assert_ptr_nonnull(strstr(errbuf, "\"brand\""));
	ck_assert_ptr_nonnull(strstr(errbuf, "pio_out_user"));
	/* An existing --output directory is never overwritten. */
	ck_assert_int_eq(RUN(NULL, "nop", "--iterations", "50", "--output", a, "--plot", "none"), 1);
	ck_assert_ptr_nonnull(strstr(errbuf, a));
	ck_assert_int_eq(RUN(NULL, "nop", "pio_out_user", "--iterations", "300", "--output", b,
			     "--raw", "--plot", "none"), 0);
	ck_assert_int_eq(RUN(NULL, "compare", a, b, "--output", cmp, "--plot", "none"), 0);
	ck_assert_msg(strstr(out, "pio_out_user"), "%s", out);
	ck_assert_int_eq(RUN(NULL, "compare", a, "/nonexistent/run"), 2);
	ck_assert_msg(strstr(errbuf, "/nonexistent/run"), "%s", errbuf);
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

int main(int argc, char **argv)
{
	Suite *s = suite_create("binary");
	TCase *tc = tcase_create("no_kvm_needed");
	TCase *kvm = tcase_create("kvm");
	int failed;
	bool with_kvm = have_kvm();

	if (argc < 2) {
		fprintf(stderr, "usage: test_binary PATH-TO-vmexit-bench\n");
		return 2;
	}
	binary = argv[1];
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, help_and_version);
	tcase_add_test(tc, missing_kvm_device);
	tcase_add_test(tc, not_a_kvm_device);
	tcase_add_test(tc, permission_denied);
	tcase_add_test(tc, env_command);
	suite_add_tcase(s, tc);
	if (with_kvm) {
		tcase_set_timeout(kvm, 60);
		tcase_add_test(kvm, csv_written);
		tcase_add_test(kvm, failures_keep_what_was_measured);
		tcase_add_test(kvm, unwritable_csv_is_an_error);
		tcase_add_test(kvm, results_directory_and_compare);
		tcase_add_test(kvm, preset_paper);
		suite_add_tcase(s, kvm);
	} else {
		/* tests/summarize.py counts these as skipped. */
		printf("SKIP: 5 tests: /dev/kvm not usable\n");
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
