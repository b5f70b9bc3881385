/* SPDX-License-Identifier: MIT */
/*
 * The stamps the runner collects and analysis/ reads, one definition for
 * both (as control.h is for host and guest, whose struct sample is the
 * guest's half): the host's stamps around KVM_RUN and the kernel's
 * kvm:kvm_exit / kvm:kvm_entry events. runner/ includes nothing from
 * analysis/.
 */
#ifndef VMEXIT_STAMPS_H
#define VMEXIT_STAMPS_H

#include <stdint.h>

/*
 * Exits handled in userspace: per sample, the host's stamps of the one
 * benchmark exit inside it.
 */
struct host_stamps {
	uint64_t ret;		/* right after KVM_RUN returned */
	uint64_t enter;		/* right before KVM_RUN was entered again */
};

/* Exits handled in the kernel: kvm:kvm_exit / kvm:kvm_entry events. */
enum trace_ev_type {
	TRACE_EV_EXIT,
	TRACE_EV_ENTRY,
};

struct trace_ev {
	uint64_t ts;		/* x86-tsc trace clock */
	enum trace_ev_type type;
};

#endif
