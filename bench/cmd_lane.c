/* SPDX-License-Identifier: MIT */
/*
 * vmexit-bench lane: the benchmarks against a real, unmodified KVM of a
 * given Debian kernel, run inside that kernel booted under an emulator
 * (Bochs for kvm_intel, QEMU's TCG for kvm_amd) by runner/lane/lane.sh.
 * The guest's results directory becomes an ordinary results directory
 * here, with the lane's description (emulator, kernel) added to run.json
 * and its logs under lane/.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "catalog.h"
#include "cli.h"
#include "cmd_lane.h"
#include "compare.h"
#include "errmsg.h"
#include "lane/driver.h"
#include "plot.h"
#include "results_dir.h"
#include "rundir.h"
#include "table.h"

static const char lane_usage[] =
	"usage: vmexit-bench lane --vendor intel|amd [options] [BENCH...]\n"
	"Boots a Debian kernel under an emulator (intel: Bochs, which emulates VMX;\n"
	"amd: QEMU's TCG, which emulates SVM), loads its own kvm_intel / kvm_amd and\n"
	"runs the benchmarks there. Ticks count emulated work (unit tcg_tsc_ticks\n"
	"under TCG, emulated_ticks under Bochs), not hardware time: the numbers prove\n"
	"behaviour, not cost. Under Bochs they repeat exactly.\n"
	"The run's options apply, in any order among the names (see --help of run):\n"
	"--iterations (default here 100; intel 30), --warmup (10; intel 5), --runs\n"
	"(5; intel 1: Bochs's ticks repeat), --cpl, --plot,\n"
	"--output (default results/lane-VENDOR-TIME), --csv, --export-markdown, --raw,\n"
	"--no-subtract, --handler-work, --no-trace, --allow-dangerous, --preset,\n"
	"--quiet; --cpu does not apply (the vCPU runs in the emulated guest).\n"
	"The lane's own:\n"
	"      --kernel-package NAME  Debian kernel package (default: linux-image-amd64's);\n"
	"                             repeated: one more kernel of the matrix\n"
	"      --kernel BZIMAGE --modules DIR\n"
	"                             a kernel of your own and its lib/modules/VERSION\n"
	"      --append 'ARGS'        guest kernel command-line additions (e.g.\n"
	"                             mitigations=auto; the lane's own has\n"
	"                             mitigations=off); repeated: one more of the matrix\n"
	"      --exact                amd: QEMU with -icount shift=0,sleep=off (ticks\n"
	"                             follow instructions; one guest CPU): exact\n"
	"                             medians, as under Bochs\n"
	"      --repeat-boot          boot each combination twice: rows whose median\n"
	"                             repeats to the tick are exact (exact.csv)\n"
	"Several kernels or command lines make a matrix: one boot per combination,\n"
	"its results in --output/KERNEL_APPEND, then their comparison (the wide\n"
	"table with phases; compare.csv, compare.md, compare.tex in --output).\n"
	"      --kvm-param 'P=V ...'  kvm_intel / kvm_amd parameters\n"
	"      --cache DIR            kernel packages, made 0700 and refused unless it\n"
	"                             is yours alone (default $XDG_CACHE_HOME/\n"
	"                             vmexit-bench/lane or ~/.cache/vmexit-bench/lane)\n"
	"      --timeout SEC          bound on the guest's wall time (default intel 3600,\n"
	"                             amd 900, more for more iterations or runs)\n"
	"  -h, --help                 this text\n";

/* The lane's counts where the command line gives none: TCG is slow (docs/real-kvm.md). */
#define LANE_ITERATIONS 100ull
#define LANE_WARMUP 10ull
/*
 * Under Bochs a sample is an instruction count: the median is the path's
 * length once most samples are, and another run of the same boot repeats
 * it, so more iterations and runs add time, not information (a second
 * boot, --repeat-boot, is the check that matters). Each run of a
 * benchmark costs a VM's set-up and its proof and trace passes, which
 * dominated the catalog's time at five runs (docs/real-kvm.md).
 */
#define LANE_INTEL_ITERATIONS 30ull
#define LANE_INTEL_WARMUP 5ull
#define LANE_INTEL_RUNS 1u

struct lane_counts {
	unsigned long long iterations, warmup;
	unsigned runs;
};

/* The counts the guest's run gets: the command line's, else the vendor's defaults. */
static struct lane_counts lane_counts(const struct options *o, const char *vendor)
{
	bool intel = !strcmp(vendor, "intel");

	return (struct lane_counts){
		.iterations = o->iterations_given ? o->iterations :
			      intel ? LANE_INTEL_ITERATIONS : LANE_ITERATIONS,
		.warmup = o->warmup_given ? o->warmup : intel ? LANE_INTEL_WARMUP : LANE_WARMUP,
		.runs = o->runs_given ? o->runs : intel ? LANE_INTEL_RUNS : o->runs,
	};
}

/* One lane run: what it is called in messages, and why it was chosen. */
struct lane_ctx {
	const struct options *o;
	const char *vendor;		/* amd or intel */
	const char *prefix;		/* "vmexit-bench lane: " or "vmexit-bench: " */
	const char *no_kvm;		/* why /dev/kvm was not used, when run fell back */
	const char *append;		/* guest command-line additions (--append), or NULL */
};

static int usage(const struct lane_ctx *c, const char *msg)
{
	fprintf(stderr, "%s%s\n", c->prefix, msg);
	return 2;
}

static int lane_fail(const struct lane_ctx *c, const char *msg, const char *detail)
{
	fprintf(stderr, "%s%s%s%s\n", c->prefix, msg, detail ? ": " : "", detail ? detail : "");
	return 1;
}

static const char *kvm_name(const char *vendor)
{
	return strcmp(vendor, "intel") ? "kvm_amd" : "kvm_intel";
}

/* The lane cannot run: one line, naming /dev/kvm's problem too when run fell back. */
static int cannot_run(const struct lane_ctx *c, const char *why)
{
	if (c->no_kvm)
		fprintf(stderr, "vmexit-bench: %s, and the %s lane cannot run either: %s\n",
			c->no_kvm, kvm_name(c->vendor), why);
	else
		fprintf(stderr, "%sthe lane cannot run here: %s\n", c->prefix, why);
	return 1;
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char p[PATH_MAX];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(p, sizeof(p), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (!access(p, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/*
 * What the lane needs on the host, checked before anything is set up
 * (lane.sh checks the same and more, but only once it runs): one line
 * naming what is missing and the packages that bring it.
 */
static int lane_preflight(const char *vendor, const char *script, char *err, size_t errlen)
{
	static const struct need { const char *what, *pkg; bool file; bool intel, amd; } needs[] = {
		{ "qemu-system-x86_64", "qemu-system-x86", false, false, true },
		{ "bochs", "bochs", false, true, false },
		{ "/usr/share/bochs/BIOS-bochs-latest", "bochsbios", true, true, false },
		{ "/usr/lib/ISOLINUX/isolinux.bin", "isolinux", true, true, false },
		{ "/usr/lib/syslinux/modules/bios/ldlinux.c32", "syslinux-common", true, true, false },
		{ "genisoimage", "genisoimage", false, true, false },
		{ "/bin/busybox", "busybox-static", true, true, true },
		{ "cpio", "cpio", false, true, true },
		{ "apt-get", "apt", false, true, true },
	};
	bool intel = !strcmp(vendor, "intel");

	if (access(script, R_OK))
		return ERR("no lane script %s (VMEXIT_LANE_DIR names the directory of lane.sh; "
			   "unset, the installed one is used)", script);
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct need *n = &needs[i];

		if (!(intel ? n->intel : n->amd))
			continue;
		if (n->file ? !access(n->what, R_OK) : in_path(n->what))
			continue;
		return ERR("%s is not installed (apt-get install %s; ./build.sh installs it "
			   "with the rest: %s)", n->what, n->pkg, intel ?
			   "bochs bochsbios isolinux syslinux-common genisoimage busybox-static cpio" :
			   "qemu-system-x86 busybox-static cpio");
	}
	return 0;
}

/* lane.env's key=value lines as a JSON object, so run.json names the lane. */
static json_t *read_lane_env(const char *path)
{
	char line[1024];
	json_t *o = json_object();
	FILE *f = fopen(path, "r");

	if (!f) {
		json_decref(o);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = 0;
		if (!eq)
			continue;
		*eq = 0;
		json_object_set_new(o, line, json_string(eq + 1));
	}
	fclose(f);
	return o;
}

static int add_lane_to_run_json(const struct lane_ctx *c, const char *dir, const char *env_path)
{
	char path[PATH_MAX], err[512];
	struct atomic_file af;
	json_error_t jerr;
	json_t *run, *lane = read_lane_env(env_path);

	snprintf(path, sizeof(path), "%.4000s/run.json", dir);
	run = json_load_file(path, 0, &jerr);
	if (!run || !lane) {
		json_decref(run);
		json_decref(lane);
		return lane_fail(c, "the guest's run.json or lane.env is unreadable", path);
	}
	json_object_set_new(run, "lane", lane);
	if (atomic_file_open(&af, path, err, sizeof(err))) {
		json_decref(run);
		return lane_fail(c, err, NULL);
	}
	if (json_dumpf(run, af.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', af.f) < 0) {
		atomic_file_abort(&af);
		json_decref(run);
		return lane_fail(c, "cannot write", path);
	}
	json_decref(run);
	if (atomic_file_commit(&af, err, sizeof(err)))
		return lane_fail(c, err, NULL);
	return 0;
}

/* The lane's own results directory: --output, or results/lane-VENDOR-TIME. */
static void target_dir(const struct lane_ctx *c, char *target, size_t len)
{
	time_t now = time(NULL);
	char stamp[32];

	if (c->o->output) {
		snprintf(target, len, "%s", c->o->output);
		return;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	mkdir("results", 0755);
	snprintf(target, len, "results/lane-%s-%s", c->vendor, stamp);
}

/* mkdir -p @path, each directory it makes private to this user. */
static int mkdir_private(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return ERR("--cache %s: path too long", path);
	for (char *p = buf + 1; ; p++) {
		char c = *p;

		if (c != '/' && c)
			continue;
		*p = 0;
		if (mkdir(buf, 0700) && errno != EEXIST)
			return ERR("cannot create the lane's cache %s: %s: %s", path, buf,
				   strerror(errno));
		*p = c;
		if (!c)
			return 0;
	}
}

/*
 * --cache, or $XDG_CACHE_HOME/vmexit-bench/lane, or
 * ~/.cache/vmexit-bench/lane (HOME, else the user's home in the password
 * database: never a path that another user could make first), made 0700
 * where missing. The kernel in it is booted, so it must
 * be a directory of this user's that no one else can write, and so must
 * the package's directory in it.
 */
static int cache_dir(const struct options *o, const char *pkg, char *cache, size_t len,
		     char *err, size_t errlen)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CACHE_HOME");
	char p[PATH_MAX + 300];
	struct stat st;

	if (o->cache && !o->cache[0])
		return ERR("--cache needs a directory");
	if (o->cache) {
		snprintf(cache, len, "%s", o->cache);
	} else if (xdg && xdg[0] == '/') {	/* a relative one is to be ignored (XDG) */
		snprintf(cache, len, "%s/vmexit-bench/lane", xdg);
	} else {
		struct passwd *pw = home && home[0] == '/' ? NULL : getpwuid(geteuid());

		if (pw)
			home = pw->pw_dir;
		if (!home || home[0] != '/')
			return ERR("no home directory for the lane's cache (HOME is not set): give "
				   "--cache DIR");
		snprintf(cache, len, "%s/.cache/vmexit-bench/lane", home);
	}
	if (mkdir_private(cache, err, errlen))
		return -1;
	if (stat(cache, &st))
		return ERR("--cache %s: %s", cache, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ERR("--cache %s is not a directory", cache);
	if (st.st_uid != geteuid())
		return ERR("the lane's cache %s belongs to uid %u, not to this user (uid %u): "
			   "the kernel in it would be booted; give --cache DIR of your own",
			   cache, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return ERR("the lane's cache %s is writable by others (mode %03o): the kernel in "
			   "it would be booted; chmod go-w it or give another --cache", cache,
			   (unsigned)st.st_mode & 0777);
	if (access(cache, W_OK | X_OK))
		return ERR("the lane's cache %s is not writable: %s", cache, strerror(errno));
	snprintf(p, sizeof(p), "%s/%s", cache, pkg ? pkg : "");
	if (pkg && !lstat(p, &st) &&
	    (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022)))
		return ERR("%s in the lane's cache is not a directory of this user's that only it "
			   "can write: remove it", p);
	return 0;
}

/* The word after @want, which starts a line of @argv's stdout (stderr discarded), or "". */
static void command_word(char *const argv[], const char *want, char *buf, size_t len)
{
	char line[1024];
	int fds[2];
	pid_t pid;
	FILE *f;

	buf[0] = 0;
	if (pipe(fds))
		return;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fds[1], STDOUT_FILENO);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fds[0]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *at = line + strspn(line, " \t");

		/* At a line's start: "Size: " is not "Installed-Size: ". */
		if (!buf[0] && !strncmp(at, want, strlen(want))) {
			at += strlen(want);
			at[strcspn(at, " \n")] = 0;
			snprintf(buf, len, "%s", at);
		}
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	waitpid(pid, NULL, 0);
}

/* Fetching the kernel package on a first run: said, and its progress shown. */
struct fetch {
	const struct lane_ctx *c;
	char pkg[256], kdir[PATH_MAX + 300], cache[PATH_MAX];
	double total_mb, installed_mb;	/* the .deb, and unpacked */
	time_t start;
	bool active, tty, shown;
};

static long long deb_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F)
		deb_bytes += st->st_size;
	return 0;
}

static void fetch_clear(void *arg)
{
	struct fetch *f = arg;

	if (f->shown)
		fputs("\r\033[K", stderr);
	f->shown = false;
}

/* Where lane.sh fills the cache: .PKG.fill-XXXXXX, renamed to PKG when complete. */
static int fill_dir(struct fetch *f, char *p, size_t len)
{
	char prefix[300];
	DIR *d = opendir(f->cache);
	struct dirent *de;
	int rc = -1;

	snprintf(prefix, sizeof(prefix), ".%s.fill-", f->pkg);
	while (d && rc && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			rc = snprintf(p, len - 8, "%s/%s", f->cache, de->d_name) >= (int)len - 8;
	if (d)
		closedir(d);
	return rc;
}

static void fetch_tick(void *arg)
{
	struct fetch *f = arg;
	char p[PATH_MAX + 400];

	if (!f->active)
		return;
	snprintf(p, sizeof(p), "%s/.unpacked", f->kdir);
	if (!access(p, F_OK)) {
		fetch_clear(f);
		fprintf(stderr, "%sfetched and unpacked %s in %lds; later runs use it from the "
			"cache\n", f->c->prefix, f->pkg, (long)(time(NULL) - f->start));
		f->active = false;
		return;
	}
	if (!f->tty || fill_dir(f, p, sizeof(p)))
		return;
	deb_bytes = 0;
	nftw(strcat(p, "/deb"), add_size, 8, FTW_PHYS);
	p[strlen(p) - 4] = 0;
	if (f->total_mb > 0 && deb_bytes / 1e6 >= f->total_mb) {
		deb_bytes = 0;
		nftw(strcat(p, "/root"), add_size, 8, FTW_PHYS);
		fprintf(stderr, "\r\033[K%sunpacking %s: %.0f", f->c->prefix, f->pkg,
			deb_bytes / 1e6);
		if (f->installed_mb > 0)
			fprintf(stderr, " of %.0f", f->installed_mb);
		fputs(" MB", stderr);
	} else if (f->total_mb > 0)
		fprintf(stderr, "\r\033[K%sfetching %s: %.1f of %.1f MB", f->c->prefix, f->pkg,
			deb_bytes / 1e6, f->total_mb);
	else
		fprintf(stderr, "\r\033[K%sfetching %s: %.1f MB", f->c->prefix, f->pkg,
			deb_bytes / 1e6);
	f->shown = true;
}

/*
 * The kernel package lane.sh will use (the same query as its own) and
 * whether it is in the cache; if not, says that it is fetched now, once.
 */
static void fetch_start(struct fetch *f, const struct lane_ctx *c, const char *pkg,
			const char *cache)
{
	char size[64] = "", p[PATH_MAX + 400];
	char *show[] = { "apt-cache", "show", "--no-all-versions", (char *)pkg, NULL };

	memset(f, 0, sizeof(*f));
	f->c = c;
	if (!pkg)
		return;
	snprintf(f->pkg, sizeof(f->pkg), "%s", pkg);
	snprintf(f->cache, sizeof(f->cache), "%s", cache);
	snprintf(f->kdir, sizeof(f->kdir), "%s/%s", cache, f->pkg);
	snprintf(p, sizeof(p), "%s/.unpacked", f->kdir);
	if (!access(p, F_OK))
		return;
	command_word(show, "Size: ", size, sizeof(size));
	f->total_mb = atof(size) / 1e6;
	command_word(show, "Installed-Size: ", size, sizeof(size));
	f->installed_mb = atof(size) * 1024 / 1e6;	/* in KiB */
	f->tty = isatty(STDERR_FILENO);
	f->active = true;
	f->start = time(NULL);
	fprintf(stderr, "%sfirst lane run: fetching Debian's kernel package %s", c->prefix, f->pkg);
	if (f->total_mb > 0)
		fprintf(stderr, " (%.0f MB)", f->total_mb);
	fprintf(stderr, " into %s, once\n", cache);
}

/*
 * The Debian kernel package the lane boots: --kernel-package, or what
 * linux-image-amd64 depends on (as lane.sh would find it), found before
 * anything is set up, so that a machine that knows none is told at once.
 */
static int kernel_package(const struct options *o, char *pkg, size_t len, char *err,
			  size_t errlen)
{
	char *depends[] = { "apt-cache", "depends", "linux-image-amd64", NULL };
	char *update[] = { "apt-get", "update", "-qq", NULL };
	char word[200];

	pkg[0] = 0;
	if (o->kernel)
		return 0;
	if (o->kernel_pkg) {
		snprintf(pkg, len, "%s", o->kernel_pkg);
		return 0;
	}
	command_word(depends, "Depends: linux-image-", word, sizeof(word));
	/* Package lists never fetched: root can fetch them. */
	if (!word[0] && geteuid() == 0) {
		command_word(update, "", word, sizeof(word));	/* its output is not wanted */
		word[0] = 0;
		command_word(depends, "Depends: linux-image-", word, sizeof(word));
	}
	if (!word[0])
		return ERR("apt-cache knows no linux-image-amd64 (run apt-get update, or give "
			   "--kernel-package or --kernel)");
	snprintf(pkg, len, "linux-image-%s", word);
	return 0;
}

/* Prints @path's text to @to. */
static void print_file(const char *path, FILE *to)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, to);
	fclose(f);
}

/* Copies @from to @to (a file, or "-": stdout) atomically. */
static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
	struct atomic_file af;
	FILE *f = fopen(from, "r");
	char buf[4096];
	size_t n;

	if (!f)
		return ERR("%s: %s", from, strerror(errno));
	if (atomic_file_open(&af, to, err, errlen)) {
		fclose(f);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, af.f);
	fclose(f);
	return atomic_file_commit(&af, err, errlen);
}

/*
 * What a run does after measuring, done here on the guest's results: the
 * plots rendered (the guest has no gnuplot), --csv and --export-markdown
 * written.
 */
static int finish_on_host(const struct lane_ctx *c, const char *dir)
{
	const struct options *o = c->o;
	struct loaded_run *lr = NULL;
	char err[PATH_MAX + 512], p[PATH_MAX];
	int rc = 0;

	if (o->csv) {
		snprintf(p, sizeof(p), "%.4000s/summary.csv", dir);
		if (copy_file(p, o->csv, err, sizeof(err)))
			rc = lane_fail(c, err, NULL);
	}
	if (o->plot == PLOT_NONE && !o->markdown)
		return rc;
	lr = malloc(sizeof(*lr));
	if (!lr || results_dir_load(dir, lr, err, sizeof(err))) {
		rc = lane_fail(c, lr ? err : "out of memory", NULL);
		free(lr);
		return rc;
	}
	snprintf(p, sizeof(p), "%.4000s/plots", dir);
	if (o->plot != PLOT_NONE && mkdir(p, 0755) && errno != EEXIST)
		rc = lane_fail(c, "cannot create", p);
	else if (o->plot != PLOT_NONE &&
		 plot_write_run(p, &lr->r, &lr->e, o->plot, err, sizeof(err)))
		rc = lane_fail(c, err, NULL);
	if (o->markdown && table_write_markdown(o->markdown, &lr->r, err, sizeof(err)))
		rc = lane_fail(c, err, NULL);
	results_dir_free(lr);
	free(lr);
	return rc;
}

int lane_refusal(const struct options *o, const char *lane, char *err, size_t errlen)
{
	if (o->cpu >= 0)
		return ERR("--cpu does not apply in the %s lane: it pins a thread of this host, "
			   "and the benchmarks' vCPU runs inside the emulated guest", lane);
	return 0;
}

/* Everything the run will write, checked before the lane boots (as run does). */
static int check_outputs(const struct lane_ctx *c)
{
	const struct options *o = c->o;
	struct results_opts ro = { .output = o->output };
	char err[1024];

	if (o->output && strlen(o->output) >= 2900)
		return usage(c, "--output: path too long");
	if ((o->output && results_dir_check(NULL, &ro, err, sizeof(err))) ||
	    (o->csv && atomic_file_check(o->csv, err, sizeof(err))) ||
	    (o->markdown && atomic_file_check(o->markdown, err, sizeof(err))))
		return usage(c, err);
	return 0;
}

/* The arguments of `vmexit-bench run` in the guest. */
static int guest_args(const struct options *o, const char *vendor, char **a, char (*num)[24])
{
	struct lane_counts k = lane_counts(o, vendor);
	int n = 0;

	a[n++] = "--backend";	/* never a lane inside the lane */
	a[n++] = "kvm";
	snprintf(num[0], 24, "%llu", k.iterations);
	snprintf(num[1], 24, "%llu", k.warmup);
	snprintf(num[2], 24, "%u", k.runs);
	a[n++] = "--iterations";
	a[n++] = num[0];
	a[n++] = "--warmup";
	a[n++] = num[1];
	a[n++] = "--runs";
	a[n++] = num[2];
	a[n++] = "--plot";	/* rendered here: the guest has no gnuplot */
	a[n++] = "none";
	a[n++] = "--raw";	/* samples.csv, for compare's bootstrap */
	if (o->cpl != CPL_AUTO) {
		a[n++] = "--cpl";
		a[n++] = o->cpl == CPL_0 ? "0" : "3";
	}
	if (o->timeout_given) {
		snprintf(num[3], 24, "%g", o->timeout_s);
		a[n++] = "--timeout";
		a[n++] = num[3];
	}
	if (o->handler_work_ns) {
		snprintf(num[4], 24, "%llu", o->handler_work_ns);
		a[n++] = "--handler-work";
		a[n++] = num[4];
	}
	if (o->parallel > 1) {
		snprintf(num[5], 24, "%u", o->parallel);
		a[n++] = "--parallel";
		a[n++] = num[5];
	}
	if (o->no_subtract)
		a[n++] = "--no-subtract";
	if (o->no_trace)
		a[n++] = "--no-trace";
	if (o->allow_dangerous)
		a[n++] = "--allow-dangerous";
	if (o->preset) {
		a[n++] = "--preset";
		a[n++] = (char *)o->preset;
		return n;	/* its benchmarks are its own */
	}
	for (int i = 0; i < o->npatterns; i++)
		a[n++] = (char *)o->patterns[i];
	return n;
}

/*
 * The bound on the guest's wall time, against a guest that hangs (a
 * benchmark that makes no progress is the guest's run's own --timeout):
 * 900 s (amd) or 3600 s (intel) for the lane's counts, as much more as
 * more iterations and runs ask for.
 */
static unsigned long wall_bound(const struct options *o, const char *vendor)
{
	double base = strcmp(vendor, "intel") ? 900 : 3600;
	struct lane_counts k = lane_counts(o, vendor);
	double work = (double)(k.iterations + k.warmup) * k.runs;
	double scale = work / ((LANE_ITERATIONS + LANE_WARMUP) * DEFAULT_RUNS);

	return (unsigned long)fmin(86400, base * fmax(1, scale));
}

/* A --modules tree the lane can load KVM from: its kvm-amd / kvm-intel module. */
static const char *kvm_ko;
static int kvm_found;	/* 1 plain, 2 compressed (lane.sh decompresses it) */

static int find_kvm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *name = path + ftw->base;
	size_t n = strlen(kvm_ko);

	(void)st;
	if (flag != FTW_F || strncmp(name, kvm_ko, n))
		return 0;
	if (!strcmp(name + n, ".ko"))
		kvm_found = 1;
	else if (!kvm_found && (!strcmp(name + n, ".ko.xz") || !strcmp(name + n, ".ko.zst")))
		kvm_found = 2;
	return kvm_found == 1;
}

static int check_modules(const struct lane_ctx *c, char *err, size_t errlen)
{
	const char *names[] = { strcmp(c->vendor, "intel") ? "kvm-amd" : "kvm-intel",
				strcmp(c->vendor, "intel") ? "kvm_amd" : "kvm_intel" };

	if (!c->o->modules)
		return 0;
	kvm_found = 0;
	for (int i = 0; i < 2 && kvm_found != 1; i++) {
		kvm_ko = names[i];
		nftw(c->o->modules, find_kvm, 16, FTW_PHYS);
	}
	/* Compressed (.ko.xz, .ko.zst) is fine: lane.sh decompresses for busybox's insmod. */
	if (!kvm_found)
		return ERR("--modules %s has no %s.ko: no KVM to load", c->o->modules, names[0]);
	return 0;
}

/*
 * The kernel package: a Debian package name (never a path: the cache's
 * directory of it is replaced), that is in the cache or that apt knows.
 */
static int check_package(const char *pkg, const char *cache, char *err, size_t errlen)
{
	char *show[] = { "apt-cache", "show", "--no-all-versions", (char *)pkg, NULL };
	char word[256], p[PATH_MAX + 300];

	if (!lane_package_name_ok(pkg))
		return ERR("--kernel-package '%s' is not a Debian package name", pkg);
	snprintf(p, sizeof(p), "%s/%s/.unpacked", cache, pkg);
	if (!access(p, F_OK))
		return 0;
	command_word(show, "Package: ", word, sizeof(word));
	if (strcmp(word, pkg))
		return ERR("--kernel-package %s: apt knows no such package (apt-cache search "
			   "'^linux-image-' lists them)", pkg);
	return 0;
}

/*
 * The guest's console when the lane was stopped: kept in @target, with an
 * INCOMPLETE note, since it is all the guest sent back. 0 if nothing was
 * kept (the guest had not started), 1 if kept, -1 on failure.
 */
static int keep_incomplete(const char *out, const char *target, int sig, long secs)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct stat st;
	FILE *f;

	snprintf(from, sizeof(from), "%.4000s/console.txt", out);
	if (stat(from, &st) || !st.st_size)
		return 0;
	if (mkdir(target, 0755) && errno != EEXIST)
		return -1;
	snprintf(to, sizeof(to), "%.4000s/lane", target);
	if (mkdir(to, 0755))
		return -1;
	snprintf(to, sizeof(to), "%.4000s/lane/console.txt", target);
	if (rename(from, to))
		return -1;
	snprintf(to, sizeof(to), "%.4000s/INCOMPLETE", target);
	f = fopen(to, "wx");
	if (!f)
		return -1;
	fprintf(f, "stopped by SIG%s %lds into the lane, before the guest sent its results; "
		"lane/console.txt is the guest's console up to then\n", sigabbrev_np(sig), secs);
	return fclose(f) ? -1 : 1;
}

/* The lane was stopped by a signal: one line, the console kept, 128 + the signal. */
static int lane_stopped(const struct lane_ctx *c, const char *out, const char *target,
			int sig, time_t start)
{
	long secs = (long)(time(NULL) - start);
	int kept = keep_incomplete(out, target, sig, secs);

	if (kept > 0)
		fprintf(stderr, "%sstopped by SIG%s after %lds: the emulator was stopped before the "
			"guest sent its results; its console is kept in %s/lane (INCOMPLETE)\n",
			c->prefix, sigabbrev_np(sig), secs, target);
	else
		fprintf(stderr, "%sstopped by SIG%s after %lds, before the guest %s; nothing was "
			"written\n", c->prefix, sigabbrev_np(sig), secs,
			kept < 0 ? "sent results (its console could not be kept)" : "booted");
	return 128 + sig;
}

/* Renames @run to @target; a default name taken meanwhile (a lane in the same second) gets -2, -3, ... */
static int move_into_place(const struct lane_ctx *c, const char *run, char *target, size_t len)
{
	char base[3000];

	snprintf(base, sizeof(base), "%s", target);
	for (int k = 2; rename(run, target); k++) {	/* over an empty directory, too */
		if (c->o->output || (errno != EEXIST && errno != ENOTEMPTY) || k > 999 ||
		    snprintf(target, len, "%s-%d", base, k) >= (int)len)
			return -1;
	}
	return 0;
}

/*
 * The cache and kernel arguments, checked before the lane boots (the
 * outputs are checked before this: cmd_lane, or the run's own checks).
 * One line, exit 2.
 */
static int check_lane_args(const struct lane_ctx *c, const char *pkg, char *cache, size_t len)
{
	char err[PATH_MAX + 512];

	if (cache_dir(c->o, pkg, cache, len, err, sizeof(err)) ||
	    (pkg && check_package(pkg, cache, err, sizeof(err))) ||
	    check_modules(c, err, sizeof(err)))
		return usage(c, err);
	return 0;
}

static int lane_measure(const struct lane_ctx *c)
{
	const struct options *o = c->o;
	/* Sized so that each path built from the one before it fits. */
	char target[3000], tmp[3100], out[3200], run[3300], p[PATH_MAX], log[PATH_MAX];
	char script[PATH_MAX], self[PATH_MAX], cache[PATH_MAX], num[6][24], err[1024];
	char pkg[256], ldir[PATH_MAX - 16], amd_append[4200];
	char *guest[32 + CLI_MAX_PATTERNS];
	struct fetch fetch = { 0 };
	struct lane_spec spec = {
		.script = script, .bin = self, .out = out, .cache = cache, .log = log,
		.guest_args = guest, .vendor = c->vendor, .pkg = o->kernel_pkg,
		.kernel = o->kernel, .modules = o->modules, .params = o->kvm_params,
		.tick = fetch_tick, .before_line = fetch_clear, .arg = &fetch, .work = tmp,
	};
	time_t start;
	int rc, grc;
	ssize_t len;

	spec.timeout = o->lane_timeout ? o->lane_timeout : wall_bound(o, c->vendor);
	if (c->append && strcmp(c->vendor, "intel")) {
		/* The amd lane's own tsc=reliable stays (lane.sh: why). */
		snprintf(amd_append, sizeof(amd_append), "tsc=reliable %s", c->append);
		spec.append = amd_append;
	} else {
		spec.append = c->append;
	}
	if (rundir_find(RUNDIR_LANE, ldir, sizeof(ldir), err, sizeof(err)))
		return cannot_run(c, err);
	snprintf(script, sizeof(script), "%s/lane.sh", ldir);
	if (o->kernel_pkg && !lane_package_name_ok(o->kernel_pkg))
		return usage(c, "--kernel-package: not a Debian package name");
	if (lane_preflight(c->vendor, script, err, sizeof(err)) ||
	    kernel_package(o, pkg, sizeof(pkg), err, sizeof(err)))
		return cannot_run(c, err);
	if (pkg[0])
		spec.pkg = pkg;	/* the one found here, so that both agree */
	rc = check_lane_args(c, spec.pkg, cache, sizeof(cache));
	if (rc)
		return rc;
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return cannot_run(c, "/proc/self/exe is unreadable");
	self[len] = 0;
	if (c->no_kvm)
		fprintf(stderr, "vmexit-bench: %s; running in the %s lane instead: Debian's kernel "
			"and its own %s under QEMU's TCG, an emulated CPU, so the numbers prove "
			"behaviour, not hardware cost (%llu iterations, %llu warm-up, %u runs; "
			"real numbers need a usable /dev/kvm; --backend kvm never falls back)\n",
			c->no_kvm, kvm_name(c->vendor), kvm_name(c->vendor),
			lane_counts(o, c->vendor).iterations, lane_counts(o, c->vendor).warmup,
			lane_counts(o, c->vendor).runs);
	target_dir(c, target, sizeof(target));
	/* The guest's output lands next to the target, then is renamed into place. */
	snprintf(p, sizeof(p), "%s", target);
	if (!strrchr(p, '/')) {
		snprintf(p, sizeof(p), ".");
	} else if (strrchr(p, '/') == p) {
		p[1] = 0;
	} else {
		*strrchr(p, '/') = 0;
		if (results_mkdir_p(p, err, sizeof(err)))	/* as a run makes --output's parents */
			return lane_fail(c, err, NULL);
	}
	lane_clean_stale(p);	/* what lanes killed outright left there */
	snprintf(tmp, sizeof(tmp), "%s.lane-XXXXXX", target);
	if (!mkdtemp(tmp))
		return lane_fail(c, "cannot create a work directory next to the output",
				 strerror(errno));
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(log, sizeof(log), "%s/out/console.txt", tmp);
	spec.nguest = guest_args(o, c->vendor, guest, num);
	/* lane.sh writes the console to --log before --out exists. */
	if (lane_mark_work(tmp) || mkdir(out, 0755)) {
		rc = lane_fail(c, "cannot write in", tmp);
		goto cleanup;
	}
	fetch_start(&fetch, c, spec.pkg, cache);
	start = time(NULL);
	rc = lane_run(&spec);	/* Ctrl-C, SIGTERM, SIGHUP: it stops the lane, and returns */
	fetch_clear(&fetch);
	if (spec.stopped) {
		rc = lane_stopped(c, out, target, spec.stopped, start);
		goto cleanup;
	}
	if (rc == 128 + SIGINT || rc == 128 + SIGTERM || rc == 128 + SIGHUP) {
		fprintf(stderr, "%sstopped: the lane's guest was stopped before it sent results; "
			"nothing was written\n", c->prefix);
		goto cleanup;
	}
	if (rc == 77) {
		rc = cannot_run(c, spec.skip[0] ? spec.skip : "(reason above)");
		goto cleanup;
	}
	if (rc) {
		/* Keep the console and whatever came back: they say what happened. */
		lane_unmark_work(tmp);
		fprintf(stderr, "%sthe lane failed (reason above); its console and logs are in %s\n",
			c->prefix, out);
		return 1;
	}
	snprintf(p, sizeof(p), "%s/lane.rc", out);
	grc = lane_read_rc(p);
	snprintf(run, sizeof(run), "%s/run", out);
	if (access(run, F_OK)) {
		snprintf(p, sizeof(p), "%s/stderr.txt", out);
		lane_print_output(p, stderr);
		rc = lane_fail(c, "vmexit-bench in the guest left no results (its stderr above)",
			       NULL);
		goto cleanup;
	}
	snprintf(p, sizeof(p), "%s/lane.env", out);
	if (add_lane_to_run_json(c, run, p) || lane_keep_logs(out, run)) {
		rc = 1;
		goto cleanup;
	}
	if (move_into_place(c, run, target, sizeof(target))) {
		/* Measured results are never deleted. */
		lane_unmark_work(tmp);
		fprintf(stderr, "%scannot move the results into place at %s: %s; they are in %s\n",
			c->prefix, target, strerror(errno), run);
		return 1;
	}
	rc = grc == 0 ? 0 : 1;
	if (!o->quiet) {
		snprintf(p, sizeof(p), "%s/lane/stdout.txt", target);
		lane_print_output(p, stdout);
	}
	fflush(stdout);	/* the guest's warnings follow its table, as a run's do */
	snprintf(p, sizeof(p), "%s/lane/stderr.txt", target);
	print_file(p, stderr);
	if (finish_on_host(c, target))
		rc = 1;
	if (grc)
		fprintf(stderr, "%svmexit-bench in the guest exited %d\n", c->prefix, grc);
	if (!o->quiet)
		printf("# results: %s\n", target);
cleanup:
	lane_remove_tree(tmp);
	return rc;
}


/*
 * The kernel matrix: every kernel (each --kernel-package, and --kernel
 * with --modules) with every guest command line (each --append), one boot
 * each (two with --repeat-boot), each its own results directory in the
 * matrix's, then the comparison of them all.
 */
#define MATRIX_MAX (CLI_MAX_LANE_KERNELS * CLI_MAX_LANE_APPENDS)

struct combo {
	const char *pkg, *kernel, *modules, *append;
	char name[200];
	char dir[3200], dir2[3300];	/* its results, and its second boot's */
	int rc, rc2;			/* lane's exit status; -1: not run */
};

struct matrix {
	struct combo combo[MATRIX_MAX];
	int n;
	char out[3000];
	/* Rows a second boot did not repeat (--repeat-boot): never exact in the comparison. */
	struct { char benchmark[SUMMARY_NAME_MAX]; int cpl, phase; } not_exact[1024];
	int nnot_exact;
};

static bool matrix_not_exact(void *arg, const char *benchmark, int cpl, int phase)
{
	const struct matrix *m = arg;

	for (int i = 0; i < m->nnot_exact; i++)
		if (!strcmp(m->not_exact[i].benchmark, benchmark) && m->not_exact[i].cpl == cpl &&
		    m->not_exact[i].phase == phase)
			return true;
	return false;
}

/* A name for a path: what is not [A-Za-z0-9.,=+-] becomes '_', a blank '+'. */
static void name_part(char *to, size_t len, const char *from)
{
	size_t n = 0;

	for (; *from && n + 1 < len; from++)
		to[n++] = strchr(" \t", *from) ? '+' :
			  (isalnum((unsigned char)*from) || strchr(".,=+-", *from)) ? *from : '_';
	to[n] = 0;
}

/* The kernel's part of a combination's name: the package without linux-image-, or VERSION. */
static void kernel_label(const struct combo *k, char *to, size_t len)
{
	char buf[PATH_MAX];
	const char *base;
	size_t n;

	if (k->pkg) {
		name_part(to, len, strncmp(k->pkg, "linux-image-", 12) ? k->pkg : k->pkg + 12);
		return;
	}
	snprintf(buf, sizeof(buf), "%s", k->modules);
	for (n = strlen(buf); n > 1 && buf[n - 1] == '/'; n--)
		buf[n - 1] = 0;
	base = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
	{
		char part[100];

		name_part(part, sizeof(part), base);
		snprintf(to, len, "custom-%s", part);
	}
}

/* The combinations, named, before anything runs; 0, or -1 with @err (usage). */
static int matrix_plan(const struct options *o, struct matrix *m, char *err, size_t errlen)
{
	const char *none[1] = { NULL };
	const char *const *apps = o->nappends ? o->appends : none;
	int napps = o->nappends ? o->nappends : 1;
	int nk = o->nkernel_pkgs + (o->kernel ? 1 : 0);

	m->n = 0;
	for (int k = 0; k < (nk ? nk : 1); k++) {
		for (int a = 0; a < napps; a++) {
			struct combo *c = &m->combo[m->n++];
			char kl[120], al[80];

			memset(c, 0, sizeof(*c));
			c->rc = c->rc2 = -1;
			if (k < o->nkernel_pkgs)
				c->pkg = o->kernel_pkgs[k];
			else if (o->kernel) {
				c->kernel = o->kernel;
				c->modules = o->modules;
			}
			c->append = apps[a];
			if (c->pkg || c->kernel)
				kernel_label(c, kl, sizeof(kl));
			else
				snprintf(kl, sizeof(kl), "default-kernel");
			if (!c->append) {
				snprintf(c->name, sizeof(c->name), "%s", kl);
			} else {
				name_part(al, sizeof(al), c->append);
				snprintf(c->name, sizeof(c->name), "%s_%s", kl,
					 al[0] ? al : "no-append");
			}
			for (int j = 0; j < m->n - 1; j++)
				if (!strcmp(m->combo[j].name, c->name))
					return ERR("two combinations would both be named %s: give "
						   "--append values that differ in more than "
						   "punctuation", c->name);
		}
	}
	return 0;
}

/* The matrix's directory: --output, or results/lane-VENDOR-matrix-TIME; made now. */
static int matrix_dir(const struct lane_ctx *c, struct matrix *m)
{
	char err[PATH_MAX + 512], stamp[32];
	time_t now = time(NULL);

	if (c->o->output) {
		snprintf(m->out, sizeof(m->out), "%s", c->o->output);
	} else {
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
		snprintf(m->out, sizeof(m->out), "results/lane-%s-matrix-%s", c->vendor, stamp);
		for (int k = 2; !access(m->out, F_OK) && k < 1000; k++)
			snprintf(m->out, sizeof(m->out), "results/lane-%s-matrix-%s-%d", c->vendor,
				 stamp, k);
	}
	if (results_mkdir_p(m->out, err, sizeof(err)))
		return lane_fail(c, err, NULL);
	return 0;
}

/* One boot of @k into @dir. */
static int matrix_boot(const struct lane_ctx *c, const struct combo *k, const char *dir)
{
	struct options oc = *c->o;
	struct lane_ctx kc = *c;

	oc.kernel_pkg = k->pkg;
	oc.kernel = k->kernel;
	oc.modules = k->modules;
	oc.output = dir;
	oc.quiet = true;	/* the matrix prints the comparison */
	oc.plot = c->o->plot;
	kc.o = &oc;
	kc.append = k->append;
	return lane_measure(&kc);
}

/* Every argument of every combination, checked before the first boot (exit 2). */
static int matrix_check(const struct lane_ctx *c, struct matrix *m)
{
	char script[PATH_MAX], ldir[PATH_MAX - 16], err[PATH_MAX + 512], cache[PATH_MAX];
	char pkg[256];
	struct results_opts ro = { .output = c->o->output };

	if (c->o->csv || c->o->markdown)
		return usage(c, "--csv and --export-markdown are for one combination: the "
			     "matrix writes compare.csv and compare.md into --output");
	if (c->o->output && results_dir_check(NULL, &ro, err, sizeof(err)))
		return usage(c, err);
	if (rundir_find(RUNDIR_LANE, ldir, sizeof(ldir), err, sizeof(err)))
		return cannot_run(c, err);
	snprintf(script, sizeof(script), "%s/lane.sh", ldir);
	if (lane_preflight(c->vendor, script, err, sizeof(err)))
		return cannot_run(c, err);
	for (int i = 0; i < m->n; i++) {
		struct combo *k = &m->combo[i];
		struct options oc = *c->o;
		struct lane_ctx kc = *c;
		int rc;

		oc.kernel_pkg = k->pkg;
		oc.kernel = k->kernel;
		oc.modules = k->modules;
		kc.o = &oc;
		if (!k->pkg && !k->kernel) {
			if (kernel_package(&oc, pkg, sizeof(pkg), err, sizeof(err)))
				return cannot_run(c, err);
			rc = check_lane_args(&kc, pkg, cache, sizeof(cache));
		} else {
			rc = check_lane_args(&kc, k->pkg, cache, sizeof(cache));
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether @row's median is its minimum in run @k of @t: every sample took one path. */
static bool at_min(const struct compare_table *t, const struct compare_row *row, size_t k)
{
	const struct bench_record *br = run_record_find(&t->runs[k]->r, row->benchmark, row->cpl);

	return br && br->has_phase[row->phase] &&
	       br->rows[row->phase].median == br->rows[row->phase].min;
}

/*
 * With --repeat-boot: per combination, which rows gave the same median
 * on both boots (exact) and which did not, and why; into exact.csv and,
 * in short, on stdout. Returns how many rows were not exact, -1 on error.
 */
static int matrix_exactness(const struct lane_ctx *c, struct matrix *m)
{
	char path[3100], err[PATH_MAX + 512];
	struct atomic_file af;
	int bad = 0;

	snprintf(path, sizeof(path), "%s/exact.csv", m->out);
	if (atomic_file_open(&af, path, err, sizeof(err))) {
		lane_fail(c, err, NULL);
		return -1;
	}
	fputs("combination,benchmark,cpl,phase,unit,median_boot1,median_boot2,exact,why\n", af.f);
	for (int i = 0; i < m->n; i++) {
		struct combo *k = &m->combo[i];
		const char *dirs[2] = { k->dir, k->dir2 };
		const char *labels[2] = { "boot1", "boot2" };
		struct compare_opts co = { .resamples = 0, .seed = 1, .unit = COMPARE_TICKS,
					   .labels = labels };
		struct compare_table t;
		int nexact = 0, nrows = 0;

		if (k->rc || k->rc2)
			continue;
		if (compare_build(dirs, 2, &co, &t, err, sizeof(err)) != COMPARE_OK) {
			fprintf(stderr, "%s%s: %s\n", c->prefix, k->name, err);
			compare_free(&t);
			continue;
		}
		for (size_t r = 0; r < t.nrows; r++) {
			struct compare_row *row = &t.rows[r];
			struct compare_cell *a = &row->cell[0], *b = &row->cell[1];
			bool same;
			const char *why = "";
			char whybuf[200];

			if (!a->present || !b->present)
				continue;
			same = a->median == b->median;
			nrows++;
			nexact += same;
			if (!same && compare_row_kind(&t, row) == BENCH_KIND_LATENCY) {
				why = "a latency: it waits for a timer or another vCPU, host-side "
				      "waits whose length the boot's timing decides";
			} else if (!same && at_min(&t, row, 0) && at_min(&t, row, 1)) {
				snprintf(whybuf, sizeof(whybuf), "exact in each boot (median = "
					 "minimum) but %+.0f on the second: the path's length "
					 "depends on the boot's memory layout", b->median - a->median);
				why = whybuf;
			} else if (!same) {
				snprintf(whybuf, sizeof(whybuf), "the median moved by %+.0f between "
					 "boots: its samples mix paths of different lengths",
					 b->median - a->median);
				why = whybuf;
			}
			fprintf(af.f, "%s,%s,%d,%s,%s,%.0f,%.0f,%s,\"%s\"\n", k->name,
				row->benchmark, row->cpl, phase_name(row->phase), row->unit,
				a->median, b->median, same ? "yes" : "no", why);
			if (!same && m->nnot_exact < (int)(sizeof(m->not_exact) /
							   sizeof(m->not_exact[0]))) {
				snprintf(m->not_exact[m->nnot_exact].benchmark, SUMMARY_NAME_MAX,
					 "%s", row->benchmark);
				m->not_exact[m->nnot_exact].cpl = row->cpl;
				m->not_exact[m->nnot_exact++].phase = row->phase;
			}
			if (!same && row->phase == PHASE_TOTAL)
				printf("#   not exact: %s %s cpl %d: %.0f then %.0f %s (%s)\n",
				       k->name, row->benchmark, row->cpl, a->median, b->median,
				       row->unit, why);
		}
		printf("# exactness of %s: %d of %d rows (phases included) gave the same median "
		       "on a second boot\n", k->name, nexact, nrows);
		bad += nrows - nexact;
		compare_free(&t);
	}
	if (atomic_file_commit(&af, err, sizeof(err))) {
		lane_fail(c, err, NULL);
		return -1;
	}
	return bad;
}

/* The comparison of the combinations that gave results: printed, and written into the matrix. */
static int matrix_compare(const struct lane_ctx *c, struct matrix *m)
{
	const char *dirs[MATRIX_MAX], *labels[MATRIX_MAX];
	struct compare_opts co = { .resamples = 1000, .seed = 1, .unit = COMPARE_TICKS,
				   .labels = labels, .not_exact = matrix_not_exact,
				   .not_exact_arg = m };
	struct compare_print_opts po = { .phases = true };
	struct compare_table t;
	char err[PATH_MAX + 512];
	size_t n = 0;
	int rc;

	for (int i = 0; i < m->n; i++) {
		if (m->combo[i].rc)
			continue;
		dirs[n] = m->combo[i].dir;
		labels[n++] = m->combo[i].name;
	}
	if (n < 2) {
		printf("# %zu combination%s gave results: nothing to compare\n", n,
		       n == 1 ? "" : "s");
		return n == 1 ? 0 : 1;
	}
	rc = compare_build(dirs, n, &co, &t, err, sizeof(err));
	if (rc != COMPARE_OK) {
		compare_free(&t);
		return lane_fail(c, "the comparison failed", err);
	}
	for (size_t w = 0; w < t.nwarnings; w++)
		fprintf(stderr, "%swarning: %s\n", c->prefix, t.warning[w]);
	compare_print_with(&t, &po, stdout);
	rc = compare_write(m->out, &t, c->o->plot, err, sizeof(err));
	compare_free(&t);
	return rc ? lane_fail(c, err, NULL) : 0;
}

static int lane_matrix(const struct lane_ctx *c)
{
	struct matrix *m = calloc(1, sizeof(*m));
	char err[512];
	int rc, failed = 0;

	if (!m)
		return lane_fail(c, "out of memory", NULL);
	if (matrix_plan(c->o, m, err, sizeof(err))) {
		free(m);
		return usage(c, err);
	}
	rc = matrix_check(c, m);
	if (!rc)
		rc = matrix_dir(c, m);
	if (rc) {
		free(m);
		return rc;
	}
	for (int i = 0; i < m->n; i++) {
		struct combo *k = &m->combo[i];

		snprintf(k->dir, sizeof(k->dir), "%s/%s", m->out, k->name);
		snprintf(k->dir2, sizeof(k->dir2), "%s/%s.boot2", m->out, k->name);
		for (int boot = 0; boot < (c->o->repeat_boot ? 2 : 1); boot++) {
			time_t t0 = time(NULL);

			fprintf(stderr, "%scombination %d of %d: %s%s\n", c->prefix, i + 1, m->n,
				k->name, boot ? " (second boot)" : "");
			rc = matrix_boot(c, k, boot ? k->dir2 : k->dir);
			*(boot ? &k->rc2 : &k->rc) = rc;
			if (rc >= 128)
				goto stopped;	/* Ctrl-C: no further boots */
			if (rc) {
				fprintf(stderr, "%scombination %s failed (exit %d, reason above); "
					"the other combinations go on and keep their results\n",
					c->prefix, k->name, rc);
				failed++;
				break;
			}
			fprintf(stderr, "%s%s: results in %lds\n", c->prefix, k->name,
				(long)(time(NULL) - t0));
		}
	}
	/* First which rows repeated: the comparison calls no other row exact. */
	rc = c->o->repeat_boot && matrix_exactness(c, m) < 0;
	if (matrix_compare(c, m))
		rc = 1;
	if (failed) {
		fprintf(stderr, "%s%d of %d combinations failed:", c->prefix, failed, m->n);
		for (int i = 0; i < m->n; i++)
			if (m->combo[i].rc || (c->o->repeat_boot && m->combo[i].rc2 > 0))
				fprintf(stderr, " %s", m->combo[i].name);
		fputc('\n', stderr);
		rc = 1;
	}
	if (!c->o->quiet)
		printf("# results: %s\n", m->out);
	free(m);
	return rc;
stopped:
	fprintf(stderr, "%sthe matrix was stopped; the results of the combinations that "
		"finished are in %s\n", c->prefix, m->out);
	free(m);
	return rc;
}

static int check_selection(const struct lane_ctx *c)
{
	bool *picked = calloc(catalog_size(), sizeof(*picked));
	char err[512];
	int rc;

	if (!picked)
		return lane_fail(c, "out of memory", NULL);
	rc = cli_select(c->o, picked, err, sizeof(err));
	free(picked);
	return rc ? usage(c, err) : 0;
}

int lane_backend_run(const struct options *o, enum backend b, const char *no_kvm)
{
	struct lane_ctx c = {
		.o = o, .vendor = b == BACKEND_LANE_INTEL ? "intel" : "amd",
		.prefix = "vmexit-bench: ", .no_kvm = no_kvm,
	};
	char err[512];

	if (lane_refusal(o, kvm_name(c.vendor), err, sizeof(err)))
		return usage(&c, err);
	if (!no_kvm)
		fprintf(stderr, "vmexit-bench: --backend %s: Debian's kernel and its own %s under "
			"%s, an emulated CPU, so the numbers prove behaviour, not hardware cost\n",
			cli_backend_name(b), kvm_name(c.vendor),
			b == BACKEND_LANE_INTEL ? "Bochs" : "QEMU's TCG");
	return lane_measure(&c);
}

int cmd_lane(int argc, char **argv)
{
	struct options o;
	struct lane_ctx c = { .o = &o, .prefix = "vmexit-bench lane: " };
	char err[512];
	int rc;

	if (cli_parse_lane(argc, argv, &o, err, sizeof(err)))
		return usage(&c, err);
	if (o.cmd == CMD_VERSION) {
		printf("vmexit-bench %s\n", VMEXIT_VERSION);
		return 0;
	}
	if (o.cmd == CMD_HELP) {
		fputs(lane_usage, stdout);
		return 0;
	}
	c.vendor = o.vendor;
	if (o.exact) {
		/*
		 * QEMU's instruction-counted clock: TCG's TSC then follows the
		 * instructions executed, and a boot repeats to the tick. One
		 * guest CPU: with two, the second CPU's bring-up did not finish
		 * in minutes under icount's round-robin (docs/real-kvm.md).
		 */
		setenv("LANE_QEMU_ICOUNT", "shift=0,sleep=off", 1);
		setenv("LANE_QEMU_SMP", "1", 1);
	}
	if (o.kernel && access(o.kernel, R_OK))
		return usage(&c, "--kernel: no such readable file");
	if (o.modules && access(o.modules, R_OK | X_OK))
		return usage(&c, "--modules: no such directory");
	if (lane_refusal(&o, kvm_name(c.vendor), err, sizeof(err)))
		return usage(&c, err);
	rc = check_selection(&c);
	if (rc)
		return rc;
	if (o.nkernel_pkgs + (o.kernel ? 1 : 0) > 1 || o.nappends > 1 || o.repeat_boot)
		return lane_matrix(&c);
	c.append = o.nappends ? o.appends[0] : NULL;
	rc = check_outputs(&c);
	return rc ? rc : lane_measure(&c);
}
