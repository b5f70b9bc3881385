/* SPDX-License-Identifier: MIT */
/*
 * The instructions a guest hypervisor (L1) runs that KVM emulates for it
 * under nested virtualization: VMX's VMREAD, VMWRITE, VMPTRLD, VMCLEAR
 * (kvm_intel nested=1, VMX in the guest's CPUID) and SVM's VMLOAD, VMSAVE,
 * STGI, CLGI (kvm_amd nested=1, SVM in the guest's CPUID). The payload
 * turns VMX on (VMXON) or EFER.SVME on around the loop and off after it;
 * VMLOAD loads what a VMSAVE stored just before, so no state changes.
 */
#include "guest.h"
#include "payloads.h"
#include "x86.h"

#define MSR_FEATURE_CONTROL	0x3a
#define FEAT_CTL_LOCKED		(1ull << 0)
#define FEAT_CTL_VMX_OUTSIDE_SMX (1ull << 2)
#define MSR_VMX_BASIC		0x480
#define CR4_VMXE		(1ull << 13)
#define MSR_EFER		0xc0000080
#define EFER_SVME		(1ull << 12)
/* A VMCS field VMCS shadowing does not cover: VMREAD/VMWRITE of it exit. */
#define VMCS_LINK_POINTER	0x2800ull

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t vmcs_region[4096] __attribute__((aligned(4096)));
static uint8_t svm_save_area[4096] __attribute__((aligned(4096)));

/* VMfailInvalid sets CF, VMfailValid ZF: either is a failure. */
static int vmx_op(const char *what, uint64_t pa)
{
	uint8_t bad;

	switch (what[0]) {
	case 'o':
		__asm__ volatile("vmxon %1\n\tsetbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
		break;
	case 'c':
		__asm__ volatile("vmclear %1\n\tsetbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
		break;
	default:
		__asm__ volatile("vmptrld %1\n\tsetbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
	}
	return bad;
}

void payload_nested_vmx(struct ctl_block *ctl)
{
	uint64_t pa_on = (uintptr_t)vmxon_region, pa_vmcs = (uintptr_t)vmcs_region;
	uint64_t fc = rdmsr64(MSR_FEATURE_CONTROL), cr4, field = VMCS_LINK_POINTER, v = 0;
	uint32_t rev = (uint32_t)rdmsr64(MSR_VMX_BASIC) & 0x7fffffff;

	/* VMXON needs the feature-control MSR locked with VMX allowed outside SMX. */
	if (!(fc & FEAT_CTL_LOCKED))
		wrmsr64(MSR_FEATURE_CONTROL, fc | FEAT_CTL_LOCKED | FEAT_CTL_VMX_OUTSIDE_SMX);
	else if (!(fc & FEAT_CTL_VMX_OUTSIDE_SMX)) {
		guest_fail(ctl, "IA32_FEATURE_CONTROL is locked with VMX off");
		return;
	}
	*(volatile uint32_t *)vmxon_region = rev;
	*(volatile uint32_t *)vmcs_region = rev;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_VMXE) : "memory");
	if (vmx_op("on", pa_on)) {
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
		guest_fail(ctl, "VMXON failed");
		return;
	}
	if (vmx_op("clear", pa_vmcs) || vmx_op("ptrld", pa_vmcs)) {
		guest_fail(ctl, "VMCLEAR/VMPTRLD of a fresh VMCS failed");
		return;
	}
	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc", "memory");
	switch (ctl->arg0) {
	case NESTED_VMREAD:
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc", "memory"));
		break;
	case NESTED_VMWRITE:
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("vmwrite %0, %1" : : "r"(v), "r"(field) : "cc", "memory"));
		break;
	case NESTED_VMPTRLD:
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("vmptrld %0" : : "m"(pa_vmcs) : "cc", "memory"));
		break;
	case NESTED_VMCLEAR:
		TIMED_LOOP(ctl, (void)0,
			   __asm__ volatile("vmclear %0" : : "m"(pa_vmcs) : "cc", "memory"));
		break;
	default:
		guest_fail(ctl, "unknown nested VMX instruction");
	}
	(void)vmx_op("clear", pa_vmcs);
	__asm__ volatile("vmxoff" : : : "cc", "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	ctl->arg1 = v;
}

/* VMLOAD 0f 01 da, VMSAVE 0f 01 db, STGI 0f 01 dc, CLGI 0f 01 dd; RAX = the save area. */
#define VMLOAD	".byte 0x0f, 0x01, 0xda"
#define VMSAVE	".byte 0x0f, 0x01, 0xdb"
#define STGI	".byte 0x0f, 0x01, 0xdc"
#define CLGI	".byte 0x0f, 0x01, 0xdd"

void payload_nested_svm(struct ctl_block *ctl)
{
	uint64_t efer = rdmsr64(MSR_EFER), pa = (uintptr_t)svm_save_area;

	wrmsr64(MSR_EFER, efer | EFER_SVME);
	/* What VMLOAD loads is what this VMSAVE stores: FS, GS, TR, LDTR, the syscall MSRs. */
	__asm__ volatile(VMSAVE : : "a"(pa) : "memory");
	switch (ctl->arg0) {
	case NESTED_VMLOAD:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile(VMLOAD : : "a"(pa) : "memory"));
		break;
	case NESTED_VMSAVE:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile(VMSAVE : : "a"(pa) : "memory"));
		break;
	case NESTED_STGI:
		TIMED_LOOP(ctl, (void)0, __asm__ volatile(STGI : : : "memory"));
		break;
	case NESTED_CLGI:
		/* GIF back to 1 before each CLGI, untimed: one more exit per iteration. */
		TIMED_LOOP(ctl, __asm__ volatile(STGI : : : "memory"),
			   __asm__ volatile(CLGI : : : "memory"));
		__asm__ volatile(STGI : : : "memory");
		break;
	default:
		guest_fail(ctl, "unknown nested SVM instruction");
	}
	wrmsr64(MSR_EFER, efer);
}
