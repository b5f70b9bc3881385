/* SPDX-License-Identifier: MIT */
/* Guest-side helpers: port I/O, the ucall to the host (TSC stamps: tsc_stamp.h). */
#ifndef VMEXIT_GUEST_H
#define VMEXIT_GUEST_H

#include <stdint.h>
#include "control.h"
#include "tsc_stamp.h"

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void ucall(enum ucall what)
{
	outl(UCALL_PORT, what);
}

/*
 * One timed loop: every iteration's stamps are stored; the host drops the
 * warm-up. SETUP runs outside the interval, BODY is the one exiting
 * instruction. Two copies so the stamp choice is not a branch in the loop.
 */
#define __TIMED_LOOP(ctl, END, SETUP, BODY)					\
	do {									\
		struct sample *__s = (struct sample *)(uintptr_t)(ctl)->samples_gpa; \
		uint64_t __n = (ctl)->iterations;				\
		for (uint64_t __i = 0; __i < __n; __i++) {			\
			SETUP;							\
			uint64_t __t0 = stamp_begin();				\
			BODY;							\
			uint64_t __t1 = END();					\
			__s[__i].before = __t0;					\
			__s[__i].after = __t1;					\
			(ctl)->completed = __i + 1;				\
		}								\
	} while (0)

#define TIMED_LOOP(ctl, SETUP, BODY)						\
	do {									\
		if ((ctl)->flags & CTL_F_RDTSCP)				\
			__TIMED_LOOP(ctl, stamp_end_rdtscp, SETUP, BODY);	\
		else								\
			__TIMED_LOOP(ctl, stamp_end_rdtsc, SETUP, BODY);	\
	} while (0)

void guest_main(volatile struct ctl_block *ctl);

#endif
