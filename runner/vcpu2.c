/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/kvm.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hostcpu.h"
#include "vcpu2.h"

#include "errmsg.h"
/* Not the run loop's watchdog signal: its ticks mean progress checks there. */
#define VCPU2_SIGNAL SIGUSR2
#define AP_VCPU_ID 1

static struct kvm_run *volatile ap_current_run;

static void vcpu2_signal(int sig)
{
	(void)sig;
	if (ap_current_run)
		ap_current_run->immediate_exit = 1;
}

static int ap_create(struct vm *vm, char *err, size_t errlen)
{
	if (vm->ap_fd >= 0)
		return 0;
	if (!vm->irqchip) {
		ERR("a second vCPU needs the VM with an in-kernel irqchip");
		return -1;
	}
	vm->ap_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, AP_VCPU_ID);
	if (vm->ap_fd < 0) {
		ERR("KVM_CREATE_VCPU(1) failed: %s", strerror(errno));
		return -1;
	}
	vm->ap_run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->ap_fd, 0);
	if (vm->ap_run == MAP_FAILED) {
		vm->ap_run = NULL;
		ERR("cannot map vCPU 1's kvm_run: %s", strerror(errno));
		return -1;
	}
	return vm_setup_cpuid(vm, vm->ap_fd, err, errlen);
}

static void ap_fail(struct vcpu2 *c, const char *fmt, const char *what)
{
	snprintf(c->err, sizeof(c->err), fmt, what);
}

static void *ap_thread(void *arg)
{
	struct vcpu2 *c = arg;
	struct vm *vm = c->vm;
	struct kvm_run *run = vm->ap_run;
	struct ctl_block *ctl = (struct ctl_block *)(vm->mem + GPA_CTL_AP);
	char what[64];

	ap_current_run = run;
	c->ctx_before = vcpu2_ctx_switches();
	while (!c->stop) {
		int r = ioctl(vm->ap_fd, KVM_RUN, 0);

		if (r < 0 && errno == EINTR) {
			run->immediate_exit = 0;
			continue;
		}
		if (r < 0) {
			ap_fail(c, "vCPU 1: KVM_RUN failed: %s", strerror(errno));
			break;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == UCALL_PORT &&
		    run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 4) {
			uint32_t v;

			memcpy(&v, (uint8_t *)run + run->io.data_offset, 4);
			if (v == UCALL_DONE) {
				c->done = true;
				break;
			}
			ctl->msg[sizeof(ctl->msg) - 1] = 0;
			if (v == UCALL_FAIL)
				ap_fail(c, "vCPU 1 reported failure: %s", ctl->msg);
			else
				snprintf(c->err, sizeof(c->err), "vCPU 1 took exception %llu at RIP "
					 "%#llx", (unsigned long long)ctl->exc_vector,
					 (unsigned long long)ctl->exc_rip);
			break;
		}
		snprintf(what, sizeof(what), "%u", run->exit_reason);
		ap_fail(c, "vCPU 1: unexpected KVM exit reason %s", what);
		break;
	}
	c->ctx_after = vcpu2_ctx_switches();
	c->ran_on = sched_getcpu();
	ap_current_run = NULL;
	return NULL;
}

uint64_t vcpu2_ctx_switches(void)
{
	FILE *f = fopen("/proc/thread-self/status", "r");
	char line[128];
	unsigned long long v, sum = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

int vcpu2_start(struct vcpu2 *c, struct vm *vm, enum payload payload, uint64_t arg0,
		uint64_t iterations, int cpu, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_handler = vcpu2_signal };
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct ctl_block *ctl = (struct ctl_block *)(vm->mem + GPA_CTL_AP);

	memset(c, 0, sizeof(*c));
	c->vm = vm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(VCPU2_SIGNAL, &sa, NULL)) {
		ERR("sigaction: %s", strerror(errno));
		return -1;
	}
	if (ap_create(vm, err, errlen))
		return -1;
	c->tsc_offset_zero = vm_tsc_offset_zero(vm->ap_fd, c->tsc_note, sizeof(c->tsc_note));
	/* With an in-kernel LAPIC an AP waits for INIT/SIPI; ours starts where we put it. */
	if (ioctl(vm->ap_fd, KVM_SET_MP_STATE, &mp)) {
		ERR("KVM_SET_MP_STATE(vCPU 1, runnable) failed: %s", strerror(errno));
		return -1;
	}
	if (vm_reset_vcpu_fd(vm, vm->ap_fd, 0, GPA_STACK_AP_TOP, GPA_CTL_AP, err, errlen))
		return -1;
	memset(ctl, 0, sizeof(*ctl));
	ctl->magic = CTL_MAGIC;
	ctl->version = CTL_VERSION;
	ctl->payload = payload;
	ctl->iterations = iterations;
	ctl->arg0 = arg0;
	ctl->samples_gpa = GPA_SAMPLES;
	c->cpu = cpu >= 0 ? cpu : hostcpu_other();
	c->shares_cpu = c->cpu == sched_getcpu();
	if (hostcpu_thread(&c->thread, c->cpu, ap_thread, c)) {
		ERR("cannot start vCPU 1's thread on CPU %d", c->cpu);
		return -1;
	}
	c->started = true;
	return 0;
}

/*
 * vCPU 0 can finish first: vCPU 1's last steps (its count, its report)
 * follow the answer vCPU 0 waits for, and where both share a host CPU
 * its thread may not have run them yet. It gets this long to finish, by
 * the clock: on a slow or emulated host a 1 ms sleep takes much longer.
 */
#define VCPU2_FINISH_NS 1000000000LL

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

void vcpu2_stop(struct vcpu2 *c)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 }, ms = { 0, 1000 * 1000 };

	long long deadline = mono_ns() + VCPU2_FINISH_NS;

	if (!c->started)
		return;
	while (mono_ns() < deadline) {
		if (pthread_tryjoin_np(c->thread, NULL) == 0) {
			c->started = false;
			return;
		}
		nanosleep(&ms, NULL);
	}
	c->stop = 1;
	/* A vCPU in KVM_RUN (halted, or spinning) comes back on the signal. */
	while (pthread_tryjoin_np(c->thread, NULL) == EBUSY) {
		pthread_kill(c->thread, VCPU2_SIGNAL);
		nanosleep(&tick, NULL);
	}
	c->started = false;
}
