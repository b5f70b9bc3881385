/* SPDX-License-Identifier: MIT */
#include "payloads.h"

const payload_fn payload_table[PAYLOAD_MAX] = {
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
};
