/* SPDX-License-Identifier: MIT */
/*
 * Extra memslots whose pages the guest has never touched, for timing the
 * host's second-level faults: a first touch (no EPT/NPT or shadow entry,
 * no host page) and a write to a page dirty logging write-protected.
 *
 * The backing is MAP_NORESERVE and populated only by the guest's touches;
 * memslot_discard() gives the pages back (MADV_DONTNEED), which also makes
 * the next touch of each page a first touch again. A run may touch at most
 * memslot_pages() pages, so no run holds more than the slot's size.
 */
#ifndef VMEXIT_MEMSLOT_H
#define VMEXIT_MEMSLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memslot {
	int vm_fd;
	uint32_t slot;
	uint64_t gpa;
	size_t size;
	uint8_t *mem;
	bool log_dirty;
	bool manual_protect;	/* KVM_CLEAR_DIRTY_LOG re-arms, not KVM_GET_DIRTY_LOG */
	uint64_t *bitmap;	/* one bit per page, for the dirty log */
};

/* -1 with a one-line message when the kernel cannot. */
int memslot_create(struct memslot *m, int vm_fd, uint32_t slot, uint64_t gpa, size_t size,
		   bool log_dirty, char *err, size_t errlen);
void memslot_destroy(struct memslot *m);

static inline uint64_t memslot_pages(const struct memslot *m)
{
	return m->size / 4096;
}

/* Frees every host page of the slot: KVM's mappings of it go with them. */
int memslot_discard(struct memslot *m, char *err, size_t errlen);

/*
 * Fetches the dirty log (pages written since the last call), returns the
 * number of dirty pages in @ndirty and write-protects them again, so each
 * next write to them faults. Only for a slot created with @log_dirty.
 */
int memslot_dirty_log(struct memslot *m, uint64_t *ndirty, char *err, size_t errlen);

/*
 * A run that touches one page per iteration in rounds of at most the
 * slot's pages. Between two rounds (the guest's UCALL_REARM, untimed) the
 * runner makes the next round's writes fault as the first round's did:
 * fresh pages are freed (KVM's mappings go with them); dirty-logged ones
 * are write-protected again by reading the log, which must show exactly
 * the round's pages.
 */
struct page_rounds {
	struct memslot *slot;
	bool by_dirty_log;	/* re-arm by the dirty log, else by freeing the pages */
	uint64_t round;		/* pages per round */
	uint64_t rounds;	/* rounds armed so far, the first included */
	uint64_t dirty_pages;	/* pages the log showed dirtied at the re-arms */
};

/* Arms the next round. 0, or -1 with a one-line message. */
int page_rounds_rearm(struct page_rounds *r, char *err, size_t errlen);

#endif
