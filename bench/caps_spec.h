/* SPDX-License-Identifier: MIT */
/* Whether the guest's CPUID lets it write the speculation-control MSRs. */
#ifndef VMEXIT_CAPS_SPEC_H
#define VMEXIT_CAPS_SPEC_H

#include "catalog.h"

struct kvm_cpuid2;

/* From KVM_GET_SUPPORTED_CPUID, the table the guest is given (into @caps). */
void caps_probe_spec(struct host_caps *caps, int kvm_fd);
/* The same from a CPUID table. */
void caps_spec_from_cpuid(struct host_caps *caps, const struct kvm_cpuid2 *cpuid);

#endif
