/* SPDX-License-Identifier: MIT */
/* KVM's binary statistics (KVM_GET_STATS_FD): exit counters that prove an exit happened. */
#ifndef VMEXIT_KVM_STATS_H
#define VMEXIT_KVM_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define KVM_STATS_MAX 128

struct kvm_stats {
	int fd;			/* -1: the kernel has no stats fd */
	unsigned n;
	char names[KVM_STATS_MAX][48];
	uint64_t offsets[KVM_STATS_MAX];	/* byte offset of each value in the fd */
};

/* Opens the stats fd of a vCPU or VM; fd stays -1 (and this returns -1) where unsupported. */
int kvm_stats_open(struct kvm_stats *s, int kvm_object_fd);
void kvm_stats_close(struct kvm_stats *s);
/* Reads counter @name. Returns 0, or -1 if unknown or unreadable. */
int kvm_stats_get(const struct kvm_stats *s, const char *name, uint64_t *val);

#endif
