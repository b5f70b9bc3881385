/* SPDX-License-Identifier: MIT */
/*
 * The catalog, part 3: the VM with an in-kernel irqchip (kept together so
 * it is made once): interrupt controller, timers, I/O latencies, two vCPUs.
 */
#include "catalog_rows.h"

const struct bench_def catalog_irqchip[] = {
	/* The VM with an in-kernel irqchip: kept together so it is created once. */
	{
		.name = "pio_in_kernel",
		.exit_reason = "IO_INSTRUCTION (in-kernel PIC)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_PIO_IN,
		.arg0 = PORT_PIC_ELCR,
		.arg1 = 1,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "IN of a byte from the in-kernel PIC's ELCR (port 0x4d0): a device KVM emulates",
		.unsupported = needs_irqchip,
	},
	{
		.name = "pio_out_kernel_pic",
		.exit_reason = "IO_INSTRUCTION (in-kernel PIC)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_PIO_OUT,
		.arg0 = PORT_PIC_ELCR,
		.arg1 = 1,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "OUT of 0 (its reset value) to the in-kernel PIC's ELCR (port 0x4d0)",
		.unsupported = needs_irqchip,
	},
	{
		.name = "cr8_read",
		.exit_reason = "CR_ACCESS (MOV from CR8)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_CR8_READ,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV from CR8 (TPR) with x2APIC (no exit where the CPU shadows the TPR)",
		.unsupported = needs_irqchip,
	},
	{
		.name = "cr8_write",
		.exit_reason = "CR_ACCESS (MOV to CR8)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_CR8_WRITE,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "MOV of 0 to CR8 (TPR) with x2APIC",
		.unsupported = needs_irqchip,
	},
	{
		.name = "x2apic_self_ipi",
		.exit_reason = "MSR_WRITE (x2APIC SELF_IPI)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_X2APIC_SELF_IPI,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR 0x83f: a self-IPI, taken after the interval; the guest counts "
			   "every one (no exit where APICv virtualizes it)",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "x2apic_icr_self_ipi",
		.exit_reason = "MSR_WRITE (x2APIC ICR, self)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_X2APIC_SELF_IPI,
		.arg0 = MSR_X2APIC_ICR,
		.arg1 = ICR_SELF_FIXED,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR 0x830 (the x2APIC ICR) of a fixed IPI with the self shorthand, "
			   "kvm-unit-tests' x2APIC self-IPI path; taken after the interval and counted "
			   "(no exit where APICv virtualizes it)",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "apic_eoi",
		.exit_reason = "MSR_WRITE (x2APIC EOI)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_APIC_EOI,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "WRMSR 0x80b ending a self-IPI that is in service (no exit with APICv's EOI "
			   "virtualization)",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "tsc_deadline_immediate",
		.exit_reason = "MSR_WRITE (IA32_TSC_DEADLINE)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_TSC_DEADLINE_IMMED,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "WRMSR of a past TSC deadline: the timer fires from the exit",
		.unsupported = needs_irqchip,
		.untimed_exits = 1,
	},
	{
		.name = "tscdeadline",
		.exit_reason = "MSR_WRITE (TSC_DEADLINE) + timer",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_TSC_DEADLINE_SPIN,
		.arg0 = TSC_DEADLINE_SPIN_TICKS,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "kvm-unit-tests' tscdeadline: a TSC deadline 3,000 ticks ahead, then a "
			   "spin with IF=1 until its interrupt has been handled (the guest counts "
			   "every one)",
		.unsupported = needs_irqchip,
		.interval = INTERVAL_LATENCY,
		.latency = "the WRMSR of a deadline 3,000 ticks ahead, the spin until KVM's timer "
			   "fires (3,000 ticks or more) and the interrupt's delivery, its EOI included",
		.guest_count = "timer interrupts handled by the guest",
	},
	{
		.name = "hlt_wakeup",
		.exit_reason = "HLT (in-kernel)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_HLT_WAKEUP,
		.arg0 = HLT_WAKEUP_DELAY_TICKS,
		.check = CHECK_STAT,
		.stat = STAT_HALT_EXITS,
		.description = "HLT woken by the TSC-deadline timer; timed from the deadline to the guest running "
			   "(one stamp: half the floor subtracted)",
		.unsupported = needs_irqchip,
		.interval = INTERVAL_ONE_STAMP,
	},
	/* The xAPIC register read and the self-IPI family of kvm-unit-tests' x86/vmexit. */
	{
		.name = "apic_mmio_read",
		.exit_reason = "NPF/EPT (xAPIC MMIO read)",
		.handled = HANDLED_KERNEL,
		.needs = NEED_IRQCHIP,
		.payload = PAYLOAD_APIC_MMIO_READ,
		.check = CHECK_PASSTHROUGH,
		.stat = STAT_EXITS,
		.description = "load of the xAPIC version register (0xfee00030), answered by KVM's "
			   "in-kernel LAPIC: the interrupt-controller trap (no exit where APICv/AVIC "
			   "virtualizes it)",
		.unsupported = needs_irqchip,
		.setup = SETUP_XAPIC,
	},
	SELF_IPI_ROW("xapic_self_ipi", "MMIO write (xAPIC ICR)", SIPI_WAIT_NONE, 1, NULL,
		     "xAPIC ICR write of a fixed self-IPI (shorthand self); the interrupt is taken "
		     "after the interval and counted"),
	SELF_IPI_ROW("self_ipi_sti_nop", "xAPIC ICR write + delivery", SIPI_WAIT_STI_NOP, 0,
		     "the ICR write and the interrupt's delivery in a STI;NOP window (its xAPIC EOI "
		     "included)",
		     "xAPIC self-IPI, then STI;NOP takes it: kvm-unit-tests' self_ipi_sti_nop"),
	SELF_IPI_ROW("self_ipi_sti_hlt", "xAPIC ICR write, HLT, delivery",
		     SIPI_WAIT_STI_HLT, 0,
		     "the ICR write, STI;HLT and the interrupt's delivery (its xAPIC EOI included)",
		     "xAPIC self-IPI, then STI;HLT takes it"),
	SELF_IPI_ROW("self_ipi_tpr", "xAPIC TPR/ICR/TPR + delivery",
		     SIPI_TPR | SIPI_WAIT_IF, 0,
		     "TPR raised over the vector, the ICR write, the TPR drop that unmasks it and "
		     "the delivery that follows with IF=1 (its xAPIC EOI included)",
		     "xAPIC self-IPI held back by the TPR (0x40 over vector 0x41), released by "
		     "dropping it with interrupts on"),
	SELF_IPI_ROW("self_ipi_tpr_sti_nop", "xAPIC TPR/ICR/TPR + delivery",
		     SIPI_TPR | SIPI_WAIT_STI_NOP, 0,
		     "TPR raise, ICR write, TPR drop, then the delivery in a STI;NOP window",
		     "as self_ipi_tpr with IF=0, taken by STI;NOP"),
	SELF_IPI_ROW("self_ipi_tpr_sti_hlt", "xAPIC TPR/ICR/TPR, HLT, delivery",
		     SIPI_TPR | SIPI_WAIT_STI_HLT, 0,
		     "TPR raise, ICR write, TPR drop, then STI;HLT and the delivery",
		     "as self_ipi_tpr with IF=0, taken by STI;HLT"),
	SELF_IPI_ROW("x2apic_self_ipi_sti_nop", "x2APIC SELF_IPI write + delivery",
		     SIPI_X2APIC | SIPI_WAIT_STI_NOP, 0,
		     "the SELF_IPI write and the delivery in a STI;NOP window (its x2APIC EOI "
		     "included)",
		     "x2APIC self-IPI, then STI;NOP takes it"),
	SELF_IPI_ROW("x2apic_self_ipi_sti_hlt", "x2APIC SELF_IPI, HLT, delivery",
		     SIPI_X2APIC | SIPI_WAIT_STI_HLT, 0,
		     "the SELF_IPI write, STI;HLT and the delivery (its x2APIC EOI included)",
		     "x2APIC self-IPI, then STI;HLT takes it"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr", "x2APIC TPR/SELF_IPI/TPR+delivery",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_IF, 0,
		     "TPR raise, SELF_IPI write, TPR drop and the delivery with IF=1",
		     "x2APIC self-IPI held back by the TPR, released with interrupts on"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr_sti_nop", "x2APIC TPR/SELF_IPI/TPR+delivery",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_NOP, 0,
		     "TPR raise, SELF_IPI write, TPR drop, then the delivery in a STI;NOP window",
		     "as x2apic_self_ipi_tpr with IF=0, taken by STI;NOP"),
	SELF_IPI_ROW("x2apic_self_ipi_tpr_sti_hlt", "x2APIC TPR/SELF_IPI/TPR + HLT",
		     SIPI_X2APIC | SIPI_TPR | SIPI_WAIT_STI_HLT, 0,
		     "TPR raise, SELF_IPI write, TPR drop, then STI;HLT and the delivery",
		     "as x2apic_self_ipi_tpr with IF=0, taken by STI;HLT"),
	/* The papers' I/O Latency Out and In: a host thread at the other end of an eventfd. */
	{
		.name = "io_latency_out",
		.exit_reason = "OUT (ioeventfd) -> host thread",
		.handled = HANDLED_KERNEL,
		.payload = PAYLOAD_IO_LATENCY_OUT,
		.arg0 = IOEVENT_PORT,
		.check = CHECK_LATENCY,
		.description = "guest stamp, OUT to an ioeventfd port, until the host thread blocked "
			   "on that eventfd runs (its stamp after read() returns): I/O Latency Out",
		.unsupported = io_out_ok,
		.setup = SETUP_IO_LATENCY_OUT,
		.interval = INTERVAL_MIXED_CLOCKS,
		.latency = "the OUT's exit, KVM signalling the ioeventfd and the wake-up of the host "
			   "thread blocked on it, up to its stamp after read() returns",
	},
	{
		.name = "io_latency_in",
		.exit_reason = "irqfd -> IOAPIC -> guest handler",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_IO_LATENCY_IN,
		.arg0 = IOLAT_GSI,
		.check = CHECK_LATENCY,
		.description = "host stamp, then a write to an irqfd (KVM_IRQFD, GSI 20), until the "
			   "running guest's interrupt handler stamps: I/O Latency In",
		.unsupported = io_in_ok,
		.setup = SETUP_IO_LATENCY_IN,
		.interval = INTERVAL_MIXED_CLOCKS,
		.latency = "the host thread's irqfd write, KVM routing it through the IOAPIC to the "
			   "LAPIC, the kick of the running vCPU and the injection, up to the first "
			   "instructions of the guest's handler",
	},
	/* Two vCPUs: the papers' Virtual IPI, the sender's exit and the delivery. */
	IPI_ROW("ipi", 0, 0, NULL,
		"x2APIC ICR write of a fixed IPI from vCPU 0 to vCPU 1, which spins with IF=1: "
		"the sender's round trip"),
	IPI_ROW("ipi_delivery", IPI_F_DELIVERY, 0,
		"the sender's ICR write exit, KVM's delivery to the other vCPU (a kick out of "
		"guest mode on another host CPU) and the injection, up to the first instructions "
		"of the target's handler",
		"as ipi, timed from the sender's stamp before the write to the target's handler: "
		"Virtual IPI"),
	IPI_ROW("ipi_halt", IPI_F_HALT, IPI_HALT_DELAY_TICKS, NULL,
		"as ipi with vCPU 1 waiting in HLT: the sender's round trip, the wake-up included"),
	IPI_ROW("ipi_halt_delivery", IPI_F_HALT | IPI_F_DELIVERY, IPI_HALT_DELAY_TICKS,
		"the sender's exit, the wake-up of the halted vCPU's thread on another host CPU "
		"and the injection, up to the first instructions of the target's handler",
		"as ipi_halt, timed from the sender's stamp to the halted target's handler"),
	/* The same four in xAPIC mode: the ICR is MMIO at 0xfee00300, EOI at 0xfee000b0. */
	IPI_ROW("xapic_ipi", IPI_F_XAPIC, 0, NULL,
		"xAPIC ICR write (MMIO, destination in ICR2) of a fixed IPI from vCPU 0 to vCPU 1, "
		"which spins with IF=1: the sender's round trip"),
	IPI_ROW("xapic_ipi_delivery", IPI_F_XAPIC | IPI_F_DELIVERY, 0,
		"the sender's xAPIC ICR write exit, KVM's delivery to the other vCPU (a kick out "
		"of guest mode on another host CPU) and the injection, up to the first "
		"instructions of the target's handler",
		"as xapic_ipi, timed from the sender's stamp before the write to the target's "
		"handler"),
	IPI_ROW("xapic_ipi_halt", IPI_F_XAPIC | IPI_F_HALT, IPI_HALT_DELAY_TICKS, NULL,
		"as xapic_ipi with vCPU 1 waiting in HLT: the sender's round trip, the wake-up "
		"included"),
	IPI_ROW("xapic_ipi_halt_delivery", IPI_F_XAPIC | IPI_F_HALT | IPI_F_DELIVERY,
		IPI_HALT_DELAY_TICKS,
		"the sender's xAPIC ICR write exit, the wake-up of the halted vCPU's thread on "
		"another host CPU and the injection, up to the first instructions of the target's "
		"handler",
		"as xapic_ipi_halt, timed from the sender's stamp to the halted target's handler"),
	{
		.name = "vcpu_switch",
		.exit_reason = "IPI + HLT, 2 vCPUs on 1 host CPU",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_VCPU_SWITCH,
		.arg0 = IPI_F_HALT | IPI_F_PONG,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "two vCPUs on one host CPU hand it back and forth (IPI, then HLT): "
			   "half a round trip, one switch (VM Switch)",
		.unsupported = needs_irqchip,
		.setup = SETUP_VCPU2_SAME_CPU,
		.interval = INTERVAL_HALVED,
		.latency = "one switch between two vCPUs sharing a host CPU: half of a round of an "
			   "IPI, a HLT, the host scheduler's switch to the other vCPU's thread and "
			   "the injection, twice",
	},
	{
		.name = "ple_round_robin",
		.exit_reason = "PAUSE (PLE), 2 vCPUs on 1 host CPU",
		.handled = HANDLED_KERNEL,
		.needs = NEED_CPL0 | NEED_IRQCHIP,
		.payload = PAYLOAD_PLE_ROUND_ROBIN,
		.check = CHECK_STAT,
		.stat = STAT_EXITS,
		.description = "kvm-unit-tests' ple_round_robin: vCPU 0 and vCPU 1 on one host CPU pass "
			   "a token back and forth, each spinning with PAUSE until it is its turn: "
			   "a round",
		.unsupported = ple_rr_ok,
		.setup = SETUP_VCPU2_PLE,
		.interval = INTERVAL_LATENCY,
		.latency = "a round of the token between two vCPUs sharing a host CPU: each spins "
			   "with PAUSE, holding the CPU the other needs, until pause-loop exiting "
			   "lets KVM yield it to the other (directed yield) or the host preempts it",
	},
};
const size_t catalog_irqchip_n = sizeof(catalog_irqchip) / sizeof(catalog_irqchip[0]);
