/* SPDX-License-Identifier: MIT */
/*
 * One VM with one vCPU running the embedded guest image. Everything that
 * talks to /dev/kvm lives in runner/.
 */
#ifndef VMEXIT_VM_H
#define VMEXIT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "control.h"
#include "kvm_stats.h"
#include "memslot.h"

struct guest_image_hdr {
	uint64_t magic;
	uint64_t entry;
	uint64_t exc_stubs;
	uint64_t end;
};

/* The extra memslots of the EPT/NPT benchmarks. */
enum vm_slot {
	VM_SLOT_FRESH,		/* GPA_FRESH: first-touch faults */
	VM_SLOT_DIRTY,		/* GPA_DIRTY: dirty-logged, write-protect faults */
	VM_SLOT_COUNT,
};

/* vm_create_flavour() flags. */
#define VM_IRQCHIP	(1u << 0)	/* KVM_CREATE_IRQCHIP: HLT and ports behave differently */

struct vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
	size_t mem_size;
	struct guest_image_hdr img;
	struct kvm_stats stats;		/* vCPU stats; fd -1 where unsupported */
	uint32_t tsc_khz;		/* KVM_GET_TSC_KHZ, 0 if unknown */
	bool tsc_offset_zero;		/* guest TSC offset set to 0 */
	char tsc_note[160];		/* why the offset could not be set */
	bool amd;			/* host vendor: VMMCALL instead of VMCALL */
	bool irqchip;			/* in-kernel PIC/IOAPIC/LAPIC (VM_IRQCHIP) */
	/* A second vCPU (id 1), created on first use by runner/vcpu2.c; -1 if none. */
	int ap_fd;
	struct kvm_run *ap_run;
	/* Never-touched memslots, created on first use (vm_memslot). */
	struct memslot *slots[VM_SLOT_COUNT];
	/*
	 * Where the vCPU this struct runs (vcpu_fd, run, stats) keeps its
	 * control block, ring-0 stack and samples: vCPU 0's, or those of a
	 * --parallel sibling, whose view of the VM (runner/parallel.c) is a
	 * copy of this struct with its own vCPU.
	 */
	uint64_t ctl_gpa, stack0_top, samples_gpa;
	/* --parallel siblings 1..PAR_MAX-1 (vCPU ids 1 + k), created on first use; -1 if none. */
	int par_fd[PAR_MAX];
	struct kvm_run *par_run[PAR_MAX];
	struct kvm_stats par_stats[PAR_MAX];
};

/* The guest image linked into this binary (runner/guest_image.c, generated). */
extern const unsigned char guest_image[];
extern const size_t guest_image_size;

/* /dev/kvm, or $VMEXIT_KVM_DEVICE where set (tests use it to provoke errors). */
const char *kvm_device(void);
/* Opens the KVM device with a message that says what to do when that fails. */
int kvm_open(char *err, size_t errlen);

/*
 * Creates VM + vCPU with @sample_bytes of sample buffer, loads the image and
 * builds paging, GDT, IDT and TSS. On error: -1 and a one-line message.
 */
int vm_create(struct vm *vm, size_t sample_bytes, char *err, size_t errlen);
/* The same with VM_* @flags. */
int vm_create_flavour(struct vm *vm, size_t sample_bytes, unsigned flags, char *err,
		      size_t errlen);
void vm_destroy(struct vm *vm);

/* The memslot @which, created on first use; NULL with a message when that fails. */
struct memslot *vm_memslot(struct vm *vm, enum vm_slot which, char *err, size_t errlen);

struct kvm_cpuid2;
/*
 * KVM_GET_SUPPORTED_CPUID in a buffer grown until it fits (free() it);
 * NULL when out of memory, *r the ioctl's result.
 */
struct kvm_cpuid2 *kvm_supported_cpuid(int kvm_fd, int *r);
#define CPUID1_ECX_TSC_DEADLINE_BIT (1u << 24)
/*
 * What a VMM adds to KVM_GET_SUPPORTED_CPUID itself: KVM does not report
 * the TSC-deadline timer there, because it depends on the in-kernel LAPIC
 * (KVM_CAP_TSC_DEADLINE_TIMER with KVM_CREATE_IRQCHIP); @tsc_deadline sets it.
 */
void vm_cpuid_fixup(struct kvm_cpuid2 *cpuid, bool tsc_deadline);

/* Puts the vCPU at the image entry, at @cpl, with RDI = control block. */
int vm_reset_vcpu(struct vm *vm, int cpl, char *err, size_t errlen);
/* The same for the vCPU @vcpu_fd with stack @rsp and control block @ctl. */
int vm_reset_vcpu_fd(struct vm *vm, int vcpu_fd, int cpl, uint64_t rsp, uint64_t ctl,
		     char *err, size_t errlen);
/* KVM's supported CPUID, with the fix-ups and the marker leaf, on @vcpu_fd. */
int vm_setup_cpuid(struct vm *vm, int vcpu_fd, char *err, size_t errlen);
/* Guest TSC offset 0 on @vcpu_fd; false with the reason in @note. */
bool vm_tsc_offset_zero(int vcpu_fd, char *note, size_t len);

/* Registers, code bytes at RIP and its page walk: for diagnosing a broken guest. */
void vm_dump(struct vm *vm, FILE *out);

static inline struct ctl_block *vm_ctl(struct vm *vm)
{
	return (struct ctl_block *)(vm->mem + vm->ctl_gpa);
}

/* Largest iteration count whose samples fit below the never-touched memslots. */
#define VM_MAX_SAMPLES ((GPA_SAMPLES_END - GPA_SAMPLES) / sizeof(struct sample))

#endif
