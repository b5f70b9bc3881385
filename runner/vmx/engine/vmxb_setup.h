/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/* Internal interfaces between the engine's set-up and run halves. */
#ifndef VMXB_SETUP_H
#define VMXB_SETUP_H

#include "vmxb.h"

int vmxb_vmx_on(struct vmxb *e);
void vmxb_vmx_off(struct vmxb *e);
int vmxb_setup_vmcs(struct vmxb *e);
/* The MSR that area entry @j names: the 8-MSR set, repeated. */
u32 vmxb_msr_of_entry(u32 j);

#endif
