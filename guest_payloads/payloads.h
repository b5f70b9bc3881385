/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_PAYLOADS_H
#define VMEXIT_PAYLOADS_H

#include "control.h"

typedef void (*payload_fn)(struct ctl_block *ctl);

/* Indexed by enum payload (payload_table.c). */
extern const payload_fn payload_table[PAYLOAD_MAX];

/* One file per exit family. */
void payload_nop(struct ctl_block *ctl);		/* timer.c */
void payload_cpuid(struct ctl_block *ctl);		/* cpuid.c */
void payload_pio_out(struct ctl_block *ctl);		/* pio.c */
void payload_pio_in(struct ctl_block *ctl);
void payload_mmio_write(struct ctl_block *ctl);		/* mmio.c */
void payload_mmio_read(struct ctl_block *ctl);
void payload_hlt(struct ctl_block *ctl);		/* hlt.c */
void payload_vmcall(struct ctl_block *ctl);		/* hypercall.c */
void payload_rdmsr(struct ctl_block *ctl);		/* msr.c */
void payload_wrmsr(struct ctl_block *ctl);
void payload_probe_rdtscp(struct ctl_block *ctl);	/* probes.c */
void payload_probe_ud2(struct ctl_block *ctl);
void payload_probe_spin(struct ctl_block *ctl);

#endif
