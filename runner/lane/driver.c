// SPDX-License-Identifier: MIT
/* The real-KVM lane from the host (see driver.h). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"

static int run_sh(char **args)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execv("/bin/sh", args);
		_exit(126);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int lane_run(const struct lane_spec *s)
{
	char num[24], *args[32 + s->nguest];
	int n = 0;

	snprintf(num, sizeof(num), "%lu", s->timeout);
	args[n++] = "sh";
	args[n++] = (char *)s->script;
	args[n++] = "--vendor";
	args[n++] = (char *)s->vendor;
	args[n++] = "--bin";
	args[n++] = (char *)s->bin;
	args[n++] = "--out";
	args[n++] = (char *)s->out;
	args[n++] = "--cache";
	args[n++] = (char *)s->cache;
	args[n++] = "--timeout";
	args[n++] = num;
	args[n++] = "--log";
	args[n++] = (char *)s->log;
	if (s->pkg) {
		args[n++] = "--kernel-package";
		args[n++] = (char *)s->pkg;
	}
	if (s->kernel) {
		args[n++] = "--kernel";
		args[n++] = (char *)s->kernel;
		args[n++] = "--modules";
		args[n++] = (char *)s->modules;
	}
	if (s->params) {
		args[n++] = "--kvm-param";
		args[n++] = (char *)s->params;
	}
	args[n++] = "--";
	for (int i = 0; i < s->nguest; i++)
		args[n++] = s->guest_args[i];
	args[n] = NULL;
	return run_sh(args);
}

/* The guest's own "# results:" line names a path in the guest. */
void lane_print_output(const char *path, FILE *to)
{
	char line[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "# results: ", 11))
			fputs(line, to);
	fclose(f);
}

int lane_read_rc(const char *path)
{
	int rc = -1;
	FILE *f = fopen(path, "r");

	if (f && fscanf(f, "%d", &rc) != 1)
		rc = -1;
	if (f)
		fclose(f);
	return rc;
}

/* Next to the results they explain. */
int lane_keep_logs(const char *out, const char *run)
{
	static const char *const names[] = { "lane.env", "stdout.txt", "stderr.txt",
					     "dmesg.txt", "lane.rc", "console.txt" };
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(to, sizeof(to), "%.4000s/lane", run);
	if (mkdir(to, 0755))
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(from, sizeof(from), "%.4000s/%s", out, names[i]);
		snprintf(to, sizeof(to), "%.4000s/lane/%s", run, names[i]);
		if (rename(from, to) && errno != ENOENT)
			return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void lane_remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

