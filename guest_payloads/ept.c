/* SPDX-License-Identifier: MIT */
/*
 * One write to a different 4 KiB page per iteration. Which fault that is
 * depends on the host's state of the memslot: a never-touched page (no
 * EPT/NPT or shadow entry, no host page yet: ept_fault_in), or a page
 * dirty logging has write-protected (ept_write_protect). The same loop also
 * pre-touches the pages before the write-protect pass. The guest's own
 * page tables map these pages already (2 MiB identity map), so every fault
 * is the host's.
 */
#include "guest.h"
#include "payloads.h"

void payload_page_write(struct ctl_block *ctl)
{
	volatile uint64_t *next = (volatile uint64_t *)(uintptr_t)ctl->arg0, *p = next;

	TIMED_LOOP(ctl, (p = next, next += 4096 / sizeof(*next)), *p = (uintptr_t)p);
}
