/* SPDX-License-Identifier: MIT */
#include "payloads.h"

/*
 * Unsized, so the assertion below fails to compile when the last payload
 * has no entry; the guest's dispatch refuses a hole (an id with no entry).
 */
const payload_fn payload_table[] = {
	[PAYLOAD_NOP] = payload_nop,
	[PAYLOAD_CPUID] = payload_cpuid,
	[PAYLOAD_PIO_OUT] = payload_pio_out,
	[PAYLOAD_PIO_IN] = payload_pio_in,
	[PAYLOAD_MMIO_WRITE] = payload_mmio_write,
	[PAYLOAD_MMIO_READ] = payload_mmio_read,
	[PAYLOAD_HLT] = payload_hlt,
	[PAYLOAD_VMCALL] = payload_vmcall,
	[PAYLOAD_RDMSR] = payload_rdmsr,
	[PAYLOAD_WRMSR] = payload_wrmsr,
	[PAYLOAD_PROBE_RDTSCP] = payload_probe_rdtscp,
	[PAYLOAD_PROBE_UD2] = payload_probe_ud2,
	[PAYLOAD_PROBE_SPIN] = payload_probe_spin,
	[PAYLOAD_PAGE_WRITE] = payload_page_write,
	[PAYLOAD_PIO_OUT_VAL] = payload_pio_out_val,
	[PAYLOAD_MMIO_WRITE_VAL] = payload_mmio_write_val,
	[PAYLOAD_CR0_TOGGLE] = payload_cr0_toggle,
	[PAYLOAD_CR4_TOGGLE] = payload_cr4_toggle,
	[PAYLOAD_MOV_DR7] = payload_mov_dr7,
	[PAYLOAD_XSETBV] = payload_xsetbv,
	[PAYLOAD_PAUSE] = payload_pause,
	[PAYLOAD_WBINVD] = payload_wbinvd,
	[PAYLOAD_INVD] = payload_invd,
	[PAYLOAD_WRMSR_VAL] = payload_wrmsr_val,
	[PAYLOAD_CR8_READ] = payload_cr8_read,
	[PAYLOAD_CR8_WRITE] = payload_cr8_write,
	[PAYLOAD_X2APIC_SELF_IPI] = payload_x2apic_self_ipi,
	[PAYLOAD_APIC_EOI] = payload_apic_eoi,
	[PAYLOAD_TSC_DEADLINE_IMMED] = payload_tsc_deadline_immed,
	[PAYLOAD_HLT_WAKEUP] = payload_hlt_wakeup,
	[PAYLOAD_APIC_MMIO_READ] = payload_apic_mmio_read,
	[PAYLOAD_SELF_IPI] = payload_self_ipi,
	[PAYLOAD_WRMSR_ALT] = payload_wrmsr_alt,
	[PAYLOAD_IO_LATENCY_OUT] = payload_io_latency_out,
	[PAYLOAD_IO_LATENCY_IN] = payload_io_latency_in,
	[PAYLOAD_IPI] = payload_ipi,
	[PAYLOAD_IPI_TARGET] = payload_ipi_target,
	[PAYLOAD_VCPU_SWITCH] = payload_vcpu_switch,
};
_Static_assert(sizeof(payload_table) / sizeof(payload_table[0]) == PAYLOAD_MAX,
	       "payload_table: one entry per enum payload, up to PAYLOAD_MAX - 1");
