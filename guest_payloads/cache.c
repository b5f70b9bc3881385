/* SPDX-License-Identifier: MIT */
/*
 * WBINVD and INVD: KVM intercepts both, but where they reach the hardware
 * (bare metal, a raw VMX engine, a host without the intercept) WBINVD
 * stalls every core for milliseconds and INVD throws away dirty cache
 * lines. Opt-in only (--allow-dangerous).
 */
#include "guest.h"
#include "payloads.h"

void payload_wbinvd(struct ctl_block *ctl)
{
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("wbinvd" ::: "memory"));
}

void payload_invd(struct ctl_block *ctl)
{
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("invd" ::: "memory"));
}
