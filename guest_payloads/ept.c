/* SPDX-License-Identifier: MIT */
/*
 * One write to a different 4 KiB page per iteration. Which fault that is
 * depends on the host's state of the memslot: a never-touched page (no
 * EPT/NPT or shadow entry, no host page yet: ept_fault_in), or a page
 * dirty logging has write-protected (ept_write_protect). The same loop also
 * pre-touches the pages before the write-protect pass. The guest's own
 * page tables map these pages already (2 MiB identity map), so every fault
 * is the host's.
 *
 * A run longer than the memslot goes in rounds of arg1 pages: before the
 * first write of each next round, outside the timed interval, the guest
 * asks the host to re-arm the pages (free them, or write-protect them
 * again) and starts over at the first page.
 */
#include "guest.h"
#include "payloads.h"

void payload_page_write(struct ctl_block *ctl)
{
	volatile uint64_t *const base = (volatile uint64_t *)(uintptr_t)ctl->arg0;
	volatile uint64_t *next = base, *p = next;
	const uint64_t round = ctl->arg1;
	uint64_t used = 0;

	TIMED_LOOP(ctl,
		   ((round && used == round ? (ucall(UCALL_REARM), next = base, used = 0) : 0),
		    p = next, next += 4096 / sizeof(*next), used++),
		   *p = (uintptr_t)p);
}
