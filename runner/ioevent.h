/* SPDX-License-Identifier: MIT */
/*
 * ioeventfd: KVM completes a guest port or MMIO write in the kernel by
 * signalling an eventfd, without returning from KVM_RUN. The eventfd's
 * counter is the proof: one per completed write.
 */
#ifndef VMEXIT_IOEVENT_H
#define VMEXIT_IOEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ioevent {
	int vm_fd;
	int efd;		/* -1: not assigned */
	bool pio;
	bool datamatch;
	uint64_t addr;
	uint32_t len;
	uint64_t match;
};

/*
 * Claims @len bytes at port/GPA @addr for an eventfd; with @datamatch only
 * writes of @match. -1 with a one-line message when the kernel cannot.
 */
int ioevent_assign(struct ioevent *io, int vm_fd, bool pio, uint64_t addr, uint32_t len,
		   bool datamatch, uint64_t match, char *err, size_t errlen);
/* Reads and resets the counter: writes completed since the last read. */
int ioevent_take(struct ioevent *io, uint64_t *count);
void ioevent_deassign(struct ioevent *io);

#endif
