/* SPDX-License-Identifier: MIT */
/*
 * Port I/O: to a port nothing in the kernel claims (KVM_EXIT_IO), to an
 * ioeventfd, or to a device of the in-kernel irqchip. arg1 is the access
 * width in bytes: 1, 2, or 4 (also 0, today's 32-bit rows). REP OUTSB/INSB
 * move arg1 bytes through the port in one string instruction.
 */
#include "guest.h"
#include "payloads.h"
#include "x86.h"

void payload_pio_out(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint32_t v = 0;

	if (ctl->arg1 == 1)
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("outb %b0, %1" : : "a"(v), "Nd"(port) : "memory"));
	else if (ctl->arg1 == 2)
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("outw %w0, %1" : : "a"(v), "Nd"(port) : "memory"));
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
	else if (ctl->arg1 == 2)
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("inw %1, %w0" : "+a"(v) : "Nd"(port) : "memory"));
	else
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory"));
	(void)v;
}

/* The string instructions' buffer: REP_IO_MAX bytes of guest memory. */
static uint8_t rep_buf[REP_IO_MAX];

void payload_rep_outsb(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint64_t n = ctl->arg1;

	if (n == 0 || n > REP_IO_MAX) {
		guest_fail(ctl, "REP OUTSB count out of range");
		return;
	}
	for (uint64_t i = 0; i < n; i++)
		rep_buf[i] = (uint8_t)i;
	TIMED_LOOP(ctl, (void)0, ({
		const void *src = rep_buf;
		uint64_t c = n;

		__asm__ volatile("cld\n\trep outsb" : "+S"(src), "+c"(c) : "d"(port) : "memory");
	}));
}

void payload_rep_insb(struct ctl_block *ctl)
{
	uint16_t port = (uint16_t)ctl->arg0;
	uint64_t n = ctl->arg1;

	if (n == 0 || n > REP_IO_MAX) {
		guest_fail(ctl, "REP INSB count out of range");
		return;
	}
	TIMED_LOOP(ctl, (void)0, ({
		void *dst = rep_buf;
		uint64_t c = n;

		__asm__ volatile("cld\n\trep insb" : "+D"(dst), "+c"(c) : "d"(port) : "memory");
	}));
}
