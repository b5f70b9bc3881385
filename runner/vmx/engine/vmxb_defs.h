/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * Architectural constants: MSR numbers, VMCS field encodings, control bits
 * and exit reasons (Intel SDM vol. 3, chapters 24-27 and appendices A-C).
 */
#ifndef VMXB_DEFS_H
#define VMXB_DEFS_H

/* MSRs */
#define MSR_FEATURE_CONTROL	0x03a
#define  FEATURE_CONTROL_LOCK	(1ull << 0)
#define  FEATURE_CONTROL_VMXON	(1ull << 2)
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_DEBUGCTL		0x1d9
#define MSR_PAT			0x277
#define MSR_VMX_BASIC		0x480
#define  VMX_BASIC_TRUE_CTLS	(1ull << 55)
#define MSR_VMX_PINBASED	0x481
#define MSR_VMX_PROCBASED	0x482
#define MSR_VMX_EXIT		0x483
#define MSR_VMX_ENTRY		0x484
#define MSR_VMX_MISC		0x485
#define MSR_VMX_CR0_FIXED0	0x486
#define MSR_VMX_CR0_FIXED1	0x487
#define MSR_VMX_CR4_FIXED0	0x488
#define MSR_VMX_CR4_FIXED1	0x489
#define MSR_VMX_PROCBASED2	0x48b
#define MSR_VMX_EPT_VPID_CAP	0x48c
#define MSR_VMX_TRUE_PINBASED	0x48d
#define MSR_VMX_TRUE_PROCBASED	0x48e
#define MSR_VMX_TRUE_EXIT	0x48f
#define MSR_VMX_TRUE_ENTRY	0x490
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_FMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

#define CR4_VMXE		(1ull << 13)

/* EPT capabilities (IA32_VMX_EPT_VPID_CAP) */
#define EPT_CAP_WALK4		(1ull << 6)
#define EPT_CAP_WB		(1ull << 14)
#define EPT_CAP_2M		(1ull << 16)

/* Pin-based controls */
#define PIN_NMI_EXITING		(1u << 3)
/* Primary processor-based controls */
#define PROC_HLT_EXITING	(1u << 7)
#define PROC_CR3_LOAD_EXITING	(1u << 15)
#define PROC_CR3_STORE_EXITING	(1u << 16)
#define PROC_USE_IO_BITMAPS	(1u << 25)
#define PROC_USE_MSR_BITMAPS	(1u << 28)
#define PROC_SECONDARY		(1u << 31)
/* Secondary processor-based controls */
#define PROC2_EPT		(1u << 1)
#define PROC2_RDTSCP		(1u << 3)
/* VM-exit controls */
#define EXIT_HOST_64		(1u << 9)
#define EXIT_LOAD_PAT		(1u << 19)
#define EXIT_LOAD_EFER		(1u << 21)
/* VM-entry controls */
#define ENTRY_IA32E_GUEST	(1u << 9)
#define ENTRY_LOAD_PAT		(1u << 14)
#define ENTRY_LOAD_EFER		(1u << 15)

/* VMCS fields: 16-bit */
#define GUEST_ES_SEL		0x0800
#define GUEST_CS_SEL		0x0802
#define GUEST_SS_SEL		0x0804
#define GUEST_DS_SEL		0x0806
#define GUEST_FS_SEL		0x0808
#define GUEST_GS_SEL		0x080a
#define GUEST_LDTR_SEL		0x080c
#define GUEST_TR_SEL		0x080e
#define HOST_ES_SEL		0x0c00
#define HOST_CS_SEL		0x0c02
#define HOST_SS_SEL		0x0c04
#define HOST_DS_SEL		0x0c06
#define HOST_FS_SEL		0x0c08
#define HOST_GS_SEL		0x0c0a
#define HOST_TR_SEL		0x0c0c
/* 64-bit */
#define IO_BITMAP_A		0x2000
#define IO_BITMAP_B		0x2002
#define MSR_BITMAP		0x2004
#define EXIT_MSR_STORE_ADDR	0x2006
#define EXIT_MSR_LOAD_ADDR	0x2008
#define ENTRY_MSR_LOAD_ADDR	0x200a
#define EPT_POINTER		0x201a
#define GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_PTR		0x2800
#define GUEST_DEBUGCTL		0x2802
#define GUEST_PAT		0x2804
#define GUEST_EFER		0x2806
#define HOST_PAT		0x2c00
#define HOST_EFER		0x2c02
/* 32-bit */
#define PIN_CONTROLS		0x4000
#define PROC_CONTROLS		0x4002
#define EXCEPTION_BITMAP	0x4004
#define CR3_TARGET_COUNT	0x400a
#define EXIT_CONTROLS		0x400c
#define EXIT_MSR_STORE_COUNT	0x400e
#define EXIT_MSR_LOAD_COUNT	0x4010
#define ENTRY_CONTROLS		0x4012
#define ENTRY_MSR_LOAD_COUNT	0x4014
#define ENTRY_INTR_INFO		0x4016
#define PROC2_CONTROLS		0x401e
#define VM_INSTR_ERROR		0x4400
#define EXIT_REASON		0x4402
#define EXIT_INTR_INFO		0x4404
#define EXIT_INSTR_LEN		0x440c
#define GUEST_ES_LIMIT		0x4800
#define GUEST_CS_LIMIT		0x4802
#define GUEST_SS_LIMIT		0x4804
#define GUEST_DS_LIMIT		0x4806
#define GUEST_FS_LIMIT		0x4808
#define GUEST_GS_LIMIT		0x480a
#define GUEST_LDTR_LIMIT	0x480c
#define GUEST_TR_LIMIT		0x480e
#define GUEST_GDTR_LIMIT	0x4810
#define GUEST_IDTR_LIMIT	0x4812
#define GUEST_ES_AR		0x4814
#define GUEST_CS_AR		0x4816
#define GUEST_SS_AR		0x4818
#define GUEST_DS_AR		0x481a
#define GUEST_FS_AR		0x481c
#define GUEST_GS_AR		0x481e
#define GUEST_LDTR_AR		0x4820
#define GUEST_TR_AR		0x4822
#define GUEST_INTERRUPTIBILITY	0x4824
#define GUEST_ACTIVITY		0x4826
#define GUEST_SYSENTER_CS	0x482a
#define HOST_SYSENTER_CS	0x4c00
/* natural width */
#define CR0_MASK		0x6000
#define CR4_MASK		0x6002
#define CR0_SHADOW		0x6004
#define CR4_SHADOW		0x6006
#define EXIT_QUALIFICATION	0x6400
#define GUEST_CR0		0x6800
#define GUEST_CR3		0x6802
#define GUEST_CR4		0x6804
#define GUEST_ES_BASE		0x6806
#define GUEST_CS_BASE		0x6808
#define GUEST_SS_BASE		0x680a
#define GUEST_DS_BASE		0x680c
#define GUEST_FS_BASE		0x680e
#define GUEST_GS_BASE		0x6810
#define GUEST_LDTR_BASE		0x6812
#define GUEST_TR_BASE		0x6814
#define GUEST_GDTR_BASE		0x6816
#define GUEST_IDTR_BASE		0x6818
#define GUEST_DR7		0x681a
#define GUEST_RSP		0x681c
#define GUEST_RIP		0x681e
#define GUEST_RFLAGS		0x6820
#define GUEST_PENDING_DBG	0x6822
#define GUEST_SYSENTER_ESP	0x6824
#define GUEST_SYSENTER_EIP	0x6826
#define HOST_CR0		0x6c00
#define HOST_CR3		0x6c02
#define HOST_CR4		0x6c04
#define HOST_FS_BASE		0x6c06
#define HOST_GS_BASE		0x6c08
#define HOST_TR_BASE		0x6c0a
#define HOST_GDTR_BASE		0x6c0c
#define HOST_IDTR_BASE		0x6c0e
#define HOST_SYSENTER_ESP	0x6c10
#define HOST_SYSENTER_EIP	0x6c12
#define HOST_RSP		0x6c14
#define HOST_RIP		0x6c16

/* Basic exit reasons */
#define EXIT_EXCEPTION_NMI	0
#define EXIT_EXTERNAL_INTR	1
#define EXIT_TRIPLE_FAULT	2
#define EXIT_CPUID		10
#define EXIT_HLT		12
#define EXIT_INVD		13
#define EXIT_VMCALL		18
#define EXIT_IO			30
#define EXIT_RDMSR		31
#define EXIT_WRMSR		32
#define EXIT_BAD_GUEST_STATE	33
#define EXIT_MSR_LOAD_FAIL	34
#define EXIT_EPT_VIOLATION	48
#define EXIT_EPT_MISCONFIG	49
#define EXIT_REASON_ENTRY_FAIL	(1u << 31)

#define EPT_RWX			0x7ull
#define EPT_MT_WB		(6ull << 3)
#define EPT_LARGE		(1ull << 7)

#endif
