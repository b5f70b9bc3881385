/* SPDX-License-Identifier: MIT */
/*
 * Not a test: how long from nothing to the guest's first instruction. Times
 * vm_create_flavour() and the first run of a one-iteration NOP payload (its
 * ucall is the guest's first exit) with CLOCK_MONOTONIC, for the default
 * sample buffer, on the plain and the irqchip VM.
 *
 *   startup_time [ROUNDS]    (default 20) prints min and median in ms
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "run.h"
#include "vm.h"

#define DEFAULT_SAMPLES 11000	/* --iterations 10000 + --warmup 1000 */

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int measure(unsigned flags, int rounds, double *create, double *first)
{
	struct run_req req = {
		.payload = PAYLOAD_NOP, .cpl = 3, .iterations = 1, .timeout_s = 2,
	};
	struct run_res res;
	char err[256];

	for (int i = 0; i < rounds; i++) {
		struct vm vm;
		double t0 = now_ms(), t1, t2;

		if (vm_create_flavour(&vm, DEFAULT_SAMPLES * sizeof(struct sample), flags, err,
				      sizeof(err))) {
			fprintf(stderr, "startup_time: %s\n", err);
			return -1;
		}
		t1 = now_ms();
		if (run_payload(&vm, &req, &res)) {
			fprintf(stderr, "startup_time: %s\n", res.err);
			vm_destroy(&vm);
			return -1;
		}
		t2 = now_ms();
		vm_destroy(&vm);
		create[i] = t1 - t0;
		first[i] = t2 - t0;
	}
	qsort(create, rounds, sizeof(*create), cmp);
	qsort(first, rounds, sizeof(*first), cmp);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	double *create, *first;
	char err[256];

	if (rounds < 1 || rounds > 10000) {
		fprintf(stderr, "startup_time: ROUNDS must be 1..10000\n");
		return 2;
	}
	create = calloc(rounds, sizeof(*create));
	first = calloc(rounds, sizeof(*first));
	if (!create || !first || run_init(err, sizeof(err))) {
		fprintf(stderr, "startup_time: cannot start\n");
		return 1;
	}
	for (int irq = 0; irq <= 1; irq++) {
		if (measure(irq ? VM_IRQCHIP : 0, rounds, create, first))
			return 1;
		printf("%-8s VM: create min %.2f ms median %.2f ms; to the first guest exit "
		       "min %.2f ms median %.2f ms (%d rounds)\n", irq ? "irqchip" : "plain",
		       create[0], create[rounds / 2], first[0], first[rounds / 2], rounds);
	}
	free(create);
	free(first);
	return 0;
}
