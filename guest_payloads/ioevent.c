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

/*
 * io_latency_out: a stamp, then an OUT to a port an ioeventfd claims; the
 * host thread blocked on that eventfd stamps the sample's end when its
 * read returns and acknowledges it (host_ack), so every OUT is one read.
 */
void payload_io_latency_out(struct ctl_block *ctl)
{
	struct sample *s = (struct sample *)(uintptr_t)ctl->samples_gpa;
	volatile uint64_t *ack = &ctl->host_ack;
	uint16_t port = (uint16_t)ctl->arg0;
	uint64_t n = ctl->iterations;

	for (uint64_t i = 0; i < n; i++) {
		s[i].before = stamp_begin();
		__asm__ volatile("outl %0, %1" : : "a"((uint32_t)i), "Nd"(port) : "memory");
		while (*ack < i + 1)
			;
		ctl->completed = i + 1;
	}
}
