/* SPDX-License-Identifier: MIT */
/* vmexit-bench: what a VM exit costs, per exit type, on this CPU. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_lane.h"
#include "cmd_list.h"
#include "cmd_results.h"
#include "cmd_run.h"
#include "cmd_vmx.h"
#include "suite.h"

#ifndef VMEXIT_VERSION
#define VMEXIT_VERSION "unknown"
#endif

/*
 * The first SIGINT/SIGTERM lets the benchmark being measured finish and
 * the run write what it has; a second one ends the process at once.
 */
static void on_stop_signal(int sig)
{
	static const char msg[] = "\nvmexit-bench: stopping after the current benchmark and "
				  "writing what was measured (again to quit at once)\n";
	int saved = errno;
	ssize_t n;

	if (suite_stop) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	suite_stop = sig;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;	/* nothing to do about a failed write in a signal handler */
	errno = saved;
}

static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "vmexit-bench: %s\n", msg);
	return 2;
}

/* `vmexit-bench [run|list|help] ...`: the options cli_parse() knows. */
static int cmd_measure(int argc, char **argv)
{
	struct options o;
	char err[512];

	if (cli_parse(argc, argv, &o, err, sizeof(err)))
		return usage_error(err);
	switch (o.cmd) {
	case CMD_HELP:
		fputs(cli_usage, stdout);
		return 0;
	case CMD_VERSION:
		printf("vmexit-bench %s\n", VMEXIT_VERSION);
		return 0;
	case CMD_LIST:
		return cmd_list(&o);
	case CMD_RUN:
	default:
		return cmd_run(&o, argc, argv, catch_stop_signals);
	}
}

/*
 * The subcommands with options of their own, each given its argv from its
 * name on; anything else (run, list, help, options, benchmark names) is
 * the measuring command's.
 */
static const struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "env", cmd_env },
	{ "plot", cmd_plot },
	{ "compare", cmd_compare },
	{ "vmx", cmd_vmx },
	{ "lane", cmd_lane },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(argc - 1, argv + 1);
	return cmd_measure(argc, argv);
}
