/* SPDX-License-Identifier: MIT */
#ifndef VMEXIT_PAYLOADS_H
#define VMEXIT_PAYLOADS_H

#include "control.h"

typedef void (*payload_fn)(struct ctl_block *ctl);

/* Indexed by enum payload (payload_table.c). */
extern const payload_fn payload_table[];	/* PAYLOAD_MAX entries */

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
void payload_page_write(struct ctl_block *ctl);		/* ept.c */
void payload_pio_out_val(struct ctl_block *ctl);	/* ioevent.c */
void payload_mmio_write_val(struct ctl_block *ctl);
void payload_io_latency_out(struct ctl_block *ctl);
void payload_cr0_toggle(struct ctl_block *ctl);		/* cr.c */
void payload_cr4_toggle(struct ctl_block *ctl);
void payload_mov_dr7(struct ctl_block *ctl);
void payload_xsetbv(struct ctl_block *ctl);
void payload_pause(struct ctl_block *ctl);
void payload_wbinvd(struct ctl_block *ctl);		/* cache.c */
void payload_invd(struct ctl_block *ctl);
void payload_wrmsr_val(struct ctl_block *ctl);		/* msr_class.c */
void payload_cr8_read(struct ctl_block *ctl);		/* apic.c */
void payload_cr8_write(struct ctl_block *ctl);
void payload_x2apic_self_ipi(struct ctl_block *ctl);
void payload_apic_eoi(struct ctl_block *ctl);
void payload_tsc_deadline_immed(struct ctl_block *ctl);
void payload_hlt_wakeup(struct ctl_block *ctl);
void payload_apic_mmio_read(struct ctl_block *ctl);
void payload_self_ipi(struct ctl_block *ctl);
void payload_io_latency_in(struct ctl_block *ctl);
void payload_ipi(struct ctl_block *ctl);
void payload_ipi_target(struct ctl_block *ctl);
void payload_vcpu_switch(struct ctl_block *ctl);
void payload_wrmsr_alt(struct ctl_block *ctl);		/* msr_class.c */
void payload_rep_outsb(struct ctl_block *ctl);		/* pio.c */
void payload_rep_insb(struct ctl_block *ctl);
void payload_ud2(struct ctl_block *ctl);		/* insn.c */
void payload_rdpmc(struct ctl_block *ctl);
void payload_monitor(struct ctl_block *ctl);
void payload_mwait(struct ctl_block *ctl);
void payload_desc(struct ctl_block *ctl);
void payload_invlpg(struct ctl_block *ctl);
void payload_mov_cr3(struct ctl_block *ctl);
void payload_tsc_deadline_spin(struct ctl_block *ctl);	/* apic.c */
void payload_nested_vmx(struct ctl_block *ctl);	/* nested.c */
void payload_nested_svm(struct ctl_block *ctl);
void payload_ple_round_robin(struct ctl_block *ctl);	/* apic.c */
void payload_ple_target(struct ctl_block *ctl);

#endif
