/* SPDX-License-Identifier: MIT */
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "parse_num.h"
#include "plot.h"
#include "preset.h"

const char cli_usage[] =
	"usage: vmexit-bench [run] [BENCH...] [options]   measure VM exits (default: all)\n"
	"       vmexit-bench list [--json]                the catalog and what runs here\n"
	"       vmexit-bench env [--json]                 the environment record\n"
	"       vmexit-bench plot [--plot FMT] DIR        re-render a run's plots\n"
	"       vmexit-bench compare [options] DIR...     compare runs (compare --help)\n"
	"       vmexit-bench vmx [options]                raw VMX harness (vmx --help)\n"
	"       vmexit-bench help                         this text\n"
	"       vmexit-bench lane --vendor intel|amd ...  a Debian kernel's KVM, emulated\n"
	"\n"
	"BENCH is a name or a glob such as 'pio_*' (see 'vmexit-bench list').\n"
	"\n"
	"options:\n"
	"  -n, --iterations N   timed iterations per benchmark and run (default 10000)\n"
	"  -w, --warmup N       iterations run first and discarded (default 1000)\n"
	"  -r, --runs N         independent runs, each with a fresh VM; the CI of every\n"
	"                       row holds across runs (default 5; 1: within one run)\n"
	"  -c, --cpu N          pin the vCPU thread to CPU N (default: last online CPU)\n"
	"      --parallel N     run each benchmark on N vCPUs of one VM at once (2-8,\n"
	"                       CPL0), each on a host CPU of its own where there are\n"
	"                       enough: rows per vCPU (NAME@vcpuK) and pooled (NAME)\n"
	"      --cpl 0|3|auto   guest privilege level (default auto: CPL3 where CPL0\n"
	"                       is emulated by this host and the benchmark allows it)\n"
	"      --csv FILE       also write summary.csv here (TSC ticks, floor\n"
	"                       subtracted); '-' is stdout (then no table)\n"
	"      --export-markdown FILE\n"
	"                       also write the table as Markdown\n"
	"      --output DIR     results directory (default results/<date>-<host>)\n"
	"      --raw            also write every sample to samples.csv\n"
	"      --plot FMT       png, svg, pdf or none (default png)\n"
	"      --no-subtract    report raw values: do not subtract the timer floor\n"
	"      --timeout SEC    stop a guest that makes no progress for SEC (default 5)\n"
	"      --handler-work NS\n"
	"                       add a busy wait of NS nanoseconds (timed on the TSC) to\n"
	"                       the userspace handler of each exit: the handler phase\n"
	"                       grows by NS, exit and entry stay put (default 0)\n"
	"      --no-trace       do not trace kvm:kvm_exit/kvm_entry to split exits\n"
	"                       handled in the kernel\n"
	"      --allow-dangerous\n"
	"                       also run wbinvd and invd, which can stall or corrupt a\n"
	"                       host where they reach the CPU (opt-in; see 'list')\n"
	"      --backend B      kvm: this host's /dev/kvm, never anything else;\n"
	"                       lane-amd / lane-intel: a Debian kernel's kvm_amd /\n"
	"                       kvm_intel under an emulator (see 'lane --help'); default:\n"
	"                       kvm where /dev/kvm is usable, else lane-amd (an emulated\n"
	"                       CPU: numbers prove behaviour, not hardware cost)\n"
	"      --cache DIR      the lanes' kernel packages (default\n"
	"                       $XDG_CACHE_HOME/vmexit-bench/lane, else\n"
	"                       ~/.cache/vmexit-bench/lane)\n"
	"      --preset paper   the papers' seven microbenchmarks (hypercall, interrupt\n"
	"                       controller trap, virtual IPI, IRQ completion, VM switch,\n"
	"                       I/O latency out and in), as their table and paper.tex\n"
	"  -q, --quiet          no table on stdout\n"
	"  -h, --help           this text\n"
	"  -V, --version        version\n"
	"\n"
	"exit status: 0 all selected benchmarks measured or unsupported here,\n"
	"             1 a benchmark failed (the others are still reported), 2 bad usage\n";

#include "errmsg.h"

const char *cli_opt_problem(int c)
{
	return c == ':' ? "option '%s' needs a value" : "unknown option '%s'";
}

/* The positional arguments cli_getopt() has seen, in order. */
static char **positional;
static size_t npositional, positional_cap;

/* Options and their values first, then the positional arguments, from argv[1] on. */
static void move_positionals_last(int argc, char **argv)
{
	int end = optind, w = 1;
	size_t k = 0;
	char **opts = malloc(sizeof(*opts) * (argc + 1));

	if (!opts)
		return;	/* optind stays at the first unread argument */
	for (int i = 1; i < end; i++)
		if (k < npositional && argv[i] == positional[k])
			k++;
		else
			opts[w++] = argv[i];
	optind = w;
	for (k = 0; k < npositional; k++)
		opts[w++] = positional[k];
	for (int i = end; i < argc; i++)
		opts[w++] = argv[i];
	memcpy(argv + 1, opts + 1, sizeof(*argv) * (argc - 1));
	free(opts);
}

int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts)
{
	char in_order[64];
	int c;

	if (optind == 0)
		npositional = 0;
	/* '-': positional arguments come back as 1, in order, whatever POSIXLY_CORRECT says. */
	snprintf(in_order, sizeof(in_order), "-%s", optstring);
	while ((c = getopt_long(argc, argv, in_order, longopts, NULL)) == 1) {
		if (npositional == positional_cap) {
			size_t cap = positional_cap ? 2 * positional_cap : 16;
			char **p = realloc(positional, cap * sizeof(*p));

			if (!p)
				return '?';
			positional = p;
			positional_cap = cap;
		}
		positional[npositional++] = optarg;
	}
	if (c == -1)
		move_positionals_last(argc, argv);
	return c;
}

static int parse_count(const char *flag, const char *s, unsigned long long min,
		       unsigned long long max, unsigned long long *out, char *err, size_t errlen)
{
	if (parse_u64(s, ~0ull, out))
		return ERR("%s needs a whole number, got '%s'", flag, s ? s : "");
	if (*out < min || *out > max)
		return ERR("%s must be between %llu and %llu, got %s", flag, min, max, s);
	return 0;
}

static int parse_seconds(const char *s, double *out, char *err, size_t errlen)
{
	if (parse_f64(s, out) || *out < 0.01 || *out > 3600)
		return ERR("--timeout needs seconds between 0.01 and 3600, got '%s'", s);
	return 0;
}

static int parse_cpl(const char *s, enum cpl_mode *out, char *err, size_t errlen)
{
	if (strcmp(s, "0") == 0)
		*out = CPL_0;
	else if (strcmp(s, "3") == 0)
		*out = CPL_3;
	else if (strcmp(s, "auto") == 0)
		*out = CPL_AUTO;
	else
		return ERR("--cpl must be 0, 3 or auto, got '%s'", s);
	return 0;
}

enum { OPT_CPL = 256, OPT_CSV, OPT_NO_SUBTRACT, OPT_TIMEOUT, OPT_HANDLER_WORK, OPT_NO_TRACE,
       OPT_ALLOW_DANGEROUS,
       OPT_OUTPUT, OPT_RAW, OPT_PLOT, OPT_MARKDOWN, OPT_JSON, OPT_PRESET, OPT_BACKEND,
       OPT_CACHE, OPT_VENDOR, OPT_KERNEL_PKG, OPT_KERNEL, OPT_MODULES, OPT_KVM_PARAM,
       OPT_APPEND, OPT_REPEAT_BOOT, OPT_EXACT, OPT_PARALLEL };

/* Only `vmexit-bench lane` takes these (lane_opts[] below). */
#define LANE_OPTS								\
	{ "vendor", required_argument, NULL, OPT_VENDOR },			\
	{ "kernel-package", required_argument, NULL, OPT_KERNEL_PKG },		\
	{ "kernel", required_argument, NULL, OPT_KERNEL },			\
	{ "modules", required_argument, NULL, OPT_MODULES },			\
	{ "kvm-param", required_argument, NULL, OPT_KVM_PARAM },		\
	{ "append", required_argument, NULL, OPT_APPEND },			\
	{ "repeat-boot", no_argument, NULL, OPT_REPEAT_BOOT },			\
	{ "exact", no_argument, NULL, OPT_EXACT }

static const struct option long_opts[] = {
	{ "iterations", required_argument, NULL, 'n' },
	{ "warmup", required_argument, NULL, 'w' },
	{ "runs", required_argument, NULL, 'r' },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "export-markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "cpu", required_argument, NULL, 'c' },
	{ "cpl", required_argument, NULL, OPT_CPL },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "no-subtract", no_argument, NULL, OPT_NO_SUBTRACT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "handler-work", required_argument, NULL, OPT_HANDLER_WORK },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "allow-dangerous", no_argument, NULL, OPT_ALLOW_DANGEROUS },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "preset", required_argument, NULL, OPT_PRESET },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

/* The run's options but --backend (lane picks its own), and the lane's. */
static struct option lane_opts[sizeof(long_opts) / sizeof(long_opts[0]) + 8];

static const struct option lane_only[] = { LANE_OPTS };

static void lane_opts_init(void)
{
	size_t n = 0;

	for (size_t i = 0; long_opts[i].name; i++)
		if (long_opts[i].val != OPT_BACKEND)
			lane_opts[n++] = long_opts[i];
	for (size_t i = 0; i < sizeof(lane_only) / sizeof(lane_only[0]); i++)
		lane_opts[n++] = lane_only[i];
	lane_opts[n] = (struct option){ 0 };
}

static const char *const backend_names[] = {
	[BACKEND_AUTO] = "auto", [BACKEND_KVM] = "kvm",
	[BACKEND_LANE_AMD] = "lane-amd", [BACKEND_LANE_INTEL] = "lane-intel",
};

const char *cli_backend_name(enum backend b)
{
	return backend_names[b];
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->cmd = CMD_RUN;
	o->iterations = DEFAULT_ITERATIONS;
	o->warmup = DEFAULT_WARMUP;
	o->cpu = -1;
	o->cpl = CPL_AUTO;
	o->timeout_s = DEFAULT_TIMEOUT_S;
	o->plot = PLOT_PNG;
	o->runs = DEFAULT_RUNS;
}

static int parse_option(int c, struct options *o, char *err, size_t errlen)
{
	unsigned long long v;

	switch (c) {
	case 'n':
		o->iterations_given = true;
		return parse_count("--iterations", optarg, 1, 100000000ull, &o->iterations,
				   err, errlen);
	case 'w':
		o->warmup_given = true;
		return parse_count("--warmup", optarg, 0, 10000000ull, &o->warmup, err, errlen);
	case 'r':
		if (parse_count("--runs", optarg, 1, MAX_RUNS, &v, err, errlen))
			return -1;
		o->runs = (unsigned)v;
		o->runs_given = true;
		return 0;
	case OPT_PARALLEL:
		if (parse_count("--parallel", optarg, 1, PAR_MAX, &v, err, errlen))
			return -1;
		o->parallel = (unsigned)v;
		return 0;
	case OPT_MARKDOWN:
		if (!*optarg)
			return ERR("--export-markdown needs a file name");
		o->markdown = optarg;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case 'c':
		if (parse_count("--cpu", optarg, 0, 65535, &v, err, errlen))
			return -1;
		o->cpu = (int)v;
		return 0;
	case OPT_CPL:
		return parse_cpl(optarg, &o->cpl, err, errlen);
	case OPT_CSV:
		if (!*optarg)
			return ERR("--csv needs a file name");
		o->csv = optarg;
		/* The CSV on stdout is the output: no table around it. */
		if (!strcmp(optarg, "-"))
			o->quiet = true;
		return 0;
	case OPT_NO_SUBTRACT:
		o->no_subtract = true;
		return 0;
	case OPT_TIMEOUT:
		o->timeout_given = true;
		return parse_seconds(optarg, &o->timeout_s, err, errlen);
	case OPT_HANDLER_WORK:
		/* Up to 10 ms: longer handlers only make the watchdog the story. */
		return parse_count("--handler-work", optarg, 0, 10000000ull,
				   &o->handler_work_ns, err, errlen);
	case OPT_OUTPUT:
		if (!*optarg)
			return ERR("--output needs a directory");
		o->output = optarg;
		return 0;
	case OPT_RAW:
		o->raw = true;
		return 0;
	case OPT_PLOT:
		if (plot_fmt_from_name(optarg) < 0)
			return ERR("--plot must be png, svg, pdf or none, got '%s'", optarg);
		o->plot = plot_fmt_from_name(optarg);
		return 0;
	case OPT_NO_TRACE:
		o->no_trace = true;
		return 0;
	case OPT_ALLOW_DANGEROUS:
		o->allow_dangerous = true;
		return 0;
	case OPT_PRESET:
		if (!preset_find(optarg))
			return ERR("unknown preset '%s' (presets: %s)", optarg, preset_names());
		o->preset = optarg;
		return 0;
	case OPT_BACKEND:
		for (int b = BACKEND_KVM; b <= BACKEND_LANE_INTEL; b++)
			if (!strcmp(optarg, backend_names[b])) {
				o->backend = b;
				return 0;
			}
		return ERR("--backend must be kvm, lane-amd or lane-intel, got '%s'", optarg);
	case OPT_CACHE:
		if (!*optarg)
			return ERR("--cache needs a directory");
		o->cache = optarg;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'h':
		o->cmd = CMD_HELP;
		return 0;
	case 'V':
		o->cmd = CMD_VERSION;
		return 0;
	default:
		return ERR("unknown or incomplete option (see --help)");
	}
}

/* A preset is a selection of its own: its benchmarks become the names. */
static int cli_preset(struct options *o, char *err, size_t errlen)
{
	const struct preset *p = o->preset ? preset_find(o->preset) : NULL;

	if (!p)
		return 0;
	if (o->npatterns)
		return ERR("--preset %s selects its own benchmarks: give no benchmark names "
			   "with it (got '%s')", p->name, o->patterns[0]);
	for (size_t i = 0; i < p->nrows; i++)
		o->patterns[o->npatterns++] = p->rows[i].bench;
	return 0;
}

static int parallel_check(const struct options *o, char *err, size_t errlen)
{
	if (o->parallel > 1 && o->cpl == CPL_3)
		return ERR("--parallel runs at CPL0 (the guest's one TSS has one ring-0 stack for "
			   "every vCPU's interrupts at CPL3): drop --cpl 3");
	return 0;
}

int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	int c, i;

	set_defaults(o);
	optind = 0;
	opterr = 0;
	/* Options may stand before or after the command and the benchmark names. */
	while ((c = cli_getopt(argc, argv, ":n:w:r:c:qhV", long_opts)) != -1) {
		if (c == ':' || c == '?') {
			char what[256];

			snprintf(what, sizeof(what), cli_opt_problem(c), argv[optind - 1]);
			return ERR("%s%s", what, c == '?' ? " (see --help)" : "");
		}
		if (parse_option(c, o, err, errlen))
			return -1;
	}
	if (o->cmd == CMD_HELP || o->cmd == CMD_VERSION)
		return 0;
	if (o->cache && o->backend == BACKEND_KVM)
		return ERR("--cache is the lanes' kernel package cache: it has no use with "
			   "--backend kvm");
	i = optind;
	if (i < argc && strcmp(argv[i], "help") == 0) {
		o->cmd = CMD_HELP;
		return 0;
	}
	if (o->json && !(i < argc && strcmp(argv[i], "list") == 0))
		return ERR("--json is an option of 'list' (and of 'env')");
	if (i < argc && strcmp(argv[i], "run") == 0) {
		i++;
	} else if (i < argc && strcmp(argv[i], "list") == 0) {
		if (i + 1 < argc)
			return ERR("'list' takes no arguments, got '%s'", argv[i + 1]);
		o->cmd = CMD_LIST;
		return 0;
	}
	for (; i < argc; i++) {
		if (o->npatterns == CLI_MAX_PATTERNS)
			return ERR("too many benchmark names (at most %d)", CLI_MAX_PATTERNS);
		o->patterns[o->npatterns++] = argv[i];
	}
	return parallel_check(o, err, errlen) ? -1 : cli_preset(o, err, errlen);
}

static int parse_lane_option(int c, struct options *o, char *err, size_t errlen)
{
	switch (c) {
	case OPT_VENDOR:
		if (strcmp(optarg, "intel") && strcmp(optarg, "amd"))
			return ERR("--vendor must be intel or amd, got '%s'", optarg);
		o->vendor = optarg;
		return 0;
	case OPT_KERNEL_PKG:
		for (int i = 0; i < o->nkernel_pkgs; i++)
			if (!strcmp(o->kernel_pkgs[i], optarg))
				return ERR("--kernel-package %s is given twice (--repeat-boot boots "
					   "each combination twice)", optarg);
		if (o->nkernel_pkgs == CLI_MAX_LANE_KERNELS)
			return ERR("--kernel-package: at most %d kernels", CLI_MAX_LANE_KERNELS);
		o->kernel_pkgs[o->nkernel_pkgs++] = optarg;
		o->kernel_pkg = o->kernel_pkgs[0];
		return 0;
	case OPT_APPEND:
		for (const char *p = optarg; *p; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				return ERR("--append: a control character (0x%02x) in the command "
					   "line", (unsigned)(unsigned char)*p);
		for (int i = 0; i < o->nappends; i++)
			if (!strcmp(o->appends[i], optarg))
				return ERR("--append '%s' is given twice (--repeat-boot boots each "
					   "combination twice)", optarg);
		if (o->nappends == CLI_MAX_LANE_APPENDS)
			return ERR("--append: at most %d command lines", CLI_MAX_LANE_APPENDS);
		o->appends[o->nappends++] = optarg;
		return 0;
	case OPT_REPEAT_BOOT:
		o->repeat_boot = true;
		return 0;
	case OPT_EXACT:
		o->exact = true;
		return 0;
	case OPT_KERNEL:
		o->kernel = optarg;
		return 0;
	case OPT_MODULES:
		o->modules = optarg;
		return 0;
	case OPT_KVM_PARAM:
		o->kvm_params = optarg;
		return 0;
	case OPT_TIMEOUT:
		/* The lane's --timeout bounds the whole guest, in whole seconds. */
		if (parse_u64(optarg, 86400, &o->lane_timeout) || !o->lane_timeout)
			return ERR("--timeout takes seconds from 1 to 86400, got '%s'", optarg);
		return 0;
	default:
		return parse_option(c, o, err, errlen);
	}
}

int cli_parse_lane(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	int c;

	set_defaults(o);
	if (!lane_opts[0].name)
		lane_opts_init();
	optind = 0;
	opterr = 0;
	/* As the run's: options and benchmark names in any order. */
	while ((c = cli_getopt(argc, argv, ":n:w:r:c:qhV", lane_opts)) != -1) {
		if (c == ':' || c == '?') {
			char what[256];

			snprintf(what, sizeof(what), cli_opt_problem(c), argv[optind - 1]);
			return ERR("%s%s", what, c == '?' ? " (see --help)" : "");
		}
		if (parse_lane_option(c, o, err, errlen))
			return -1;
	}
	if (o->cmd == CMD_HELP || o->cmd == CMD_VERSION)
		return 0;
	if (o->json)
		return ERR("--json is an option of 'list' (and of 'env')");
	if (!o->vendor)
		return ERR("--vendor intel|amd is required");
	if (!o->kernel != !o->modules)
		return ERR("--kernel and --modules go together");
	if (o->exact && strcmp(o->vendor, "amd"))
		return ERR("--exact is for --vendor amd (QEMU's -icount); the intel lane (Bochs) "
			   "is exact already");
	for (int i = optind; i < argc; i++) {
		if (o->npatterns == CLI_MAX_PATTERNS)
			return ERR("too many benchmark names (at most %d)", CLI_MAX_PATTERNS);
		o->patterns[o->npatterns++] = argv[i];
	}
	return parallel_check(o, err, errlen) ? -1 : cli_preset(o, err, errlen);
}

int cli_select(const struct options *o, bool *selected, char *err, size_t errlen)
{
	for (size_t b = 0; b < catalog_size(); b++)
		/* Opt-in benchmarks join the default set only when allowed. */
		selected[b] = o->npatterns == 0 && !(catalog_row(b)->needs & HIDDEN) &&
			      (o->allow_dangerous || !(catalog_row(b)->needs & NEED_OPT_IN));
	for (int p = 0; p < o->npatterns; p++) {
		bool hit = false;

		for (size_t b = 0; b < catalog_size(); b++) {
			const char *name = catalog_row(b)->name;
			bool hidden = catalog_row(b)->needs & HIDDEN;

			if (hidden ? strcmp(o->patterns[p], name) == 0 :
				     catalog_matches(catalog_row(b), o->patterns[p])) {
				selected[b] = true;
				hit = true;
			}
		}
		if (!hit)
			return ERR("unknown benchmark '%s' (see 'vmexit-bench list')",
				   o->patterns[p]);
	}
	return 0;
}
