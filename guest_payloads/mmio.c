/* SPDX-License-Identifier: MIT */
/* Access to a guest-physical address with no memslot: KVM_EXIT_MMIO. */
#include "guest.h"
#include "payloads.h"

/* arg1: the store's width in bytes, 1, 2, 4 or 8 (0: 4, today's rows). */
void payload_mmio_write(struct ctl_block *ctl)
{
	uintptr_t a = (uintptr_t)ctl->arg0;

	switch (ctl->arg1) {
	case 1:
		TIMED_LOOP(ctl, (void)0, *(volatile uint8_t *)a = 0);
		break;
	case 2:
		TIMED_LOOP(ctl, (void)0, *(volatile uint16_t *)a = 0);
		break;
	case 8:
		TIMED_LOOP(ctl, (void)0, *(volatile uint64_t *)a = 0);
		break;
	default:
		TIMED_LOOP(ctl, (void)0, *(volatile uint32_t *)a = 0);
	}
}

void payload_mmio_read(struct ctl_block *ctl)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)ctl->arg0;
	uint32_t v;

	TIMED_LOOP(ctl, (void)0, v = *p);
	(void)v;
}
