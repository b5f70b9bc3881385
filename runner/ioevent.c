/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "errmsg.h"
#include "ioevent.h"

static struct kvm_ioeventfd ioevent_desc(const struct ioevent *io, bool deassign)
{
	struct kvm_ioeventfd d = {
		.datamatch = io->match, .addr = io->addr, .len = io->len, .fd = io->efd,
	};

	if (io->pio)
		d.flags |= KVM_IOEVENTFD_FLAG_PIO;
	if (io->datamatch)
		d.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
	if (deassign)
		d.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	return d;
}

int ioevent_assign(struct ioevent *io, int vm_fd, bool pio, uint64_t addr, uint32_t len,
		   bool datamatch, uint64_t match, char *err, size_t errlen)
{
	struct kvm_ioeventfd d;

	*io = (struct ioevent){
		.vm_fd = vm_fd, .efd = -1, .pio = pio, .datamatch = datamatch,
		.addr = addr, .len = len, .match = match,
	};
	if (ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IOEVENTFD) <= 0)
		return ERR("this kernel lacks KVM_CAP_IOEVENTFD");
	/* Non-blocking: a count of 0 must read as 0, not block the run loop. */
	io->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->efd < 0)
		return ERR("eventfd: %s", strerror(errno));
	d = ioevent_desc(io, false);
	if (ioctl(vm_fd, KVM_IOEVENTFD, &d)) {
		ERR("KVM_IOEVENTFD (%s %#llx, %u bytes%s) failed: %s",
			 pio ? "port" : "GPA", (unsigned long long)addr, len,
			 datamatch ? ", datamatch" : "", strerror(errno));
		close(io->efd);
		io->efd = -1;
		return -1;
	}
	return 0;
}

int ioevent_take(struct ioevent *io, uint64_t *count)
{
	ssize_t r = read(io->efd, count, sizeof(*count));

	if (r == sizeof(*count))
		return 0;
	*count = 0;
	return r < 0 && errno == EAGAIN ? 0 : -1;
}

void ioevent_deassign(struct ioevent *io)
{
	struct kvm_ioeventfd d;

	if (io->efd < 0)
		return;
	d = ioevent_desc(io, true);
	/* Failure leaves the claim in place; the VM is replaced after a failure anyway. */
	ioctl(io->vm_fd, KVM_IOEVENTFD, &d);
	close(io->efd);
	io->efd = -1;
}
