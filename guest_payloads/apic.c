/* SPDX-License-Identifier: MIT */
/*
 * APIC payloads for the VM with an in-kernel irqchip: CR8 (TPR), self-IPI,
 * EOI, the TSC-deadline timer and a HLT woken by it (x2APIC), the xAPIC
 * register read, the self-IPI family and the IPIs between two vCPUs in both
 * modes. All at CPL0 except the register read, for which the host puts the
 * LAPIC in xAPIC mode.
 *
 * The host builds an IDT of 32 exception vectors; these payloads add their
 * own interrupt vectors and reload IDTR themselves, so the other payloads
 * keep an IDT where a stray interrupt is a #NP they report, not a silent
 * handler. Interrupts stay off (IF=0) inside every timed interval: a pending
 * interrupt is taken in the untimed set-up of the next iteration.
 */
#include "guest.h"
#include "payloads.h"
#include "x86.h"

#define IDT_ALL_VECTORS 256

void irq_handler(void);
void irq_spurious(void);
void irq_sti_hlt(void);
void irq_stamp_handler(void);
void ipi_handler(void);
void ipi_sti_hlt(void);
/* Written by ipi_handler on vCPU 1, read by vCPU 0 once ap->host_ack says so. */
volatile uint64_t ipi_stamp, ipi_count, ipi_in_shadow;
volatile uint32_t ipi_xapic;		/* ipi_handler's EOI goes to the xAPIC register */
volatile uint64_t *volatile irq_stamp_slot;	/* where irq_stamp_handler stamps */
/* Read and written by irq.S. */
volatile uint64_t irq_count;
volatile uint64_t irq_in_shadow;
volatile uint32_t irq_no_eoi;
volatile uint32_t irq_xapic;		/* the handler's EOI goes to the xAPIC register */
static uint64_t irq_late;

#define XAPIC_TPR		0x080
#define XAPIC_SVR		0x0f0
#define XAPIC_ICR_LO		0x300
#define XAPIC_ICR_HI		0x310	/* ICR2: the destination in bits 24..31 */
#define ICR_ASSERT		(1u << 14)
#define ICR_DEST_SELF		(1u << 18)	/* destination shorthand: self */

static void idt_set(unsigned vec, void (*fn)(void))
{
	volatile uint64_t *idt = (volatile uint64_t *)(uintptr_t)GPA_IDT;
	uint64_t off = (uintptr_t)fn;

	idt[2 * vec] = (off & 0xffff) | (uint64_t)SEL_CODE0 << 16 | 0x8eull << 40 |
		       ((off >> 16) & 0xffff) << 48;
	idt[2 * vec + 1] = off >> 32;
}

/*
 * Takes the interrupt the last iteration left pending. HLT rather than a
 * NOP in STI's shadow: a HLT with an interrupt pending returns at once,
 * while an emulating host (kvm_pvm at CPL0) may run STI;NOP;CLI without
 * ever opening an interrupt window. Only call it with one pending. The
 * STI;HLT pair lives in irq.S, whose handler knows the HLT's address.
 */
static inline void irq_take(void)
{
	irq_sti_hlt();
}

/* A wait on memory another vCPU writes: yields the host CPU to it where they share one. */
static inline void irq_pause(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline void xapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(GPA_LAPIC + reg) = v;
}

static void irq_install(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
		IDT_ALL_VECTORS * 16 - 1, GPA_IDT,
	};

	idt_set(VEC_TIMER, irq_handler);
	idt_set(VEC_SELF_IPI, irq_handler);
	idt_set(VEC_SPURIOUS, irq_spurious);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	irq_count = 0;
	irq_in_shadow = 0;
	irq_no_eoi = 0;
	irq_late = 0;
}

/*
 * xAPIC on at 0xfee00000, software-enabled, TPR 0. From x2APIC mode the
 * only way back is through "disabled", which resets the LAPIC.
 */
static int xapic_setup(struct ctl_block *ctl)
{
	uint64_t base = rdmsr64(MSR_IA32_APICBASE);

	if ((base & ~0xfffull) != GPA_LAPIC) {
		guest_fail(ctl, "the APIC base is not 0xfee00000");
		return -1;
	}
	irq_install();
	if (base & APICBASE_EXTD)
		wrmsr64(MSR_IA32_APICBASE, base & ~(APICBASE_EN | APICBASE_EXTD));
	wrmsr64(MSR_IA32_APICBASE, (base & ~APICBASE_EXTD) | APICBASE_EN);
	irq_xapic = 1;
	xapic_write(XAPIC_SVR, 0x100 | VEC_SPURIOUS);
	xapic_write(XAPIC_TPR, 0);
	return 0;
}

/* x2APIC on, software-enabled, TPR 0, timer in TSC-deadline mode. 0 or -1 (reported). */
static int apic_setup(struct ctl_block *ctl, int need_deadline)
{
	uint32_t ecx = cpuid1_ecx();

	if (!(ecx & CPUID1_ECX_X2APIC)) {
		guest_fail(ctl, "CPUID.1:ECX.x2APIC is clear in the guest");
		return -1;
	}
	if (need_deadline && !(ecx & CPUID1_ECX_TSC_DEADLINE)) {
		guest_fail(ctl, "CPUID.1:ECX.TSC_DEADLINE is clear in the guest");
		return -1;
	}
	irq_install();
	irq_xapic = 0;
	wrmsr64(MSR_IA32_APICBASE, rdmsr64(MSR_IA32_APICBASE) | APICBASE_EN | APICBASE_EXTD);
	wrmsr64(MSR_X2APIC_SVR, 0x100 | VEC_SPURIOUS);
	wrmsr64(MSR_X2APIC_TPR, 0);
	wrmsr64(MSR_X2APIC_LVTT, LVTT_TSC_DEADLINE | VEC_TIMER);
	return 0;
}

/* Every iteration caused one interrupt; fails the run when some never came. */
static void expect_irqs(struct ctl_block *ctl, uint64_t want)
{
	ctl->arg1 = irq_count;
	ctl->irq_in_shadow = irq_in_shadow;
	if (irq_count != want)
		guest_fail(ctl, "interrupts delivered != iterations (count in arg1)");
}

void payload_cr8_read(struct ctl_block *ctl)
{
	uint64_t v = 0;

	if (apic_setup(ctl, 0))
		return;
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("mov %%cr8, %0" : "=r"(v) : : "memory"));
	ctl->arg1 = v;
}

void payload_cr8_write(struct ctl_block *ctl)
{
	uint64_t v = 0;

	if (apic_setup(ctl, 0))
		return;
	TIMED_LOOP(ctl, (void)0, __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory"));
}

/*
 * A self-IPI by one WRMSR: to SELF_IPI (0x83f) with the vector (arg0 = 0),
 * or to the MSR arg0 with the value arg1 (the ICR, 0x830, with the self
 * shorthand: the path kvm-unit-tests' x2APIC self-IPIs take).
 */
void payload_x2apic_self_ipi(struct ctl_block *ctl)
{
	uint32_t msr = ctl->arg0 ? (uint32_t)ctl->arg0 : MSR_X2APIC_SELF_IPI;
	uint64_t val = ctl->arg0 ? ctl->arg1 : VEC_SELF_IPI, k = 0;

	if (apic_setup(ctl, 0))
		return;
	TIMED_LOOP(ctl, (k++ ? irq_take() : (void)0), wrmsr64(msr, val));
	irq_take();
	expect_irqs(ctl, ctl->iterations);
}

/*
 * The handler leaves the interrupt in service; the timed EOI retires it.
 * Without a working EOI the next self-IPI of the same vector would stay
 * pending, so the interrupt count proves every EOI took effect.
 */
void payload_apic_eoi(struct ctl_block *ctl)
{
	if (apic_setup(ctl, 0))
		return;
	irq_no_eoi = 1;
	TIMED_LOOP(ctl, (wrmsr64(MSR_X2APIC_SELF_IPI, VEC_SELF_IPI), irq_take()),
		   wrmsr64(MSR_X2APIC_EOI, 0));
	irq_no_eoi = 0;
	expect_irqs(ctl, ctl->iterations);
}

/* A deadline in the past: KVM fires the timer at once, from the WRMSR exit. */
void payload_tsc_deadline_immed(struct ctl_block *ctl)
{
	uint64_t k = 0;

	if (apic_setup(ctl, 1))
		return;
	TIMED_LOOP(ctl, (k++ ? irq_take() : (void)0), wrmsr64(MSR_IA32_TSC_DEADLINE, 1));
	irq_take();
	expect_irqs(ctl, ctl->iterations);
}

/*
 * kvm-unit-tests' tscdeadline: the deadline armed arg0 ticks ahead, then a
 * spin with IF=1 until the timer's interrupt has been handled. The interval
 * holds the WRMSR's exit, the wait, the timer's expiry in KVM and the
 * delivery (its EOI included). A timer that never fires ends the spin
 * after TSC_SPIN_LIMIT ticks and fails the run (the count differs).
 */
#define TSC_SPIN_LIMIT (1ull << 34)
void payload_tsc_deadline_spin(struct ctl_block *ctl)
{
	uint64_t delay = ctl->arg0, want = 0;

	if (apic_setup(ctl, 1))
		return;
	TIMED_LOOP(ctl, want = irq_count + 1, ({
		uint64_t now = rdtsc64();

		wrmsr64(MSR_IA32_TSC_DEADLINE, now + delay);
		__asm__ volatile("sti" : : : "memory");
		while (irq_count < want && rdtsc64() - now < TSC_SPIN_LIMIT)
			__asm__ volatile("" : : : "memory");
		__asm__ volatile("cli" : : : "memory");
	}));
	expect_irqs(ctl, ctl->iterations);
}

/*
 * HLT woken by the TSC-deadline timer. The sample runs from the deadline
 * (not from the HLT) to the first instruction after the wake-up, so it is
 * the wake-up latency and excludes the programmed delay.
 */
void payload_hlt_wakeup(struct ctl_block *ctl)
{
	struct sample *s = (struct sample *)(uintptr_t)ctl->samples_gpa;
	uint64_t delay = ctl->arg0, n = ctl->iterations;

	if (apic_setup(ctl, 1))
		return;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t deadline = rdtsc64() + delay, t1;

		wrmsr64(MSR_IA32_TSC_DEADLINE, deadline);
		irq_sti_hlt();
		t1 = (ctl->flags & CTL_F_RDTSCP) ? stamp_end_rdtscp() : stamp_end_rdtsc();
		s[i].before = deadline;
		s[i].after = t1;
		ctl->completed = i + 1;
	}
	expect_irqs(ctl, n);
}

/*
 * A load of the xAPIC version register: the interrupt-controller trap.
 * Any CPL (the page is user-accessible); the host has put the LAPIC in
 * xAPIC mode. The value must be an integrated APIC's version (0x10-0x15),
 * which only a LAPIC in xAPIC mode gives: in x2APIC mode KVM reads the
 * page as all-ones, and a load nobody answered would have reached
 * userspace as KVM_EXIT_MMIO, which fails the run.
 */
void payload_apic_mmio_read(struct ctl_block *ctl)
{
	volatile uint32_t *ver = (volatile uint32_t *)(uintptr_t)(GPA_LAPIC + LAPIC_REG_VERSION);
	uint32_t v = 0;

	TIMED_LOOP(ctl, (void)0, v = *ver);
	ctl->arg1 = v;
	if ((v & 0xff) < 0x10 || (v & 0xff) > 0x15)
		guest_fail(ctl, "the xAPIC version register did not read as a LAPIC's (value in arg1)");
}

static inline void tpr_set(int x2, uint32_t v)
{
	if (x2)
		wrmsr64(MSR_X2APIC_TPR, v);
	else
		xapic_write(XAPIC_TPR, v);
}

static inline void self_ipi(int x2)
{
	if (x2)
		wrmsr64(MSR_X2APIC_SELF_IPI, VEC_SELF_IPI);
	else
		xapic_write(XAPIC_ICR_LO, ICR_DEST_SELF | ICR_ASSERT | VEC_SELF_IPI);
}

/*
 * Untimed: the interrupts of the first @want iterations must have come.
 * Where the interval should have taken it (@late_counts), one that is
 * still pending is taken here and counted as late.
 */
static void settle(uint64_t want, int late_counts)
{
	if (irq_count >= want)
		return;
	irq_take();
	if (late_counts)
		irq_late++;
}

/*
 * kvm-unit-tests' self_ipi_* family. The interval holds the optional TPR
 * raise (masking the vector), the self-IPI (ICR write or SELF_IPI MSR),
 * the TPR drop, and then the delivery as the variant says: none (taken
 * untimed afterwards), with IF=1 throughout (at the TPR drop), in a
 * STI;NOP window, or at STI;HLT.
 */
void payload_self_ipi(struct ctl_block *ctl)
{
	uint32_t m = (uint32_t)ctl->arg0, wait = m & SIPI_WAIT_MASK;
	int x2 = !!(m & SIPI_X2APIC), tpr = !!(m & SIPI_TPR);
	int late = wait != SIPI_WAIT_NONE;
	uint64_t k = 0;

	if (x2 ? apic_setup(ctl, 0) : xapic_setup(ctl))
		return;
	TIMED_LOOP(ctl, settle(k++, late), ({
		if (wait == SIPI_WAIT_IF)
			__asm__ volatile("sti" : : : "memory");
		if (tpr)
			tpr_set(x2, SIPI_TPR_MASK);
		self_ipi(x2);
		if (tpr)
			tpr_set(x2, 0);
		if (wait == SIPI_WAIT_IF)
			__asm__ volatile("nop\n\tcli" : : : "memory");
		else if (wait == SIPI_WAIT_STI_NOP)
			__asm__ volatile("sti\n\tnop\n\tcli" : : : "memory");
		else if (wait == SIPI_WAIT_STI_HLT)
			irq_sti_hlt();
	}));
	settle(ctl->iterations, late);
	ctl->irq_late = irq_late;
	expect_irqs(ctl, ctl->iterations);
}

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))
#define IOAPIC_MASKED		(1u << 16)

static void ioapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(GPA_IOAPIC + IOAPIC_REGSEL) = reg;
	*(volatile uint32_t *)(uintptr_t)(GPA_IOAPIC + IOAPIC_WIN) = v;
}

/*
 * io_latency_in: the host stamps and writes an irqfd on IOAPIC pin arg0;
 * the interrupt (fixed, edge, to APIC ID 0) is stamped by the first
 * instructions of its handler. The guest waits with IF=1, running, and
 * tells the host (guest_ready) when it waits for the next one.
 */
void payload_io_latency_in(struct ctl_block *ctl)
{
	struct sample *s = (struct sample *)(uintptr_t)ctl->samples_gpa;
	volatile uint64_t *ready = &ctl->guest_ready;
	uint32_t pin = (uint32_t)ctl->arg0;
	uint64_t n = ctl->iterations;

	if (apic_setup(ctl, 0))
		return;
	idt_set(VEC_IOLAT, irq_stamp_handler);
	ioapic_write(IOAPIC_REDTBL(pin) + 1, 0);		/* destination APIC ID 0 */
	ioapic_write(IOAPIC_REDTBL(pin), VEC_IOLAT);		/* fixed, edge, unmasked */
	for (uint64_t i = 0; i < n; i++) {
		irq_stamp_slot = &s[i].after;
		__asm__ volatile("sti" : : : "memory");
		*ready = i + 1;
		while (irq_count < i + 1)
			;
		__asm__ volatile("cli" : : : "memory");
		ctl->completed = i + 1;
	}
	ioapic_write(IOAPIC_REDTBL(pin), IOAPIC_MASKED);
	expect_irqs(ctl, n);
}

#define MSR_X2APIC_ICR		0x830
#define IPI_TARGET_APIC_ID	1u		/* vCPU 1's APIC ID (KVM: the vCPU id) */

/*
 * The IPI payloads' APIC mode on this vCPU: x2APIC, or xAPIC with
 * IPI_F_XAPIC. An xAPIC ICR's destination is ICR2, which keeps its value
 * until it is rewritten (KVM's LAPIC sends with the ICR2 of the moment the
 * ICR low is written), so it is written once here, to @dest, and each IPI
 * is one write of the ICR low: one exit, as the x2APIC ICR's WRMSR.
 */
static int ipi_apic_setup(struct ctl_block *ctl, int xapic, uint32_t dest)
{
	if (!xapic)
		return apic_setup(ctl, 0);
	if (xapic_setup(ctl))
		return -1;
	xapic_write(XAPIC_ICR_HI, dest << 24);
	return 0;
}

/* A fixed IPI of @vec to APIC ID @dest (xAPIC: the ICR2 ipi_apic_setup wrote). */
static inline __attribute__((always_inline)) void ipi_send(int xapic, uint32_t dest,
							   uint32_t vec)
{
	if (xapic)
		xapic_write(XAPIC_ICR_LO, ICR_ASSERT | vec);
	else
		wrmsr64(MSR_X2APIC_ICR, (uint64_t)dest << 32 | vec);
}

/*
 * vCPU 1: x2APIC on (xAPIC with IPI_F_XAPIC, its EOI then a store), its
 * handler for VEC_IPI, then one IPI per iteration: it says it waits
 * (guest_ready = i + 1), waits spinning with IF=1 or in STI;HLT, and
 * reports each handled IPI (host_ack = i + 1). Every IPI must arrive; the
 * count goes to arg1, HLTs stepped over to irq_in_shadow.
 */
void payload_ipi_target(struct ctl_block *ctl)
{
	volatile uint64_t *ready = &ctl->guest_ready, *done = &ctl->host_ack;
	uint64_t n = ctl->iterations;
	int halt = !!(ctl->arg0 & IPI_F_HALT), xapic = !!(ctl->arg0 & IPI_F_XAPIC);

	if (ipi_apic_setup(ctl, xapic, 0))		/* answers go to APIC ID 0 */
		return;
	ipi_count = 0;
	ipi_in_shadow = 0;
	ipi_xapic = xapic;
	idt_set(VEC_IPI, ipi_handler);
	for (uint64_t i = 0; i < n; i++) {
		if (halt) {
			*ready = i + 1;
			while (ipi_count < i + 1)
				ipi_sti_hlt();
		} else {
			__asm__ volatile("sti" : : : "memory");
			*ready = i + 1;
			while (ipi_count < i + 1)
				;
			__asm__ volatile("cli" : : : "memory");
		}
		if (ctl->arg0 & IPI_F_PONG)
			ipi_send(xapic, 0, VEC_SELF_IPI);
		*done = i + 1;
		ctl->completed = i + 1;
	}
	ctl->arg1 = ipi_count;
	ctl->irq_in_shadow = ipi_in_shadow;
	if (ipi_count != n)
		guest_fail(ctl, "IPIs handled != iterations (count in arg1)");
}

/*
 * vCPU 0: a fixed IPI to vCPU 1 through the ICR (x2APIC MSR, or xAPIC
 * MMIO), once vCPU 1 waits for it (after arg1 more ticks where it waits in
 * HLT, so it has halted). The sample is the sender's round trip (the ICR
 * write), or with IPI_F_DELIVERY from the stamp before the write to the
 * target's handler. Causality bounds target - sender TSC: the handler's
 * stamp lies after the stamp before the write and before the stamp after
 * it was seen handled. Inlined once per mode (@xapic a constant), so the
 * timed write has no test of the mode beside it.
 */
static inline __attribute__((always_inline)) void ipi_rounds(struct ctl_block *ctl, int xapic)
{
	volatile struct ctl_block *ap = (volatile struct ctl_block *)(uintptr_t)GPA_CTL_AP;
	struct sample *s = (struct sample *)(uintptr_t)ctl->samples_gpa;
	uint64_t n = ctl->iterations, delay = ctl->arg1;
	int delivery = !!(ctl->arg0 & IPI_F_DELIVERY);
	int rdtscp = !!(ctl->flags & CTL_F_RDTSCP);
	int64_t lo = INT64_MIN, hi = INT64_MAX;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0, t1, t2, h;

		while (ap->guest_ready < i + 1)
			;
		if (delay)
			for (uint64_t end = rdtsc64() + delay; rdtsc64() < end;)
				;
		t0 = stamp_begin();
		ipi_send(xapic, IPI_TARGET_APIC_ID, VEC_IPI);
		t1 = rdtscp ? stamp_end_rdtscp() : stamp_end_rdtsc();
		while (ap->host_ack < i + 1)
			;
		t2 = stamp_begin();
		h = ipi_stamp;
		s[i].before = t0;
		s[i].after = delivery ? h : t1;
		if ((int64_t)(h - t2) > lo)
			lo = (int64_t)(h - t2);
		if ((int64_t)(h - t0) < hi)
			hi = (int64_t)(h - t0);
		ctl->completed = i + 1;
	}
	ctl->tsc_lo = lo;
	ctl->tsc_hi = hi;
	ctl->tsc_bound_valid = 1;
}

void payload_ipi(struct ctl_block *ctl)
{
	int xapic = !!(ctl->arg0 & IPI_F_XAPIC);

	if (ipi_apic_setup(ctl, xapic, IPI_TARGET_APIC_ID))
		return;
	if (xapic)
		ipi_rounds(ctl, 1);
	else
		ipi_rounds(ctl, 0);
}

/*
 * vcpu_switch, vCPU 0 (both vCPUs on one host CPU): an IPI wakes vCPU 1,
 * vCPU 0 halts, vCPU 1's handler runs and it answers with an IPI (vector
 * VEC_SELF_IPI, counted by irq_handler) before it halts again, which
 * wakes vCPU 0. A round holds two switches between the vCPUs; the sample
 * keeps half of it (after = before + round / 2).
 */
void payload_vcpu_switch(struct ctl_block *ctl)
{
	volatile struct ctl_block *ap = (volatile struct ctl_block *)(uintptr_t)GPA_CTL_AP;
	struct sample *s = (struct sample *)(uintptr_t)ctl->samples_gpa;
	uint64_t n = ctl->iterations;
	int rdtscp = !!(ctl->flags & CTL_F_RDTSCP);

	if (apic_setup(ctl, 0))
		return;
	/* Once: after that vCPU 1 answers every IPI, ready or not yet halted. */
	while (ap->guest_ready < 1)
		irq_pause();
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0, t1;

		t0 = stamp_begin();
		ipi_send(0, IPI_TARGET_APIC_ID, VEC_IPI);
		while (irq_count < i + 1)
			irq_sti_hlt();
		t1 = rdtscp ? stamp_end_rdtscp() : stamp_end_rdtsc();
		s[i].before = t0;
		s[i].after = t0 + (t1 - t0) / 2;
		ctl->completed = i + 1;
	}
	expect_irqs(ctl, n);
}

/*
 * kvm-unit-tests' ple_round_robin with two vCPUs on one host CPU: a token
 * passes from vCPU 0 to vCPU 1 and back, each waiting for it with PAUSE.
 * The spinning vCPU holds the host CPU its peer needs until pause-loop
 * exiting lets KVM yield it (directed yield) or the host preempts it. The
 * sample is vCPU 0's round: its pass to vCPU 1 until the token is back.
 */
static volatile uint64_t ple_token[2];

void payload_ple_round_robin(struct ctl_block *ctl)
{
	volatile struct ctl_block *ap = (volatile struct ctl_block *)(uintptr_t)GPA_CTL_AP;

	ple_token[0] = ple_token[1] = 0;
	ap->host_ack = 1;		/* vCPU 1 may look at the tokens now */
	while (ap->guest_ready < 1)
		irq_pause();
	TIMED_LOOP(ctl, (void)0, ({
		uint64_t round = ple_token[0] + 1;

		ple_token[1] = round;
		while (ple_token[0] != round)
			irq_pause();
	}));
}

/* vCPU 1: waits with PAUSE for each round's token and passes it back. */
void payload_ple_target(struct ctl_block *ctl)
{
	uint64_t n = ctl->iterations;

	while (ctl->host_ack < 1)
		irq_pause();
	ctl->guest_ready = 1;
	for (uint64_t i = 0; i < n; i++) {
		while (ple_token[1] != i + 1)
			irq_pause();
		ple_token[0] = i + 1;
		ctl->completed = i + 1;
	}
	ctl->arg1 = n;
}
