/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/kvm.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errmsg.h"
#include "hostcpu.h"
#include "parallel.h"

size_t par_sample_stride(uint64_t iterations)
{
	return (size_t)((iterations * sizeof(struct sample) + 0xfff) & ~0xfffull);
}

/*
 * Sibling @k of @vm (vCPU id 1 + k: id 1 is vCPU 1 of the two-vCPU rows),
 * made once per VM. KVM has no way to remove one vCPU, so after a failure
 * here the VM is not used again: the caller's failure renews it.
 */
static int sibling_create(struct vm *vm, int k, char *err, size_t errlen)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	void *run;

	if (vm->par_fd[k] >= 0)
		return 0;
	vm->par_fd[k] = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 1 + k);
	if (vm->par_fd[k] < 0)
		return ERR("KVM_CREATE_VCPU(%d) failed: %s", 1 + k, strerror(errno));
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->par_fd[k], 0);
	if (run == MAP_FAILED)
		return ERR("cannot map vCPU %d's kvm_run: %s", 1 + k, strerror(errno));
	vm->par_run[k] = run;
	/* With an in-kernel LAPIC a new vCPU waits for INIT/SIPI; ours starts where we put it. */
	if (vm->irqchip && ioctl(vm->par_fd[k], KVM_SET_MP_STATE, &mp))
		return ERR("KVM_SET_MP_STATE(vCPU %d, runnable) failed: %s", 1 + k,
			   strerror(errno));
	kvm_stats_open(&vm->par_stats[k], vm->par_fd[k]);
	return vm_setup_cpuid(vm, vm->par_fd[k], err, errlen);
}

static void *sibling_thread(void *arg)
{
	struct par_vcpu *v = arg;

	run_payload(&v->view, &v->req, &v->res);
	v->ran_on = sched_getcpu();
	return NULL;
}

/*
 * The online host CPUs, as vCPU 1's placement counts them (hostcpu.c):
 * not this thread's affinity, which pins it to vCPU 0's CPU.
 */
static int online_cpus(int *cpu, int max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int k = 0;

	for (int c = 0; c < n && k < max; c++)
		cpu[k++] = c;
	return k;
}

/*
 * Sibling k's host CPU: the online CPUs other than @cpu0 in turn, so
 * each vCPU has one of its own while there are enough; then they share.
 */
static int sibling_cpu(const int *cpus, int ncpus, int cpu0, int k)
{
	int others[CPU_SETSIZE], n = 0;

	for (int i = 0; i < ncpus; i++)
		if (cpus[i] != cpu0)
			others[n++] = cpus[i];
	return n ? others[(k - 1) % n] : cpu0;
}

int par_start(struct par_run *p, struct vm *vm, int n, struct run_req *req, size_t stride,
	      uint64_t arg0_stride, int cpu0, char *err, size_t errlen)
{
	int cpus[CPU_SETSIZE];
	int ncpus = online_cpus(cpus, CPU_SETSIZE);
	char note[160];

	memset(p, 0, sizeof(*p));
	req->gate_gpa = req->gate_count = 0;
	if (n < 2 || n > PAR_MAX)
		return ERR("--parallel takes 2 to %d vCPUs, not %d", PAR_MAX, n);
	if (req->cpl != 0)
		return ERR("--parallel runs at CPL0 only: the guest's one TSS has one ring-0 "
			   "stack for the interrupts of every vCPU at CPL3");
	if (GPA_SAMPLES + (uint64_t)n * stride > vm->mem_size)
		return ERR("the VM holds samples for fewer than %d vCPUs", n);
	p->tsc_offset_zero = true;
	/* A sibling left in the gate by a failure below ends on its own watchdog. */
	*(volatile uint64_t *)(vm->mem + GPA_PAR_GATE) = 0;
	req->gate_gpa = GPA_PAR_GATE;
	req->gate_count = (uint64_t)n;
	for (int k = 1; k < n; k++) {
		struct par_vcpu *v = &p->v[k];

		if (sibling_create(vm, k, err, errlen))
			goto fail;
		v->view = *vm;
		v->view.vcpu_fd = vm->par_fd[k];
		v->view.run = vm->par_run[k];
		v->view.stats = vm->par_stats[k];
		v->view.ctl_gpa = GPA_PAR_CTL(k);
		v->view.stack0_top = GPA_PAR_STACK_TOP(k);
		v->view.samples_gpa = GPA_SAMPLES + (uint64_t)k * stride;
		v->tsc_offset_zero = vm_tsc_offset_zero(vm->par_fd[k], note, sizeof(note));
		p->tsc_offset_zero &= v->tsc_offset_zero;
		v->req = *req;
		v->req.sibling = true;
		v->req.arg0 += (uint64_t)k * arg0_stride;
		/* Stamps and handler work are vCPU 0's: the siblings measure totals. */
		v->req.host_ret = v->req.host_enter = v->req.other_ret = NULL;
		v->req.other_cap = 0;
		v->req.handler_work = NULL;
		v->req.rounds = NULL;
		v->cpu = sibling_cpu(cpus, ncpus, cpu0, k);
	}
	p->host_cpus = 1;
	for (int k = 1; k < n; k++) {
		bool seen = p->v[k].cpu == cpu0;

		for (int j = 1; j < k && !seen; j++)
			seen = p->v[j].cpu == p->v[k].cpu;
		p->host_cpus += !seen;
	}
	p->n = n;
	for (int k = 1; k < n; k++) {
		if (hostcpu_thread(&p->v[k].thread, p->v[k].cpu, sibling_thread, &p->v[k])) {
			ERR("cannot start vCPU %d's thread on host CPU %d", k, p->v[k].cpu);
			goto fail;
		}
		p->v[k].started = true;
	}
	return 0;
fail:
	par_join(p);
	p->n = 0;
	return -1;
}

void par_join(struct par_run *p)
{
	for (int k = 1; k < PAR_MAX; k++) {
		if (!p->v[k].started)
			continue;
		pthread_join(p->v[k].thread, NULL);
		p->v[k].started = false;
	}
}
