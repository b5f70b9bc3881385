/* SPDX-License-Identifier: MIT */
/* vmexit-bench env | plot | compare */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "atomic_file.h"
#include "catalog.h"
#include "cmd_results.h"
#include "compare.h"
#include "env.h"
#include "cli.h"
#include "parse_num.h"
#include "plot.h"
#include "results_dir.h"

#define EXIT_USAGE 2
#define STR_(x) #x
#define STR(x) STR_(x)

static const char env_usage[] =
	"usage: vmexit-bench env [--json] [--cpu N]\n"
	"Prints the environment record stored in every run.json, and the warnings\n"
	"about setups that spoil numbers.\n"
	"      --json      print it as JSON\n"
	"      --cpu N     the CPU the benchmark would be pinned to (governor, SMT sibling)\n"
	"  -h, --help      this text\n";

static const char plot_usage[] =
	"usage: vmexit-bench plot [--plot png|svg|pdf|none] DIR\n"
	"Re-renders DIR/plots from DIR's run.json, summary.csv and samples.csv (if present).\n"
	"      --plot FMT  image format (default png); pdf renders each plot 7 in wide (X.pdf)\n"
	"                  and 3.5 in wide (X-column.pdf); none writes scripts and data only\n"
	"  -h, --help      this text\n";

static const char compare_usage[] =
	"usage: vmexit-bench compare [options] DIR DIR...\n"
	"Joins runs by benchmark, CPL and phase; prints one row per benchmark and one\n"
	"column per run: median, 95% CI, ratio to the baseline and a significance mark.\n"
	"      --baseline RUN    the reference run, by label or DIR (default the first DIR)\n"
	"      --phases          also exit/handler/entry as sub-rows\n"
	"      --long            one line per run, phase and benchmark (the older layout)\n"
	"      --fail-above PCT  exit 3 when a row is significantly slower than the baseline\n"
	"                        by more than PCT percent (exact rows: by any tick)\n"
	"      --unit ticks|ns   compare the runs' ticks (default) or ns (each run's TSC rate)\n"
	"      --all             also rows that are not in every run (default: common rows)\n"
	"      --label NAME=DIR  call DIR (one of the DIRs) NAME in the table, CSV and plot\n"
	"      --resamples N     bootstrap resamples for the ratio CI, 0 or 100..1000000\n"
	"                        (default 1000; 0: CI overlap only)\n"
	"      --seed N          bootstrap seed (default 1)\n"
	"  -o, --output DIR      also write compare.csv, compare.md, compare.tex, the ratio\n"
	"                        plot (compare.*) and for > 3 runs a heatmap into DIR\n"
	"      --plot FMT        png (default), svg, pdf or none (with --output)\n"
	"  -h, --help            this text\n"
	"Exit status: 0; 1 a file could not be written; 2 bad input; 3 --fail-above.\n";

/* One-line error plus a hint, exit status 2: what every bad argument gets. */
static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "vmexit-bench: %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see vmexit-bench %s --help)\n", cmd);
	return EXIT_USAGE;
}

static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	return parse_u64(s, max, out);
}

enum { OPT_JSON = 256, OPT_CPU, OPT_PLOT, OPT_UNIT, OPT_RESAMPLES, OPT_SEED, OPT_ALL,
       OPT_LABEL, OPT_BASELINE, OPT_PHASES, OPT_LONG, OPT_FAIL_ABOVE };

/* What compare's command line sets besides struct compare_opts. */
struct compare_cli {
	const char *output;
	enum plot_fmt fmt;
	struct compare_print_opts print;
	double fail_above;		/* percent; < 0: no gate */
};

#define MAX_LABELS 64

int cmd_env(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct env_record e;
	char warn[16][ENV_WARN_LEN];
	unsigned long long cpu;
	bool json = false;
	int pinned = -1, c;
	size_t n;

	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_CPU:
			if (parse_uint(optarg, INT_MAX, &cpu))
				return usage_error("env", "--cpu: '%s' is not a CPU number", optarg);
			pinned = cpu;
			break;
		case 'h':
			fputs(env_usage, stdout);
			return 0;
		default:	/* ':' or '?' */
			return usage_error("env", cli_opt_problem(c), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("env", "unexpected argument '%s'", argv[optind]);
	if (env_collect(&e, pinned, 0, argc, argv)) {
		fprintf(stderr, "vmexit-bench: env: cannot read uname or the clock\n");
		return 1;
	}
	n = env_warnings(&e, NULL, warn, 16);
	if (json) {
		json_t *j = env_to_json(&e), *w = json_array();

		for (size_t i = 0; i < n && i < 16; i++)
			json_array_append_new(w, json_string(warn[i]));
		json_object_set_new(j, "warnings", w);
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
		return 0;
	}
	env_print(&e, stdout);
	for (size_t i = 0; i < n && i < 16; i++)
		printf("warning: %s\n", warn[i]);
	return 0;
}

/*
 * Directories written before run.json had "kind" say nothing of it: the
 * catalog knows which benchmarks are latencies or the floor.
 */
static void catalog_kinds(struct run_record *r)
{
	for (size_t i = 0; i < r->nbench; i++) {
		const struct bench_def *b = catalog_find(r->bench[i].name);

		if (b && r->bench[i].kind == BENCH_KIND_EXIT)
			r->bench[i].kind = catalog_kind(b);
	}
}

static int parse_fmt(const char *cmd, const char *s, enum plot_fmt *fmt)
{
	int f = plot_fmt_from_name(s);

	if (f < 0)
		return usage_error(cmd, "--plot: '%s' is not png, svg, pdf or none", s);
	*fmt = f;
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	enum plot_fmt fmt = PLOT_PNG;
	struct loaded_run *lr;
	char err[PATH_MAX + 512], plots[PATH_MAX];
	struct stat st;
	int c, ret = 1;

	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case OPT_PLOT:
			if (parse_fmt("plot", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(plot_usage, stdout);
			return 0;
		default:	/* ':' or '?' */
			return usage_error("plot", cli_opt_problem(c), argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return usage_error("plot", "%s", argc - optind ? "exactly one DIR expected" :
				   "missing DIR");
	lr = malloc(sizeof(*lr));
	if (!lr) {
		fprintf(stderr, "vmexit-bench: plot: out of memory\n");
		return 1;
	}
	if (results_dir_load(argv[optind], lr, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: plot: %s\n", err);
		free(lr);
		return EXIT_USAGE;
	}
	catalog_kinds(&lr->r);
	if (snprintf(plots, sizeof(plots), "%s/plots", argv[optind]) >= (int)sizeof(plots) ||
	    (mkdir(plots, 0755) && errno != EEXIST)) {
		fprintf(stderr, "vmexit-bench: plot: cannot create %s: %s\n", plots, strerror(errno));
		goto out;
	}
	/* A link in place of plots/ would send every file somewhere else. */
	if (lstat(plots, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "vmexit-bench: plot: %s: not a directory (a link is not followed)\n",
			plots);
		goto out;
	}
	if (plot_write_run(plots, &lr->r, &lr->e, fmt, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: plot: %s\n", err);
		goto out;
	}
	printf("%s\n", plots);
	ret = 0;
out:
	results_dir_free(lr);
	free(lr);
	return ret;
}

static int compare_options(int argc, char **argv, struct compare_opts *o,
			   struct compare_cli *cli, const char **label_args, size_t *nlabels)
{
	static const struct option opts[] = {
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "phases", no_argument, NULL, OPT_PHASES },
		{ "long", no_argument, NULL, OPT_LONG },
		{ "fail-above", required_argument, NULL, OPT_FAIL_ABOVE },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "resamples", required_argument, NULL, OPT_RESAMPLES },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long long v;
	char *end;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, ":ho:", opts)) != -1) {
		switch (c) {
		case OPT_BASELINE:
			if (!optarg[0])
				return usage_error("compare", "--baseline: '%s' is empty", optarg);
			o->baseline = optarg;
			break;
		case OPT_PHASES:
			cli->print.phases = true;
			break;
		case OPT_LONG:
			cli->print.long_form = true;
			break;
		case OPT_FAIL_ABOVE:
			errno = 0;
			cli->fail_above = strtod(optarg, &end);
			if (errno || end == optarg || *end || optarg[0] == ' ' ||
			    !(cli->fail_above >= 0 && cli->fail_above <= 1000))
				return usage_error("compare", "--fail-above: '%s' is not a percentage "
						   "0..1000", optarg);
			break;
		case OPT_UNIT:
			if (!strcmp(optarg, "ticks"))
				o->unit = COMPARE_TICKS;
			else if (!strcmp(optarg, "ns"))
				o->unit = COMPARE_NS;
			else
				return usage_error("compare", "--unit: '%s' is not ticks or ns", optarg);
			break;
		case OPT_RESAMPLES:
			if (parse_uint(optarg, 1000000, &v) || (v && v < COMPARE_MIN_RESAMPLES))
				return usage_error("compare", "--resamples: '%s' is not 0 or "
						   STR(COMPARE_MIN_RESAMPLES) "..1000000", optarg);
			o->resamples = v;
			break;
		case OPT_SEED:
			if (parse_uint(optarg, UINT64_MAX, &v))
				return usage_error("compare", "--seed: '%s' is not a number", optarg);
			o->seed = v;
			break;
		case 'o':
			cli->output = optarg;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case OPT_LABEL:
			if (!strchr(optarg, '=') || optarg[0] == '=' || !strchr(optarg, '=')[1])
				return usage_error("compare", "--label: '%s' is not NAME=DIR", optarg);
			if (*nlabels == MAX_LABELS)
				return usage_error("compare", "--label: more than %s", "64");
			label_args[(*nlabels)++] = optarg;
			break;
		case OPT_PLOT:
			if (parse_fmt("compare", optarg, &cli->fmt))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(compare_usage, stdout);
			return -1;
		default:	/* ':' or '?' */
			return usage_error("compare", cli_opt_problem(c), argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return usage_error("compare", "%s", "at least two DIRs expected");
	return 0;
}

/*
 * -o DIR: a new directory is made in a writable parent, an empty one is
 * taken; one that holds anything (an earlier comparison, a run) is refused
 * before any run is read, as a run's --output is: nothing is overwritten.
 */
static int check_compare_output(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	bool empty = true;

	if (lstat(dir, &st))
		return errno == ENOENT ? atomic_file_check(dir, err, errlen) :
		       (snprintf(err, errlen, "%s: %s", dir, strerror(errno)), -1);
	if (!S_ISDIR(st.st_mode))
		return ERR("%s: not a directory", dir);
	d = opendir(dir);
	if (!d)
		return ERR("%s: %s", dir, strerror(errno));
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	if (!empty)
		return ERR("%s exists and is not empty: will not overwrite it "
			 "(choose another --output)", dir);
	if (atomic_file_probe_dir(dir))
		return ERR("cannot write in %s: %s", dir, strerror(errno));
	return 0;
}

/* Same directory: the same string, or the same inode. */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* --label NAME=DIR: DIR must be one of the compared DIRs. */
static int map_labels(const char **args, size_t nargs, char **dirs, size_t ndirs,
		      const char **labels, char (*names)[160])
{
	for (size_t k = 0; k < nargs; k++) {
		const char *eq = strchr(args[k], '=');
		size_t i;

		for (i = 0; i < ndirs && !same_dir(eq + 1, dirs[i]); i++)
			;
		if (i == ndirs)
			return usage_error("compare", "--label: '%s' is not one of the DIRs", eq + 1);
		snprintf(names[k], sizeof(names[k]), "%.*s", (int)(eq - args[k]), args[k]);
		labels[i] = names[k];
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_opts o = { .resamples = 1000, .seed = 1, .unit = COMPARE_TICKS };
	const char *label_args[MAX_LABELS], **labels;
	char names[MAX_LABELS][160];
	struct compare_cli cli = { .fmt = PLOT_PNG, .fail_above = -1 };
	struct compare_table t;
	char err[PATH_MAX + 2048];
	size_t nlabels = 0, slower;
	int ret;

	ret = compare_options(argc, argv, &o, &cli, label_args, &nlabels);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (cli.output && check_compare_output(cli.output, err, sizeof(err)))
		return usage_error("compare", "%s", err);
	labels = calloc(argc - optind, sizeof(*labels));
	if (!labels) {
		fprintf(stderr, "vmexit-bench: compare: out of memory\n");
		return 1;
	}
	ret = map_labels(label_args, nlabels, argv + optind, argc - optind, labels, names);
	if (ret) {
		free(labels);
		return ret;
	}
	o.labels = labels;
	ret = compare_build((const char *const *)argv + optind, argc - optind, &o, &t,
			    err, sizeof(err));
	free(labels);
	if (ret != COMPARE_OK) {
		fprintf(stderr, "vmexit-bench: compare: %s\n", err);
		compare_free(&t);
		return ret;
	}
	for (size_t i = 0; i < t.nruns; i++)
		catalog_kinds(&t.runs[i]->r);
	for (size_t w = 0; w < t.nwarnings; w++)
		fprintf(stderr, "vmexit-bench: compare: warning: %s\n", t.warning[w]);
	compare_print_with(&t, &cli.print, stdout);
	if (cli.output && compare_write(cli.output, &t, cli.fmt, err, sizeof(err))) {
		fprintf(stderr, "vmexit-bench: compare: %s\n", err);
		ret = 1;
	}
	/* The gate comes last: the table and files are there to read when it fails. */
	if (!ret && cli.fail_above >= 0) {
		fflush(stdout);
		slower = compare_regressions(&t, cli.fail_above, NULL);
		if (slower) {
			fprintf(stderr, "vmexit-bench: compare: %zu row%s significantly slower than "
				"run %zu (%s) by more than %g%%:\n", slower, slower == 1 ? "" : "s",
				t.base + 1, t.label[t.base], cli.fail_above);
			compare_regressions(&t, cli.fail_above, stderr);
			ret = COMPARE_REGRESSION;
		}
	}
	compare_free(&t);
	return ret;
}
