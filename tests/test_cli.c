/* SPDX-License-Identifier: MIT */
/* Argument parsing and benchmark selection. */
#include "check_main.h"
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include <linux/kvm.h>
#include <stdlib.h>

#include "caps_spec.h"
#include "catalog.h"
#include "check_kind.h"
#include "cli.h"
#include "run.h"

static struct options o;
static char err[256];

#define PARSE(...)								\
	({									\
		char *argv[] = { "vmexit-bench", __VA_ARGS__, NULL };		\
		cli_parse(sizeof(argv) / sizeof(argv[0]) - 1, argv, &o, err,	\
			  sizeof(err));						\
	})

/* A benchmark's position in the catalog (and in a selection). */
static size_t index_of(const char *name)
{
	for (size_t i = 0; i < catalog_size(); i++)
		if (catalog_row(i) == catalog_find(name))
			return i;
	ck_abort_msg("no benchmark %s", name);
	return 0;
}

START_TEST(defaults)
{
	char *argv[] = { "vmexit-bench", NULL };

	ck_assert_int_eq(cli_parse(1, argv, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(o.cmd, CMD_RUN);
	ck_assert_uint_eq(o.iterations, DEFAULT_ITERATIONS);
	ck_assert_uint_eq(o.warmup, DEFAULT_WARMUP);
	ck_assert_int_eq(o.cpu, -1);
	ck_assert_int_eq(o.cpl, CPL_AUTO);
	ck_assert_ptr_null(o.csv);
	ck_assert_int_eq(o.npatterns, 0);
}
END_TEST

START_TEST(runs_help_and_markdown)
{
	const char *nt, *vmx;

	ck_assert_int_eq(PARSE("cpuid"), 0);
	ck_assert_uint_eq(o.runs, DEFAULT_RUNS);
	ck_assert_int_eq(PARSE("cpuid", "--runs", "3", "--export-markdown", "t.md"), 0);
	ck_assert_uint_eq(o.runs, 3);
	ck_assert_str_eq(o.markdown, "t.md");
	ck_assert_int_eq(PARSE("-r", "1"), 0);
	ck_assert_uint_eq(o.runs, 1);
	ck_assert_int_eq(PARSE("--runs", "0"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--runs"));
	ck_assert_int_eq(PARSE("--runs", "many"), -1);
	/* --parallel: 1 is one vCPU; 2 to 8 at once, at CPL0 only. */
	ck_assert_int_eq(PARSE("cpuid"), 0);
	ck_assert_uint_eq(o.parallel, 0);
	ck_assert_int_eq(PARSE("cpuid", "--parallel", "2"), 0);
	ck_assert_uint_eq(o.parallel, 2);
	ck_assert_int_eq(PARSE("--parallel", "8", "--cpl", "0"), 0);
	ck_assert_int_eq(PARSE("--parallel", "1", "--cpl", "3"), 0);
	ck_assert_int_eq(PARSE("--parallel", "0"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--parallel"));
	ck_assert_int_eq(PARSE("--parallel", "9"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--parallel"));
	ck_assert_int_eq(PARSE("--parallel", "2", "--cpl", "3"), -1);
	ck_assert_msg(strstr(err, "CPL0"), "%s", err);
	ck_assert_int_eq(PARSE("--export-markdown", ""), -1);
	/* 'help' is a command, not a benchmark called help. */
	ck_assert_int_eq(PARSE("help"), 0);
	ck_assert_int_eq(o.cmd, CMD_HELP);
	ck_assert_int_eq(PARSE("list", "--json"), 0);
	ck_assert_int_eq(o.cmd, CMD_LIST);
	ck_assert(o.json);
	ck_assert_int_eq(PARSE("cpuid", "--json"), -1);
	/* vmx is in the synopsis; "handled in the kernel" belongs to --no-trace. */
	vmx = strstr(cli_usage, "vmexit-bench vmx");
	ck_assert_ptr_nonnull(vmx);
	ck_assert_ptr_nonnull(strstr(cli_usage, "vmexit-bench help"));
	nt = strstr(cli_usage, "--no-trace");
	ck_assert_ptr_nonnull(nt);
	nt = strchr(nt, '\n') + 1;
	ck_assert_msg(!strncmp(nt, "                       handled in the kernel\n", 45), "%.60s", nt);
	ck_assert_ptr_eq(strstr(cli_usage, "handled in the kernel"),
			 strstr(nt, "handled in the kernel"));
	/* Every line fits 80 columns. */
	for (const char *l = cli_usage; *l; l = strchr(l, '\n') + 1)
		ck_assert_msg(strcspn(l, "\n") <= 80, "%.90s", l);
}
END_TEST

START_TEST(full_command_line)
{
	ck_assert_int_eq(PARSE("run", "cpuid", "pio_*", "--iterations", "20000", "-w", "5",
			       "--cpu", "1", "--cpl", "3", "--csv", "out.csv", "--quiet",
			       "--timeout", "0.5"), 0);
	ck_assert_int_eq(o.cmd, CMD_RUN);
	ck_assert_uint_eq(o.iterations, 20000);
	ck_assert_uint_eq(o.warmup, 5);
	ck_assert_int_eq(o.cpu, 1);
	ck_assert_int_eq(o.cpl, CPL_3);
	ck_assert_str_eq(o.csv, "out.csv");
	ck_assert(o.quiet);
	ck_assert_double_eq(o.timeout_s, 0.5);
	ck_assert_int_eq(o.npatterns, 2);
	ck_assert_str_eq(o.patterns[0], "cpuid");
	ck_assert_str_eq(o.patterns[1], "pio_*");
}
END_TEST

START_TEST(options_after_names_and_equals)
{
	ck_assert_int_eq(PARSE("cpuid", "--iterations=7", "--cpl=auto"), 0);
	ck_assert_uint_eq(o.iterations, 7);
	ck_assert_int_eq(o.npatterns, 1);
}
END_TEST

/*
 * cli_getopt(), which every command parses with: options anywhere, also
 * under POSIXLY_CORRECT; "--" ends them; the positional arguments come
 * last in argv, in their order, from optind on.
 */
START_TEST(getopt_conventions_of_every_command)
{
	char *argv[] = { "vmexit-bench", "run", "b1", "-n", "5", "b2", "--", "-q", "b3", NULL };
	static const struct option opts[] = { { "quiet", no_argument, NULL, 'q' }, { 0 } };
	const char *want[] = { "run", "b1", "b2", "-q", "b3" };
	int c, n = 0;

	ck_assert_int_eq(PARSE("run", "cpuid", "-n", "5", "nop", "--", "-q"), 0);
	ck_assert_uint_eq(o.iterations, 5);
	ck_assert(!o.quiet);
	ck_assert_int_eq(o.npatterns, 3);
	ck_assert_str_eq(o.patterns[0], "cpuid");
	ck_assert_str_eq(o.patterns[1], "nop");
	ck_assert_str_eq(o.patterns[2], "-q");
	setenv("POSIXLY_CORRECT", "1", 1);
	ck_assert_int_eq(PARSE("cpuid", "--runs", "3", "nop", "-q"), 0);
	ck_assert_uint_eq(o.runs, 3);
	ck_assert(o.quiet);
	ck_assert_int_eq(o.npatterns, 2);
	optind = 0;
	while ((c = cli_getopt(9, argv, ":n:q", opts)) != -1)
		ck_assert_int_eq(c, 'n');
	unsetenv("POSIXLY_CORRECT");
	ck_assert_int_eq(optind, 9 - 5);
	for (int i = optind; i < 9; i++)
		ck_assert_str_eq(argv[i], want[n++]);
	ck_assert_str_eq(argv[1], "-n");
	ck_assert_str_eq(argv[2], "5");
	ck_assert_str_eq(argv[3], "--");
}
END_TEST

START_TEST(list_help_version)
{
	ck_assert_int_eq(PARSE("list"), 0);
	ck_assert_int_eq(o.cmd, CMD_LIST);
	ck_assert_int_eq(PARSE("--help"), 0);
	ck_assert_int_eq(o.cmd, CMD_HELP);
	ck_assert_int_eq(PARSE("-V"), 0);
	ck_assert_int_eq(o.cmd, CMD_VERSION);
	ck_assert_int_eq(PARSE("list", "extra"), -1);
	ck_assert_ptr_nonnull(strstr(err, "extra"));
}
END_TEST

START_TEST(bad_numbers)
{
	const char *bad[] = { "0", "-5", "abc", "12x", "", "99999999999999999999999", "+3",
			      " 7", "\t7", "7 " };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(PARSE("--iterations", (char *)bad[i]), -1);
		ck_assert_ptr_nonnull(strstr(err, "--iterations"));
		ck_assert_ptr_null(strchr(err, '\n'));
	}
	ck_assert_int_eq(PARSE("--cpu", "-1"), -1);
	ck_assert_int_eq(PARSE("--warmup", "1.5"), -1);
	ck_assert_int_eq(PARSE("--timeout", "0"), -1);
	ck_assert_int_eq(PARSE("--timeout", "nan"), -1);
	ck_assert_int_eq(PARSE("--timeout", " 5"), -1);
	ck_assert_int_eq(PARSE("--timeout", "0x10"), -1);
	ck_assert_int_eq(PARSE("--timeout", "1.5"), 0);
	ck_assert_int_eq(PARSE("--warmup", "0"), 0);	/* no warm-up is allowed */
}
END_TEST

START_TEST(bad_options)
{
	ck_assert_int_eq(PARSE("--cpl", "1"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--cpl"));
	ck_assert_int_eq(PARSE("--frobnicate"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
	ck_assert_int_eq(PARSE("--csv"), -1);
	ck_assert_ptr_nonnull(strstr(err, "needs a value"));
	ck_assert_int_eq(PARSE("--csv", ""), -1);
}
END_TEST

START_TEST(select_globs)
{
	bool sel[128];
	size_t n = 0;

	ck_assert_int_eq(PARSE("pio_*", "cpuid"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	for (size_t i = 0; i < catalog_size(); i++) {
		const char *name = catalog_row(i)->name;
		bool want = strncmp(name, "pio_", 4) == 0 || strcmp(name, "cpuid") == 0;

		ck_assert_int_eq(sel[i], want);
		n += sel[i];
	}
	ck_assert_uint_ge(n, 3);
}
END_TEST

START_TEST(select_all_and_unknown)
{
	bool sel[128];

	ck_assert_int_eq(PARSE("--quiet"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	for (size_t i = 0; i < catalog_size(); i++)
		ck_assert_int_eq(sel[i], !(catalog_row(i)->needs & (HIDDEN | NEED_OPT_IN)));
	/* Opt-in benchmarks join the default set only with --allow-dangerous. */
	ck_assert_int_eq(PARSE("--allow-dangerous"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	for (size_t i = 0; i < catalog_size(); i++)
		ck_assert_int_eq(sel[i], !(catalog_row(i)->needs & HIDDEN));
	/* Self-tests only by exact name, never by glob. */
	ck_assert_int_eq(PARSE("_*"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), -1);
	ck_assert_int_eq(PARSE("_hang"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	ck_assert_int_eq(PARSE("cpuid", "nosuch*"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nosuch*"));
}
END_TEST

/* Which rows can run on several vCPUs at once, and io_latency_out under Bochs on one CPU. */
START_TEST(parallel_and_single_cpu_verdicts)
{
	struct host_caps caps = { .kvm = true, .stats_fd = true, .irqchip = true };
	const struct bench_def *out = catalog_find("io_latency_out");

	ck_assert_ptr_null(catalog_parallel_why(catalog_find("cpuid")));
	ck_assert_ptr_null(catalog_parallel_why(catalog_find("pio_out_user")));
	ck_assert_ptr_null(catalog_parallel_why(catalog_find("ept_fault_in")));
	ck_assert_ptr_nonnull(catalog_parallel_why(catalog_find("ept_write_protect")));
	ck_assert_ptr_nonnull(catalog_parallel_why(catalog_find("x2apic_self_ipi")));
	ck_assert_ptr_nonnull(catalog_parallel_why(catalog_find("ipi")));
	ck_assert_ptr_nonnull(catalog_parallel_why(catalog_find("vmread")));
	ck_assert_ptr_nonnull(catalog_parallel_why(catalog_find("io_latency_out")));
	for (size_t i = 0; i < catalog_size(); i++) {
		const char *why = catalog_parallel_why(catalog_row(i));

		ck_assert(!why || strncmp(why, "not with --parallel: ", 21) == 0);
	}
	ck_assert_ptr_nonnull(out->unsupported);
	caps.host_cpus = 1;
	ck_assert_ptr_null(out->unsupported(&caps));
	caps.bochs = true;
	ck_assert_ptr_nonnull(out->unsupported(&caps));
	caps.host_cpus = 2;
	ck_assert_ptr_null(out->unsupported(&caps));
	/* The IPI rows need vCPU 1 on another host CPU, on any host. */
	caps.bochs = false;
	caps.host_cpus = 1;
	ck_assert_ptr_nonnull(strstr(catalog_find("ipi")->unsupported(&caps), "another host CPU"));
	ck_assert_ptr_nonnull(catalog_find("xapic_ipi_halt")->unsupported(&caps));
	caps.host_cpus = 2;
	ck_assert_ptr_null(catalog_find("ipi")->unsupported(&caps));
}
END_TEST

START_TEST(catalog_is_consistent)
{
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		ck_assert_ptr_eq(catalog_find(b->name), b);	/* names are unique */
		ck_assert_int_gt(b->payload, 0);
		ck_assert_int_lt(b->payload, PAYLOAD_MAX);
		ck_assert_ptr_nonnull(b->description);
		ck_assert_ptr_nonnull(b->exit_reason);
	}
	/* The names the command line promises. */
	const char *names[] = { "nop", "cpuid", "pio_out_user", "pio_in_user",
				"mmio_write_user", "mmio_read_user", "hlt_user", "vmcall",
				"rdmsr_kernel", "wrmsr_kernel" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_ptr_nonnull(catalog_find(names[i]));
}
END_TEST

/*
 * Every check kind has its row, and what a row says the run loop counts is
 * what it counts: a kind added to the enum without a row, or with an exit
 * the loop never counts, fails here rather than in a run.
 */
START_TEST(every_check_kind_has_its_row)
{
	struct run_res res = { .bench_io = 1, .bench_mmio = 2, .hlt = 3, .msr_rd = 4,
			       .msr_wr = 5 };

	for (unsigned c = 0; c < CHECK_COUNT; c++) {
		const struct check_kind *k = check_kind((enum exit_check)c);
		uint64_t n = 0;

		ck_assert_ptr_nonnull(k->name);
		ck_assert_ptr_nonnull(k->verify);
		if (!k->kvm_exit) {
			ck_assert_msg(!k->exit_name && !k->msr_filter, "%s", k->name);
			continue;
		}
		ck_assert_msg(k->exit_name && !strncmp(k->exit_name, "KVM_EXIT_", 9), "%s",
			      k->name);
		ck_assert_msg(run_bench_count(&res, k->kvm_exit, &n) == 0 && n, "%s", k->name);
		/* The run loop answers only the MSR filter's exits by name (run_req.bench_exit). */
		ck_assert_int_eq(k->msr_filter, k->kvm_exit == KVM_EXIT_X86_RDMSR ||
						k->kvm_exit == KVM_EXIT_X86_WRMSR);
		/* A pre-flight run would have to install the filter again. */
		ck_assert_msg(!(k->preflight && k->msr_filter), "%s", k->name);
	}
	ck_assert_int_eq(run_bench_count(&res, KVM_EXIT_SHUTDOWN, &(uint64_t){ 0 }), -1);
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);
		const struct check_kind *k = check_kind(b->check);

		ck_assert_uint_eq(catalog_bench_exit(b), k->msr_filter ? k->kvm_exit : 0);
		ck_assert_int_eq(catalog_filters_msr(b), k->msr_filter);
	}
	ck_assert_uint_eq(catalog_bench_exit(catalog_find("wrmsr_user")), KVM_EXIT_X86_WRMSR);
	ck_assert_uint_eq(catalog_bench_exit(catalog_find("pio_out_user")), 0);
}
END_TEST

/* A kind with no row stops the program where it is looked up, never proves anything. */
START_TEST(a_kind_without_a_row_stops)
{
	check_kind(CHECK_COUNT);
}
END_TEST

/*
 * One field says what a row's interval is; its kind, its floor share and
 * whether it holds several exits follow, and .latency names what it holds
 * exactly where it holds several.
 */
START_TEST(intervals_decide_kind_and_floor_share)
{
	const struct {
		const char *name;
		enum interval interval;
		enum bench_kind kind;
		double share;
	} pins[] = {
		{ "nop", INTERVAL_FLOOR, BENCH_KIND_FLOOR, 1 },
		{ "cpuid", INTERVAL_EXIT, BENCH_KIND_EXIT, 1 },
		{ "pause_loop", INTERVAL_BURST, BENCH_KIND_LATENCY, 1 },
		{ "rep_outsb_64", INTERVAL_LATENCY, BENCH_KIND_LATENCY, 1 },
		{ "xapic_self_ipi", INTERVAL_EXIT, BENCH_KIND_EXIT, 1 },
		{ "self_ipi_sti_nop", INTERVAL_LATENCY, BENCH_KIND_LATENCY, 1 },
		{ "hlt_wakeup", INTERVAL_ONE_STAMP, BENCH_KIND_LATENCY, 0.5 },
		{ "io_latency_out", INTERVAL_MIXED_CLOCKS, BENCH_KIND_LATENCY, 0.5 },
		{ "ipi", INTERVAL_EXIT, BENCH_KIND_EXIT, 1 },
		{ "ipi_delivery", INTERVAL_MIXED_CLOCKS, BENCH_KIND_LATENCY, 0.5 },
		{ "vcpu_switch", INTERVAL_HALVED, BENCH_KIND_LATENCY, 0.5 },
	};

	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
		const struct bench_def *b = catalog_find(pins[i].name);

		ck_assert_msg(b, "%s missing", pins[i].name);
		ck_assert_int_eq(b->interval, pins[i].interval);
		ck_assert_int_eq(catalog_kind(b), pins[i].kind);
		ck_assert_double_eq(catalog_floor_share(b), pins[i].share);
	}
	/* Only a row that times one exit is an exit cost. */
	for (int v = 0; v < INTERVAL_COUNT; v++) {
		struct bench_def d = { .interval = (enum interval)v };

		ck_assert_int_eq(catalog_kind(&d) == BENCH_KIND_EXIT, v == INTERVAL_EXIT);
	}
	for (size_t i = 0; i < catalog_size(); i++) {
		const struct bench_def *b = catalog_row(i);

		ck_assert_int_lt(b->interval, INTERVAL_COUNT);
		ck_assert_msg(!b->latency == !catalog_holds_several(b), "%s", b->name);
	}
	ck_assert_int_eq(catalog_floor()->interval, INTERVAL_FLOOR);
}
END_TEST

/*
 * Today's 4-byte rows answer to their width names too (issue's interface),
 * by exact name and by glob; the names stay the rows' own.
 */
START_TEST(width_aliases_select_todays_rows)
{
	const char *alias[][2] = { { "pio_out_user_4", "pio_out_user" },
				   { "pio_in_user_4", "pio_in_user" },
				   { "mmio_write_user_4", "mmio_write_user" } };
	bool sel[128];
	size_t n = 0;

	for (size_t a = 0; a < sizeof(alias) / sizeof(alias[0]); a++) {
		const struct bench_def *b = catalog_find(alias[a][0]);

		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(b->name, alias[a][1]);
		ck_assert_uint_eq(b->width, 4);
	}
	ck_assert_int_eq(PARSE("pio_out_user_4"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	for (size_t i = 0; i < catalog_size(); i++)
		n += sel[i];
	ck_assert_uint_eq(n, 1);
	ck_assert(sel[index_of("pio_out_user")]);
	/* Every width row of the family, the aliased one included. */
	ck_assert_int_eq(PARSE("mmio_write_user_?"), 0);
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	n = 0;
	for (size_t i = 0; i < catalog_size(); i++)
		n += sel[i];
	ck_assert_uint_eq(n, 4);
	ck_assert(sel[index_of("mmio_write_user")] && sel[index_of("mmio_write_user_8")]);
}
END_TEST

/* --preset paper selects exactly its seven benchmarks; bad uses are refused. */
START_TEST(preset_selects_its_rows)
{
	bool sel[128];
	size_t n = 0;

	ck_assert_int_eq(PARSE("--preset", "paper"), 0);
	ck_assert_str_eq(o.preset, "paper");
	ck_assert_int_eq(o.npatterns, 7);
	ck_assert_str_eq(o.patterns[1], "apic_mmio_read");
	ck_assert_int_eq(cli_select(&o, sel, err, sizeof(err)), 0);
	for (size_t i = 0; i < catalog_size(); i++)
		n += sel[i];
	ck_assert_uint_eq(n, 7);
	ck_assert(sel[index_of("vcpu_switch")]);
	ck_assert(!sel[index_of("cpuid")]);
	ck_assert_int_eq(PARSE("--preset", "nosuch"), -1);
	ck_assert_msg(strstr(err, "unknown preset 'nosuch' (presets: paper)"), "%s", err);
	ck_assert_int_eq(PARSE("cpuid", "--preset", "paper"), -1);
	ck_assert_msg(strstr(err, "give no benchmark names"), "%s", err);
}
END_TEST

/* Which CPUID bits let the guest write IA32_SPEC_CTRL and IA32_PRED_CMD. */
START_TEST(spec_caps_from_cpuid)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 2 * sizeof(struct kvm_cpuid_entry2));
	struct host_caps caps = { 0 };

	ck_assert_ptr_nonnull(c);
	c->nent = 2;
	c->entries[0].function = 7;
	c->entries[1].function = 0x80000008;
	caps_spec_from_cpuid(&caps, c);
	ck_assert(!caps.spec_ctrl && !caps.pred_cmd);
	c->entries[1].ebx = 1u << 12;			/* AMD_IBPB only */
	caps_spec_from_cpuid(&caps, c);
	ck_assert(!caps.spec_ctrl && caps.pred_cmd);
	c->entries[1].ebx = 1u << 14;			/* AMD_IBRS only */
	caps_spec_from_cpuid(&caps, c);
	ck_assert(caps.spec_ctrl && !caps.pred_cmd);
	c->entries[1].ebx = 0;
	c->entries[0].edx = 1u << 26;			/* Intel SPEC_CTRL: both */
	caps_spec_from_cpuid(&caps, c);
	ck_assert(caps.spec_ctrl && caps.pred_cmd);
	c->entries[0].index = 1;			/* a subleaf other than 0 does not count */
	caps_spec_from_cpuid(&caps, c);
	ck_assert(!caps.spec_ctrl && !caps.pred_cmd);
	free(c);
	/* Without the bits the rows say why. */
	ck_assert_ptr_nonnull(strstr(catalog_find("wrmsr_spec_ctrl")->unsupported(&caps), "AMD_IBRS"));
	ck_assert_ptr_nonnull(strstr(catalog_find("wrmsr_pred_cmd")->unsupported(&caps), "AMD_IBPB"));
	caps.spec_ctrl = caps.pred_cmd = caps.stats_fd = true;
	ck_assert_ptr_null(catalog_find("wrmsr_spec_ctrl")->unsupported(&caps));
	ck_assert_ptr_null(catalog_find("wrmsr_pred_cmd")->unsupported(&caps));
}
END_TEST

#define PARSE_LANE(...)							\
	({									\
		char *argv[] = { "lane", __VA_ARGS__, NULL };			\
		cli_parse_lane(sizeof(argv) / sizeof(argv[0]) - 1, argv, &o, err, \
			       sizeof(err));					\
	})

START_TEST(backend_and_lane_options)
{
	ck_assert_int_eq(PARSE("cpuid"), 0);
	ck_assert_int_eq(o.backend, BACKEND_AUTO);
	ck_assert(!o.iterations_given && !o.warmup_given && !o.runs_given);
	ck_assert_int_eq(PARSE("--backend", "lane-intel", "-n", "5", "--cache", "/c"), 0);
	ck_assert_int_eq(o.backend, BACKEND_LANE_INTEL);
	ck_assert(o.iterations_given);
	ck_assert_str_eq(o.cache, "/c");
	ck_assert_str_eq(cli_backend_name(o.backend), "lane-intel");
	ck_assert_int_eq(PARSE("--backend", "auto"), -1);
	ck_assert_ptr_nonnull(strstr(err, "kvm, lane-amd or lane-intel"));
	ck_assert_int_eq(PARSE("--backend", "kvm", "--cache", "/c"), -1);
	/* The lane's options are the lane's only. */
	ck_assert_int_eq(PARSE("--vendor", "amd"), -1);
	/* lane: the run's options anywhere among the names; --timeout is the guest's bound. */
	ck_assert_int_eq(PARSE_LANE("cpuid", "--vendor", "amd", "--output", "d", "pio_*",
				    "--runs", "2", "--timeout", "60", "--kvm-param", "npt=0"), 0);
	ck_assert_str_eq(o.vendor, "amd");
	ck_assert_str_eq(o.output, "d");
	ck_assert_int_eq(o.npatterns, 2);
	ck_assert_str_eq(o.patterns[1], "pio_*");
	ck_assert_uint_eq(o.runs, 2);
	ck_assert_uint_eq(o.lane_timeout, 60);
	ck_assert(!o.timeout_given);
	ck_assert_str_eq(o.kvm_params, "npt=0");
	ck_assert_int_eq(PARSE_LANE("cpuid"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--vendor"));
	ck_assert_int_eq(PARSE_LANE("--vendor", "arm"), -1);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--backend", "kvm"), -1);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--timeout", "0.5"), -1);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--kernel", "k"), -1);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--preset", "paper"), 0);
	ck_assert_int_gt(o.npatterns, 0);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--parallel", "2", "cpuid"), 0);
	ck_assert_uint_eq(o.parallel, 2);
	ck_assert_int_eq(PARSE_LANE("--vendor", "amd", "--parallel", "2", "--cpl", "3"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, runs_help_and_markdown);
	tcase_add_test(tc, full_command_line);
	tcase_add_test(tc, options_after_names_and_equals);
	tcase_add_test(tc, getopt_conventions_of_every_command);
	tcase_add_test(tc, list_help_version);
	tcase_add_test(tc, bad_numbers);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, select_globs);
	tcase_add_test(tc, select_all_and_unknown);
	tcase_add_test(tc, width_aliases_select_todays_rows);
	tcase_add_test(tc, catalog_is_consistent);
	tcase_add_test(tc, every_check_kind_has_its_row);
	tcase_add_test_raise_signal(tc, a_kind_without_a_row_stops, SIGABRT);
	tcase_add_test(tc, intervals_decide_kind_and_floor_share);
	tcase_add_test(tc, parallel_and_single_cpu_verdicts);
	tcase_add_test(tc, spec_caps_from_cpuid);
	tcase_add_test(tc, preset_selects_its_rows);
	tcase_add_test(tc, backend_and_lane_options);
	suite_add_tcase(s, tc);
	return check_run(s, false);
}
