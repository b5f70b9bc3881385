/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>

#include "hostcpu.h"

int hostcpu_other(void)
{
	int self = sched_getcpu();
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	for (int c = 0; c < n && c < CPU_SETSIZE; c++)
		if (c != self)
			return c;
	return self;
}

int hostcpu_thread(pthread_t *t, int cpu, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int r;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_attr_init(&attr))
		return -1;
	r = pthread_attr_setaffinity_np(&attr, sizeof(set), &set) ||
	    pthread_create(t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return r ? -1 : 0;
}
