/* SPDX-License-Identifier: MIT */
/*
 * A minimal, independent KVM loop: the yardstick vmexit-bench's numbers are
 * checked against. It shares no code with the harness: its own page tables,
 * segments and hand-written guest, one instruction timed with the same
 * fences (lfence;rdtsc before, rdtscp;lfence after) at CPL3.
 *
 *   reference_loop cpuid|pio_out|mmio_write|nop ITERATIONS [phases] [threaded]
 *
 * Prints the median raw interval in TSC ticks (warm-up: the first 10%).
 * With "phases", the host also stamps each exit to userspace the way
 * vmexit-bench does (rdtscp;lfence after KVM_RUN returns, lfence;rdtsc
 * before it is entered again) and prints the medians of exit (guest start
 * to host return), handler (host return to host entry) and entry (host
 * entry to guest end): the same split, with nothing else in the handler.
 * The guest's TSC offset is set to 0 for it, as vmexit-bench sets it.
 * With "threaded", a second thread sleeps through the run: the process is
 * then multi-threaded, as every VMM with an I/O or watchdog thread is,
 * and the kernel takes a reference on the vCPU's file at each KVM_RUN
 * (a single-threaded process's fd table is its own: no reference).
 */
#include <fcntl.h>
#include <pthread.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Guest: rdi = iterations, rsi = output (start, end), r9 = mode. Ends with OUT to 0x300. */
__asm__(".pushsection .rodata\n"
	"ref_guest_start:\n"
	"	mov %rdi, %rcx\n"
	"1:	push %rcx\n"
	"	lfence\n rdtsc\n shl $32, %rdx\n or %rax, %rdx\n mov %rdx, %r8\n"
	"	cmp $0, %r9\n jne 2f\n xor %eax, %eax\n xor %ecx, %ecx\n cpuid\n jmp 5f\n"
	"2:	cmp $1, %r9\n jne 3f\n mov $0x200, %dx\n out %al, %dx\n jmp 5f\n"
	"3:	cmp $2, %r9\n jne 4f\n mov $0xd0000000, %eax\n movl $0, (%rax)\n jmp 5f\n"
	"4:	nop\n"
	"5:	rdtscp\n lfence\n shl $32, %rdx\n or %rax, %rdx\n"
	"	mov %r8, (%rsi)\n mov %rdx, 8(%rsi)\n add $16, %rsi\n"
	"	pop %rcx\n dec %rcx\n jnz 1b\n"
	"	mov $0x300, %dx\n out %al, %dx\n"
	"6:	jmp 6b\n"
	"ref_guest_end:\n"
	".popsection\n");
extern const char ref_guest_start[], ref_guest_end[];

#define MEM_SIZE (64ul << 20)
#define OUT_GPA 0x400000ul

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, long n)
{
	qsort(v, n, 8, cmp);
	return v[n / 2];
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *modes[] = { "cpuid", "pio_out", "mmio_write", "nop" };
	int mode = -1, kvm, vm, vcpu;
	long n, exits = 0;
	int phases = 0, threaded = 0, extra = 0;
	uint64_t *hret = NULL, *henter = NULL;
	pthread_t t;

	for (int i = 3; i < argc; i++) {
		phases |= !strcmp(argv[i], "phases");
		threaded |= !strcmp(argv[i], "threaded");
		extra += !strcmp(argv[i], "phases") || !strcmp(argv[i], "threaded");
	}
	for (int i = 0; argc >= 3 && extra == argc - 3 && i < 4; i++)
		if (strcmp(argv[1], modes[i]) == 0)
			mode = i;
	n = mode >= 0 ? atol(argv[2]) : 0;
	if (mode < 0 || n < 10 || (uint64_t)n * 16 > MEM_SIZE - OUT_GPA) {
		fprintf(stderr, "usage: reference_loop cpuid|pio_out|mmio_write|nop ITERATIONS "
			"[phases] [threaded]\n");
		return 2;
	}
	if (phases && (!(hret = calloc(n, 8)) || !(henter = calloc(n, 8))))
		die("calloc");
	if (threaded && pthread_create(&t, NULL, sleeper, NULL))
		die("pthread_create");
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	struct kvm_userspace_memory_region r = {
		.memory_size = MEM_SIZE, .userspace_addr = (uint64_t)mem,
	};
	if (vm < 0 || mem == MAP_FAILED || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("VM");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	struct kvm_run *run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
				   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (vcpu < 0 || run == MAP_FAILED)
		die("vCPU");
	struct kvm_cpuid2 *cp = calloc(1, sizeof(*cp) + 256 * sizeof(struct kvm_cpuid_entry2));
	cp->nent = 256;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cp) || ioctl(vcpu, KVM_SET_CPUID2, cp))
		die("CPUID");
	/* Identity map 4 GiB with user 2 MiB pages; flat ring-3 segments. */
	uint64_t *pml4 = (void *)(mem + 0x10000), *pdpt = (void *)(mem + 0x11000);
	pml4[0] = 0x11000 | 7;
	for (int i = 0; i < 4; i++) {
		uint64_t *pd = (void *)(mem + 0x12000 + i * 0x1000);

		pdpt[i] = (0x12000 + i * 0x1000) | 7;
		for (int j = 0; j < 512; j++)
			pd[j] = ((uint64_t)(i * 512 + j) << 21) | 0x87;
	}
	/* TSS with an all-zero I/O bitmap: port I/O allowed at CPL3 whatever IOPL. */
	mem[0x3000 + 0x66] = 0x68;
	memcpy(mem + 0x100000, ref_guest_start, ref_guest_end - ref_guest_start);
	struct kvm_sregs s;
	if (ioctl(vcpu, KVM_GET_SREGS, &s))
		die("sregs");
	s.cr3 = 0x10000;
	s.cr4 = 0x620;
	s.cr0 = 0x80050033;
	s.efer = 0x500;
	struct kvm_segment cs = { .limit = 0xffffffff, .selector = 0x1b, .type = 11,
				  .present = 1, .dpl = 3, .s = 1, .l = 1, .g = 1 };
	struct kvm_segment ds = { .limit = 0xffffffff, .selector = 0x23, .type = 3,
				  .present = 1, .dpl = 3, .s = 1, .db = 1, .g = 1 };
	s.cs = cs;
	s.ds = s.es = s.fs = s.gs = s.ss = ds;
	s.tr = (struct kvm_segment){ .base = 0x3000, .limit = 0x68 + 8192, .type = 11,
				     .present = 1, .selector = 0x28 };
	if (ioctl(vcpu, KVM_SET_SREGS, &s))
		die("sregs");
	struct kvm_regs g = { .rip = 0x100000, .rsp = 0x200000, .rflags = 0x3002,
			      .rdi = n, .rsi = OUT_GPA, .r9 = mode };
	if (ioctl(vcpu, KVM_SET_REGS, &g))
		die("regs");
	/* Guest TSC = host TSC, so that host and guest stamps mix (as vmexit-bench sets it). */
	int64_t zero = 0;
	struct kvm_device_attr tsc = { .group = KVM_VCPU_TSC_CTRL, .attr = KVM_VCPU_TSC_OFFSET,
				       .addr = (uint64_t)(uintptr_t)&zero };
	if (phases && ioctl(vcpu, KVM_SET_DEVICE_ATTR, &tsc))
		die("KVM_VCPU_TSC_OFFSET");
	for (;;) {
		uint32_t lo, hi;

		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		if (phases) {
			__asm__ volatile("rdtscp\n lfence" : "=a"(lo), "=d"(hi) : : "rcx");
			if (exits < n)
				hret[exits] = (uint64_t)hi << 32 | lo;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == 0x300)
			break;
		if ((run->exit_reason == KVM_EXIT_IO && run->io.port == 0x200) ||
		    run->exit_reason == KVM_EXIT_MMIO) {
			if (phases && exits < n) {
				__asm__ volatile("lfence\n rdtsc" : "=a"(lo), "=d"(hi));
				henter[exits] = (uint64_t)hi << 32 | lo;
			}
			exits++;
			continue;
		}
		fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
		return 1;
	}
	uint64_t *st = (uint64_t *)(mem + OUT_GPA), *v = calloc(n, 8);
	long skip = n / 10;

	if (!v)
		die("calloc");
	for (long i = 0; i < n; i++)
		v[i] = st[2 * i + 1] - st[2 * i];
	printf("%s: %ld samples, median %lu TSC ticks (raw, floor included), %ld exits to userspace\n",
	       modes[mode], n - skip, (unsigned long)median(v + skip, n - skip), exits);
	if (phases && exits == n) {
		const char *name[] = { "exit", "handler", "entry" };

		for (int ph = 0; ph < 3; ph++) {
			for (long i = 0; i < n; i++)
				v[i] = ph == 0 ? hret[i] - st[2 * i] :
				       ph == 1 ? henter[i] - hret[i] : st[2 * i + 1] - henter[i];
			printf("  .%s median %lu TSC ticks\n", name[ph],
			       (unsigned long)median(v + skip, n - skip));
		}
	}
	return 0;
}
