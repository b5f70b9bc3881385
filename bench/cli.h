/* SPDX-License-Identifier: MIT */
/* Command-line parsing for `vmexit-bench [run]`: pure, so it is unit-tested. */
#ifndef VMEXIT_CLI_H
#define VMEXIT_CLI_H

#include <stdbool.h>
#include <stddef.h>

enum cpl_mode { CPL_AUTO, CPL_0, CPL_3 };

enum command { CMD_RUN, CMD_LIST, CMD_HELP, CMD_VERSION };

/*
 * Where the benchmarks run: this host's /dev/kvm, or a Debian kernel's own
 * KVM inside an emulator (bench/cmd_lane.c). AUTO is /dev/kvm where it is
 * usable and the kvm_amd lane where it is not.
 */
enum backend { BACKEND_AUTO, BACKEND_KVM, BACKEND_LANE_AMD, BACKEND_LANE_INTEL };

#define CLI_MAX_PATTERNS 64
/* The lane's kernel matrix: kernels (packages, and one --kernel) and command lines. */
#define CLI_MAX_LANE_KERNELS 8
#define CLI_MAX_LANE_APPENDS 8

struct options {
	enum command cmd;
	unsigned long long iterations;
	unsigned long long warmup;
	int cpu;			/* -1: the last online CPU */
	enum cpl_mode cpl;
	const char *csv;
	const char *markdown;		/* --export-markdown FILE */
	unsigned runs;			/* --runs N: independent runs (fresh VM each) */
	unsigned parallel;		/* --parallel N: vCPUs at once (0 or 1: one) */
	bool json;			/* list --json */
	const char *output;		/* results directory; NULL: results/<date>-<host> */
	bool raw;			/* samples.csv too */
	int plot;			/* enum plot_fmt */
	bool quiet;
	bool no_subtract;		/* report raw values, floor not subtracted */
	double timeout_s;
	unsigned long long handler_work_ns;	/* busy wait added to each userspace handler */
	bool no_trace;			/* no kvm_exit/kvm_entry tracing for the kernel split */
	bool allow_dangerous;		/* run the opt-in benchmarks (WBINVD, INVD) */
	const char *preset;		/* --preset NAME (bench/preset.h): its benchmarks and table */
	const char *patterns[CLI_MAX_PATTERNS];
	int npatterns;
	enum backend backend;		/* --backend */
	const char *cache;		/* --cache: the lane's kernel packages */
	/* Given on the command line: the lane has defaults of its own. */
	bool iterations_given, warmup_given, runs_given, timeout_given;
	/* `vmexit-bench lane` only (cli_parse_lane) */
	const char *vendor;		/* intel or amd */
	const char *kernel_pkg;		/* --kernel-package (the first, when repeated) */
	/* The kernel matrix: each --kernel-package, each --append (bench/cmd_lane.c). */
	const char *kernel_pkgs[CLI_MAX_LANE_KERNELS];
	int nkernel_pkgs;
	const char *appends[CLI_MAX_LANE_APPENDS];	/* --append: guest command lines */
	int nappends;
	bool repeat_boot;		/* --repeat-boot: each combination booted twice */
	bool exact;			/* --exact: amd under QEMU's -icount, one guest CPU */
	const char *kernel, *modules;	/* --kernel BZIMAGE --modules DIR */
	const char *kvm_params;		/* --kvm-param */
	unsigned long long lane_timeout;	/* lane's --timeout: bound on the guest's wall time */
};

#define DEFAULT_ITERATIONS 10000ull
#define DEFAULT_WARMUP 1000ull
#define DEFAULT_TIMEOUT_S 5.0
/*
 * Five runs: the 95% t-interval of five per-run medians is 2.78 standard
 * errors wide each side (three runs: 4.30, i.e. intervals half again as
 * wide), for five times the time of one run (about 40 s for the default
 * catalog on this project's machines).
 */
#define DEFAULT_RUNS 5u
#define MAX_RUNS 1000u

/*
 * Every subcommand's getopt_long loop (optstring starting with ':') ends on
 * ':' or '?' the same way: this is what was wrong, a format for the word
 * argv[optind - 1].
 */
const char *cli_opt_problem(int c);

struct option;

/*
 * getopt_long() with the one set of conventions of every vmexit-bench
 * command: options stand before, among or after the positional arguments
 * (also where POSIXLY_CORRECT would have getopt stop at the first of them),
 * and "--" ends the options. Set optind = 0 before the first call. Once it
 * returns -1, the positional arguments are argv[optind..argc), in their
 * order (argv is reordered, as GNU getopt's permutation does). @optstring
 * starts with ':' (no messages from getopt: the caller says what was wrong,
 * with cli_opt_problem()).
 */
int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts);

/* Returns 0, or -1 with a one-line message in @err (exit status 2). */
int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

/*
 * `vmexit-bench lane ...` (@argv[0] is "lane"): the run's options, in any
 * order among the benchmark names, and the lane's own (--vendor, --kernel,
 * ...); --timeout is the bound on the guest's wall time there. Returns as
 * cli_parse().
 */
int cli_parse_lane(int argc, char **argv, struct options *o, char *err, size_t errlen);

/* "kvm", "lane-amd", "lane-intel" (or "auto"). */
const char *cli_backend_name(enum backend b);

/*
 * Marks in @selected (catalog order) the benchmarks matching the patterns
 * (names or globs); all when there are none. Returns 0, or -1 naming the
 * pattern that matched nothing.
 */
int cli_select(const struct options *o, bool *selected, char *err, size_t errlen);

extern const char cli_usage[];

#endif
