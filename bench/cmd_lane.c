/* SPDX-License-Identifier: MIT */
/*
 * vmexit-bench lane: the benchmarks against a real, unmodified KVM of a
 * given Debian kernel, run inside that kernel booted under an emulator
 * (Bochs for kvm_intel, QEMU's TCG for kvm_amd) by runner/lane/lane.sh.
 * The guest's results directory becomes an ordinary results directory
 * here, with the lane's description (emulator, kernel) added to run.json
 * and its logs under lane/.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "catalog.h"
#include "cli.h"
#include "cmd_lane.h"
#include "lane/driver.h"
#include "parse_num.h"

#ifndef VMEXIT_LANE_DIR
#define VMEXIT_LANE_DIR "runner/lane"
#endif

static const char lane_usage[] =
	"usage: vmexit-bench lane --vendor intel|amd [options] [BENCH...]\n"
	"Boots a Debian kernel under an emulator (intel: Bochs, which emulates VMX;\n"
	"amd: QEMU's TCG, which emulates SVM), loads its own kvm_intel / kvm_amd and\n"
	"runs the benchmarks there. Ticks count emulated work (unit emulated_ticks\n"
	"under Bochs), not hardware time: under Bochs they repeat exactly.\n"
	"      --kernel-package NAME  Debian kernel package (default: linux-image-amd64's)\n"
	"      --kernel BZIMAGE --modules DIR\n"
	"                             a kernel of your own and its lib/modules/VERSION\n"
	"      --kvm-param 'P=V ...'  kvm_intel / kvm_amd parameters\n"
	"      --iterations N         measured iterations (default 100)\n"
	"      --warmup N             discarded iterations (default 10)\n"
	"      --output DIR           results directory (default results/lane-VENDOR-TIME)\n"
	"      --cache DIR            kernel packages (default ~/.cache/vmexit-bench/lane)\n"
	"      --timeout SEC          bound on the guest's wall time (default intel 3600,\n"
	"                             amd 900)\n"
	"  -h, --help                 this text\n";

struct lane_opts {
	const char *vendor, *pkg, *kernel, *modules, *params, *output, *cache;
	unsigned long long iterations, warmup, timeout;
	char **benches;
	int nbenches;
};

static int usage(const char *msg)
{
	fprintf(stderr, "vmexit-bench lane: %s\n", msg);
	return 2;
}

static int lane_fail(const char *msg, const char *detail)
{
	fprintf(stderr, "vmexit-bench lane: %s%s%s\n", msg, detail ? ": " : "", detail ? detail : "");
	return 1;
}

static bool dir_is_empty_or_missing(const char *path)
{
	struct dirent *d;
	bool empty = true;
	DIR *dp = opendir(path);

	if (!dp)
		return errno == ENOENT;
	while (empty && (d = readdir(dp)))
		empty = !strcmp(d->d_name, ".") || !strcmp(d->d_name, "..");
	closedir(dp);
	return empty;
}

static int parse_lane(int argc, char **argv, struct lane_opts *o)
{
	enum { O_VENDOR = 256, O_PKG, O_KERNEL, O_MODULES, O_PARAM, O_ITER, O_WARM,
	       O_OUT, O_CACHE, O_TIMEOUT };
	static const struct option lo[] = {
		{ "vendor", required_argument, 0, O_VENDOR },
		{ "kernel-package", required_argument, 0, O_PKG },
		{ "kernel", required_argument, 0, O_KERNEL },
		{ "modules", required_argument, 0, O_MODULES },
		{ "kvm-param", required_argument, 0, O_PARAM },
		{ "iterations", required_argument, 0, O_ITER },
		{ "warmup", required_argument, 0, O_WARM },
		{ "output", required_argument, 0, O_OUT },
		{ "cache", required_argument, 0, O_CACHE },
		{ "timeout", required_argument, 0, O_TIMEOUT },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct options sel = { 0 };
	bool *picked;
	char err[256];
	int c;

	o->iterations = 100;
	o->warmup = 10;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
		switch (c) {
		case O_VENDOR: o->vendor = optarg; break;
		case O_PKG: o->pkg = optarg; break;
		case O_KERNEL: o->kernel = optarg; break;
		case O_MODULES: o->modules = optarg; break;
		case O_PARAM: o->params = optarg; break;
		case O_OUT: o->output = optarg; break;
		case O_CACHE: o->cache = optarg; break;
		case O_ITER:
			if (parse_u64(optarg, 1000000, &o->iterations) || !o->iterations)
				return usage("--iterations takes a whole number from 1 to 1000000");
			break;
		case O_WARM:
			if (parse_u64(optarg, 1000000, &o->warmup))
				return usage("--warmup takes a whole number from 0 to 1000000");
			break;
		case O_TIMEOUT:
			if (parse_u64(optarg, 86400, &o->timeout) || !o->timeout)
				return usage("--timeout takes seconds from 1 to 86400");
			break;
		case 'h':
			fputs(lane_usage, stdout);
			return -1;
		default:	/* ':' or '?' */
			snprintf(err, sizeof(err), cli_opt_problem(c), argv[optind - 1]);
			strncat(err, " (see --help)", sizeof(err) - strlen(err) - 1);
			return usage(err);
		}
	}
	if (!o->vendor)
		return usage("--vendor intel|amd is required");
	if (strcmp(o->vendor, "intel") && strcmp(o->vendor, "amd"))
		return usage("--vendor must be intel or amd");
	if (o->pkg && (o->kernel || o->modules))
		return usage("--kernel-package excludes --kernel/--modules");
	if (!o->kernel != !o->modules)
		return usage("--kernel and --modules go together");
	if (o->kernel && access(o->kernel, R_OK))
		return usage("--kernel: no such readable file");
	if (o->modules && access(o->modules, R_OK | X_OK))
		return usage("--modules: no such directory");
	if (o->output && !dir_is_empty_or_missing(o->output))
		return usage("--output exists and is not an empty directory");
	if (!o->timeout)
		o->timeout = strcmp(o->vendor, "intel") ? 900 : 3600;
	o->benches = argv + optind;
	o->nbenches = argc - optind;
	if (o->nbenches > CLI_MAX_PATTERNS)
		return usage("too many benchmark names");
	for (int i = 0; i < o->nbenches; i++)
		sel.patterns[sel.npatterns++] = o->benches[i];
	picked = calloc(catalog_size(), sizeof(*picked));
	if (!picked)
		return lane_fail("out of memory", NULL);
	c = cli_select(&sel, picked, err, sizeof(err));
	free(picked);
	if (c)
		return usage(err);
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

static int add_lane_to_run_json(const char *dir, const char *env_path)
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
		return lane_fail("the guest's run.json or lane.env is unreadable", path);
	}
	json_object_set_new(run, "lane", lane);
	if (atomic_file_open(&af, path, err, sizeof(err))) {
		json_decref(run);
		return lane_fail(err, NULL);
	}
	if (json_dumpf(run, af.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', af.f) < 0) {
		atomic_file_abort(&af);
		json_decref(run);
		return lane_fail("cannot write", path);
	}
	json_decref(run);
	if (atomic_file_commit(&af, err, sizeof(err)))
		return lane_fail(err, NULL);
	return 0;
}

/* The lane's own results directory: --output, or results/lane-VENDOR-TIME. */
static void target_dir(const struct lane_opts *o, char *target, size_t len)
{
	time_t now = time(NULL);
	char stamp[32];

	if (o->output) {
		snprintf(target, len, "%s", o->output);
		return;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	mkdir("results", 0755);
	snprintf(target, len, "results/lane-%s-%s", o->vendor, stamp);
}

/* --cache, or ~/.cache/vmexit-bench/lane (the parents made here, lane.sh makes the rest). */
static void cache_dir(const struct lane_opts *o, char *cache, size_t len)
{
	const char *home = getenv("HOME") ? getenv("HOME") : "/tmp";
	char p[PATH_MAX];

	if (o->cache) {
		snprintf(cache, len, "%s", o->cache);
		return;
	}
	snprintf(cache, len, "%s/.cache/vmexit-bench/lane", home);
	snprintf(p, sizeof(p), "%s/.cache", home);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/.cache/vmexit-bench", home);
	mkdir(p, 0755);
}

int cmd_lane(int argc, char **argv)
{
	struct lane_opts o = { 0 };
	/* Sized so that each path built from the one before it fits. */
	char target[3000], tmp[3100], out[3200], run[3300], p[PATH_MAX], log[PATH_MAX];
	char script[PATH_MAX], self[PATH_MAX], cache[PATH_MAX], num[2][24];
	const char *dir = getenv("VMEXIT_LANE_DIR");
	char *guest[8 + CLI_MAX_PATTERNS] = {
		"--iterations", num[0], "--warmup", num[1], "--plot", "none",
		"--raw",	/* samples.csv, for compare's bootstrap */
	};
	struct lane_spec spec = {
		.script = script, .bin = self, .out = out, .cache = cache, .log = log,
		.guest_args = guest, .nguest = 7,
	};
	int rc, grc;
	ssize_t len;

	rc = parse_lane(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	snprintf(script, sizeof(script), "%s/lane.sh", dir && *dir ? dir : VMEXIT_LANE_DIR);
	if (access(script, R_OK))
		return lane_fail("the lane cannot run: no lane script", script);
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return lane_fail("the lane cannot run: /proc/self/exe", strerror(errno));
	self[len] = 0;
	if (o.output && strlen(o.output) >= sizeof(target) - 64)
		return usage("--output: path too long");
	target_dir(&o, target, sizeof(target));
	cache_dir(&o, cache, sizeof(cache));
	/* The guest's output lands next to the target, then is renamed into place. */
	snprintf(tmp, sizeof(tmp), "%s.lane-XXXXXX", target);
	if (!mkdtemp(tmp))
		return lane_fail("cannot create a work directory next to the output", strerror(errno));
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(log, sizeof(log), "%s/out/console.txt", tmp);
	snprintf(num[0], sizeof(num[0]), "%llu", o.iterations);
	snprintf(num[1], sizeof(num[1]), "%llu", o.warmup);
	spec.vendor = o.vendor;
	spec.pkg = o.pkg;
	spec.kernel = o.kernel;
	spec.modules = o.modules;
	spec.params = o.params;
	spec.timeout = o.timeout;
	for (int i = 0; i < o.nbenches; i++)
		guest[spec.nguest++] = o.benches[i];
	/* lane.sh writes the console to --log before --out exists. */
	if (mkdir(out, 0755))
		return lane_fail("cannot create", out);
	rc = lane_run(&spec);
	if (rc == 77) {
		rc = lane_fail("the lane cannot run here (reason above)", NULL);
		goto cleanup;
	}
	if (rc) {
		/* Keep the console and whatever came back: they say what happened. */
		fprintf(stderr, "vmexit-bench lane: the lane failed (reason above); its console "
			"and logs are in %s\n", out);
		return 1;
	}
	snprintf(p, sizeof(p), "%s/lane.rc", out);
	grc = lane_read_rc(p);
	snprintf(run, sizeof(run), "%s/run", out);
	if (access(run, F_OK)) {
		snprintf(p, sizeof(p), "%s/stderr.txt", out);
		lane_print_output(p, stderr);
		rc = lane_fail("vmexit-bench in the guest left no results (its stderr above)", NULL);
		goto cleanup;
	}
	snprintf(p, sizeof(p), "%s/lane.env", out);
	if (add_lane_to_run_json(run, p) || lane_keep_logs(out, run)) {
		rc = 1;
		goto cleanup;
	}
	rmdir(target);	/* an empty --output is replaced */
	if (rename(run, target)) {
		rc = lane_fail("cannot move the results into place", strerror(errno));
		goto cleanup;
	}
	snprintf(p, sizeof(p), "%s/lane/stdout.txt", target);
	lane_print_output(p, stdout);
	printf("# results: %s\n", target);
	rc = grc == 0 ? 0 : 1;
	if (grc)
		fprintf(stderr, "vmexit-bench lane: vmexit-bench in the guest exited %d\n", grc);
cleanup:
	lane_remove_tree(tmp);
	return rc;
}
