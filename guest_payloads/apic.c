/* SPDX-License-Identifier: MIT */
/*
 * x2APIC payloads for the VM with an in-kernel irqchip: CR8 (TPR), self-IPI,
 * EOI, the TSC-deadline timer and a HLT woken by it. All at CPL0.
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
/* Read and written by irq.S. */
volatile uint64_t irq_count;
volatile uint64_t irq_in_shadow;
volatile uint32_t irq_no_eoi;

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

/* x2APIC on, software-enabled, TPR 0, timer in TSC-deadline mode. 0 or -1 (reported). */
static int apic_setup(struct ctl_block *ctl, int need_deadline)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
		IDT_ALL_VECTORS * 16 - 1, GPA_IDT,
	};
	uint32_t ecx = cpuid1_ecx();

	if (!(ecx & CPUID1_ECX_X2APIC)) {
		guest_fail(ctl, "CPUID.1:ECX.x2APIC is clear in the guest");
		return -1;
	}
	if (need_deadline && !(ecx & CPUID1_ECX_TSC_DEADLINE)) {
		guest_fail(ctl, "CPUID.1:ECX.TSC_DEADLINE is clear in the guest");
		return -1;
	}
	idt_set(VEC_TIMER, irq_handler);
	idt_set(VEC_SELF_IPI, irq_handler);
	idt_set(VEC_SPURIOUS, irq_spurious);
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	wrmsr64(MSR_IA32_APICBASE, rdmsr64(MSR_IA32_APICBASE) | APICBASE_EN | APICBASE_EXTD);
	wrmsr64(MSR_X2APIC_SVR, 0x100 | VEC_SPURIOUS);
	wrmsr64(MSR_X2APIC_TPR, 0);
	wrmsr64(MSR_X2APIC_LVTT, LVTT_TSC_DEADLINE | VEC_TIMER);
	irq_count = 0;
	irq_in_shadow = 0;
	irq_no_eoi = 0;
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

void payload_x2apic_self_ipi(struct ctl_block *ctl)
{
	uint64_t k = 0;

	if (apic_setup(ctl, 0))
		return;
	TIMED_LOOP(ctl, (k++ ? irq_take() : (void)0), wrmsr64(MSR_X2APIC_SELF_IPI, VEC_SELF_IPI));
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
