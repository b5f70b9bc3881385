/* SPDX-License-Identifier: MIT */
/*
 * Port I/O: to a port nothing in the kernel claims (KVM_EXIT_IO), to an
 * ioeventfd, or to a device of the in-kernel irqchip. 32 bits, or one byte
 * where the device takes bytes only (arg1 = 1).
 */
#include "guest.h"
#include "payloads.h"

void payload_pio_out(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint32_t v = 0;

	if (ctl->arg1 == 1)
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("outb %b0, %1" : : "a"(v), "Nd"(port) : "memory"));
	else
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port) : "memory"));
}

void payload_pio_in(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint32_t v = 0;

	if (ctl->arg1 == 1)
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("inb %1, %b0" : "+a"(v) : "Nd"(port) : "memory"));
	else
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory"));
	(void)v;
}
