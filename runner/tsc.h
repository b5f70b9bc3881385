/* SPDX-License-Identifier: MIT */
/* Host TSC stamps, fenced the same way as the guest's. */
#ifndef VMEXIT_TSC_H
#define VMEXIT_TSC_H

#include <stdint.h>

static inline uint64_t tsc_read_start(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_read_end(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi) : : "rcx", "memory");
	return ((uint64_t)hi << 32) | lo;
}

#endif
