// SPDX-License-Identifier: MIT
/* The real-KVM lane from the host (see driver.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

	if (s->stopped)
		return;
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

/* The signal that asks the lane to stop (this process's copy: caller or guard). */
static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	if (!stop_sig)
		stop_sig = sig;
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (int)(sizeof(stop_signals) / sizeof(stop_signals[0]))

/* @handler for the stop signals (no SA_RESTART: a wait returns), the old actions kept in @old. */
static void catch_stops(void (*handler)(int), struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = handler };

	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, old ? &old[i] : NULL);
}

/* When @pid started (clock ticks after boot) and its session; 0 if it does not run. */
static unsigned long long proc_stat(long pid, long *session)
{
	char path[64], buf[1024], *p, state;
	unsigned long long t = 0;
	long ppid, pgrp, sid;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* After "(comm)", which may hold anything: state, ppid, pgrp, session, ... 22: start time. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %ld %ld %ld", &state, &ppid, &pgrp, &sid) != 4 || state == 'Z')
		return 0;
	if (session)
		*session = sid;
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

/* Sends @sig to every live process of session @sid but this one; returns how many. */
static int signal_session(long sid, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10), in = -1;

		if (*end || pid <= 0 || pid == getpid() || !proc_stat(pid, &in) || in != sid)
			continue;
		kill((pid_t)pid, sig);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * Ends every process of the guard's session: SIGTERM (lane.sh's trap
 * then removes its work directory, QEMU exits), SIGKILL for what is left
 * after a second; all reaped (the guard is their subreaper).
 */
static void end_session(long sid, pid_t lane, int *lane_st)
{
	pid_t w;
	int st;

	if (signal_session(sid, SIGTERM)) {
		for (int i = 0; i < 20; i++) {
			while ((w = waitpid(-1, &st, WNOHANG)) > 0)
				if (w == lane)
					*lane_st = st;
			if (!signal_session(sid, 0))
				break;
			usleep(50000);
		}
		signal_session(sid, SIGKILL);
	}
	while ((w = waitpid(-1, &st, 0)) > 0 || (w < 0 && errno == EINTR))
		if (w == lane)
			*lane_st = st;
}

static void append_mark(const char *work);

/*
 * The guard: lane.sh's parent, in a session of its own, so that nothing
 * of the lane outlives it. Exits with lane.sh's status (128 + a signal
 * that killed it).
 */
static void guard(struct lane_spec *s, char **args, int errfd, pid_t caller)
{
	int lane_st = -1;
	long sid = setsid();
	pid_t lane, w;

	stop_sig = 0;
	catch_stops(on_stop, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != caller)
		stop_sig = SIGTERM;	/* it died before the line above */
	if (s->work)
		append_mark(s->work);
	lane = stop_sig ? -1 : fork();
	if (!lane) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		sigemptyset(&dfl.sa_mask);
		for (int i = 0; i < NSTOP; i++)
			sigaction(stop_signals[i], &dfl, NULL);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(errfd, STDERR_FILENO);
		close(errfd);
		if (s->work)
			setenv("TMPDIR", s->work, 1);
		execv("/bin/sh", args);
		_exit(126);
	}
	close(errfd);
	while (lane > 0 && !stop_sig) {
		w = waitpid(lane, &lane_st, 0);
		if (w == lane || (w < 0 && errno != EINTR))
			break;
	}
	end_session(sid, lane, &lane_st);
	if (getppid() != caller && s->work)
		lane_remove_tree(s->work);	/* nobody else will */
	if (lane_st < 0)
		_exit(128 + (stop_sig ? stop_sig : SIGKILL));
	_exit(WIFEXITED(lane_st) ? WEXITSTATUS(lane_st) : 128 + WTERMSIG(lane_st));
}

static int run_sh(struct lane_spec *s, char **args)
{
	struct sigaction old[NSTOP];
	char buf[4096];
	size_t have = 0;
	int st, fds[2], open_fd;
	pid_t pid, done = 0, caller = getpid();

	if (pipe(fds))
		return -1;
	stop_sig = 0;
	s->stopped = 0;
	catch_stops(on_stop, old);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		for (int i = 0; i < NSTOP; i++)
			sigaction(stop_signals[i], &old[i], NULL);
		return -1;
	}
	if (!pid) {
		close(fds[0]);
		guard(s, args, fds[1], caller);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	open_fd = 1;
	/*
	 * Until the guard is gone and so is lane.sh's stderr (a child of its
	 * that kept the pipe open does not hold us once the guard has exited).
	 */
	while (!done || open_fd) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };

		if (stop_sig && !s->stopped) {
			/*
			 * What lane.sh said before the stop is passed on; what it
			 * says as it is stopped ("Terminated", from its shell, for
			 * each child the guard ends) is not: the caller's one line
			 * says why the lane ended.
			 */
			while (open_fd && poll(&p, 1, 0) > 0)
				open_fd = pass_lines(s, fds[0], buf, sizeof(buf), &have);
			s->stopped = stop_sig;
			kill(pid, SIGTERM);	/* the guard stops the whole lane */
		}
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
	for (int i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	if (have) {
		buf[have] = 0;
		lane_line(s, buf);
	}
	close(fds[0]);
	if (done < 0)
		return -1;
	if (s->stopped)
		return 128 + s->stopped;
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
	if (s->append) {
		args[n++] = "--append";
		args[n++] = (char *)s->append;
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


bool lane_package_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n < 2 || n > 200 || !((name[0] >= 'a' && name[0] <= 'z') ||
				  (name[0] >= '0' && name[0] <= '9')))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789+.-") == n;
}

/* In every work directory of a lane's: who runs it ("pid start-time" lines). */
#define OWNER_FILE ".vmexit-lane-owner"

static void append_mark(const char *work)
{
	char path[PATH_MAX], line[64];
	int fd, n;

	snprintf(path, sizeof(path), "%.4000s/" OWNER_FILE, work);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%d %llu\n", (int)getpid(), proc_stat(getpid(), NULL));
	if (write(fd, line, n) != n)
		n = -1;
	close(fd);
}

int lane_mark_work(const char *work)
{
	char path[PATH_MAX];
	struct stat st;

	append_mark(work);
	snprintf(path, sizeof(path), "%.4000s/" OWNER_FILE, work);
	return stat(path, &st) ? -1 : 0;
}

void lane_unmark_work(const char *work)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%.4000s/" OWNER_FILE, work);
	unlink(path);
}

/* Every process named in the mark is gone (not running, or another process by now). */
static bool owners_gone(int dirfd)
{
	char buf[512], *line, *save = NULL;
	int fd = openat(dirfd, OWNER_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), seen = 0;
	ssize_t n;

	if (fd < 0)
		return false;	/* not a lane's work directory, or kept for the user */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long started, now;
		long pid;

		if (sscanf(line, "%ld %llu", &pid, &started) != 2 || pid <= 0)
			return false;
		now = proc_stat(pid, NULL);
		if (pid == getpid() || (now && (!started || now == started)))
			return false;
		seen++;
	}
	return seen > 0;
}

/* NAME.lane-XXXXXX: mkdtemp's six characters after ".lane-". */
static bool is_work_name(const char *name)
{
	const char *at = strstr(name, ".lane-");

	while (at && strstr(at + 1, ".lane-"))
		at = strstr(at + 1, ".lane-");
	return at && at != name && strlen(at) == 12;
}

void lane_clean_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		int fd;

		if (!is_work_name(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (owners_gone(fd) &&
		    snprintf(path, sizeof(path), "%s/%s", parent, de->d_name) < (int)sizeof(path))
			lane_remove_tree(path);
		close(fd);
	}
	if (d)
		closedir(d);
}
