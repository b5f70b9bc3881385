/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hostcpu.h"
#include "iolat.h"
#include "tsc_stamp.h"

#include "errmsg.h"

/* Out: one blocking read per guest OUT; the guest waits for host_ack before the next. */
static void *out_thread(void *arg)
{
	struct iolat *l = arg;

	for (uint64_t i = 0; i < l->n && !l->stop;) {
		uint64_t c;
		ssize_t r = read(l->io.efd, &c, sizeof(c));
		uint64_t t = stamp_end_rdtscp();

		if (r != sizeof(c)) {
			if (r < 0 && errno == EINTR)
				continue;
			snprintf(l->err, sizeof(l->err), "reading the ioeventfd: %s",
				 r < 0 ? strerror(errno) : "short read");
			break;
		}
		if (l->stop)
			break;
		l->reads++;
		l->count += c;
		if (c != 1)
			l->coalesced++;
		l->smp[i].after = t;
		i++;
		__atomic_store_n(&l->ctl->host_ack, i, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* In: waits until the guest is ready for iteration i, stamps and writes the irqfd. */
static void *in_thread(void *arg)
{
	struct iolat *l = arg;
	const uint64_t one = 1;

	for (uint64_t i = 0; i < l->n && !l->stop; i++) {
		uint64_t t;

		while (__atomic_load_n(&l->ctl->guest_ready, __ATOMIC_ACQUIRE) < i + 1)
			if (l->stop)
				return NULL;
		t = stamp_begin();
		l->smp[i].before = t;
		if (write(l->irq_efd, &one, sizeof(one)) != sizeof(one)) {
			snprintf(l->err, sizeof(l->err), "writing the irqfd: %s", strerror(errno));
			break;
		}
		l->count++;
	}
	return NULL;
}

static int irqfd(int vm_fd, int efd, uint32_t gsi, bool deassign)
{
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = gsi,
			       .flags = deassign ? KVM_IRQFD_FLAG_DEASSIGN : 0 };

	return ioctl(vm_fd, KVM_IRQFD, &f);
}

int iolat_start(struct iolat *l, struct vm *vm, bool in, uint16_t port, uint32_t gsi,
		uint64_t n, char *err, size_t errlen)
{
	int fl;

	memset(l, 0, sizeof(*l));
	l->io.efd = l->irq_efd = -1;
	l->in = in;
	l->vm_fd = vm->vm_fd;
	l->gsi = gsi;
	l->ctl = vm_ctl(vm);
	l->smp = (struct sample *)(vm->mem + GPA_SAMPLES);
	l->n = n;
	/* The last run's values must not start this one (prepare_ctl clears them too). */
	l->ctl->host_ack = l->ctl->guest_ready = 0;
	if (in) {
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQFD) <= 0) {
			ERR("this kernel lacks KVM_CAP_IRQFD");
			return -1;
		}
		l->irq_efd = eventfd(0, EFD_CLOEXEC);
		if (l->irq_efd < 0 || irqfd(vm->vm_fd, l->irq_efd, gsi, false)) {
			ERR("KVM_IRQFD on GSI %u failed: %s", gsi, strerror(errno));
			if (l->irq_efd >= 0)
				close(l->irq_efd);
			l->irq_efd = -1;
			return -1;
		}
	} else {
		if (ioevent_assign(&l->io, vm->vm_fd, true, port, 4, false, 0, err, errlen))
			return -1;
		/* The thread sleeps in read() until the guest's OUT signals it. */
		fl = fcntl(l->io.efd, F_GETFL);
		if (fl < 0 || fcntl(l->io.efd, F_SETFL, fl & ~O_NONBLOCK)) {
			ERR("fcntl on the ioeventfd: %s", strerror(errno));
			return -1;
		}
	}
	l->cpu = hostcpu_other();
	l->shares_cpu = l->cpu == sched_getcpu();
	if (hostcpu_thread(&l->thread, l->cpu, in ? in_thread : out_thread, l)) {
		ERR("cannot start the I/O latency's host thread on CPU %d", l->cpu);
		return -1;
	}
	l->started = true;
	return 0;
}

void iolat_stop(struct iolat *l)
{
	const uint64_t one = 1;

	if (l->started) {
		l->stop = 1;
		/* Wakes a thread blocked in read(); stop makes it ignore this write. */
		if (!l->in && l->io.efd >= 0 && write(l->io.efd, &one, sizeof(one)) < 0)
			snprintf(l->err, sizeof(l->err), "cannot wake the host thread");
		pthread_join(l->thread, NULL);
		l->started = false;
	}
	if (l->irq_efd >= 0) {
		irqfd(l->vm_fd, l->irq_efd, l->gsi, true);
		close(l->irq_efd);
		l->irq_efd = -1;
	}
	ioevent_deassign(&l->io);
}
