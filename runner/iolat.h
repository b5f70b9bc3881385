/* SPDX-License-Identifier: MIT */
/*
 * The I/O latencies: a host thread at the other end of an eventfd, as a
 * vhost worker is. Out: the guest's OUT to an ioeventfd port wakes a
 * thread blocked in read(), which stamps the TSC as the read returns.
 * In: a thread stamps the TSC and writes an irqfd (KVM_IRQFD), whose
 * interrupt the guest's handler stamps. Each sample mixes a guest and a
 * host stamp, so guest TSC must equal host TSC (checked by the caller).
 */
#ifndef VMEXIT_IOLAT_H
#define VMEXIT_IOLAT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ioevent.h"
#include "vm.h"

struct iolat {
	bool in;			/* irqfd (in), else ioeventfd (out) */
	pthread_t thread;
	bool started;
	struct ioevent io;		/* out: the ioeventfd */
	int irq_efd;			/* in: the irqfd's eventfd, -1 if none */
	int vm_fd;
	uint32_t gsi;
	volatile struct ctl_block *ctl;
	struct sample *smp;
	uint64_t n;			/* iterations, warm-up included */
	volatile int stop;
	int cpu;			/* host CPU of the thread; the vCPU's if no other */
	bool shares_cpu;		/* no other CPU: the thread shares the vCPU's */
	/* The proof. */
	uint64_t count;			/* out: eventfd count read; in: irqfd writes */
	uint64_t reads;			/* out: reads that returned */
	uint64_t coalesced;		/* out: reads that returned more than one write */
	char err[160];			/* the thread's own failure, or "" */
};

/*
 * Starts the thread for @n iterations on @vm, on a host CPU other than the
 * caller's where there is one. Out: an ioeventfd on port @port (any value);
 * in: an irqfd on @gsi. -1 with a one-line message.
 */
int iolat_start(struct iolat *l, struct vm *vm, bool in, uint16_t port, uint32_t gsi,
		uint64_t n, char *err, size_t errlen);
/* Stops and joins the thread and releases the eventfds; the proof stays in @l. */
void iolat_stop(struct iolat *l);

#endif
