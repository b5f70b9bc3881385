// SPDX-License-Identifier: MIT
/* The real-KVM lane from the host (see driver.h). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"

/* One line of lane.sh's stderr: kept (SKIP), trimmed (our work directory) or shown. */
static void lane_line(struct lane_spec *s, char *line)
{
	static const char skip[] = "lane: SKIP: ";
	char suffix[PATH_MAX + 16];
	size_t n = strlen(line), m;

	if (!strncmp(line, skip, sizeof(skip) - 1)) {
		snprintf(s->skip, sizeof(s->skip), "%s", line + sizeof(skip) - 1);
		return;
	}
	snprintf(suffix, sizeof(suffix), "; results in %s", s->out);
	m = strlen(suffix);
	if (n >= m && !strcmp(line + n - m, suffix))
		line[n - m] = 0;
	if (s->before_line)
		s->before_line(s->arg);
	fprintf(stderr, "%s\n", line);
}

/* Passes on what is in @fd; returns 0 at its end. */
static int pass_lines(struct lane_spec *s, int fd, char *buf, size_t len, size_t *have)
{
	ssize_t r = read(fd, buf + *have, len - 1 - *have);
	char *nl;

	if (r <= 0)
		return r < 0 && (errno == EAGAIN || errno == EINTR) ? 1 : 0;
	*have += r;
	buf[*have] = 0;
	while ((nl = strchr(buf, '\n')) || *have == len - 1) {
		if (nl)
			*nl = 0;
		lane_line(s, buf);
		if (!nl) {
			*have = 0;
			break;
		}
		*have -= nl + 1 - buf;
		memmove(buf, nl + 1, *have + 1);
	}
	return 1;
}

static int run_sh(struct lane_spec *s, char **args)
{
	char buf[4096];
	size_t have = 0;
	int st, fds[2], open_fd;
	pid_t pid, done = 0;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		close(fds[1]);
		/* A caller that ignores Ctrl-C while it waits: lane.sh must not. */
		signal(SIGINT, SIG_DFL);
		execv("/bin/sh", args);
		_exit(126);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	open_fd = 1;
	/*
	 * Until lane.sh is gone and so is its stderr (a child of its that
	 * kept the pipe open does not hold us once lane.sh has exited).
	 */
	while (!done || open_fd) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };

		if (!open_fd)
			poll(NULL, 0, 200);
		else if (poll(&p, 1, 500) > 0)
			open_fd = pass_lines(s, fds[0], buf, sizeof(buf), &have);
		if (s->tick)
			s->tick(s->arg);
		if (!done) {
			done = waitpid(pid, &st, WNOHANG);
			if (done < 0 && errno == EINTR)
				done = 0;
			if (done < 0)
				break;
		} else if (open_fd) {
			open_fd = pass_lines(s, fds[0], buf, sizeof(buf), &have) &&
				  poll(&p, 1, 0) > 0;
		}
	}
	if (have) {
		buf[have] = 0;
		lane_line(s, buf);
	}
	close(fds[0]);
	if (done < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int lane_run(struct lane_spec *s)
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
	s->skip[0] = 0;
	return run_sh(s, args);
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

