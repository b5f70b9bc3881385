/* SPDX-License-Identifier: MIT */
/* Host threads beside the vCPU thread: which CPU they get, pinned from the start. */
#ifndef VMEXIT_HOSTCPU_H
#define VMEXIT_HOSTCPU_H

#include <pthread.h>

/* The first online CPU other than the caller's (the vCPU's); the caller's if none. */
int hostcpu_other(void);
/* Starts @fn(@arg) on a thread pinned to @cpu from its first instruction: 0 or -1. */
int hostcpu_thread(pthread_t *t, int cpu, void *(*fn)(void *), void *arg);

#endif
