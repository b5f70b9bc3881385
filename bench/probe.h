/* SPDX-License-Identifier: MIT */
/*
 * What the host can do, found out before anything is measured: the CPU to
 * pin to, the emulator under the KVM, whether CPL0 is emulated, RDTSCP,
 * the irqchip, hypercalls, tracing. Each probe is a short untimed run.
 */
#ifndef VMEXIT_PROBE_H
#define VMEXIT_PROBE_H

#include <stddef.h>

#include "catalog.h"

struct suite;

/* Pins the calling thread; cpu < 0 picks the last online CPU. Returns the CPU or -1. */
int probe_pin_cpu(int cpu, char *err, size_t errlen);

/*
 * Fills @s->caps and the record's host facts from the live VM: emulator,
 * TSC trust, irqchip, speculation-control CPUID, RDTSCP per CPL and
 * whether CPL0 is emulated (a NOP's cost at CPL0 against CPL3).
 * 0, or -1 with a one-line message.
 */
int probe_host(struct suite *s, char *err, size_t errlen);

/*
 * What this host is, without a VM: emulator (TCG, Bochs), online CPUs,
 * KVM's module parameters, the host's XSAVE (into @c; the rest of @c is
 * left as it is).
 */
void probe_host_facts(struct host_caps *c);

/* Whether this KVM offers the in-kernel irqchip the APIC benchmarks need (into @caps). */
void probe_irqchip(struct host_caps *caps, int kvm_fd);

/*
 * Whether @b's hypercall completes here at all (caps.vmcall_hangs), one
 * on the plain VM; some hosts never return from one.
 */
int probe_hypercall(struct suite *s, const struct bench_def *b, char *err, size_t errlen);

/*
 * Whether kvm:kvm_exit/kvm_entry can split in-kernel exits here: opens
 * s->trace, or says why not in s->trace_why.
 */
int probe_trace(struct suite *s, char *err, size_t errlen);

#endif
