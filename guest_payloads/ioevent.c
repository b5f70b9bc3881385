/* SPDX-License-Identifier: MIT */
/*
 * A store of a chosen value: to a port or an address an ioeventfd claims,
 * so KVM completes it in the kernel by signalling the eventfd. The value
 * matters for the datamatch variants.
 */
#include "guest.h"
#include "payloads.h"

void payload_pio_out_val(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint32_t v = (uint32_t)ctl->arg1;

	TIMED_LOOP(ctl, (void)0,
		   __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory"));
}

void payload_mmio_write_val(struct ctl_block *ctl)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)ctl->arg0;
	uint32_t v = (uint32_t)ctl->arg1;

	TIMED_LOOP(ctl, (void)0, *p = v);
}
