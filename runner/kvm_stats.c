/* SPDX-License-Identifier: MIT */
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_stats.h"

int kvm_stats_open(struct kvm_stats *s, int kvm_object_fd)
{
	struct kvm_stats_header h;
	size_t dsize;
	char *descs = NULL;

	memset(s, 0, sizeof(*s));
	s->fd = ioctl(kvm_object_fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		goto fail;
	if (pread(s->fd, &h, sizeof(h), 0) != sizeof(h) || h.name_size == 0)
		goto fail;
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = malloc(dsize * h.num_desc);
	if (!descs || pread(s->fd, descs, dsize * h.num_desc, h.desc_offset) !=
		      (ssize_t)(dsize * h.num_desc))
		goto fail;
	for (unsigned i = 0; i < h.num_desc && s->n < KVM_STATS_MAX; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(descs + i * dsize);

		/* Only plain counters; histograms have size > 1. */
		if (d->size != 1)
			continue;
		snprintf(s->names[s->n], sizeof(s->names[0]), "%.*s",
			 (int)h.name_size, d->name);
		s->offsets[s->n] = h.data_offset + d->offset;
		s->n++;
	}
	free(descs);
	return 0;
fail:
	free(descs);
	kvm_stats_close(s);
	return -1;
}

void kvm_stats_close(struct kvm_stats *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->n = 0;
}

int kvm_stats_get(const struct kvm_stats *s, const char *name, uint64_t *val)
{
	if (s->fd < 0)
		return -1;
	for (unsigned i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return pread(s->fd, val, sizeof(*val), s->offsets[i]) ==
			       sizeof(*val) ? 0 : -1;
	return -1;
}
