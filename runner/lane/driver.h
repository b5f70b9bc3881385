/* SPDX-License-Identifier: MIT */
/*
 * The real-KVM lane from the host: runs lane.sh (beside this file), which
 * boots a Debian kernel under an emulator and runs vmexit-bench in it, and
 * handles what it leaves in its --out directory: the guest's results
 * (run/), its exit status (lane.rc), its output and logs.
 */
#ifndef VMEXIT_LANE_DRIVER_H
#define VMEXIT_LANE_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

struct lane_spec {
	const char *script;		/* lane.sh */
	const char *vendor;		/* intel or amd */
	const char *bin;		/* the vmexit-bench to run in the guest */
	const char *out, *cache, *log;	/* lane.sh's --out, --cache, --log */
	const char *pkg;		/* --kernel-package, or NULL */
	const char *kernel, *modules;	/* both, or NULL */
	const char *params;		/* --kvm-param, or NULL */
	const char *append;		/* --append (guest command-line additions), or NULL */
	/*
	 * The caller's work directory (or NULL): lane.sh's TMPDIR, so that
	 * its own work directory is inside; removed if the caller dies.
	 */
	const char *work;
	unsigned long timeout;		/* seconds */
	char **guest_args;		/* for `vmexit-bench run` in the guest */
	int nguest;
	/* Called about twice a second while lane.sh runs (NULL: not at all). */
	void (*tick)(void *arg);
	/* Called before each line lane.sh writes to stderr is shown. */
	void (*before_line)(void *arg);
	void *arg;
	/* Set by lane_run: why the lane cannot run here, when lane.sh exits 77. */
	char skip[512];
	/* Set by lane_run: the signal (SIGINT, SIGTERM, SIGHUP) that stopped the lane, or 0. */
	int stopped;
};

/*
 * Runs lane.sh with @s; returns its exit status (128 + a signal), or -1.
 * Its stderr is passed on line by line, but for its "SKIP: reason" line
 * (kept in @s->skip, for one error line of the caller's) and the name of
 * its --out directory, which is a work directory of the caller's.
 *
 * The lane is one process tree that dies together: lane.sh runs in a
 * session of its own under a guard process, which stops every process of
 * that session (the emulator too, whatever process group `timeout` gave
 * it) when lane.sh exits, when this process forwards a SIGINT, SIGTERM or
 * SIGHUP (caught here while the lane runs: @s->stopped, 128 + it
 * returned), and when this process dies (PR_SET_PDEATHSIG; the guard then
 * removes @s->work as well).
 */
int lane_run(struct lane_spec *s);

/* Whether @name is a Debian package name: [a-z0-9][a-z0-9+.-]+, so never a path. */
bool lane_package_name_ok(const char *name);

/*
 * Marks @work (a directory of the caller's, NAME.lane-XXXXXX) as this
 * process's, by pid and start time, for lane_clean_stale. 0 or -1.
 */
int lane_mark_work(const char *work);
/* Drops the mark: what is left in @work is kept for the user. */
void lane_unmark_work(const char *work);

/*
 * Removes the work directories (NAME.lane-XXXXXX) in @parent that lanes
 * killed outright left: only directories of this user's, marked by
 * processes that no longer run.
 */
void lane_clean_stale(const char *parent);

/* The guest's exit status from lane.rc, or -1 when it left none. */
int lane_read_rc(const char *path);

/* Copies the guest's output at @path to @to, but for its "# results:" lines. */
void lane_print_output(const char *path, FILE *to);

/* Moves the lane's logs from @out (lane.sh's --out) into @run/lane/. */
int lane_keep_logs(const char *out, const char *run);

/* Removes @path and everything under it. */
void lane_remove_tree(const char *path);

#endif
