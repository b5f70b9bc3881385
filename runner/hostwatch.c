/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "hostwatch.h"

static atomic_int armed;
atomic_ullong hostwatch_kicks;		/* progress: the thread notices it moved */
static atomic_llong last_kick_ms;
static double bound_ms;
static char what_buf[2][160];
static atomic_int what_idx;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int start_err;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watch(void *arg)
{
	unsigned long long seen = 0;

	(void)arg;
	/*
	 * A file table of its own, holding stderr only. While another thread
	 * shares the process's table, the kernel takes a reference on the
	 * vCPU's file at every KVM_RUN (a table used by one thread is read
	 * without): 38 instructions more per exit to userspace, measured on
	 * Bochs (docs/method.md). Holding nothing else, it keeps no VM alive.
	 */
	if (!unshare(CLONE_FILES))
		close_range(3, ~0U, 0);
	for (;;) {
		unsigned long long k;
		long long idle;
		char msg[320];
		int n;

		usleep(200000);
		if (!atomic_load(&armed))
			continue;
		k = atomic_load_explicit(&hostwatch_kicks, memory_order_relaxed);
		if (k != seen) {
			seen = k;
			atomic_store(&last_kick_ms, now_ms());
			continue;
		}
		idle = now_ms() - atomic_load(&last_kick_ms);
		if (idle < bound_ms)
			continue;
		/* write(2) only: the main thread may hold stdio's locks. */
		n = snprintf(msg, sizeof(msg), "vmexit-bench: the host side hung for %.0f s in %s "
			     "(the call into the kernel did not return); giving up\n",
			     (double)idle / 1000, what_buf[atomic_load(&what_idx)]);
		if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
			n = 0;
		_exit(1);
	}
	return NULL;
}

static void start_once(void)
{
	pthread_t t;
	pthread_attr_t a;

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	start_err = pthread_create(&t, &a, watch, NULL);
	pthread_attr_destroy(&a);
}

int hostwatch_start(double bound_s)
{
	bound_ms = bound_s * 1000;
	pthread_once(&once, start_once);
	return start_err ? -1 : 0;
}

void hostwatch_arm(const char *what)
{
	/* The thread reads the other buffer while this one is written. */
	int next = !atomic_load(&what_idx);

	snprintf(what_buf[next], sizeof(what_buf[next]), "%s", what);
	atomic_store(&what_idx, next);
	atomic_store(&last_kick_ms, now_ms());
	atomic_store(&armed, 1);
}

void hostwatch_disarm(void)
{
	atomic_store(&armed, 0);
}
