// SPDX-License-Identifier: MIT
/*
 * `vmexit-bench vmx`: the raw VMX harness's command line. The harness
 * itself is a boot image (runner/vmx/); this command boots it under Bochs
 * (runner/vmx/driver.c), or reads the serial log of a run on bare metal /
 * nested QEMU / the kernel module, checks that every exit happened with the
 * right reason and every MSR area was verified (analysis/vmx_parse.c), and
 * writes the summary CSV, the sweep fits and a table (analysis/vmx_report.c).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "cmd_vmx.h"
#include "cli.h"
#include "parse_num.h"
#include "rundir.h"
#include "vmx/driver.h"
#include "vmx_report.h"

struct vmx_opts {
	struct vmx_bochs_opts bochs;
	const char *serial, *csv, *sweep_csv, *log;
	bool keep;
};

static int usage(const char *msg)
{
	fprintf(stderr, "vmexit-bench: vmx: %s (try --help)\n", msg);
	return 2;
}

static void help(void)
{
	printf("usage: vmexit-bench vmx [--bochs | --serial FILE] [options]\n"
	       "  --bochs            boot the harness image under Bochs (default)\n"
	       "  --serial FILE      parse a serial log from bare metal, QEMU or the module\n"
	       "  --msr-area LIST    MSR-area sizes, e.g. 0,1,2,4,8 (default 0,1,2,4,8,16,32,64)\n"
	       "  --iters N          measured iterations per point (default 20 under Bochs)\n"
	       "  --warmup N         discarded iterations per point (default 5 under Bochs)\n"
	       "  --benches LIST     subset of floor,null,cpuid,rdmsr,wrmsr,pio-out,pio-in,ept,vmcall\n"
	       "  --areas LIST       subset of exit-store,exit-load,entry-load\n"
	       "  --csv FILE         summary CSV (default vmx-summary.csv)\n"
	       "  --sweep-csv FILE   MSR-area sweep CSV (default vmx-sweep.csv)\n"
	       "  --log FILE         keep the serial log of a Bochs run\n"
	       "  --timeout SEC      Bochs wall-clock limit (default 300)\n"
	       "  --bochs-cpu MODEL  Bochs CPU model (default corei7_skylake_x)\n"
	       "  --image-dir DIR    where vmxbench.bin and vmxboot.bin are (default: the\n"
	       "                     installed ones, or VMXB_IMAGE_DIR)\n"
	       "  --keep             keep Bochs' work directory\n"
	       "  -h, --help         this text\n");
}

/* --iters, --warmup, --timeout: a whole number in @min..@max. */
static int opt_uint(const char *name, const char *arg, unsigned min, unsigned max,
		    const char *unit, unsigned *out, char *msg, size_t len)
{
	unsigned long long v;

	if (!parse_u64(arg, max, &v) && v >= min) {
		*out = (unsigned)v;
		return 0;
	}
	snprintf(msg, len, "--%s wants %u..%u%s, not '%s'", name, min, max, unit, arg);
	return -1;
}

static int check_list(const char *s, bool numeric)
{
	int items = 0;
	bool empty = true;

	for (const char *p = s;; p++) {
		if (*p == ',' || !*p) {
			if (empty)
				return -1;
			items++;
			empty = true;
			if (!*p)
				break;
			continue;
		}
		if (numeric ? (*p < '0' || *p > '9') :
			      !((*p >= 'a' && *p <= 'z') || *p == '-'))
			return -1;
		empty = false;
	}
	return items <= 32 ? 0 : -1;
}

enum { O_SERIAL = 256, O_BOCHS, O_MSR, O_ITERS, O_WARMUP, O_CSV, O_SWEEP, O_LOG,
       O_TIMEOUT, O_CPU, O_IMAGE, O_KEEP, O_BENCHES, O_AREAS, O_HELP };

static const struct option longopts[] = {
	{ "serial", required_argument, 0, O_SERIAL },
	{ "bochs", no_argument, 0, O_BOCHS },
	{ "msr-area", required_argument, 0, O_MSR },
	{ "iters", required_argument, 0, O_ITERS },
	{ "warmup", required_argument, 0, O_WARMUP },
	{ "csv", required_argument, 0, O_CSV },
	{ "sweep-csv", required_argument, 0, O_SWEEP },
	{ "log", required_argument, 0, O_LOG },
	{ "timeout", required_argument, 0, O_TIMEOUT },
	{ "bochs-cpu", required_argument, 0, O_CPU },
	{ "image-dir", required_argument, 0, O_IMAGE },
	{ "benches", required_argument, 0, O_BENCHES },
	{ "areas", required_argument, 0, O_AREAS },
	{ "keep", no_argument, 0, O_KEEP },
	{ "help", no_argument, 0, O_HELP },
	{ 0, 0, 0, 0 },
};

static int opt_value(struct vmx_opts *o, int c, const char *arg, char *msg, size_t len)
{
	switch (c) {
	case O_SERIAL: o->serial = arg; return 0;
	case O_CSV: o->csv = arg; return 0;
	case O_SWEEP: o->sweep_csv = arg; return 0;
	case O_LOG: o->log = arg; return 0;
	case O_CPU:
		o->bochs.cpu = arg;
		if (vmx_bochs_model_ok(arg))
			return 0;
		/* Not echoed: it may hold the very newline that makes it bad. */
		snprintf(msg, len, "bad --bochs-cpu: a Bochs CPU model is 1-63 of a-z, 0-9, _");
		return -1;
	case O_IMAGE: o->bochs.image_dir = arg; return 0;
	case O_KEEP: o->keep = true; return 0;
	case O_MSR:
		o->bochs.msr_area = arg;
		if (!strcmp(arg, "none") || !check_list(arg, true))
			return 0;
		snprintf(msg, len, "bad --msr-area list '%s'", arg);
		return -1;
	case O_BENCHES:
	case O_AREAS:
		*(c == O_BENCHES ? &o->bochs.benches : &o->bochs.areas) = arg;
		if (!check_list(arg, false))
			return 0;
		snprintf(msg, len, "bad name list '%s'", arg);
		return -1;
	case O_ITERS:
		return opt_uint("iters", arg, 1, 10000000, "", &o->bochs.iters, msg, len);
	case O_WARMUP:
		return opt_uint("warmup", arg, 0, 1000000, "", &o->bochs.warmup, msg, len);
	case O_TIMEOUT:
		return opt_uint("timeout", arg, 1, 86400, " seconds", &o->bochs.timeout, msg, len);
	}
	snprintf(msg, len, "unknown option");
	return -1;
}

/* Returns 0, 1 for --help, or 2 with a message on bad usage. */
static int parse_opts(int argc, char **argv, struct vmx_opts *o)
{
	char msg[256];
	bool bochs = false;
	int c;

	memset(o, 0, sizeof(*o));
	o->csv = "vmx-summary.csv";
	o->sweep_csv = "vmx-sweep.csv";
	o->bochs.cpu = "corei7_skylake_x";
	o->bochs.msr_area = "0,1,2,4,8,16,32,64";
	o->bochs.iters = 20;
	o->bochs.warmup = 5;
	o->bochs.timeout = 300;
	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, ":h", longopts)) != -1) {
		if (c == O_HELP || c == 'h') {
			help();
			return 1;
		}
		if (c == O_BOCHS) {
			bochs = true;
			continue;
		}
		if (c == '?' || c == ':') {
			snprintf(msg, sizeof(msg), cli_opt_problem(c), argv[optind - 1]);
			return usage(msg);
		}
		if (opt_value(o, c, optarg, msg, sizeof(msg)))
			return usage(msg);
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'", argv[optind]);
		return usage(msg);
	}
	if (bochs && o->serial)
		return usage("--bochs and --serial exclude each other");
	/* Before Bochs runs for minutes: every file it will write. */
	if (atomic_file_check(o->csv, msg, sizeof(msg)) ||
	    atomic_file_check(o->sweep_csv, msg, sizeof(msg)) ||
	    (o->log && atomic_file_check(o->log, msg, sizeof(msg))))
		return usage(msg);
	return 0;
}

static int boot_under_bochs(const struct vmx_opts *o, struct vmx_log *log, char *err,
			    size_t errlen)
{
	struct vmx_bochs_dir d;
	FILE *f;
	int rc = vmx_bochs_run(&o->bochs, &d, err, errlen);

	if (!rc && o->log)
		rc = vmx_report_copy_log(d.serial, o->log, err, errlen);
	if (!rc) {
		f = fopen(d.serial, "r");
		if (!f) {
			ERR("cannot read %.200s", d.serial);
			rc = -1;
		} else {
			rc = vmx_parse_stream(f, log, err, errlen);
			fclose(f);
		}
	}
	if (!d.path[0])
		return rc;
	if (o->keep || rc)
		fprintf(stderr, "vmexit-bench: vmx: Bochs files kept in %s\n", d.path);
	else
		vmx_bochs_remove(&d);
	return rc;
}

/* --serial: 0, or the exit status after saying what is wrong. */
static int read_serial(const char *path, struct vmx_log *log)
{
	char err[512];
	struct stat st;
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		fprintf(stderr, "vmexit-bench: vmx: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* A directory opens, then every read fails: say what it is. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "vmexit-bench: vmx: %s: is a directory, not a serial log\n", path);
		fclose(f);
		return 2;
	}
	rc = vmx_parse_stream(f, log, err, sizeof(err));
	fclose(f);
	if (rc)
		fprintf(stderr, "vmexit-bench: vmx: %s: %s\n", path, err);
	return rc ? 1 : 0;
}

int cmd_vmx(int argc, char **argv)
{
	struct vmx_opts o;
	static char image_dir[PATH_MAX];
	struct vmx_log log;
	char err[PATH_MAX + 512];
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (!o.serial && !o.bochs.image_dir) {
		if (rundir_find(RUNDIR_VMX, image_dir, sizeof(image_dir), err, sizeof(err))) {
			fprintf(stderr, "vmexit-bench: vmx: %s\n", err);
			return 1;
		}
		o.bochs.image_dir = image_dir;
	}
	vmx_log_init(&log);
	if (o.serial) {
		rc = read_serial(o.serial, &log);
	} else if (boot_under_bochs(&o, &log, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: vmx: %s\n", err);
		rc = 1;
	}
	if (!rc && (vmx_log_check(&log, err, sizeof(err)) ||
		    vmx_report_write(&log, o.csv, o.sweep_csv, stdout, err, sizeof(err)))) {
		fprintf(stderr, "vmexit-bench: vmx: %s\n", err);
		rc = 1;
	}
	vmx_log_free(&log);
	return rc;
}
