/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "memslot.h"

#include "errmsg.h"

/*
 * Manual protection splits "read the log" from "re-arm it" and re-arms
 * only what we ask for; without it KVM_GET_DIRTY_LOG does both. Enabled
 * VM-wide, but only dirty-logged slots are affected, and only ours is.
 */
static bool enable_manual_protect(int vm_fd)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args[0] = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE,
	};
	int r = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2);

	return r > 0 && (r & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE) &&
	       ioctl(vm_fd, KVM_ENABLE_CAP, &cap) == 0;
}

int memslot_create(struct memslot *m, int vm_fd, uint32_t slot, uint64_t gpa, size_t size,
		   bool log_dirty, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region r = { 0 };

	memset(m, 0, sizeof(*m));
	m->vm_fd = vm_fd;
	m->slot = slot;
	m->gpa = gpa;
	m->size = size;
	m->log_dirty = log_dirty;
	m->mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->mem == MAP_FAILED) {
		m->mem = NULL;
		ERR("cannot reserve %zu MiB for memslot %u: %s", size >> 20, slot, strerror(errno));
		return -1;
	}
	/*
	 * 4 KiB host pages: a transparent huge page would map 512 guest pages
	 * with one fault, and the benchmark counts one fault per page.
	 */
	if (madvise(m->mem, size, MADV_NOHUGEPAGE)) {
		ERR("madvise(MADV_NOHUGEPAGE) on memslot %u: %s", slot, strerror(errno));
		goto fail;
	}
	if (log_dirty) {
		m->bitmap = calloc(1, (memslot_pages(m) + 63) / 64 * 8);
		if (!m->bitmap) {
			ERR("out of memory");
			goto fail;
		}
		m->manual_protect = enable_manual_protect(vm_fd);
	}
	r.slot = slot;
	r.flags = log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0;
	r.guest_phys_addr = gpa;
	r.memory_size = size;
	r.userspace_addr = (uint64_t)(uintptr_t)m->mem;
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		ERR("KVM_SET_USER_MEMORY_REGION (slot %u at %#llx, %zu MiB%s) failed: %s", slot,
		    (unsigned long long)gpa, size >> 20, log_dirty ? ", dirty logging" : "",
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	free(m->bitmap);
	munmap(m->mem, size);
	m->mem = NULL;
	m->bitmap = NULL;
	return -1;
}

void memslot_destroy(struct memslot *m)
{
	struct kvm_userspace_memory_region r = { .slot = m->slot };

	if (!m->mem)
		return;
	/* Size 0 deletes the slot; the VM may already be gone, which is fine. */
	ioctl(m->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
	munmap(m->mem, m->size);
	free(m->bitmap);
	m->mem = NULL;
	m->bitmap = NULL;
}

int memslot_discard(struct memslot *m, char *err, size_t errlen)
{
	if (madvise(m->mem, m->size, MADV_DONTNEED)) {
		ERR("madvise(MADV_DONTNEED) on memslot %u: %s", m->slot, strerror(errno));
		return -1;
	}
	return 0;
}

int memslot_dirty_log(struct memslot *m, uint64_t *ndirty, char *err, size_t errlen)
{
	struct kvm_dirty_log log = { .slot = m->slot, .dirty_bitmap = m->bitmap };
	struct kvm_clear_dirty_log clear = {
		.slot = m->slot, .first_page = 0, .num_pages = (uint32_t)memslot_pages(m),
		.dirty_bitmap = m->bitmap,
	};
	size_t words = (memslot_pages(m) + 63) / 64;

	*ndirty = 0;
	if (!m->log_dirty) {
		ERR("memslot %u does not log dirty pages", m->slot);
		return -1;
	}
	memset(m->bitmap, 0, words * 8);
	if (ioctl(m->vm_fd, KVM_GET_DIRTY_LOG, &log)) {
		ERR("KVM_GET_DIRTY_LOG (slot %u) failed: %s", m->slot, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < words; i++)
		*ndirty += (uint64_t)__builtin_popcountll(m->bitmap[i]);
	/* Clearing exactly the bits just read write-protects those pages again. */
	if (m->manual_protect && *ndirty && ioctl(m->vm_fd, KVM_CLEAR_DIRTY_LOG, &clear)) {
		ERR("KVM_CLEAR_DIRTY_LOG (slot %u) failed: %s", m->slot, strerror(errno));
		return -1;
	}
	return 0;
}

int page_rounds_rearm(struct page_rounds *r, char *err, size_t errlen)
{
	uint64_t n;

	if (!r->by_dirty_log) {
		if (memslot_discard(r->slot, err, errlen))
			return -1;
	} else {
		if (memslot_dirty_log(r->slot, &n, err, errlen))
			return -1;
		if (n != r->round) {
			ERR("round %llu of %llu page writes dirtied %llu pages in KVM's log",
			    (unsigned long long)r->rounds, (unsigned long long)r->round,
			    (unsigned long long)n);
			return -1;
		}
		r->dirty_pages += n;
	}
	r->rounds++;
	return 0;
}
