/* SPDX-License-Identifier: MIT */
/*
 * The only thing host and guest share: guest-physical layout, the control
 * block, ports and payload numbers. Plain C, no host or guest headers.
 */
#ifndef VMEXIT_CONTROL_H
#define VMEXIT_CONTROL_H

#define CTL_MAGIC		0x54495845u	/* "EXIT" */
#define CTL_VERSION		1u
#define GUEST_IMAGE_MAGIC	0x6567616d69747865	/* "extimage" */
#define EXC_STUB_SIZE		16

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* Guest-physical layout (identity-mapped). */
#define GPA_GDT			0x1000ull
#define GPA_IDT			0x2000ull
#define GPA_TSS			0x6000ull	/* 0x68 bytes + I/O bitmap: up to 0x8069 */
#define GPA_CTL			0x4000ull
#define GPA_CTL_AP		0x5000ull	/* the second vCPU's control block */
#define GPA_PML4		0x10000ull
#define GPA_PDPT		0x11000ull
#define GPA_PD			0x12000ull	/* 4 pages: 4 GiB of 2 MiB pages */
#define GPA_STACK0_TOP		0x80000ull	/* ring-0 stack (also TSS.RSP0) */
#define GPA_STACK3_TOP		0xf0000ull	/* ring-3 stack */
#define GPA_STACK_AP_TOP	0xa0000ull	/* the second vCPU's ring-0 stack */
#define GPA_STACK_AP_SIZE	0x10000ull
/*
 * --parallel: vCPUs 1..PAR_MAX-1 beside vCPU 0 (runner/parallel.c), each
 * with its own control block and ring-0 stack (they run at CPL0 only: the
 * one TSS has one RSP0). Their samples follow vCPU 0's in the buffer.
 */
#define PAR_MAX			8
#define GPA_PAR_CTL(k)		(0x9000ull + ((k) - 1) * 0x1000ull)	/* k = 1..7: 0x9000-0xffff */
#define GPA_PAR_STACK_BASE	0xa0000ull
#define PAR_STACK_SIZE		0x4000ull
#define GPA_PAR_STACK_TOP(k)	(GPA_PAR_STACK_BASE + (k) * PAR_STACK_SIZE)	/* up to 0xbc000 */
/* Their start gate: each vCPU counts itself in, then waits for all (ctl->gate_count). */
#define GPA_PAR_GATE		0x3000ull
#define GPA_IMAGE		0x100000ull	/* guest image load address */
#define GPA_IMAGE_MAX		0x700000ull	/* image must end below this */
#define GPA_SAMPLES		0x800000ull	/* sample buffer, up to GPA_SAMPLES_END */
#define GPA_MMIO		0xd0000000ull	/* no memslot here: MMIO exits */
#define GPA_MAPPED_END		0x100000000ull	/* identity map covers 4 GiB */
/*
 * Memslots of never-touched pages for the EPT/NPT benchmarks, mapped only
 * on demand: the sample buffer ends below them.
 */
#define GPA_SAMPLES_END		0x80000000ull
#define GPA_FRESH		0x80000000ull	/* first-touch faults */
#define GPA_FRESH_SIZE		0x20000000ull
#define GPA_DIRTY		0xa0000000ull	/* dirty-logged: write-protect faults */
#define GPA_DIRTY_SIZE		0x20000000ull
#define GPA_IOEVENT_MMIO	(GPA_MMIO + 0x1000)	/* ioeventfd, no memslot */
/*
 * The LAPIC's xAPIC registers: no memslot covers them, so an access exits
 * to KVM's in-kernel LAPIC (irqchip VM) unless APICv/AVIC virtualizes it.
 * The guest maps its 2 MiB page uncacheable (layout_page_tables).
 */
#define GPA_LAPIC		0xfee00000ull
#define LAPIC_REG_VERSION	0x030
#define GPA_IOAPIC		0xfec00000ull	/* the in-kernel IOAPIC, likewise */
#define IOLAT_GSI		20		/* an IOAPIC-only pin: no PIC behind it */

/* GDT selectors. */
#define SEL_CODE0		0x08
#define SEL_DATA0		0x10
#define SEL_CODE3		(0x18 | 3)
#define SEL_DATA3		(0x20 | 3)
#define SEL_TSS			0x28

/* Ports. Nothing in the kernel claims these without an irqchip. */
#define UCALL_PORT		0x0510
#define BENCH_PORT		0x0511
#define IOEVENT_PORT		0x0512	/* an ioeventfd completes it in the kernel */
#define PORT_PIC_ELCR		0x04d0	/* the in-kernel PIC's edge/level register (irqchip VM) */

/* Interrupt vectors of the irqchip payloads (x2APIC). */
#define VEC_TIMER		0x40
#define VEC_SELF_IPI		0x41
#define VEC_IOLAT		0x42	/* io_latency_in's irqfd interrupt */
#define VEC_IPI			0x43	/* ipi, ipi_halt: vCPU 0 to vCPU 1 */
#define VEC_SPURIOUS		0xff

#ifndef __ASSEMBLER__
/* Values the guest writes (32-bit OUT) to UCALL_PORT. */
enum ucall {
	UCALL_DONE = 1,		/* timed loop finished, samples are in place */
	UCALL_FAIL = 2,		/* msg holds the reason */
	UCALL_EXCEPTION = 3,	/* exc_* hold vector, error code, RIP, CS */
	UCALL_REARM = 4,	/* untimed: the host re-arms the pages, then the loop goes on */
};

/* Payloads: one timed loop each. The host catalog maps names to these. */
enum payload {
	PAYLOAD_NOP = 1,
	PAYLOAD_CPUID,		/* arg0 = leaf, arg1 = subleaf */
	PAYLOAD_PIO_OUT,	/* arg0 = port, arg1 = 1: a byte (else 32 bits) */
	PAYLOAD_PIO_IN,		/* arg0 = port, arg1 = 1: a byte (else 32 bits) */
	PAYLOAD_MMIO_WRITE,	/* arg0 = address */
	PAYLOAD_MMIO_READ,	/* arg0 = address */
	PAYLOAD_HLT,
	PAYLOAD_VMCALL,		/* arg0 = hypercall number */
	PAYLOAD_RDMSR,		/* arg0 = MSR index */
	PAYLOAD_WRMSR,		/* arg0 = MSR index; writes back what it reads */
	PAYLOAD_PROBE_RDTSCP,	/* executes RDTSCP once */
	PAYLOAD_PROBE_UD2,	/* raises #UD: tests exception reporting */
	PAYLOAD_PROBE_SPIN,	/* never reports: tests the watchdog */
	PAYLOAD_PAGE_WRITE,	/* arg0 = base GPA, arg1 = pages per round (0: one round):
				 * iteration i writes page i % arg1; UCALL_REARM between rounds */
	PAYLOAD_PIO_OUT_VAL,	/* arg0 = port, arg1 = value (ioeventfd datamatch) */
	PAYLOAD_MMIO_WRITE_VAL,	/* arg0 = address, arg1 = value */
	PAYLOAD_CR0_TOGGLE,	/* flips CR0.WP every iteration */
	PAYLOAD_CR4_TOGGLE,	/* flips CR4.PGE every iteration */
	PAYLOAD_MOV_DR7,	/* writes DR7 its reset value */
	PAYLOAD_XSETBV,		/* writes XCR0 back its value; sets CR4.OSXSAVE */
	PAYLOAD_PAUSE,		/* arg0 = PAUSEs per iteration */
	PAYLOAD_WBINVD,
	PAYLOAD_INVD,
	PAYLOAD_WRMSR_VAL,	/* arg0 = MSR index, arg1 = value; no read first */
	PAYLOAD_CR8_READ,	/* x2APIC set up by the payload (irqchip VM) */
	PAYLOAD_CR8_WRITE,
	PAYLOAD_X2APIC_SELF_IPI,
	PAYLOAD_APIC_EOI,
	PAYLOAD_TSC_DEADLINE_IMMED,
	PAYLOAD_HLT_WAKEUP,	/* arg0 = timer delay in TSC ticks */
	PAYLOAD_APIC_MMIO_READ,	/* load of the xAPIC version register (host set xAPIC mode) */
	PAYLOAD_SELF_IPI,	/* arg0 = SIPI_* bits: the self-IPI family */
	PAYLOAD_WRMSR_ALT,	/* arg0 = MSR, arg1 = value: writes arg1 and 0 in turn, 0 last */
	PAYLOAD_IO_LATENCY_OUT,	/* arg0 = ioeventfd port; the host stamps each sample's end */
	PAYLOAD_IO_LATENCY_IN,	/* arg0 = IOAPIC pin of the irqfd; the host stamps the start */
	PAYLOAD_IPI,		/* vCPU 0: arg0 = IPI_F_*, arg1 = delay before each IPI (ticks) */
	PAYLOAD_IPI_TARGET,	/* vCPU 1 (GPA_CTL_AP): arg0 = IPI_F_* */
	PAYLOAD_VCPU_SWITCH,	/* vCPU 0: IPI to vCPU 1, HLT until its IPI back; half a round */
	PAYLOAD_REP_OUTSB,	/* arg0 = port, arg1 = count (at most REP_IO_MAX) */
	PAYLOAD_REP_INSB,	/* arg0 = port, arg1 = count (at most REP_IO_MAX) */
	PAYLOAD_UD2,		/* UD2, its #UD taken by a handler that steps over it */
	PAYLOAD_RDPMC,		/* arg0 = counter index (ECX) */
	PAYLOAD_MONITOR,	/* MONITOR of a line in the guest image */
	PAYLOAD_MWAIT,		/* MWAIT with no hint, no MONITOR armed */
	PAYLOAD_DESC,		/* arg0 = DESC_*: a descriptor-table instruction; CR4.UMIP set
				 * where the guest's CPUID has UMIP */
	PAYLOAD_INVLPG,		/* arg0 = the address invalidated */
	PAYLOAD_MOV_CR3,	/* writes CR3 its own value */
	PAYLOAD_TSC_DEADLINE_SPIN, /* arg0 = delay: arm the deadline, spin with IF=1 until it fires */
	PAYLOAD_NESTED_VMX,	/* arg0 = NESTED_VM*: a VMX instruction after VMXON */
	PAYLOAD_NESTED_SVM,	/* arg0 = NESTED_VMLOAD/VMSAVE/STGI/CLGI with EFER.SVME */
	PAYLOAD_PLE_ROUND_ROBIN, /* vCPU 0: passes a token to vCPU 1 and spins (PAUSE) for it */
	PAYLOAD_PLE_TARGET,	/* vCPU 1 (GPA_CTL_AP): spins for the token, passes it back */
	PAYLOAD_MAX,
};

/*
 * A CPUID leaf only KVM answers: the host puts this marker in the guest's
 * CPUID table (KVM_SET_CPUID2), so a guest that reads it back proves KVM,
 * not the CPU or an outer hypervisor, answered its CPUID.
 */
#define CPUID_MARKER_LEAF	0x400000feu
#define CPUID_MARKER_EAX	0x56584d42u	/* "BMXV" */
#define CPUID_MARKER_EBX	0x78656d76u	/* "vmex" */
#define CPUID_MARKER_ECX	0x622d7469u	/* "it-b" */
#define CPUID_MARKER_EDX	0x68636e65u	/* "ench" */

/*
 * PAYLOAD_SELF_IPI: which APIC interface, whether the TPR masks the
 * vector while the IPI is sent, and what the interval holds after the
 * IPI (kvm-unit-tests' self_ipi_* family).
 */
#define SIPI_X2APIC		(1u << 0)	/* MSRs; else xAPIC MMIO at GPA_LAPIC */
#define SIPI_TPR		(1u << 1)	/* TPR raised over the vector, dropped after */
#define SIPI_WAIT_MASK		(3u << 2)
#define SIPI_WAIT_NONE		(0u << 2)	/* only the write; delivery untimed */
#define SIPI_WAIT_IF		(1u << 2)	/* IF=1 throughout: delivered as the TPR drops */
#define SIPI_WAIT_STI_NOP	(2u << 2)	/* then STI;NOP: delivered in that window */
#define SIPI_WAIT_STI_HLT	(3u << 2)	/* then STI;HLT */
#define SIPI_TPR_MASK		0x40		/* TPR class 4 masks VEC_SELF_IPI (0x41) */

/* PAYLOAD_IPI, PAYLOAD_IPI_TARGET. */
#define IPI_F_HALT		(1u << 0)	/* the target waits in HLT (else spins, IF=1) */
#define IPI_F_DELIVERY		(1u << 1)	/* samples: sender's stamp to the target's handler */
#define IPI_F_PONG		(1u << 2)	/* the target answers each IPI with one to vCPU 0 */
#define IPI_F_XAPIC		(1u << 3)	/* both vCPUs in xAPIC mode: ICR and EOI by MMIO */

/* PAYLOAD_REP_OUTSB / _INSB: the guest's buffer for the string instructions. */
#define REP_IO_MAX		4096

/* PAYLOAD_DESC: which instruction (arg0). The loads load what the stores read. */
#define DESC_SGDT		0
#define DESC_SIDT		1
#define DESC_SLDT		2
#define DESC_STR		3
#define DESC_LGDT		4
#define DESC_LIDT		5

/* PAYLOAD_NESTED_VMX / _SVM: which instruction (arg0). */
#define NESTED_VMREAD		0
#define NESTED_VMWRITE		1
#define NESTED_VMPTRLD		2
#define NESTED_VMCLEAR		3
#define NESTED_VMLOAD		4
#define NESTED_VMSAVE		5
#define NESTED_STGI		6
#define NESTED_CLGI		7

#define CTL_F_RDTSCP		(1u << 0)	/* end stamp with RDTSCP */
#define CTL_F_VMMCALL		(1u << 1)	/* AMD: hypercall with VMMCALL */

struct sample {
	uint64_t before;	/* guest TSC right before the instruction */
	uint64_t after;		/* guest TSC right after it */
};

struct ctl_block {
	uint32_t magic;
	uint32_t version;
	/* host -> guest */
	uint32_t payload;
	uint32_t flags;
	uint64_t iterations;	/* warm-up included */
	uint64_t arg0;
	uint64_t arg1;
	uint64_t samples_gpa;
	/* guest -> host */
	uint64_t completed;	/* iterations whose sample is stored */
	uint64_t exc_vector;
	uint64_t exc_error;
	uint64_t exc_rip;
	uint64_t exc_cs;
	uint64_t exc_rflags;
	uint64_t exc_rsp;
	uint64_t exc_cr2;
	uint32_t cpuid_probe[4];	/* CPUID_MARKER_LEAF as the payload saw it */
	char msg[128];
	/*
	 * Interrupts the irqchip payloads took between STI and the HLT in its
	 * shadow: hardware never delivers there, so these were stepped over.
	 */
	uint64_t irq_in_shadow;
	/*
	 * Interrupts a self-IPI payload expected inside its interval that
	 * came only afterwards (taken by an untimed STI;HLT).
	 */
	uint64_t irq_late;
	/* The I/O latencies: a host thread and the guest hand iterations over. */
	uint64_t host_ack;	/* io_latency_out: iterations whose host stamp is stored */
	uint64_t guest_ready;	/* io_latency_in: the guest waits for interrupt i (i + 1) */
	/*
	 * ipi: bound of (target TSC - sender TSC) from causality: the target's
	 * handler stamp lies between the sender's stamps before the ICR write
	 * and after it saw the interrupt handled. Valid when tsc_bound_valid.
	 */
	int64_t tsc_lo, tsc_hi;
	uint64_t tsc_bound_valid;
	/*
	 * host -> guest, --parallel: before its payload each vCPU adds one to
	 * the counter at gate_gpa and waits until it reads gate_count, so
	 * that all timed loops start together. 0: no gate.
	 */
	uint64_t gate_gpa;
	uint64_t gate_count;
};

#endif /* __ASSEMBLER__ */
#endif
