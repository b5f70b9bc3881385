/* SPDX-License-Identifier: MIT */
/*
 * Fenced TSC stamps, one definition for the guest payloads and the host
 * (as control.h is for their shared layout): a host stamp and a guest
 * stamp of the same interval are taken the same way.
 */
#ifndef VMEXIT_TSC_STAMP_H
#define VMEXIT_TSC_STAMP_H

#include <stdint.h>

/* Start stamp: LFENCE keeps earlier work from leaking into the interval. */
static inline uint64_t stamp_begin(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* End stamp: RDTSCP waits for the timed instruction to retire. */
static inline uint64_t stamp_end_rdtscp(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi) : : "rcx", "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* End stamp where RDTSCP is not available (e.g. emulated CPL0). */
static inline uint64_t stamp_end_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#endif
