/* SPDX-License-Identifier: MIT */
/* Access to a guest-physical address with no memslot: KVM_EXIT_MMIO. */
#include "guest.h"
#include "payloads.h"

void payload_mmio_write(struct ctl_block *ctl)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)ctl->arg0;

	TIMED_LOOP(ctl, (void)0, *p = 0);
}

void payload_mmio_read(struct ctl_block *ctl)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)ctl->arg0;
	uint32_t v;

	TIMED_LOOP(ctl, (void)0, v = *p);
	(void)v;
}
