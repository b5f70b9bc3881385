/* SPDX-License-Identifier: MIT */
/* Untimed probes the host uses to learn what this host supports and to test failure paths. */
#include "guest.h"
#include "payloads.h"

void payload_probe_rdtscp(struct ctl_block *ctl)
{
	uint32_t lo, hi, aux;

	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	ctl->arg1 = aux;
	ctl->completed = 1;
}

void payload_probe_ud2(struct ctl_block *ctl)
{
	(void)ctl;
	__asm__ volatile("ud2" ::: "memory");
}

void payload_probe_spin(struct ctl_block *ctl)
{
	for (;;)
		__asm__ volatile("pause" ::: "memory");
	(void)ctl;
}
